package method

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/diff/fd"
)

// Eps is ε = 2⁻⁵², the unit of round-off in the error bound.
const Eps = 0x1p-52

// Bound is a numeric derivative D(h)'s bound on its own error
// (experiment-format.md, "Numeric checks with an error bound"), by its two
// terms:
//
//	err_bound = Truncation + Rounding
//	Truncation = 2·|D(h) − D(2h)|,  D(2h) the same formula at twice the step
//	Rounding   = 16·ε·Σᵢ|cᵢ·f(xᵢ)| / hᵏ  (complex-step: 4·ε·|D(h)|)
//
// for a stencil of coefficients cᵢ at points xᵢ and a derivative of order
// k. It never looks at the exact value. Both terms are NaN where there is
// no bound (NoBound).
type Bound struct {
	Truncation, Rounding float64
}

// NoBound is the Bound of a derivative without one.
var NoBound = Bound{math.NaN(), math.NaN()}

// Value is err_bound, Truncation + Rounding (NaN without a bound).
func (b Bound) Value() float64 { return b.Truncation + b.Rounding }

// Term names the larger term: "truncation" or "round-off".
func (b Bound) Term() string {
	if b.Rounding > b.Truncation {
		return "round-off"
	}
	return "truncation"
}

// stencilBound is the Bound of dh = D(h) from d2h = D(2h) and the round-off
// scale Σ|cᵢ·f(xᵢ)|/hᵏ.
func stencilBound(dh, d2h, scale float64) Bound {
	return Bound{2 * math.Abs(dh-d2h), 16 * Eps * scale}
}

// Cross is the bound of a stencil the Method values do not hold (the
// Hessian's cross stencil): from its value dh at step h, its value d2h at
// 2h and its round-off scale Σ|cᵢ·f(xᵢ)|/hᵏ at h.
func Cross(dh, d2h, scale float64) Bound { return stencilBound(dh, d2h, scale) }

// Scale is Σᵢ|Coeffᵢ|·mag(x + Locᵢ·h) / hᵏ for a formula of derivative k:
// the size of what the formula adds up, from which its round-off follows.
// mag is |f| or, where f is a difference of larger quantities (a
// gradient's change of L), the size of those.
func Scale(form fd.Formula, mag func(float64) float64, x, h float64) float64 {
	var s float64
	for _, pt := range form.Stencil {
		if pt.Coeff != 0 {
			s += math.Abs(pt.Coeff) * mag(x+h*pt.Loc)
		}
	}
	return s / math.Pow(h, float64(form.Derivative))
}

// absOf is |f|.
func absOf(f func(float64) float64) func(float64) float64 {
	return func(t float64) float64 { return math.Abs(f(t)) }
}

// FirstBound is the Bound of d = m.First(f, c, x, h). mag is the size of
// f's round-off at a point; nil means |f|. Richardson's round-off sums its
// central differences' |f| weighted by the extrapolation's weights.
func (m *Method) FirstBound(f, mag func(float64) float64, c func(complex128) complex128, x, h, d float64) Bound {
	if mag == nil {
		mag = absOf(f)
	}
	switch m.Kind {
	case Stencil:
		return stencilBound(d, Apply(m.D1, f, x, 2*h), Scale(m.D1, mag, x, h))
	case Extrapolated:
		d2, _ := m.First(f, c, x, 2*h)
		var s float64
		for k, w := range richardsonWeights {
			hk := h / float64(int(1)<<k)
			s += math.Abs(w) * (mag(x+hk) + mag(x-hk)) / (2 * hk)
		}
		return stencilBound(d, d2, s)
	case ComplexStep:
		if c != nil {
			d2, _ := m.First(f, c, x, 2*h)
			return Bound{2 * math.Abs(d-d2), 4 * Eps * math.Abs(d)}
		}
	}
	return NoBound
}

// SecondBound is the Bound of d = m.Second(f, x, h), from |f|.
func (m *Method) SecondBound(f func(float64) float64, x, h, d float64) Bound {
	mag := absOf(f)
	switch m.Kind {
	case ExactOnly:
		return NoBound
	case Extrapolated:
		d2, _ := m.Second(f, x, 2*h)
		var s float64
		for k, w := range richardsonWeights {
			hk := h / float64(int(1)<<k)
			s += math.Abs(w) * (mag(x+hk) + 2*mag(x) + mag(x-hk)) / (hk * hk)
		}
		return stencilBound(d, d2, s)
	}
	return stencilBound(d, Apply(m.D2, f, x, 2*h), Scale(m.D2, mag, x, h))
}

// richardsonWeights are Extrapolate's weights: R = Σₖ wₖ·D(h/2ᵏ), the
// tableau being linear in the differences.
var richardsonWeights = func() (w [RichardsonLevels]float64) {
	for k := range w {
		var e [RichardsonLevels]float64
		e[k] = 1
		w[k], _ = tableau(e)
	}
	return w
}()

// OneSided is m turned to one side of x (side +1 or −1): a Stencil method
// whose first- and second-derivative stencils use only the points x,
// x + side·h, x + 2·side·h, …, with m's order of accuracy p (p + k points for
// a derivative of order k, weights by Fornberg's algorithm). It stands in
// for m where m's own stencil would leave f's domain.
func (m *Method) OneSided(side float64) *Method {
	p := max(m.Order, 1)
	return &Method{Name: m.Name, Kind: Stencil, D1: oneSided(1, p, side), D2: oneSided(2, p, side), Order: p,
		Gradients: m.Gradients, sentence: m.sentence}
}

