package diff

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/internal/prose"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/rng"
	"github.com/runner-dev/runner/spec"
)

// MaxHessianElements is the most elements the wrt matrices of a gradient
// with order 2 may hold together for its whole Hessian to be computed;
// beyond it the second derivatives are taken along SampleDirections random
// directions (Hessian-vector products).
const MaxHessianElements = 400

// hessian computes a gradient's second derivatives (order 2).
//
// Second derivatives come from the exact gradient: ∂²L/∂u∂v is the
// derivative of the reverse-mode ∂L/∂v as u moves, taken by Richardson
// extrapolation of central differences of the exact gradient (error far
// below the tolerance: the gradient is smooth and its differences lose only
// rounding). Each is checked against second differences of L itself with
// the item's step h: (L(u+h, v+h) − L(u+h, v−h) − L(u−h, v+h) + L(u−h, v−h)) /
// 4h², and (L(u+h) − 2L + L(u−h)) / h² on the diagonal, both
// Richardson-extrapolated (secondDifference).
//
// While the wrt matrices hold at most MaxHessianElements elements together,
// every pair u ≤ v is computed (rows "A[i,j],B[k,l]"); beyond that, vᵀHv
// along SampleDirections unit directions v drawn as the sampled gradient
// check draws them, from a stream seeded SampleSeed + 1.
func hessian(g *spec.Gradient, out *Gradient, leaves map[string]*mat.Dense, kink bool, problem string) {
	s := g.Settings
	type elem struct {
		name string
		i, j int
	}
	var elems []elem
	for _, w := range g.Wrt {
		r, c := leaves[w].Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				elems = append(elems, elem{w, i, j})
			}
		}
	}
	// the wrt matrices move in copies of their own
	orig := map[string]*mat.Dense{}
	for _, w := range g.Wrt {
		orig[w] = leaves[w]
		leaves[w] = mat.DenseCopyOf(orig[w])
	}
	defer func() {
		for w, m := range orig {
			leaves[w] = m
		}
	}()
	eval := func(withGrad bool) (*tape, *node) {
		t := &tape{leaves: leaves, wrt: map[string]*node{}}
		for _, w := range g.Wrt {
			t.wrt[w] = &node{val: leaves[w], needs: withGrad}
		}
		return t, t.forward(g.Expr)
	}
	value := func() float64 { _, r := eval(false); return r.val.At(0, 0) }
	gradient := func() []float64 {
		t, r := eval(true)
		t.backward(r)
		var v []float64
		for _, w := range g.Wrt {
			gr := t.wrt[w].grad
			rr, cc := leaves[w].Dims()
			for i := 0; i < rr; i++ {
				for j := 0; j < cc; j++ {
					x := 0.0
					if gr != nil {
						x = gr.At(i, j)
					}
					v = append(v, x)
				}
			}
		}
		return v
	}
	// move sets every wrt element to x₀ + t·dir (dir over all elements)
	move := func(dir []float64, t float64) {
		for k, e := range elems {
			leaves[e.name].Set(e.i, e.j, orig[e.name].At(e.i, e.j)+float64(t*dir[k]))
		}
	}
	// Hessian rows carry no err_bound: the exact side is itself a
	// Richardson extrapolation of the exact gradient and the numeric side one
	// of second differences (its estimate is in err_estimate), so the
	// tolerance alone judges them, as in mode fixed.
	judge2 := func(d *Derivative) { judgeGradient(d, s, kink, problem, "") }
	if len(elems) <= MaxHessianElements {
		out.SecondCheck = fmt.Sprintf("every ∂²%s/∂u∂v for u, v among the %d elements of %s (u ≤ v); "+
			"the exact column differentiates the exact gradient once more, by central differences at h, h/2, h/4, h/8 combined by Richardson extrapolation "+
			"(exact to about 1e-12, not automatic differentiation of the second order); the numeric column takes second differences of %s itself", g.Name, len(elems), prose.List(g.Wrt, "and"), g.Name)
		for a := range elems {
			unit := make([]float64, len(elems))
			unit[a] = 1
			cache := map[float64][]float64{}
			gradAt := func(t float64) []float64 {
				if v, ok := cache[t]; ok {
					return v
				}
				move(unit, t)
				cache[t] = gradient()
				move(unit, 0)
				return cache[t]
			}
			for b := a; b < len(elems); b++ {
				ea, eb := elems[a], elems[b]
				d := newDerivative(fmt.Sprintf("%s[%d,%d],%s[%d,%d]", ea.name, ea.i, ea.j, eb.name, eb.i, eb.j), 0)
				d.Exact, _ = method.Get("richardson").First(func(t float64) float64 { return gradAt(t)[b] }, nil, 0, s.Step)
				d.Numeric, d.ErrEst = secondDifference(leaves, ea.name, ea.i, ea.j, eb.name, eb.i, eb.j, value, s.Step)
				judge2(&d)
				out.Second = append(out.Second, d)
			}
		}
	} else {
		out.SecondCheck = fmt.Sprintf("vᵀHv along %d unit directions v (standard normal draws from NumPy's generator seeded %d, scaled to length 1 over all %d elements of %s), "+
			"as the whole Hessian of %d elements would hold more than %d",
			SampleDirections, SampleSeed+1, len(elems), prose.List(g.Wrt, "and"), len(elems), MaxHessianElements)
		src := rng.New(SampleSeed + 1)
		for k := 0; k < SampleDirections; k++ {
			dir := unitNormal(src, len(elems))
			name := fmt.Sprintf("direction %d", k+1)
			d := newDerivative(name+","+name, 0)
			// d/dt ∇L(x + t·v)·v at 0, and d²/dt² L(x + t·v) at 0
			d.Exact, _ = method.Get("richardson").First(func(t float64) float64 {
				move(dir, t)
				gv := gradient()
				move(dir, 0)
				dot := 0.0
				for i, x := range gv {
					dot += x * dir[i]
				}
				return dot
			}, nil, 0, s.Step)
			l0 := value()
			d.Numeric, d.ErrEst = method.Extrapolate(func(hk float64) float64 {
				move(dir, hk)
				lp := value()
				move(dir, -hk)
				lm := value()
				move(dir, 0)
				return (lp - 2*l0 + lm) / (hk * hk)
			}, s.Step)
			judge2(&d)
			out.Second = append(out.Second, d)
		}
	}
	if !method.Get(s.Method).Numeric() {
		for k := range out.Second {
			out.Second[k].Numeric = math.NaN()
			judge2(&out.Second[k])
		}
	}
}

