package diff

import (
	"fmt"
	"math"
	"runtime"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/internal/mem"
	"github.com/runner-dev/runner/internal/par"
	"github.com/runner-dev/runner/spec"
)

// scalarFn is one expression compiled three ways: on dual numbers (value
// and first derivative), hyper-dual numbers (second derivatives) and complex
// numbers (complex step). side selects one-sided derivatives at kinks for
// the dual form.
type scalarFn struct {
	d    func([]dual) dual
	h    func([]hyper) hyper
	c    func([]cnum) cnum
	tr   *trace
	side float64
	n    int
	// scratch for evaluations, so that sweeping many points allocates
	// nothing per point; along1 is f along variable idx, bound once
	buf    []dual
	idx    int
	along1 func(float64) float64
}

func newScalarFn(n expr.Node, vars []string) *scalarFn {
	index := make(map[string]int, len(vars))
	for i, v := range vars {
		index[v] = i
	}
	sf := &scalarFn{tr: &trace{}, n: len(vars), buf: make([]dual, len(vars))}
	sf.along1 = func(t float64) float64 {
		sf.buf[sf.idx].v = t
		sf.tr.pos = 0
		return sf.d(sf.buf).v
	}
	sf.d = compile(n, index, sf.tr, mkDual, &sf.side)
	sf.h = compile(n, index, sf.tr, mkHyper, &sf.side)
	sf.c = compile(n, index, sf.tr, mkCnum, &sf.side)
	return sf
}

// value is f at at, and the first problem met evaluating it.
func (sf *scalarFn) value(at []float64) (float64, string) {
	v := sf.load(at)
	sf.tr.reset()
	return sf.d(v).v, sf.tr.problem
}

// load puts at into the scratch buffer as constants.
func (sf *scalarFn) load(at []float64) []dual {
	for i, x := range at {
		sf.buf[i] = dual{x, 0}
	}
	return sf.buf
}

// partial is ∂f/∂x_i at at (from the side given, at a kink), with whether a
// kink was met and the first problem.
func (sf *scalarFn) partial(at []float64, i int, side float64) (float64, bool, string) {
	v := sf.load(at)
	v[i].d = 1
	sf.tr.reset()
	sf.side = side
	r := sf.d(v)
	sf.side = 0
	return r.d, sf.tr.kink, sf.tr.problem
}

// second is ∂²f/∂x_i∂x_j at at, exactly, by hyper-dual numbers.
func (sf *scalarFn) second(at []float64, i, j int) (float64, bool, string) {
	v := make([]hyper, len(at))
	for k, x := range at {
		v[k] = hyper{v: x}
	}
	v[i].d1, v[j].d2 = 1, 1
	sf.tr.reset()
	r := sf.h(v)
	return r.d12, sf.tr.kink, sf.tr.problem
}

// along is f as a function of x_i alone, the rest held at at.
func (sf *scalarFn) along(at []float64, i int) func(float64) float64 {
	v := make([]dual, len(at))
	for k, x := range at {
		v[k] = dual{x, 0}
	}
	return func(t float64) float64 {
		v[i].v = t
		return sf.d(v).v
	}
}

// numeric is ∂f/∂x_i at at by the settings' method, with the method's error
// estimate (or NaN) and the first problem met.
func (sf *scalarFn) numeric(at []float64, i int, n spec.Numeric) (float64, float64, string) {
	sf.tr.reset()
	if n.Method == "complex-step" {
		v := make([]cnum, len(at))
		for k, x := range at {
			v[k] = mkCnum(x)
		}
		h := n.H()
		v[i] = cnum(complex(at[i], h))
		return imag(complex128(sf.c(v))) / h, math.NaN(), sf.tr.problem
	}
	sf.load(at)
	sf.idx = i
	d, est := Numeric(sf.along1, at[i], n.Method, n.H())
	return d, est, sf.tr.problem
}