// oneSided is the stencil of derivative k and order p on the points
// 0, side, 2·side, …, (p+k−1)·side.
func oneSided(k, p int, side float64) fd.Formula {
	locs := make([]float64, p+k)
	for i := range locs {
		locs[i] = side * float64(i)
	}
	w := fornberg(locs, k)
	form := fd.Formula{Derivative: k, Step: 1e-3}
	for i, l := range locs {
		form.Stencil = append(form.Stencil, fd.Point{Loc: l, Coeff: w[i]})
	}
	return form
}

// fornberg is the weights wᵢ with f⁽ᵏ⁾(0) ≈ Σᵢ wᵢ·f(xᵢ), exact for
// polynomials of degree below len(x) (B. Fornberg, "Generation of finite
// difference formulas on arbitrarily spaced grids", Math. Comp. 51, 1988).
func fornberg(x []float64, k int) []float64 {
	n := len(x)
	c := make([][]float64, n)
	for i := range c {
		c[i] = make([]float64, k+1)
	}
	c[0][0] = 1
	c1, c4 := 1.0, x[0]
	for i := 1; i < n; i++ {
		mn := min(i, k)
		c2, c5 := 1.0, c4
		c4 = x[i]
		for j := 0; j < i; j++ {
			c3 := x[i] - x[j]
			c2 *= c3
			if j == i-1 {
				for s := mn; s >= 1; s-- {
					c[i][s] = c1 * (float64(s)*c[i-1][s-1] - c5*c[i-1][s]) / c2
				}
				c[i][0] = -c1 * c5 * c[i-1][0] / c2
			}
			for s := mn; s >= 1; s-- {
				c[j][s] = (c4*c[j][s] - float64(s)*c[j][s-1]) / c3
			}
			c[j][0] = c4 * c[j][0] / c3
		}
		c1 = c2
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = c[i][k]
	}
	return w
}

// EdgeHalvings is the most times Edge halves the step.
const EdgeHalvings = 40

// Edge is the derivative of order k (1 or 2) of f at x by m's one-sided
// stencils, for where m's own stencil leaves f's domain (f gives NaN, or a
// value that is not finite, outside it). Near an edge f changes on the
// scale of the distance to it, so a step as large as h rarely measures the
// truncation error: Edge tries the sides +1 and −1 at the steps h, h/2,
// h/4, … and keeps, of the steps where the values at h', 2h' and 4h' are
// finite and converge as the stencil's order p says (2ᵖ⁻¹ ≤ |D(2h') −
// D(4h')| / |D(h') − D(2h')| ≤ 2ᵖ⁺¹, or both differences at the round-off
// term's scale), the one with the smallest bound; it stops at a converged
// step where the round-off term decides (a smaller step only adds
// round-off). The window on the ratio keeps out a D(h') that equals
// D(2h') by chance. It returns
// the derivative, its Bound (the contract's, for the one-sided stencil at
// h'), the side and the step, and ok false when no side and step gives
// finite converging values. mag is as in FirstBound.
func (m *Method) Edge(f, mag func(float64) float64, x, h float64, k int) (d float64, b Bound, side, step float64, ok bool) {
	if mag == nil {
		mag = absOf(f)
	}
	sides := [2]*Method{m.OneSided(1), m.OneSided(-1)}
	best := math.Inf(1)
	for n := 0; n <= EdgeHalvings; n++ {
		hs := math.Ldexp(h, -n)
		done := false
		for i, o := range sides {
			form := o.D1
			if k == 2 {
				form = o.D2
			}
			d1 := Apply(form, f, x, hs)
			d2 := Apply(form, f, x, 2*hs)
			d4 := Apply(form, f, x, 4*hs)
			if bad(d1) || bad(d2) || bad(d4) {
				continue
			}
			bs := stencilBound(d1, d2, Scale(form, mag, x, hs))
			e1, e2 := math.Abs(d1-d2), math.Abs(d2-d4)
			atRounding := e1 <= bs.Rounding && e2 <= math.Ldexp(bs.Rounding, o.Order+1)
			converged := atRounding || e2 >= math.Ldexp(e1, o.Order-1) && e2 <= math.Ldexp(e1, o.Order+1)
			if !converged {
				continue
			}
			if bs.Value() < best {
				best, d, b, side, step, ok = bs.Value(), d1, bs, [2]float64{1, -1}[i], hs, true
			}
			done = done || bs.Rounding >= bs.Truncation
		}
		if done {
			break
		}
	}
	if !ok {
		return math.NaN(), NoBound, 0, 0, false
	}
	return d, b, side, step, true
}

func bad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// EdgeNote says how Edge took a derivative, for a report's note: e.g.
// "one-sided (points x, x + h, x + 2h), h = 9.5367e-07: the central stencil
// leaves the function's domain".
func (m *Method) EdgeNote(side, step float64) string {
	sign := " + "
	if side < 0 {
		sign = " − "
	}
	pts := "x, x" + sign + "h"
	if n := len(m.OneSided(side).D1.Stencil); n > 2 {
		pts += ", x" + sign + "2h"
		if n > 3 {
			pts += ", …"
		}
	}
	return fmt.Sprintf("one-sided (points %s), h = %.5g: the %s stencil leaves the function's domain", pts, step, m.Name)
}
