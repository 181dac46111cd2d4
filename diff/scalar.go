package diff

import (
	"math"
	"runtime"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/internal/mem"
	"github.com/runner-dev/runner/internal/par"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/spec"
)

// scalarFn is one expression compiled three ways: on dual numbers (value
// and first derivative), hyper-dual numbers (second derivatives) and complex
// numbers (complex step). It holds no state: goroutines share it, each
// evaluating through an evaluator of its own.
type scalarFn struct {
	d program[dual]
	h program[hyper]
	c program[cnum]
	n int
}

func compileScalar(n expr.Node, vars []string) *scalarFn {
	index := make(map[string]int, len(vars))
	for i, v := range vars {
		index[v] = i
	}
	return &scalarFn{d: compile(n, index, mkDual, nil), h: compile(n, index, mkHyper, nil), c: compile(n, index, mkCnum, nil), n: len(vars)}
}

// evaluator evaluates a scalarFn point by point for one goroutine: its trace
// and its buffers are that goroutine's scratch, so that sweeping many points
// allocates nothing per point. What one point's evaluation leaves in them,
// the next one overwrites before reading.
type evaluator struct {
	*scalarFn
	tr   trace
	buf  []dual
	hbuf []hyper
	cbuf []cnum
	// along and calong are f along variable idx, the rest held at buf and
	// cbuf: bound once, as the methods take f as a function of one variable
	idx    int
	along  func(float64) float64
	calong func(complex128) complex128
}

func (sf *scalarFn) evaluator() *evaluator {
	e := &evaluator{scalarFn: sf, buf: make([]dual, sf.n), hbuf: make([]hyper, sf.n), cbuf: make([]cnum, sf.n)}
	e.along = func(t float64) float64 {
		e.buf[e.idx].v = t
		e.tr.pos = 0
		return e.d(e.buf, &e.tr).v
	}
	e.calong = func(z complex128) complex128 {
		e.cbuf[e.idx] = cnum(z)
		e.tr.pos = 0
		return complex128(e.c(e.cbuf, &e.tr))
	}
	return e
}

// newScalarFn compiles n, of the variables vars, and gives one evaluator of
// it.
func newScalarFn(n expr.Node, vars []string) *evaluator {
	return compileScalar(n, vars).evaluator()
}

// load puts at into the dual buffer as constants.
func (e *evaluator) load(at []float64) []dual {
	for i, x := range at {
		e.buf[i] = dual{x, 0}
	}
	return e.buf
}

// value is f at at, and the first problem met evaluating it.
func (e *evaluator) value(at []float64) (float64, string) {
	v := e.load(at)
	e.tr.reset()
	return e.d(v, &e.tr).v, e.tr.problem
}

// partial is ∂f/∂x_i at at (from the side given, at a kink), with whether a
// kink was met and the first problem.
func (e *evaluator) partial(at []float64, i int, side float64) (float64, bool, string) {
	v := e.load(at)
	v[i].d = 1
	e.tr.reset()
	e.tr.oneSided = side
	r := e.d(v, &e.tr)
	e.tr.oneSided = 0
	return r.d, e.tr.kink, e.tr.problem
}

// second is ∂²f/∂x_i∂x_j at at, exactly, by hyper-dual numbers (at a
// break, from the side given as x_i and x_j move together), with whether a
// break was met and the first problem.
func (e *evaluator) second(at []float64, i, j int, side float64) (float64, bool, string) {
	v := e.hbuf
	for k, x := range at {
		v[k] = hyper{v: x}
	}
	v[i].d1, v[j].d2 = 1, 1
	e.tr.reset()
	e.tr.oneSided = side
	r := e.h(v, &e.tr)
	e.tr.oneSided = 0
	return r.d12, e.tr.kink, e.tr.problem
}

