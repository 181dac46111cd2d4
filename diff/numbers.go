package diff

import (
	"math"
	"math/cmplx"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/internal/fmath"
)

// number is arithmetic that an expression can be evaluated in. Each kind
// carries what one way of differentiating needs:
//
//	dual   v + d·ε, ε² = 0: the value and one directional derivative
//	hyper  v + d₁ε₁ + d₂ε₂ + d₁₂ε₁ε₂, ε₁² = ε₂² = 0: second derivatives
//	cnum   a complex number, for complex-step differentiation
type number[T any] interface {
	add(T) T
	sub(T) T
	mul(T) T
	div(T) T
	neg() T
	// powc is xᵖ for a constant p; pow is xʸ.
	powc(p float64) T
	pow(T) T
	// call applies a registry function. side is 0, or ±1 to take the
	// derivative from the right or the left where f has a kink.
	call(f *funcs.Func, p []float64, side float64) T
	re() float64
}

// program is an expression compiled for numbers of kind T: a pure function
// of the variables' values. Everything an evaluation meets or is told (kinks,
// problems, the side of one-sided derivatives) lives in the trace passed to
// it, so one program serves any number of goroutines, each with its own
// trace.
type program[T any] func(v []T, tr *trace) T

// watcher, when given to compile, sees every node's result as it is
// evaluated.
type watcher[T any] func(n expr.Node, out T)

// compile turns a resolved Scalar-mode expression into a program on numbers
// of kind T, its variables indexed as in index; constants become mk(c). The
// trace collects kinks and the first operation that goes out of range, and
// its side selects one-sided derivatives at kinks. watch, when not nil,
// observes each node's result.
func compile[T number[T]](n expr.Node, index map[string]int, mk func(float64) T, watch watcher[T]) program[T] {
	f := compileNode(n, index, mk, watch)
	if watch == nil {
		return f
	}
	return func(v []T, tr *trace) T {
		out := f(v, tr)
		watch(n, out)
		return out
	}
}

// operation is an operation node's arithmetic as a function of its operands
// (b unused for one operand), two-sided at kinks: what compile applies.
func operation[T number[T]](n expr.Node) func(a, b T) T {
	switch n := n.(type) {
	case *expr.Neg:
		return func(a, _ T) T { return a.neg() }
	case *expr.Call:
		f, p := n.Fn, n.Params
		return func(a, _ T) T { return a.call(f, p, 0) }
	case *expr.Binary:
		switch n.Op {
		case '+':
			return T.add
		case '-':
			return T.sub
		case '*':
			return T.mul
		case '/':
			return T.div
		case '^':
			if c, ok := n.R.(*expr.Num); ok {
				p := c.Val
				return func(a, _ T) T { return a.powc(p) }
			}
			return T.pow
		}
		panic("diff: operator " + string(n.Op) + " in a scalar expression")
	}
	panic("diff: not an operation")
}

func compileNode[T number[T]](n expr.Node, index map[string]int, mk func(float64) T, watch watcher[T]) program[T] {
	switch n := n.(type) {
	case *expr.Num:
		c := mk(n.Val)
		return func([]T, *trace) T { return c }
	case *expr.Ident:
		i := index[n.Name]
		return func(v []T, _ *trace) T { return v[i] }
	case *expr.Neg:
		x := compile(n.X, index, mk, watch)
		return func(v []T, tr *trace) T { return x(v, tr).neg() }
	case *expr.Call:
		x := compile(n.Args[0], index, mk, watch)
		f, p := n.Fn, n.Params
		// a second derivative is one-sided at every break of f's formula,
		// a first derivative at its kinks only
		_, second := any(mk(0)).(hyper)
		breaks := f.BreakPoints(p) != nil
		return func(v []T, tr *trace) T {
			a := x(v, tr)
			if breaks {
				if f.IsKink(a.re(), p) || second && f.IsBreak(a.re(), p) {
					tr.kink = true
					noteJump(tr, f, p, a)
				}
				tr.side(f, a.re(), p)
			}
			out := a.call(f, p, tr.oneSided)
			if tr.problem == "" && bad(out.re()) && !bad(a.re()) {
				tr.problem = callProblem(f, a.re(), p)
			}
			return out
		}
	case *expr.Binary:
		l, r := compile(n.L, index, mk, watch), compile(n.R, index, mk, watch)
		op, f := n.Op, operation[T](n)
		return func(v []T, tr *trace) T {
			a, b := l(v, tr), r(v, tr)
			out := f(a, b)
			if tr.problem == "" && bad(out.re()) && !bad(a.re()) && !bad(b.re()) {
				tr.problem = opProblem(op, a.re(), b.re())
			}
			return out
		}
	}
	panic("diff: unresolved expression node")
}

// slope is f'(x), or its one-sided limit from the right (side > 0) or left
// (side < 0) where x is a kink: the derivative just beside the kink.
func slope(f *funcs.Func, x float64, p []float64, side float64) float64 {
	if side != 0 && f.Kinks != nil && f.IsKink(x, p) {
		return f.D(math.Nextafter(x, side*math.Inf(1)), p)
	}
	return f.D(x, p)
}

// dual is v + d·ε with ε² = 0: carrying d = ∂v/∂x through every operation
// gives the exact derivative (forward-mode automatic differentiation).
type dual struct{ v, d float64 }

