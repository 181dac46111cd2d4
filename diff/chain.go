package diff

import (
	"fmt"
	"math"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/internal/mem"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/spec"
)

// RunChain computes a chain at every point: each link's value and derivative
// at its own input, exactly and numerically; the chain's exact derivative is
// the product of the exact factors, and its numeric derivative the product of
// the numeric factors (the seed's chain rule). With order 2, the second
// derivative follows the same way, link by link (Faà di Bruno):
// (g∘u)” = g”(u)·u'² + g'(u)·u”.
func RunChain(c *spec.Chain) *Function {
	out := &Function{Name: c.Name, Kind: "chain", Vars: []string{"x"}, Settings: c.Settings, Order: c.Order, Explained: c.Explain}
	if !columnar(c) {
		out.Points = mem.Make[Point](len(c.Points))
	}
	links := make([]*scalarFn, len(c.Links))
	var composed expr.Node = &expr.Ident{Name: "x"}
	for i, l := range c.Links {
		links[i] = compileScalar(l.Expr, []string{"x"})
		out.Links = append(out.Links, l.Src)
		composed = Substitute(l.Expr, composed)
	}
	out.Src, out.Formula, out.Derivs = expr.String(composed), composed, []expr.Node{Derive(composed, "x")}
	run := &chainRun{c: c, m: method.Get(c.Settings.Method), h: c.Settings.H()}
	if out.Points == nil && len(c.Points) > 0 {
		fillColumns(out, c.Points, run.m.Numeric(), func() *chainScratch { return newChainScratch(links, 1, 0, 1) }, run.point,
			func(k int) []LinkValue { return run.point(k, newChainScratch(links, 1, k, k+1)).Links })
	} else {
		fill(len(c.Points), func(lo, hi int) *chainScratch { return newChainScratch(links, c.Order, lo, hi) },
			func(k int, w *chainScratch) { out.Points[k] = run.point(k, w) })
	}
	w := newChainScratch(links, c.Order, 0, 0)
	out.Curve = curve(c.Points, w.valueSlope)
	if c.Study != nil {
		value := func(t float64) float64 { v, _ := w.valueSlope(t); return v }
		slope := func(t float64) float64 { _, d := w.valueSlope(t); return d }
		out.Study = RunStudy(c.Study, value, w.complex, slope)
	}
	return out
}

// chainRun is what every point of a chain shares: the chain, its method
// and the step in force.
type chainRun struct {
	c *spec.Chain
	m *method.Method
	h float64
}

// chainScratch is one chunk's scratch: an evaluator per link, and the
// chunk's points, link values and derivatives, allocated once each for the
// chunk's points to take slices of.
type chainScratch struct {
	links []*evaluator
	at    []float64
	lo    int
	ats   []float64
	lvs   []LinkValue
	ders  []Derivative
	nd    int
}

func newChainScratch(links []*scalarFn, order, lo, hi int) *chainScratch {
	w := &chainScratch{links: make([]*evaluator, len(links)), at: make([]float64, 1), lo: lo, nd: 1}
	if order == 2 {
		w.nd = 2
	}
	for i, l := range links {
		w.links[i] = l.evaluator()
	}
	w.ats = mem.Make[float64](hi - lo)
	w.lvs = mem.Make[LinkValue]((hi - lo) * len(links))
	w.ders = mem.Make[Derivative]((hi - lo) * w.nd)
	return w
}

// linkWalk is what walking the links at one point found.
type linkWalk struct {
	value                            float64
	exact, numeric, exact2, numeric2 float64
	// bound and bound2 bound numeric's and numeric2's errors, from the
	// links' bounds (productBound)
	bound, bound2       float64
	round, round2       float64 // their round-off parts, propagated alone
	kink, kink2         bool    // a link met a kink (first order) or a break (second)
	problem, numProblem string
	how                 string // how a link's numeric factor was taken, when not as usual
	crossed, crossed2   string // the kink the first crossing link's stencil crossed (for f′, f″)
	jump                string // the first link whose value jumps at its input ("" for none)
}

