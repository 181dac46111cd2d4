package diff

import (
	"math"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/spec"
)

// dual is v + d·ε with ε² = 0: carrying d = ∂v/∂x through every operation
// gives the exact derivative (forward-mode automatic differentiation).
type dual struct{ v, d float64 }

// trace collects what an evaluation met: whether a registry function was
// evaluated exactly at one of its kinks.
type trace struct{ kink bool }

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
			return dual{f.F(a.v, p), f.D(a.v, p) * a.d}
		}
	case *expr.Binary:
		l, r := compile(n.L, index, tr), compile(n.R, index, tr)
		switch n.Op {
		case '+':
			return func(v []dual) dual { a, b := l(v), r(v); return dual{a.v + b.v, a.d + b.d} }
		case '-':
			return func(v []dual) dual { a, b := l(v), r(v); return dual{a.v - b.v, a.d - b.d} }
		case '*':
			return func(v []dual) dual { a, b := l(v), r(v); return dual{a.v * b.v, a.d*b.v + a.v*b.d} }
		case '/':
			return func(v []dual) dual {
				a, b := l(v), r(v)
				q := a.v / b.v
				return dual{q, (a.d - q*b.d) / b.v}
			}
		case '^':
			if c, ok := n.R.(*expr.Num); ok {
				p := c.Val
				return func(v []dual) dual { return powConst(l(v), p) }
			}
			return func(v []dual) dual { return pow(l(v), r(v)) }
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
			sf.tr.kink = false
			r := sf.f(vars)
			kink := sf.tr.kink
			pt.Value = r.v
			d := Derivative{Wrt: fn.Vars[i], Exact: r.d, Numeric: math.NaN(), ErrEst: math.NaN()}
			if s.Method != "none" {
				vars[i].d = 0
				d.Numeric, d.ErrEst = Numeric(func(t float64) float64 {
					vars[i].v = t
					return sf.f(vars).v
				}, at[i], s.Method, s.Step)
			}
			judge(&d, s.Tolerance, kink, s.Method)
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
		for i, lf := range links {
			arg[0] = dual{in, 1}
			lf.tr.kink = false
			r := lf.f(arg)
			kink = kink || lf.tr.kink
			lv := LinkValue{In: in, Out: r.v, Exact: r.d, Numeric: math.NaN()}
			if s.Method != "none" {
				arg[0].d = 0
				lv.Numeric, _ = Numeric(func(t float64) float64 {
					arg[0].v = t
					return lf.f(arg).v
				}, in, s.Method, s.Step)
			}
			exact *= lv.Exact
			numeric *= lv.Numeric
			pt.Links[i] = lv
			in = r.v
		}
		pt.Value = in
		d := Derivative{Wrt: "x", Exact: exact, Numeric: numeric, ErrEst: math.NaN()}
		judge(&d, s.Tolerance, kink, s.Method)
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
