package diff

import (
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/ops"
	"github.com/runner-dev/runner/spec"
)

// One-sided gradient elements. A gradient whose L meets a kink (relu(X)
// with a zero in X) is differentiable in an element where the one-sided
// derivatives agree and not where they differ, as for functions and chains
// (atKink). The derivative of L from the right in M[i,j] is the backward
// walk in which every kinked element that M[i,j] moves takes its
// function's derivative from the side that element moves to; which side that
// is, the incremental patches of M[i,j] ± h say.

// kinkMoves is what moving one element of a matrix does to the kinked
// registry-function calls and the ties of element-wise maximum and minimum
// on a tape.
type kinkMoves struct {
	at      bool            // an element sitting on a kink (or tie) moves off it
	crossed string          // the first break a stencil point crosses ("" for none)
	jump    string          // the first jump of a function's value the element moves off ("" for none)
	sides   [2][]*mat.Dense // for the left and the right: per tape node, the side each input element moves to
}

// breakFn is the registry function n applies, when it has breaks; else nil.
func breakFn(n *node) *funcs.Func {
	if n.call != nil && n.call.Fn != nil && n.call.Fn.BreakPoints(n.call.Params) != nil {
		return n.call.Fn
	}
	return nil
}

// tieOp is n's element-wise operation when it has a kink where its
// arguments tie (maximum, minimum); else nil. Its one-sided derivatives
// take the side A − B moves to (ops.Ctx.Side, per output element).
func tieOp(n *node) *ops.Elem {
	if n.op != nil && n.op.Elem != nil && n.op.Elem.Kink != nil {
		return n.op.Elem
	}
	return nil
}

// kinksOneSided reports whether every operation on t that met a kink
// applies a registry function or is a tie of maximum or minimum, whose
// one-sided derivatives the backward walk can take (a tie of max over an
// axis, say, it cannot).
func (t *tape) kinksOneSided() bool {
	for _, n := range t.nodes {
		if n.kinked && breakFn(n) == nil && tieOp(n) == nil {
			return false
		}
	}
	return true
}

// hasBreaks reports whether t holds an operation a numeric stencil can
// cross a kink of: a registry function with breaks, or maximum or minimum.
func (t *tape) hasBreaks() bool {
	for _, n := range t.nodes {
		if breakFn(n) != nil || tieOp(n) != nil {
			return true
		}
	}
	return false
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
		// side sets node k's side at (ii, jj) of a matrix r×c
		side := func(k, ii, jj, r, c int, v float64) {
			km.at = true
			if km.sides[s][k] == nil {
				km.sides[s][k] = mat.NewDense(r, c, nil)
			}
			km.sides[s][k].Set(ii, jj, funcs.Sign(v))
		}
		for k, n := range t.nodes {
			if e := tieOp(n); e != nil && ps[n] != nil {
				t.tieMoves(&km, n, ps, s < 2, func(ii, jj int, v float64) {
					r, c := n.val.Dims()
					side(k, ii, jj, r, c, v)
				})
				continue
			}
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
						if f.Jumps && km.jump == "" {
							km.jump = jumpAt(f, x)
						}
						rr, cc := in[0].val.Dims()
						side(k, ii, jj, rr, cc, v-x)
					}
				}
			}
		}
	}
	return km, true
}

// tieMoves compares, at each changed output element of maximum or minimum
// n, which argument wins before and after the patches ps: a change of
// winner is a crossing of its tie, and (near, for the sides) a tie left
// calls at with the output element and the side A − B moves to.
func (t *tape) tieMoves(km *kinkMoves, n *node, ps map[*node]*patch, near bool, at func(i, j int, v float64)) {
	a, b := n.ins[0], n.ins[1]
	pa, pb := ps[a], ps[b]
	pm := ps[n]
	r, c := pm.Vals.R, pm.Vals.C
	for p := 0; p < r; p++ {
		for q := 0; q < c; q++ {
			i, j := pm.Index(p, q)
			x, y := ops.BAt(view(a.val), nil, i, j), ops.BAt(view(b.val), nil, i, j)
			xv, yv := ops.BAt(view(a.val), pa, i, j), ops.BAt(view(b.val), pb, i, j)
			if km.crossed == "" && funcs.Sign(x-y) != funcs.Sign(xv-yv) {
				km.crossed = n.op.Name + "'s tie (where its arguments are equal)"
			}
			if near && x == y && xv != yv {
				at(i, j, xv-yv)
			}
		}
	}
}