// point is the chain at its k-th point: the links walked, the one-sided
// derivatives where a link met a kink, and the derivatives judged.
func (r *chainRun) point(k int, w *chainScratch) Point {
	x := r.c.Points[k]
	k -= w.lo
	nl, nd := len(w.links), w.nd
	w.ats[k] = x
	pt := Point{At: w.ats[k : k+1 : k+1], Links: w.lvs[k*nl : (k+1)*nl : (k+1)*nl]}
	walk := r.walk(w, x, pt.Links)
	pt.Value = walk.value
	s := r.c.Settings
	d := newDerivative("x", walk.exact)
	d.Numeric, d.Note = walk.numeric, walk.how
	if r.m.Numeric() {
		d.Bound = chainBound(walk.bound, walk.round)
	}
	kink := false
	if walk.kink {
		d.Left, d.Right = w.oneSided(pt.Links)
		kink = atKink(&d)
	}
	judge(&d, s.Tolerance, kink, r.m, walk.problem, walk.numProblem)
	crossing(&d, walk.crossed, walk.kink)
	if walk.jump != "" && walk.problem == "" {
		kink = true
		jumped(&d, walk.jump)
	}
	w.ders[k*nd] = d
	pt.Partials = w.ders[k*nd : k*nd+1 : k*nd+1]
	if r.c.Order == 2 {
		d2 := newDerivative("x,x", walk.exact2)
		if r.m.Numeric() {
			d2.Numeric, d2.Bound, d2.Note = walk.numeric2, chainBound(walk.bound2, walk.round2), walk.how
		}
		kink2 := false
		if walk.kink2 {
			d2.Left, d2.Right = w.oneSided2(pt.Links)
			// without a first derivative there is no second
			kink2 = kink || atKink(&d2)
		}
		judge(&d2, s.Tolerance, kink2, r.m, walk.problem, walk.numProblem)
		crossing(&d2, walk.crossed2, walk.kink2)
		if walk.kink2 && kink && walk.problem == "" {
			noSecond(&d2)
		}
		w.ders[k*nd+1] = d2
		pt.Second = w.ders[k*nd+1 : k*nd+2 : k*nd+2]
	}
	return pt
}

// walk applies the links in turn from x, filling each link's value and its
// exact and numeric factors at its own input into lvs and multiplying the
// factors (and, with order 2, the second derivatives) together.
func (r *chainRun) walk(w *chainScratch, x float64, lvs []LinkValue) linkWalk {
	s := r.c.Settings
	out := linkWalk{exact: 1, numeric: 1}
	note := func(dst *string, i int, p string) {
		if *dst == "" && p != "" {
			*dst = fmt.Sprintf("link %d: %s", i+1, p)
		}
	}
	in := x
	for i, lf := range w.links {
		lb, lr := 0.0, 0.0 // the bound of this link's numeric factor, and its round-off part
		w.at[0] = in
		outV, p := lf.value(w.at)
		note(&out.problem, i, p)
		lf.tr.recordSides()
		d, k, _ := lf.partial(w.at, 0, 0)
		lf.tr.compareSides()
		out.kink = out.kink || k
		if out.jump == "" && lf.tr.jump != "" {
			out.jump = fmt.Sprintf("link %d: %s", i+1, lf.tr.jump)
		}
		lv := LinkValue{In: in, Out: outV, Exact: d, Numeric: math.NaN()}
		if r.m.Numeric() {
			var np, how string
			var b method.Bound
			lv.Numeric, _, b, how, np = lf.numeric(w.at, 0, r.m, r.h)
			note(&out.numProblem, i, np)
			note(&out.how, i, how)
			lb, lr = b.Value(), b.Rounding
			if out.crossed == "" {
				out.crossed = lf.tr.crossedAt
			}
		}
		if r.c.Order == 2 {
			d2, k2, p2 := lf.second(w.at, 0, 0, 0)
			note(&out.problem, i, p2)
			out.kink2 = out.kink2 || k2
			out.exact2 = d2*out.exact*out.exact + d*out.exact2
			if r.m.Numeric() {
				n2, _, b2, how, np := lf.numeric2(w.at, 0, 0, r.m, s.Step)
				note(&out.numProblem, i, np)
				note(&out.how, i, how)
				// (g∘u)” = g”·u'² + g'·u”, each product's bound by productBound
				sq := productBound(out.numeric, out.bound, out.numeric, out.bound)
				out.bound2 = productBound(n2, b2.Value(), out.numeric*out.numeric, sq) + productBound(lv.Numeric, lb, out.numeric2, out.bound2)
				sq = productBound(out.numeric, out.round, out.numeric, out.round)
				out.round2 = productBound(n2, b2.Rounding, out.numeric*out.numeric, sq) + productBound(lv.Numeric, lr, out.numeric2, out.round2)
				out.numeric2 = n2*out.numeric*out.numeric + lv.Numeric*out.numeric2
				if out.crossed2 == "" {
					out.crossed2 = lf.tr.crossedAt
				}
			}
		}
		out.exact *= d
		out.bound = productBound(out.numeric, out.bound, lv.Numeric, lb)
		out.round = productBound(out.numeric, out.round, lv.Numeric, lr)
		out.numeric *= lv.Numeric
		lvs[i] = lv
		in = outV
	}
	out.value = in
	return out
}

