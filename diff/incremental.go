package diff

import (
	"math"
	"sync"

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
	return t.patchesIn(nil, false, leaf, i, j, v)
}

// scratch is what one goroutine's walks of patches reuse: the memory of
// the values (valid until mem.Reset), the map of patches (valid until the
// next walk), the walk's slices.
type scratch struct {
	mem ops.Arena
	ps  map[*node]*patch
	w   walk
}

// scratches are the element checks' scratch (see RunGradient).
var scratches = sync.Pool{New: func() any { return &scratch{ps: map[*node]*patch{}} }}

// patchesIn is patches with what it needs from s (nil: new memory). With
// read, a patch of a whole value holds only the
// elements that what follows on the tape reads (readMasks): the rest are
// zero, and a problem there is not noted (L does not depend on it); L's
// patch, and those of the nodes L reads whole, are complete.
func (t *tape) patchesIn(s *scratch, read bool, leaf *node, i, j int, v float64) (ps map[*node]*patch, problem string, ok bool) {
	var masks map[*node][]bool
	if read {
		masks = t.readMasks()
	}
	c := &ops.Ctx{New: ops.New, Mul: mulMat, Kink: func() {}, Problem: func(s string) {
		if problem == "" {
			problem = s
		}
	}}
	w := &walk{}
	if s != nil {
		c.New, w, ps = s.mem.New, &s.w, s.ps
		clear(ps)
	} else {
		ps = map[*node]*patch{}
	}
	lv := c.New(1, 1)
	lv.Data[0] = v
	ps[leaf] = &patch{Row: i, Col: j, Vals: lv}
	for _, n := range t.nodes {
		c.Reads = masks[n]
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

// readMasks are, for each node some of whose elements nothing on the tape
// reads, which elements are read (row-major): an element is read where an
// operation with Reads (element-wise ones, pick) reads it for an element of
// its output that is read, or where any other operation takes the node as
// input; a node no operation takes (L) is read whole. Computed once per
// tape (the element checks walk it at once).
func (t *tape) readMasks() map[*node][]bool {
	t.readsOnce.Do(func() {
		masks := map[*node][]bool{}
		whole := map[*node]bool{} // read whole (no mask)
		taken := map[*node]bool{} // taken as an input
		for k := len(t.nodes) - 1; k >= 0; k-- {
			n := t.nodes[k]
			if !taken[n] {
				whole[n] = true
			}
			mask := masks[n]
			var in []ops.Mat
			for q, a := range n.ins {
				taken[a] = true
				if whole[a] {
					continue
				}
				if whole[n] || n.op == nil || n.op.Reads == nil {
					whole[a], masks[a] = true, nil
					continue
				}
				if in == nil {
					for _, b := range n.ins {
						in = append(in, view(b.val))
					}
				}
				r, c := a.val.Dims()
				if masks[a] == nil {
					masks[a] = make([]bool, r*c)
				}
				_, nc := n.val.Dims()
				for e, read := range mask {
					if read {
						ii, jj := n.op.Reads(in, q, e/nc, e%nc)
						masks[a][ii*c+jj] = true
					}
				}
			}
		}
		t.reads = map[*node][]bool{}
		for n, m := range masks {
			for _, read := range m {
				if !read {
					t.reads[n] = m
					break
				}
			}
		}
	})
	return t.reads
}

// delta is L(after) − L(before) for two sets of patches of the same
// element; before nil stands for the element's own value, where L and
// everything on the tape is the tape's value (the patches at the element's
// own value recompute the tape's values bit for bit:
// TestPatchesAtTheBaseAreTheTape). Where L is a sum (or mean) it is the
// compensated sum of the changed elements' differences, which never forms
// L itself: a sum of millions of terms is large, and rounding it would cost
// a central difference ulp(L)/2h (a 2048×2048 layer's L ≈ 2·10⁶ has ulp
// 5·10⁻¹⁰, so 2·10⁻⁷ at h = 10⁻³: more than the tolerance of a small
// gradient element).
func delta(root *node, after, before map[*node]*patch) float64 {
	if bad(root.val.At(0, 0)) {
		return math.NaN() // L is not defined, nor is its change
	}
	pa := after[root]
	if pa == nil || before != nil && before[root] == nil {
		return 0 // the element does not reach L
	}
	if root.op != nil && root.op.Change != nil {
		in := root.ins[0]
		if qa := after[in]; qa != nil {
			diffs := ops.Mat{}
			if before == nil {
				diffs = ops.New(qa.Vals.R, qa.Vals.C)
				for i := 0; i < diffs.R; i++ {
					for j := 0; j < diffs.C; j++ {
						diffs.Set(i, j, qa.Vals.At(i, j)-in.val.At(qa.Index(i, j)))
					}
				}
			} else if qb := before[in]; qb != nil && qa.Row == qb.Row && qa.Col == qb.Col {
				diffs = elementwise(qa.Vals, qb.Vals, func(a, b float64) float64 { return a - b })
			}
			if diffs.Data != nil {
				return root.op.Change(root.call, view(in.val), diffs)
			}
		}
	}
	if before == nil {
		return pa.Vals.At(0, 0) - root.val.At(0, 0)
	}
	return pa.Vals.At(0, 0) - before[root].Vals.At(0, 0)
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
