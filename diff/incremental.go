package diff

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/expr"
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

// patch is a node's value under a perturbation: the tape's value (val)
// except in rows × cols, where it is vals. row (col) is one index, or −1
// for all rows (columns); vals is 1 or all rows by 1 or all columns.
type patch struct {
	row, col int
	vals     *mat.Dense
}

// index is the element of the whole matrix that the patch's element (i, j)
// stands for.
func (p *patch) index(i, j int) (int, int) {
	if p.row >= 0 {
		i = p.row
	}
	if p.col >= 0 {
		j = p.col
	}
	return i, j
}

// at is element (i, j) of n's value under p (nil: unchanged).
func at(n *node, p *patch, i, j int) float64 {
	if p != nil && (p.row < 0 || i == p.row) && (p.col < 0 || j == p.col) {
		if p.row >= 0 {
			i = 0
		}
		if p.col >= 0 {
			j = 0
		}
		return p.vals.At(i, j)
	}
	return n.val.At(i, j)
}

// materialize is n's whole value under p.
func materialize(n *node, p *patch) *mat.Dense {
	if p == nil {
		return n.val
	}
	if p.row < 0 && p.col < 0 {
		return p.vals
	}
	m := mat.DenseCopyOf(n.val)
	r, c := m.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m.Set(i, j, at(n, p, i, j))
		}
	}
	return m
}

// patches are the changed values on the tape with element (i, j) of the
// matrix the gradient is taken for, leaf, set to v and everything else as
// the tape holds it. The first problem (an overflow, a value outside a
// domain) met in what it recomputes is returned with them; ok is false for
// a tape with an operation this does not know, which needs a full
// evaluation.
func (t *tape) patches(leaf *node, i, j int, v float64) (ps map[*node]*patch, problem string, ok bool) {
	ps = map[*node]*patch{leaf: {row: i, col: j, vals: mat.NewDense(1, 1, []float64{v})}}
	note := func(s string) {
		if problem == "" {
			problem = s
		}
	}
	for _, n := range t.nodes {
		p, known := t.repatch(n, ps, note)
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
	if e, ok := root.expr.(*expr.Call); ok && (e.Name == "sum" || e.Name == "mean") {
		in := root.ins[0]
		qa, qb := after[in], before[in]
		if qa != nil && qb != nil && qa.row == qb.row && qa.col == qb.col {
			r, c := qa.vals.Dims()
			diffs := mat.NewDense(r, c, nil)
			diffs.Sub(qa.vals, qb.vals)
			d := Sum(diffs)
			if e.Name == "mean" {
				ir, ic := in.val.Dims()
				d /= float64(ir * ic)
			}
			return d
		}
	}
	return pa.vals.At(0, 0) - pb.vals.At(0, 0)
}

// repatch is n's patch given its inputs' patches (nil when none changed);
// known is false for an operation it does not know.
func (t *tape) repatch(n *node, ps map[*node]*patch, note func(string)) (p *patch, known bool) {
	if len(n.ins) == 0 {
		return nil, true
	}
	a := n.ins[0]
	pa := ps[a]
	var b *node
	var pb *patch
	if len(n.ins) > 1 {
		b = n.ins[1]
		pb = ps[b]
	}
	if pa == nil && pb == nil {
		return nil, true
	}
	r, c := n.val.Dims()
	switch e := n.expr.(type) {
	case *expr.Neg:
		return mapPatch(pa, func(x float64, _, _ int) float64 { return -x }), true
	case *expr.Call:
		switch e.Name {
		case "sum", "mean":
			return sumPatch(n, a, pa, e.Name == "mean"), true
		case "transpose":
			return &patch{row: pa.col, col: pa.row, vals: mat.DenseCopyOf(pa.vals.T())}, true
		}
		if e.Fn == nil {
			return nil, false
		}
		f, params := e.Fn, e.Params
		return mapPatch(pa, func(x float64, i, j int) float64 {
			y := f.F(x, params)
			if bad(y) && !bad(x) {
				note(fmt.Sprintf("%s (element [%d,%d])", callProblem(f, x, params), i, j))
			}
			return y
		}), true
	case *expr.Binary:
		if e.Op == '@' {
			return matmulPatch(a, pa, b, pb, r, c), true
		}
		return elementwisePatch(e.Op, a, pa, b, pb, r, c, note), true
	}
	return nil, false
}

// mapPatch applies f to the changed elements of a.
func mapPatch(pa *patch, f func(x float64, i, j int) float64) *patch {
	r, c := pa.vals.Dims()
	out := &patch{row: pa.row, col: pa.col, vals: mat.NewDense(r, c, nil)}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			ii, jj := pa.index(i, j)
			out.vals.Set(i, j, f(pa.vals.At(i, j), ii, jj))
		}
	}
	return out
}