// numeric2 is ∂²f/∂x_i∂x_j at at by the method's second-difference stencil
// (Numeric2) on the diagonal and the central cross stencil
// (f(x+h,y+h) − f(x+h,y−h) − f(x−h,y+h) + f(x−h,y−h)) / 4h² off it.
func (sf *scalarFn) numeric2(at []float64, i, j int, n spec.Numeric) (float64, float64, string) {
	sf.tr.reset()
	if i == j {
		d, est := Numeric2(sf.along(at, i), at[i], n.Method, n.Step)
		return d, est, sf.tr.problem
	}
	h := n.Step
	p := append([]float64(nil), at...)
	f := func(di, dj float64) float64 {
		p[i], p[j] = at[i]+di*h, at[j]+dj*h
		v, _ := sf.value(p)
		return v
	}
	sf.tr.reset()
	d := (f(1, 1) - f(1, -1) - f(-1, 1) + f(-1, -1)) / (4 * h * h)
	return d, math.NaN(), sf.tr.problem
}

// RunFunction computes a function's value and every partial derivative at
// every point, exactly and numerically, and with order 2 its Hessian.
func RunFunction(fn *spec.Function) *Function {
	s := fn.Settings
	sf := newScalarFn(fn.Expr, fn.Vars)
	out := &Function{Name: fn.Name, Kind: "function", Src: fn.Src, Vars: fn.Vars, Settings: s, Order: fn.Order,
		Points: mem.Make[Point](len(fn.Points)), Formula: fn.Expr}
	for _, v := range fn.Vars {
		out.Derivs = append(out.Derivs, Derive(fn.Expr, v))
	}
	nv := len(fn.Vars)
	partials := mem.Make[Derivative](len(fn.Points) * nv) // one allocation, sliced per point
	for pi, at := range fn.Points {
		pt := Point{At: at, Partials: partials[pi*nv : (pi+1)*nv : (pi+1)*nv]}
		pt.Value, _ = sf.value(at)
		for i := range fn.Vars {
			sf.tr.recordSides()
			exact, kink, problem := sf.partial(at, i, 0)
			sf.tr.compareSides()
			d := newDerivative(fn.Vars[i], exact)
			numProblem := ""
			if s.Method != "none" {
				d.Numeric, d.ErrEst, numProblem = sf.numeric(at, i, s.Numeric)
			}
			if kink {
				d.Left, _, _ = sf.partial(at, i, -1)
				d.Right, _, _ = sf.partial(at, i, 1)
			}
			judge(&d, s.Tolerance, kink, s.Method, problem, numProblem)
			crossing(&d, sf.tr)
			pt.Partials[i] = d
		}
		if fn.Order == 2 {
			for i := range fn.Vars {
				for j := i; j < len(fn.Vars); j++ {
					exact, kink, problem := sf.second(at, i, j)
					d := newDerivative(fn.Vars[i]+","+fn.Vars[j], exact)
					numProblem := ""
					if s.Method != "none" {
						d.Numeric, d.ErrEst, numProblem = sf.numeric2(at, i, j, s.Numeric)
					}
					judge(&d, s.Tolerance, kink, s.Method, problem, numProblem)
					pt.Second = append(pt.Second, d)
				}
			}
		}
		out.Points[pi] = pt
	}
	if fn.Explain && len(fn.Points) > 0 {
		out.Explain = explainFunction(fn.Expr, fn.Vars, fn.Points[0], fn.Name)
	}
	if len(fn.Vars) == 1 {
		at := make([]float64, len(fn.Points))
		for i, p := range fn.Points {
			at[i] = p[0]
		}
		out.Curve = curve(at, func(t float64) (float64, float64) {
			v, _ := sf.value([]float64{t})
			d, _, _ := sf.partial([]float64{t}, 0, 0)
			return v, d
		})
	}
	if len(fn.Vars) == 2 {
		out.Surface = surface(fn.Points, func(x, y float64) float64 { v, _ := sf.value([]float64{x, y}); return v })
	}
	if fn.Study != nil {
		out.Study = RunStudy(fn.Study, func(t float64) float64 { v, _ := sf.value([]float64{t}); return v },
			func(t float64, h float64) float64 {
				return imag(complex128(sf.c([]cnum{cnum(complex(t, h))}))) / h
			},
			func(t float64) float64 { d, _, _ := sf.partial([]float64{t}, 0, 0); return d })
	}
	return out
}