// tiedAt reports whether moving element (i, j) of leaf from x0 changes a
// kinked operation's output differently to either side (by δ, far below
// any stencil's step): the element sits on a kink or tie of that
// operation (max over an axis with two largest elements equal, say),
// found where the one-sided derivatives cannot be taken. name is the
// operation's.
func (t *tape) tiedAt(leaf *node, i, j int, x0, h float64) (name string) {
	d := h * 0x1p-20
	up, _, ok1 := t.patches(leaf, i, j, x0+d)
	down, _, ok2 := t.patches(leaf, i, j, x0-d)
	if !ok1 || !ok2 {
		return ""
	}
	for _, n := range t.nodes {
		pu, pd := up[n], down[n]
		if !n.kinked || pu == nil || pd == nil {
			continue
		}
		pm := pu
		r, c := pu.Vals.R, pu.Vals.C
		for a := 0; a < r; a++ {
			for b := 0; b < c; b++ {
				ii, jj := pm.Index(a, b)
				v := n.val.At(ii, jj)
				u, w := pu.Vals.At(a, b)-v, ops.At(view(n.val), pd, ii, jj)-v
				if big := math.Max(math.Abs(u), math.Abs(w)); big > 0 && math.Abs(u+w) > big/2 {
					return n.op.Name
				}
			}
		}
	}
	return ""
}

// judgeElement judges one gradient element d of matrix m at (i, j), x0
// its value. Where L's change follows incrementally (incremental) and
// every kink L met has one-sided derivatives (sided), the element learns
// whether it moves a kinked element, and from which side; where a kink L
// met has none, whether it sits on one (kink, its one-sided values not
// computed); and where the check fails or stands only by the error bound,
// whether the stencil crossed a kink (the exact value then stands).
func (t *tape) judgeElement(d *Derivative, eval func(bool, map[string]*mat.Dense) (*tape, *node), leaf *node, m string, i, j int, x0 float64,
	s spec.Settings, sided, incremental bool, problem, np string) {
	meth := method.Get(s.Method)
	if sided && incremental {
		if km, ok := t.kinkMoves(leaf, i, j, x0, s.Step); ok {
			here := false
			if km.at {
				d.Left = oneSided(eval, km.sides[0], m, i, j)
				d.Right = oneSided(eval, km.sides[1], m, i, j)
				here = atKink(d)
			}
			judge(d, s.Tolerance, here, meth, problem, np)
			crossing(d, km.crossed, km.at)
			if km.jump != "" && problem == "" {
				jumped(d, km.jump)
			}
			return
		}
	}
	kink := t.tr.kink
	judgeGradient(d, s, kink, problem, np)
	if !incremental || problem != "" {
		return
	}
	if kink && !sided && d.Status != Kink {
		if name := t.tiedAt(leaf, i, j, x0, s.Step); name != "" {
			d.Status = Kink
			d.Note = "not differentiable here: moving this element changes the winner of a tie of " + name +
				" on one side only (its one-sided derivatives are not computed)"
			return
		}
	}
	if (d.Status == Fail || strings.HasPrefix(d.Note, "within the error bound")) && t.hasBreaks() {
		if km, ok := t.kinkMoves(leaf, i, j, x0, s.Step); ok {
			crossing(d, km.crossed, false)
		}
	}
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