// secondDifference is ∂²L/∂u∂v by second differences of L,
// Richardson-extrapolated from h, h/2, h/4, h/8 (RichardsonLevels): on the
// diagonal (L(u+h) − 2L + L(u−h)) / h², off it the cross stencil
// (L(u+h, v+h) − L(u+h, v−h) − L(u−h, v+h) + L(u−h, v−h)) / 4h². A plain
// stencil at the seed's h = 10⁻³ errs by h²/6 times L's fourth derivatives,
// which is above the default tolerance for a sum of tanh; extrapolation
// removes the h² and h⁴ terms. It returns the value and the extrapolation's
// own error estimate.
func secondDifference(leaves map[string]*mat.Dense, an string, ai, aj int, bn string, bi, bj int, value func() float64, h float64) (float64, float64) {
	a, b := leaves[an], leaves[bn]
	xa, xb := a.At(ai, aj), b.At(bi, bj)
	at := func(da, db float64) float64 {
		a.Set(ai, aj, xa+da)
		if b != a || bi != ai || bj != aj {
			b.Set(bi, bj, xb+db)
		}
		v := value()
		a.Set(ai, aj, xa)
		b.Set(bi, bj, xb)
		return v
	}
	if a == b && ai == bi && aj == bj {
		l0 := value()
		return method.Extrapolate(func(hk float64) float64 { return (at(hk, 0) - 2*l0 + at(-hk, 0)) / (hk * hk) }, h)
	}
	return method.Extrapolate(func(hk float64) float64 {
		return (at(hk, hk) - at(hk, -hk) - at(-hk, hk) + at(-hk, -hk)) / (4 * hk * hk)
	}, h)
}

// unitNormal is n standard normal draws from src, scaled to length 1.
func unitNormal(src *rng.Source, n int) []float64 {
	v := make([]float64, n)
	src.NormFill(v)
	norm := 0.0
	for _, x := range v {
		norm += x * x
	}
	for i := range v {
		v[i] /= math.Sqrt(norm)
	}
	return v
}