func newDerivative(wrt string, exact float64) Derivative {
	return Derivative{Wrt: wrt, Exact: exact, Numeric: math.NaN(), ErrEst: math.NaN(), Left: math.NaN(), Right: math.NaN()}
}

// RunChain computes a chain at every point: each link's value and derivative
// at its own input, exactly and numerically; the chain's exact derivative is
// the product of the exact factors, and its numeric derivative the product of
// the numeric factors (the seed's chain rule). With order 2, the second
// derivative follows the same way, link by link (Faà di Bruno):
// (g∘u)” = g”(u)·u'² + g'(u)·u”.
func RunChain(c *spec.Chain) *Function {
	s := c.Settings
	links := make([]*scalarFn, len(c.Links))
	out := &Function{Name: c.Name, Kind: "chain", Vars: []string{"x"}, Settings: s, Order: c.Order, Points: mem.Make[Point](len(c.Points)), Explained: c.Explain}
	for i, l := range c.Links {
		links[i] = newScalarFn(l.Expr, []string{"x"})
		out.Links = append(out.Links, l.Src)
	}
	var composed expr.Node = &expr.Ident{Name: "x"}
	for _, l := range c.Links {
		composed = Substitute(l.Expr, composed)
	}
	out.Src, out.Formula, out.Derivs = expr.String(composed), composed, []expr.Node{Derive(composed, "x")}
	chunks(len(c.Points), func(lo, hi int, fresh bool) {
		links := links
		if fresh { // a worker of its own: its own compiled links
			links = make([]*scalarFn, len(c.Links))
			for i, l := range c.Links {
				links[i] = newScalarFn(l.Expr, []string{"x"})
			}
		}
		at := make([]float64, 1)
		// one allocation each for the chunk's points, link values and
		// derivatives, which the points take slices of
		nl, nd := len(links), 1
		if c.Order == 2 {
			nd = 2
		}
		ats := mem.Make[float64](hi - lo)
		lvs := mem.Make[LinkValue]((hi - lo) * nl)
		ders := mem.Make[Derivative]((hi - lo) * nd)
		for pi := lo; pi < hi; pi++ {
			x := c.Points[pi]
			k := pi - lo
			ats[k] = x
			pt := Point{At: ats[k : k+1 : k+1], Links: lvs[k*nl : (k+1)*nl : (k+1)*nl]}
			in := x
			exact, numeric := 1.0, 1.0
			exact2, numeric2 := 0.0, 0.0
			kink := false
			problem, numProblem := "", ""
			var crossed *trace // the first link whose stencil crossed a kink
			note := func(dst *string, i int, p string) {
				if *dst == "" && p != "" {
					*dst = fmt.Sprintf("link %d: %s", i+1, p)
				}
			}
			for i, lf := range links {
				at[0] = in
				outV, p := lf.value(at)
				note(&problem, i, p)
				lf.tr.recordSides()
				d, k, _ := lf.partial(at, 0, 0)
				lf.tr.compareSides()
				kink = kink || k
				lv := LinkValue{In: in, Out: outV, Exact: d, Numeric: math.NaN()}
				if s.Method != "none" {
					var np string
					lv.Numeric, _, np = lf.numeric(at, 0, s.Numeric)
					note(&numProblem, i, np)
					if lf.tr.crossed && crossed == nil {
						crossed = lf.tr
					}
				}
				if c.Order == 2 {
					d2, _, p2 := lf.second(at, 0, 0)
					note(&problem, i, p2)
					exact2 = d2*exact*exact + d*exact2
					if s.Method != "none" {
						n2, _, np := lf.numeric2(at, 0, 0, s.Numeric)
						note(&numProblem, i, np)
						numeric2 = n2*numeric*numeric + lv.Numeric*numeric2
					}
				}
				exact *= d
				numeric *= lv.Numeric
				pt.Links[i] = lv
				in = outV
			}
			var left, right float64
			if kink {
				// one-sided: the side each link's input moves to is the sign of
				// the product of the factors before it, times the side x moves to
				left, right = 1, 1
				for i, lf := range links {
					at[0] = pt.Links[i].In
					dl, _, _ := lf.partial(at, 0, -funcs.Sign(left))
					dr, _, _ := lf.partial(at, 0, funcs.Sign(right))
					left, right = left*dl, right*dr
				}
			}
			pt.Value = in
			d := newDerivative("x", exact)
			d.Numeric = numeric
			if kink {
				d.Left, d.Right = left, right
			}
			judge(&d, s.Tolerance, kink, s.Method, problem, numProblem)
			if crossed != nil {
				crossing(&d, crossed)
			}
			ders[k*nd] = d
			pt.Partials = ders[k*nd : k*nd+1 : k*nd+1]
			if c.Order == 2 {
				d2 := newDerivative("x,x", exact2)
				if s.Method != "none" {
					d2.Numeric = numeric2
				}
				judge(&d2, s.Tolerance, kink, s.Method, problem, numProblem)
				ders[k*nd+1] = d2
				pt.Second = ders[k*nd+1 : k*nd+2 : k*nd+2]
			}
			out.Points[pi] = pt
		}
	})
	out.Curve = curve(c.Points, func(t float64) (float64, float64) {
		d := 1.0
		for _, lf := range links {
			f, _, _ := lf.partial([]float64{t}, 0, 0)
			d *= f
			t, _ = lf.value([]float64{t})
		}
		return t, d
	})
	if c.Study != nil {
		value := func(t float64) float64 {
			for _, lf := range links {
				t, _ = lf.value([]float64{t})
			}
			return t
		}
		cvalue := func(t float64, h float64) float64 {
			z := cnum(complex(t, h))
			for _, lf := range links {
				z = lf.c([]cnum{z})
			}
			return imag(complex128(z)) / h
		}
		deriv := func(t float64) float64 {
			d := 1.0
			for _, lf := range links {
				f, _, _ := lf.partial([]float64{t}, 0, 0)
				d *= f
				t, _ = lf.value([]float64{t})
			}
			return d
		}
		out.Study = RunStudy(c.Study, value, cvalue, deriv)
	}
	return out
}

