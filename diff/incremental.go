package diff

import (
	"math"

	"github.com/runner-dev/runner/ops"
)

// Incremental re-evaluation for the numeric check of one gradient element.
//
// Perturbing M[i,j] changes few of the values on the tape: row i of M @ B,
// column j of A @ M, the same row or column of everything element-wise
// after them, and a sum by the change in that row or column. patches
// recomputes only those, against the values the tape already holds: for a
// 2048×2048 layer, one row product (2·n² flops) instead of a full one
// (2·n³), about n times less work. Where a change spreads to a whole matrix
// (a product of two changed matrices, a column change on the left of @), the
// value is computed in full, so the result is always L at the perturbed
// point; it differs from a full evaluation's only by rounding. The numeric
// check differentiates delta, L's change, rather than L.

// patch is a node's value under a perturbation: the tape's value except
// in rows × cols, where it is Vals (see ops.Patch).
type patch = ops.Patch

// patches are the changed values on the tape with element (i, j) of the
// matrix the gradient is taken for, leaf, set to v and everything else as
// the tape holds it. The first problem (an overflow, a value outside a
// domain) met in what it recomputes is returned with them; ok is false for
// a tape with an operation this does not know, which needs a full
// evaluation.
func (t *tape) patches(leaf *node, i, j int, v float64) (ps map[*node]*patch, problem string, ok bool) {
	return t.patchesIn(nil, leaf, i, j, v)
}

// patchesIn is patches with the values' memory from mem (nil: the heap):
// they are valid until mem.Reset.
func (t *tape) patchesIn(mem *ops.Arena, leaf *node, i, j int, v float64) (ps map[*node]*patch, problem string, ok bool) {
	c := &ops.Ctx{New: ops.New, Mul: mulMat, Kink: func() {}, Problem: func(s string) {
		if problem == "" {
			problem = s
		}
	}}
	if mem != nil {
		c.New = mem.New
	}
	lv := c.New(1, 1)
	lv.Data[0] = v
	ps = map[*node]*patch{leaf: {Row: i, Col: j, Vals: lv}}
	var w walk
	for _, n := range t.nodes {
		p, known := w.repatch(c, n, ps)
		if !known {
			return nil, "", false
		}
		if p != nil {
			ps[n] = p
		}
	}
	return ps, problem, true
}

// delta is L(after) − L(before) for two sets of patches of the same
// element. Where L is a sum (or mean) it is the compensated sum of the
// changed elements' differences, which never forms L itself: a sum of
// millions of terms is large, and rounding it would cost a central
// difference ulp(L)/2h (a 2048×2048 layer's L ≈ 2·10⁶ has ulp 5·10⁻¹⁰, so
// 2·10⁻⁷ at h = 10⁻³: more than the tolerance of a small gradient element).
// Both sets come from the same code, so what rounding the recomputation
// does cancels.
func delta(root *node, after, before map[*node]*patch) float64 {
	if bad(root.val.At(0, 0)) {
		return math.NaN() // L is not defined, nor is its change
	}
	pa, pb := after[root], before[root]
	if pa == nil || pb == nil {
		return 0 // the element does not reach L
	}
	if root.op != nil && root.op.Change != nil {
		in := root.ins[0]
		qa, qb := after[in], before[in]
		if qa != nil && qb != nil && qa.Row == qb.Row && qa.Col == qb.Col {
			return root.op.Change(root.call, view(in.val), elementwise(qa.Vals, qb.Vals, func(a, b float64) float64 { return a - b }))
		}
	}
	return pa.Vals.At(0, 0) - pb.Vals.At(0, 0)
}

// deltaScale is the size of what delta(root, after, ·) computes L's change
// from, for its round-off: where L is a sum (or mean) of a changed row or
// column, the sum (or mean) of the changed terms' magnitudes; else |L| after.
func deltaScale(root *node, after map[*node]*patch) float64 {
	pa := after[root]
	if pa == nil {
		return 0
	}
	if root.op != nil && root.op.Change != nil {
		in := root.ins[0]
		if qa := after[in]; qa != nil {
			abs := elementwise(qa.Vals, qa.Vals, func(a, _ float64) float64 { return math.Abs(a) })
			return math.Abs(root.op.Change(root.call, view(in.val), abs))
		}
	}
	return math.Abs(pa.Vals.At(0, 0))
}

// elementwise is f(a, b) element by element, a and b of one shape.
func elementwise(a, b ops.Mat, f func(a, b float64) float64) ops.Mat {
	out := ops.New(a.R, a.C)
	for i := 0; i < a.R; i++ {
		for j := 0; j < a.C; j++ {
			out.Set(i, j, f(a.At(i, j), b.At(i, j)))
		}
	}
	return out
}

// walk is what a walk of patches reuses from node to node: the inputs'
// values and patches.
type walk struct {
	in  []ops.Mat
	pin []*ops.Patch
}

// repatch is n's patch given its inputs' patches (nil when none changed):
// by the operation's own patch, or else by computing its value in full from
// its inputs' patched values. known is false for a node no operation
// computes that has inputs, which needs a full evaluation of L.
func (w *walk) repatch(c *ops.Ctx, n *node, ps map[*node]*patch) (p *patch, known bool) {
	if len(n.ins) == 0 {
		return nil, true
	}
	if n.op == nil {
		return nil, false
	}
	in, pin := w.in[:0], w.pin[:0]
	changed := false
	for _, a := range n.ins {
		q := ps[a]
		in, pin = append(in, view(a.val)), append(pin, q)
		changed = changed || q != nil
	}
	w.in, w.pin = in, pin
	if !changed {
		return nil, true
	}
	if n.op.Patch != nil {
		return n.op.Patch(c, n.call, in, pin, view(n.val), &n.saved), true
	}
	for i := range in {
		in[i] = ops.Materialize(c, in[i], pin[i])
	}
	return &patch{Row: -1, Col: -1, Vals: n.op.Forward(c, n.call, in)}, true
}

// checkCost is the work of one evaluation of L's change as an element of
// n moves, estimated from its first element: each operation the change
// reaches costs its share of a full evaluation (its flops × the fraction
// of its output recomputed: a row of a product is 1/rows of it). Where the
// change cannot be followed incrementally it is full, the cost of L.
func (t *tape) checkCost(n *node, full float64) float64 {
	ps, _, ok := t.patches(n, 0, 0, n.val.At(0, 0))
	if !ok {
		return full
	}
	cost := 0.0
	for m, p := range ps {
		if m == n {
			continue
		}
		cost += m.flops * p.Vals.Size() / size(m.val)
	}
	return cost
}