// sumPatch is ΣA (or its mean) after a change: the tape's sum plus the sum
// of (new − old) over the changed elements, both compensated.
func sumPatch(n, a *node, pa *patch, mean bool) *patch {
	ar, ac := a.val.Dims()
	var s float64
	if pa.row < 0 && pa.col < 0 {
		s = Sum(pa.vals)
	} else {
		r, c := pa.vals.Dims()
		diffs := mat.NewDense(r, c, nil)
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				ii, jj := pa.index(i, j)
				diffs.Set(i, j, pa.vals.At(i, j)-a.val.At(ii, jj))
			}
		}
		s = n.rawSum(a) + Sum(diffs)
	}
	if mean {
		s /= float64(ar * ac)
	}
	return &patch{row: -1, col: -1, vals: mat.NewDense(1, 1, []float64{s})}
}

// rawSum is ΣA for the tape's value of a, computed once.
func (n *node) rawSum(a *node) float64 {
	if !n.haveSum {
		n.sum, n.haveSum = Sum(a.val), true
	}
	return n.sum
}

// matmulPatch is A·B after a change: one row of the product when only a
// row of A changed, one column when only a column of B did; else in full.
func matmulPatch(a *node, pa *patch, b *node, pb *patch, r, c int) *patch {
	switch {
	case pb == nil && pa.row >= 0:
		_, k := a.val.Dims()
		row := mat.NewDense(1, k, nil)
		for j := 0; j < k; j++ {
			row.Set(0, j, at(a, pa, pa.row, j))
		}
		out := mat.NewDense(1, c, nil)
		mul(out, row, b.val)
		return &patch{row: pa.row, col: -1, vals: out}
	case pa == nil && pb.col >= 0:
		k, _ := b.val.Dims()
		col := mat.NewDense(k, 1, nil)
		for i := 0; i < k; i++ {
			col.Set(i, 0, at(b, pb, i, pb.col))
		}
		out := mat.NewDense(r, 1, nil)
		mul(out, a.val, col)
		return &patch{row: -1, col: pb.col, vals: out}
	}
	out := mat.NewDense(r, c, nil)
	mul(out, materialize(a, pa), materialize(b, pb))
	return &patch{row: -1, col: -1, vals: out}
}

// elementwisePatch is A op B (broadcast) after a change, over the rows and
// columns where either operand changed.
func elementwisePatch(op byte, a *node, pa *patch, b *node, pb *patch, r, c int, note func(string)) *patch {
	ar, ac := a.val.Dims()
	br, bc := b.val.Dims()
	// where each operand's change lands in the output: −2 nowhere, −1 all
	reach := func(p *patch, idx, n, out int) int {
		switch {
		case p == nil:
			return -2
		case n == 1 && out > 1: // broadcast: one element reaches them all
			return -1
		}
		return idx
	}
	unify := func(x, y int) int {
		switch {
		case x == -2:
			return y
		case y == -2 || x == y:
			return x
		}
		return -1
	}
	var rowA, colA, rowB, colB int
	if pa != nil {
		rowA, colA = reach(pa, pa.row, ar, r), reach(pa, pa.col, ac, c)
	} else {
		rowA, colA = -2, -2
	}
	if pb != nil {
		rowB, colB = reach(pb, pb.row, br, r), reach(pb, pb.col, bc, c)
	} else {
		rowB, colB = -2, -2
	}
	row, col := unify(rowA, rowB), unify(colA, colB)
	rows, cols := 1, 1
	if row < 0 {
		rows = r
	}
	if col < 0 {
		cols = c
	}
	f := opFunc(op)
	out := &patch{row: row, col: col, vals: mat.NewDense(rows, cols, nil)}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			ii, jj := out.index(i, j)
			x, y := at(a, pa, bidx(ar, ii), bidx(ac, jj)), at(b, pb, bidx(br, ii), bidx(bc, jj))
			z := f(x, y)
			if bad(z) && !bad(x) && !bad(y) {
				note(fmt.Sprintf("%s (element [%d,%d])", opProblem(op, x, y), ii, jj))
			}
			out.vals.Set(i, j, z)
		}
	}
	return out
}