// curve samples f and f' (both from fd) at CurveSamples points across the
// range of at, when at has CurveMinPoints distinct values; else nil.
func curve(at []float64, fd func(float64) (float64, float64)) *Curve {
	distinct := map[float64]bool{}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range at {
		if len(distinct) < CurveMinPoints {
			distinct[x] = true
		}
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	if len(distinct) < CurveMinPoints {
		return nil
	}
	c := &Curve{}
	for k := 0; k < CurveSamples; k++ {
		x := lo + float64(k)*(hi-lo)/float64(CurveSamples-1)
		if k == CurveSamples-1 {
			x = hi
		}
		f, d := fd(x)
		c.X, c.F, c.D = append(c.X, x), append(c.F, f), append(c.D, d)
	}
	return c
}

// MinChunk is the fewest points a worker of its own takes on.
const MinChunk = 20_000

// chunks calls do over [0, n) in contiguous ranges, in parallel (one per
// CPU) when n is large; fresh tells a call that it runs beside others and
// must use its own compiled functions. Each range fills its own part of the
// results, so the results do not depend on how many ran.
func chunks(n int, do func(lo, hi int, fresh bool)) {
	workers := min(runtime.GOMAXPROCS(0), n/MinChunk)
	if workers <= 1 {
		do(0, n, false)
		return
	}
	par.For(workers, func(w int) { do(w*n/workers, (w+1)*n/workers, true) })
}
