package diff

import (
	"fmt"
	"math"
	"strconv"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/spec"
)

// dual is v + d·ε with ε² = 0: carrying d = ∂v/∂x through every operation
// gives the exact derivative (forward-mode automatic differentiation).
type dual struct{ v, d float64 }

// trace collects what an evaluation met: whether a registry function was
// evaluated exactly at one of its kinks, and the first operation whose result
// is not a finite number although its inputs were (problem says which).
type trace struct {
	kink    bool
	problem string
}

func (tr *trace) reset() { tr.kink, tr.problem = false, "" }

// check records out's operation as the problem when out is not finite but
// every input is.
func (tr *trace) check(out float64, what func() string, in ...float64) {
	if tr.problem != "" || !bad(out) {
		return
	}
	for _, x := range in {
		if bad(x) {
			return
		}
	}
	tr.problem = what()
}

func bad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// g formats a number for a problem's description.
func g(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

func callProblem(f *funcs.Func, x float64, p []float64) string {
	if f.In != nil && !f.In(x, p) {
		return fmt.Sprintf("%s(%s) is undefined: outside its domain %s", f.Name, g(x), f.Domain)
	}
	return fmt.Sprintf("%s(%s) overflows", f.Name, g(x))
}

func opProblem(op byte, x, y float64) string {
	switch {
	case op == '/' && y == 0:
		return fmt.Sprintf("division by zero: %s / 0", g(x))
	case op == '^' && x < 0:
		return fmt.Sprintf("%s^%s is not a real number", g(x), g(y))
	case op == '^' && x == 0:
		return fmt.Sprintf("0^%s is infinite", g(y))
	}
	return fmt.Sprintf("%s %c %s overflows", g(x), op, g(y))
}

type dualFn func(vars []dual) dual

// compile turns a resolved Scalar-mode expression into a function of its
// variables (indexed as in index) on dual numbers.
func compile(n expr.Node, index map[string]int, tr *trace) dualFn {
	switch n := n.(type) {
	case *expr.Num:
		c := dual{n.Val, 0}
		return func([]dual) dual { return c }
	case *expr.Ident:
		i := index[n.Name]
		return func(v []dual) dual { return v[i] }
	case *expr.Neg:
		x := compile(n.X, index, tr)
		return func(v []dual) dual { a := x(v); return dual{-a.v, -a.d} }
	case *expr.Call:
		x := compile(n.Args[0], index, tr)
		f, p := n.Fn, n.Params
		kinks := f.Kinks != nil
		return func(v []dual) dual {
			a := x(v)
			if kinks && f.IsKink(a.v, p) {
				tr.kink = true
			}
			out := dual{f.F(a.v, p), f.D(a.v, p) * a.d}
			tr.check(out.v, func() string { return callProblem(f, a.v, p) }, a.v)
			return out
		}
	case *expr.Binary:
		l, r := compile(n.L, index, tr), compile(n.R, index, tr)
		op := n.Op
		checked := func(f func(a, b dual) dual) dualFn {
			return func(v []dual) dual {
				a, b := l(v), r(v)
				out := f(a, b)
				tr.check(out.v, func() string { return opProblem(op, a.v, b.v) }, a.v, b.v)
				return out
			}
		}
		switch n.Op {
		case '+':
			return checked(func(a, b dual) dual { return dual{a.v + b.v, a.d + b.d} })
		case '-':
			return checked(func(a, b dual) dual { return dual{a.v - b.v, a.d - b.d} })
		case '*':
			return checked(func(a, b dual) dual { return dual{a.v * b.v, a.d*b.v + a.v*b.d} })
		case '/':
			return checked(func(a, b dual) dual {
				q := a.v / b.v
				return dual{q, (a.d - q*b.d) / b.v}
			})
		case '^':
			if c, ok := n.R.(*expr.Num); ok {
				p := c.Val
				return checked(func(a, _ dual) dual { return powConst(a, p) })
			}
			return checked(pow)
		}
	}
	panic("diff: unresolved expression node")
}

// powConst is aᵖ for a constant p: d(aᵖ) = p·aᵖ⁻¹·da.
func powConst(a dual, p float64) dual {
	if p == 0 {
		return dual{1, 0}
	}
	return dual{math.Pow(a.v, p), p * math.Pow(a.v, p-1) * a.d}
}

// pow is aᵇ: d(aᵇ) = b·aᵇ⁻¹·da + aᵇ·ln a·db (the second term only when b
// varies, so that negative bases with constant exponents stay defined).
func pow(a, b dual) dual {
	out := powConst(a, b.v)
	if b.d != 0 {
		out.d += out.v * math.Log(a.v) * b.d
	}
	return out
}

// scalarFn is a compiled expression with its variables' index.
type scalarFn struct {
	f     dualFn
	tr    *trace
	nvars int
}

func newScalarFn(n expr.Node, vars []string) *scalarFn {
	index := make(map[string]int, len(vars))
	for i, v := range vars {
		index[v] = i
	}
	tr := &trace{}
	return &scalarFn{f: compile(n, index, tr), tr: tr, nvars: len(vars)}
}

// RunFunction computes a function's value and every partial derivative at every
// point, exactly and numerically.
func RunFunction(fn *spec.Function) *Function {
	s := fn.Settings
	sf := newScalarFn(fn.Expr, fn.Vars)
	out := &Function{Name: fn.Name, Kind: "function", Src: fn.Src, Vars: fn.Vars, Settings: s,
		Points: make([]Point, len(fn.Points))}
	vars := make([]dual, len(fn.Vars))
	for pi, at := range fn.Points {
		pt := Point{At: at, Partials: make([]Derivative, len(fn.Vars))}
		for i := range fn.Vars {
			for k := range vars {
				vars[k] = dual{at[k], 0}
			}
			vars[i].d = 1
			sf.tr.reset()
			r := sf.f(vars)
			kink, problem := sf.tr.kink, sf.tr.problem
			pt.Value = r.v
			d := Derivative{Wrt: fn.Vars[i], Exact: r.d, Numeric: math.NaN(), ErrEst: math.NaN()}
			numProblem := ""
			if s.Method != "none" {
				vars[i].d = 0
				sf.tr.reset()
				d.Numeric, d.ErrEst = Numeric(func(t float64) float64 {
					vars[i].v = t
					return sf.f(vars).v
				}, at[i], s.Method, s.Step)
				numProblem = sf.tr.problem
			}
			judge(&d, s.Tolerance, kink, s.Method, problem, numProblem)
			pt.Partials[i] = d
		}
		out.Points[pi] = pt
	}
	return out
}

// RunChain computes a chain at every point: each link's value and derivative at
// its own input, exactly and numerically; the chain's exact derivative is the
// product of the exact factors, and its numeric derivative the product of the
// numeric factors (the seed's chain rule).
func RunChain(c *spec.Chain) *Function {
	s := c.Settings
	links := make([]*scalarFn, len(c.Links))
	out := &Function{Name: c.Name, Kind: "chain", Vars: []string{"x"}, Settings: s, Points: make([]Point, len(c.Points))}
	for i, l := range c.Links {
		links[i] = newScalarFn(l.Expr, []string{"x"})
		out.Links = append(out.Links, l.Src)
	}
	out.Src = composition(out.Links)
	arg := make([]dual, 1)
	for pi, x := range c.Points {
		pt := Point{At: []float64{x}, Links: make([]LinkValue, len(links))}
		in := x
		exact, numeric := 1.0, 1.0
		kink := false
		problem, numProblem := "", ""
		for i, lf := range links {
			arg[0] = dual{in, 1}
			lf.tr.reset()
			r := lf.f(arg)
			kink = kink || lf.tr.kink
			if problem == "" && lf.tr.problem != "" {
				problem = fmt.Sprintf("link %d: %s", i+1, lf.tr.problem)
			}
			lv := LinkValue{In: in, Out: r.v, Exact: r.d, Numeric: math.NaN()}
			if s.Method != "none" {
				arg[0].d = 0
				lf.tr.reset()
				lv.Numeric, _ = Numeric(func(t float64) float64 {
					arg[0].v = t
					return lf.f(arg).v
				}, in, s.Method, s.Step)
				if numProblem == "" && lf.tr.problem != "" {
					numProblem = fmt.Sprintf("link %d: %s", i+1, lf.tr.problem)
				}
			}
			exact *= lv.Exact
			numeric *= lv.Numeric
			pt.Links[i] = lv
			in = r.v
		}
		pt.Value = in
		d := Derivative{Wrt: "x", Exact: exact, Numeric: numeric, ErrEst: math.NaN()}
		judge(&d, s.Tolerance, kink, s.Method, problem, numProblem)
		pt.Partials = []Derivative{d}
		out.Points[pi] = pt
	}
	return out
}

// composition writes links [f1, f2, f3] as f3(f2(f1(x))), substituting each
// link's text for x in the next.
func composition(links []string) string {
	s := "x"
	for _, l := range links {
		s = substituteX(l, s)
	}
	return s
}

func substituteX(link, inner string) string {
	tree, err := expr.Parse(link)
	if err != nil {
		return link
	}
	if id, ok := tree.(*expr.Ident); ok && id.Name != "x" {
		return id.Name + "(" + inner + ")"
	}
	var b []byte
	last := 0
	expr.Walk(tree, func(n expr.Node) {
		if id, ok := n.(*expr.Ident); ok && id.Name == "x" {
			b = append(b, link[last:id.Off]...)
			if inner == "x" || isSimple(inner) {
				b = append(b, inner...)
			} else {
				b = append(b, '(')
				b = append(b, inner...)
				b = append(b, ')')
			}
			last = id.Off + 1
		}
	})
	return string(append(b, link[last:]...))
}

func isSimple(s string) bool {
	depth := 0
	for _, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ' ', '+', '-', '*', '/', '^', '@':
			if depth == 0 {
				return false
			}
		}
	}
	return true
}