func mkDual(c float64) dual        { return dual{c, 0} }
func (a dual) add(b dual) dual     { return dual{a.v + b.v, a.d + b.d} }
func (a dual) sub(b dual) dual     { return dual{a.v - b.v, a.d - b.d} }
func (a dual) mul(b dual) dual     { return dual{a.v * b.v, a.d*b.v + a.v*b.d} }
func (a dual) neg() dual           { return dual{-a.v, -a.d} }
func (a dual) re() float64         { return a.v }
func (a dual) div(b dual) dual     { q := a.v / b.v; return dual{q, (a.d - q*b.d) / b.v} }
func (a dual) powc(p float64) dual { return powConst(a, p) }
func (a dual) pow(b dual) dual     { return pow(a, b) }
func (a dual) call(f *funcs.Func, p []float64, side float64) dual {
	// moving x to one side moves f's input to the side of a.d's sign
	return dual{f.F(a.v, p), slope(f, a.v, p, side*funcs.Sign(a.d)) * a.d}
}

// powConst is aᵖ for a constant p: d(aᵖ) = p·aᵖ⁻¹·da.
func powConst(a dual, p float64) dual {
	if p == 0 {
		return dual{1, 0}
	}
	return dual{fmath.Pow(a.v, p), p * fmath.Pow(a.v, p-1) * a.d}
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

// hyper is v + d₁ε₁ + d₂ε₂ + d₁₂ε₁ε₂ with ε₁² = ε₂² = 0: seeding ε₁ on
// variable i and ε₂ on variable j, d₁₂ comes out as ∂²f/∂xᵢ∂xⱼ exactly
// (hyper-dual numbers, Fike and Alonso 2011).
type hyper struct{ v, d1, d2, d12 float64 }

func mkHyper(c float64) hyper { return hyper{v: c} }

// lift applies a function with value g, first derivative g1 and second
// derivative g2 at a.v: the chain rule to second order.
func (a hyper) lift(g, g1, g2 float64) hyper {
	return hyper{g, g1 * a.d1, g1 * a.d2, g2*a.d1*a.d2 + g1*a.d12}
}
func (a hyper) add(b hyper) hyper { return hyper{a.v + b.v, a.d1 + b.d1, a.d2 + b.d2, a.d12 + b.d12} }
func (a hyper) sub(b hyper) hyper { return hyper{a.v - b.v, a.d1 - b.d1, a.d2 - b.d2, a.d12 - b.d12} }
func (a hyper) mul(b hyper) hyper {
	return hyper{a.v * b.v, a.d1*b.v + a.v*b.d1, a.d2*b.v + a.v*b.d2, a.d12*b.v + a.d1*b.d2 + a.d2*b.d1 + a.v*b.d12}
}
func (a hyper) div(b hyper) hyper {
	v := b.v
	return a.mul(b.lift(1/v, -1/(v*v), 2/(v*v*v)))
}
func (a hyper) neg() hyper  { return hyper{-a.v, -a.d1, -a.d2, -a.d12} }
func (a hyper) re() float64 { return a.v }
func (a hyper) powc(p float64) hyper {
	switch p {
	case 0:
		return hyper{v: 1}
	case 1:
		return a
	}
	return a.lift(fmath.Pow(a.v, p), p*fmath.Pow(a.v, p-1), p*(p-1)*fmath.Pow(a.v, p-2))
}
func (a hyper) pow(b hyper) hyper {
	if b.d1 == 0 && b.d2 == 0 && b.d12 == 0 {
		return a.powc(b.v)
	}
	l := a.lift(math.Log(a.v), 1/a.v, -1/(a.v*a.v))
	e := b.mul(l)
	x := fmath.Exp(e.v)
	return e.lift(x, x, x)
}
func (a hyper) call(f *funcs.Func, p []float64, side float64) hyper {
	// at a break, f′ and f″ are taken just beside it, on the side f's input
	// moves to as the variables move to side: the sign of d₁ + d₂ times
	// side, or where the input is flat to first order, the sign of d₁₂ (it
	// moves that way whichever way the variables move)
	x := a.v
	if side != 0 && f.IsBreak(x, p) {
		s := side * funcs.Sign(a.d1+a.d2)
		if s == 0 {
			s = funcs.Sign(a.d12)
		}
		if s != 0 {
			x = math.Nextafter(x, s*math.Inf(1))
		}
	}
	return a.lift(f.F(a.v, p), f.D(x, p), f.D2(x, p))
}

// cnum is a complex number, for complex-step differentiation:
// f'(x) = Im f(x + ih)/h + O(h²), with no subtraction to lose digits.
type cnum complex128

func mkCnum(c float64) cnum        { return cnum(complex(c, 0)) }
func (a cnum) add(b cnum) cnum     { return a + b }
func (a cnum) sub(b cnum) cnum     { return a - b }
func (a cnum) mul(b cnum) cnum     { return a * b }
func (a cnum) div(b cnum) cnum     { return a / b }
func (a cnum) neg() cnum           { return -a }
func (a cnum) re() float64         { return real(a) }
func (a cnum) powc(p float64) cnum { return cnum(funcs.CPow(complex128(a), p)) }
func (a cnum) pow(b cnum) cnum     { return cnum(fmath.CExp(complex128(b) * cmplx.Log(complex128(a)))) }
func (a cnum) call(f *funcs.Func, p []float64, _ float64) cnum {
	return cnum(f.C(complex128(a), p))
}
