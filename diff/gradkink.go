package diff

import (
	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/funcs"
)

// One-sided gradient elements. A gradient whose L meets a kink (relu(X)
// with a zero in X) is differentiable in an element where the one-sided
// derivatives agree and not where they differ, as for functions and chains
// (atKink). The derivative of L from the right in M[i,j] is the backward
// walk in which every kinked element that M[i,j] moves takes its
// function's derivative from the side that element moves to; which side that
// is, the incremental patches of M[i,j] ± h say.

// kinkMoves is what moving one element of a matrix does to the kinked
// registry-function calls on a tape.
type kinkMoves struct {
	at      bool            // an element sitting on a kink moves off it
	crossed string          // the first break a stencil point crosses ("" for none)
	sides   [2][]*mat.Dense // for the left and the right: per tape node, the side each input element moves to
}

// breakFn is the registry function n applies, when it has breaks; else nil.
func breakFn(n *node) *funcs.Func {
	if n.call != nil && n.call.Fn != nil && n.call.Fn.BreakPoints(n.call.Params) != nil {
		return n.call.Fn
	}
	return nil
}

// kinksOneSided reports whether every operation on t that met a kink
// applies a registry function, whose one-sided derivatives the backward
// walk can take (a tie of maximum, say, it cannot).
func (t *tape) kinksOneSided() bool {
	for _, n := range t.nodes {
		if n.kinked && breakFn(n) == nil {
			return false
		}
	}
	return true
}

// kinkMoves moves element (i, j) of leaf from x0 by ±h (sides) and ±2h
// (crossings, the widest stencil's reach); ok is false where the patches
// cannot follow the change.
func (t *tape) kinkMoves(leaf *node, i, j int, x0, h float64) (km kinkMoves, ok bool) {
	for s, step := range []float64{-h, h, -2 * h, 2 * h} {
		ps, _, known := t.patches(leaf, i, j, x0+step)
		if !known {
			return km, false
		}
		if s < 2 {
			km.sides[s] = make([]*mat.Dense, len(t.nodes))
		}
		for k, n := range t.nodes {
			f := breakFn(n)
			in := n.ins
			if f == nil || ps[in[0]] == nil {
				continue
			}
			p, q := ps[in[0]], n.call.Params
			pm, r, c := p, p.Vals.R, p.Vals.C
			for a := 0; a < r; a++ {
				for b := 0; b < c; b++ {
					ii, jj := pm.Index(a, b)
					x, v := in[0].val.At(ii, jj), p.Vals.At(a, b)
					if km.crossed == "" && breakSide(f, x, q) != breakSide(f, v, q) {
						km.crossed = crossedAt(f, q)
					}
					if s < 2 && v != x && f.IsKink(x, q) {
						km.at = true
						if km.sides[s][k] == nil {
							km.sides[s][k] = mat.NewDense(in[0].val.RawMatrix().Rows, in[0].val.RawMatrix().Cols, nil)
						}
						km.sides[s][k].Set(ii, jj, funcs.Sign(v-x))
					}
				}
			}
		}
	}
	return km, true
}

// oneSided is ∂L/∂M[i,j] by a fresh tape's backward walk with the kinked
// elements' sides given per node (kinkMoves.sides).
func oneSided(eval func(bool, map[string]*mat.Dense) (*tape, *node), sides []*mat.Dense, m string, i, j int) float64 {
	t, root := eval(true, nil)
	for k, n := range t.nodes {
		n.sides = sides[k]
	}
	t.backward(root)
	n := t.wrt[m]
	if l, ok := t.lets[m]; ok {
		n = l
	}
	if g := n.grad; g != nil {
		return g.At(i, j)
	}
	return 0
}