// numeric is ∂f/∂x_i at at by method m with step h: the numeric
// derivative, with the method's error estimate (or NaN), its bound
// (method.Method.FirstBound), a note on how it was taken ("" as usual) and
// the first problem met. Where the method's stencil leaves f's domain (an
// evaluation meets a problem, or the value or its bound is not finite), the
// one-sided stencil that stays inside takes its place (method.Method.Edge).
func (e *evaluator) numeric(at []float64, i int, m *method.Method, h float64) (d, est float64, b method.Bound, how, problem string) {
	e.tr.reset()
	e.load(at)
	if m.Kind == method.ComplexStep {
		for k, x := range at {
			e.cbuf[k] = mkCnum(x)
		}
	}
	e.idx = i
	d, est = m.First(e.along, e.calong, at[i], h)
	problem = e.tr.problem
	b = m.FirstBound(e.along, nil, e.calong, at[i], h, d)
	if problem != "" || bad(d) || bad(b.Value()) {
		if ed, eb, side, step, ok := m.Edge(e.guarded(), nil, at[i], h, 1); ok {
			return ed, math.NaN(), eb, m.EdgeNote(side, step), ""
		}
	}
	return d, est, b, "", problem
}

// guarded is f along variable e.idx, NaN where an evaluation meets a
// problem (a value outside a function's domain).
func (e *evaluator) guarded() func(float64) float64 {
	return func(t float64) float64 {
		e.tr.reset()
		v := e.along(t)
		if e.tr.problem != "" {
			return math.NaN()
		}
		return v
	}
}

// numeric2 is ∂²f/∂x_i∂x_j at at by method m's second derivative
// (method.Method.Second) with step h on the diagonal and the central cross
// stencil (f(x+h,y+h) − f(x+h,y−h) − f(x−h,y+h) + f(x−h,y−h)) / 4h² off it,
// with its bound, and as numeric the estimate, note and problem.
func (e *evaluator) numeric2(at []float64, i, j int, m *method.Method, h float64) (float64, float64, method.Bound, string, string) {
	e.tr.reset()
	if i == j {
		e.load(at)
		e.idx = i
		d, est := m.Second(e.along, at[i], h)
		problem := e.tr.problem
		b := m.SecondBound(e.along, at[i], h, d)
		if problem != "" || bad(d) || bad(b.Value()) {
			if ed, eb, side, step, ok := m.Edge(e.guarded(), nil, at[i], h, 2); ok {
				return ed, math.NaN(), eb, m.EdgeNote(side, step), ""
			}
		}
		return d, est, b, "", problem
	}
	p := append([]float64(nil), at...)
	var scale float64
	problem := ""
	f := func(di, dj, h float64) float64 {
		p[i], p[j] = at[i]+di*h, at[j]+dj*h
		v, pr := e.value(p)
		if problem == "" {
			problem = pr
		}
		scale += math.Abs(v)
		return v
	}
	cross := func(h float64) float64 {
		return (f(1, 1, h) - f(1, -1, h) - f(-1, 1, h) + f(-1, -1, h)) / (4 * h * h)
	}
	d := cross(h)
	p1 := problem
	rounding := scale / (4 * h * h)
	d2 := cross(2 * h)
	return d, math.NaN(), method.Cross(d, d2, rounding), "", p1
}

// complex is f at z, for a function of one variable.
func (e *evaluator) complex(z complex128) complex128 {
	e.cbuf[0] = cnum(z)
	e.tr.reset()
	return complex128(e.c(e.cbuf, &e.tr))
}

// RunFunction computes a function's value and every partial derivative at
// every point, exactly and numerically, and with order 2 its Hessian.
func RunFunction(fn *spec.Function) *Function {
	sf := compileScalar(fn.Expr, fn.Vars)
	out := &Function{Name: fn.Name, Kind: "function", Src: fn.Src, Vars: fn.Vars, Settings: fn.Settings, Order: fn.Order,
		Points: mem.Make[Point](len(fn.Points)), Formula: fn.Expr}
	for _, v := range fn.Vars {
		out.Derivs = append(out.Derivs, Derive(fn.Expr, v))
	}
	nv := len(fn.Vars)
	partials := mem.Make[Derivative](len(fn.Points) * nv) // one allocation, sliced per point
	m, h := method.Get(fn.Settings.Method), fn.Settings.H()
	fill(len(fn.Points), func(int, int) *evaluator { return sf.evaluator() }, func(pi int, e *evaluator) {
		out.Points[pi] = functionPoint(fn, m, h, e, fn.Points[pi], partials[pi*nv:(pi+1)*nv:(pi+1)*nv])
	})
	if fn.Explain && len(fn.Points) > 0 {
		out.Explain = explainFunction(fn.Expr, fn.Vars, fn.Points[0], fn.Name)
	}
	e := sf.evaluator()
	if len(fn.Vars) == 1 {
		at := make([]float64, len(fn.Points))
		for i, p := range fn.Points {
			at[i] = p[0]
		}
		out.Curve = curve(at, func(t float64) (float64, float64) {
			v, _ := e.value([]float64{t})
			d, _, _ := e.partial([]float64{t}, 0, 0)
			return v, d
		})
	}
	if len(fn.Vars) == 2 {
		out.Surface = surface(fn.Points, func(x, y float64) float64 { v, _ := e.value([]float64{x, y}); return v })
	}
	if fn.Study != nil {
		out.Study = RunStudy(fn.Study, func(t float64) float64 { v, _ := e.value([]float64{t}); return v }, e.complex,
			func(t float64) float64 { d, _, _ := e.partial([]float64{t}, 0, 0); return d })
	}
	return out
}