// oneSided are the chain's derivatives from the left and the right at a
// kink: the side each link's input moves to is the sign of the product of
// the factors before it, times the side x moves to.
func (w *chainScratch) oneSided(lvs []LinkValue) (left, right float64) {
	left, right = 1, 1
	for i, lf := range w.links {
		w.at[0] = lvs[i].In
		dl, _, _ := lf.partial(w.at, 0, -funcs.Sign(left))
		dr, _, _ := lf.partial(w.at, 0, funcs.Sign(right))
		left, right = left*dl, right*dr
	}
	return left, right
}

// oneSided2 are the chain's second derivatives from the left and the right
// at a break, link by link as walk does, (g∘u)″ = g″(u)·u′² + g′(u)·u″, each
// link's g′ and g″ taken on the side its input moves to: the sign of u′
// times the side x moves to, or where u′ = 0, the sign of u″.
func (w *chainScratch) oneSided2(lvs []LinkValue) (left, right float64) {
	sided := func(side float64) float64 {
		e1, e2 := 1.0, 0.0
		for i, lf := range w.links {
			w.at[0] = lvs[i].In
			dir := side * funcs.Sign(e1)
			if dir == 0 {
				dir = funcs.Sign(e2)
			}
			g1, _, _ := lf.partial(w.at, 0, dir)
			g2, _, _ := lf.second(w.at, 0, 0, dir)
			e1, e2 = g1*e1, g2*e1*e1+g1*e2
		}
		return e2
	}
	return sided(-1), sided(1)
}

// valueSlope is the chain's value and exact derivative at t.
func (w *chainScratch) valueSlope(t float64) (float64, float64) {
	d := 1.0
	for _, lf := range w.links {
		f, _, _ := lf.partial([]float64{t}, 0, 0)
		d *= f
		t, _ = lf.value([]float64{t})
	}
	return t, d
}

// complex is the chain at z, link by link on complex numbers.
func (w *chainScratch) complex(z complex128) complex128 {
	for _, lf := range w.links {
		z = lf.complex(z)
	}
	return z
}

// productBound bounds the error of a computed product a·b whose factors
// carry errors of at most ea and eb: |â·b̂ − a·b| ≤ |a|·eb + |b|·ea + ea·eb.
func productBound(a, ea, b, eb float64) float64 {
	return math.Abs(a)*eb + math.Abs(b)*ea + ea*eb
}

// chainBound is a chain's numeric derivative's Bound from the bound b
// propagated through its links' factors and r, the same propagation of
// their round-off terms alone.
func chainBound(b, r float64) method.Bound { return method.Bound{Truncation: b - r, Rounding: r} }