// functionPoint is fn at one point: its value, each partial derivative
// (into partials), exactly and numerically by method m with step h, and with
// order 2 the Hessian.
func functionPoint(fn *spec.Function, m *method.Method, h float64, e *evaluator, at []float64, partials []Derivative) Point {
	s := fn.Settings
	pt := Point{At: at, Partials: partials}
	pt.Value, _ = e.value(at)
	kinked := make([]bool, len(fn.Vars)) // ∂f/∂x_i not defined here
	for i := range fn.Vars {
		e.tr.recordSides()
		exact, met, problem := e.partial(at, i, 0)
		jump := e.tr.jump
		e.tr.compareSides()
		d := newDerivative(fn.Vars[i], exact)
		numProblem := ""
		if m.Numeric() {
			d.Numeric, d.ErrEst, d.Bound, d.Note, numProblem = e.numeric(at, i, m, h)
		}
		kink := false
		if met {
			d.Left, _, _ = e.partial(at, i, -1)
			d.Right, _, _ = e.partial(at, i, 1)
			kink = atKink(&d)
		}
		judge(&d, s.Tolerance, kink, m, problem, numProblem)
		crossing(&d, e.tr.crossedAt, met)
		if jump != "" && problem == "" {
			kink = true
			jumped(&d, jump)
		}
		kinked[i] = kink
		pt.Partials[i] = d
	}
	if fn.Order == 2 {
		for i := range fn.Vars {
			for j := i; j < len(fn.Vars); j++ {
				e.tr.recordSides()
				exact, met, problem := e.second(at, i, j, 0)
				e.tr.compareSides()
				d := newDerivative(fn.Vars[i]+","+fn.Vars[j], exact)
				numProblem := ""
				if m.Numeric() {
					d.Numeric, d.ErrEst, d.Bound, d.Note, numProblem = e.numeric2(at, i, j, m, s.Step)
				}
				kink := false
				if met {
					d.Left, _, _ = e.second(at, i, j, -1)
					d.Right, _, _ = e.second(at, i, j, 1)
					// without a first derivative there is no second
					kink = kinked[i] || kinked[j] || atKink(&d)
				}
				judge(&d, s.Tolerance, kink, m, problem, numProblem)
				crossing(&d, e.tr.crossedAt, met)
				if met && (kinked[i] || kinked[j]) && problem == "" {
					noSecond(&d)
				}
				pt.Second = append(pt.Second, d)
			}
		}
	}
	return pt
}

func newDerivative(wrt string, exact float64) Derivative {
	return Derivative{Wrt: wrt, Exact: exact, Numeric: math.NaN(), ErrEst: math.NaN(), Bound: method.NoBound, Left: math.NaN(), Right: math.NaN()}
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

// fill calls point(k, w) for every k in [0, n): over contiguous chunks [lo,
// hi), in parallel (one per CPU) when n is large. Each chunk first makes its
// own scratch w = start(lo, hi), which only its calls see; point must write
// only what belongs to k, so that the results do not depend on how many
// chunks ran.
func fill[W any](n int, start func(lo, hi int) W, point func(k int, w W)) {
	run := func(lo, hi int) {
		w := start(lo, hi)
		for k := lo; k < hi; k++ {
			point(k, w)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), n/MinChunk)
	if workers <= 1 {
		run(0, n)
		return
	}
	par.For(workers, func(w int) { run(w*n/workers, (w+1)*n/workers) })
}
