package diff

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/rng"
	"github.com/runner-dev/runner/spec"
)

// TestPatchedValueMatchesFull checks incremental re-evaluation against its
// definition: for every expression of the PyTorch fixtures (broadcast rows
// and columns, transposes, a matrix times itself, every activation, maximum
// and minimum with ties) and for
// larger random matrices, and for every element of every matrix the
// gradient is taken for, L with that element changed, computed
// incrementally on a tape that has been through its backward walk, equals
// L computed from scratch with the element changed, to rounding.
func TestPatchedValueMatchesFull(t *testing.T) {
	fx, decl := torchFixture(t)
	exprs := []string{}
	for _, c := range fx.Cases {
		exprs = append(exprs, c.Expr)
	}
	for _, src := range exprs {
		check(t, "matrices:\n"+decl+"gradients:\n  - name: L\n    expr: \""+src+"\"\n")
	}
	// maximum and minimum, with broadcasting and ties (../testdata/ref/ops.json)
	ofx, odecl := opsFixture(t)
	for _, c := range ofx.Cases {
		check(t, "matrices:\n"+odecl+"gradients:\n  - name: L\n    expr: \""+c.Expr+"\"\n")
	}
	// the operations over an axis, reshape, conv2d and the new registry
	// functions (../testdata/ref/ops15.json; the cases without let:)
	xfx, xdecl := ops15Fixture(t)
	for _, c := range xfx.Cases {
		if len(c.Let) == 0 {
			check(t, "matrices:\n"+xdecl+"gradients:\n"+ops15Item(c.Expr, nil, nil))
		}
	}
	// larger shapes, so that a changed row or column is one of many
	big := "random: {seed: 3}\nmatrices:\n  X: {randn: [7, 5]}\n  W: {randn: [5, 6]}\n  B: {randn: [1, 6]}\n  Y: {rand: [7, 6]}\ngradients:\n"
	for _, src := range []string{
		"sum(sigmoid(X @ W))",
		"mean((tanh(X @ W + B) - Y)^2)",
		"sum(X @ W @ transpose(W))",
		"sum(transpose(X) @ X)",
		"mean(softplus(-(X @ W)) * Y)",
		"sum(maximum(X @ W, B) * Y)",
		"mean(minimum(tanh(X @ W), transpose(maximum(transpose(Y), 0.5))))",
		"sum(softmax(X @ W) * Y) + sum(log_softmax(X @ W, 0) * Y)",
		"sum(max(X @ W, 1) * sum(Y, 1)) + sum(min(X @ W + B, 0) * B) - mean(logsumexp(tanh(X @ W)))",
		"sum(var(X @ W, 0, 1) * B) + sum(mean(transpose(X @ W), 0) * sum(Y, 1))",
	} {
		check(t, big+"  - name: L\n    expr: \""+src+"\"\n")
	}
}

func check(t *testing.T, src string) { t.Helper(); checkWith(t, src, nil) }

// walkedTape is the first gradient of the experiment src on a tape of
// copies of its matrices, through its forward walk, prep (if not nil), and
// its backward walk.
func walkedTape(t *testing.T, src string, prep func(*tape)) (*spec.Gradient, map[string]*mat.Dense, *tape, *node) {
	t.Helper()
	e := load(t, src)
	g := e.Gradients[0]
	leaves := map[string]*mat.Dense{}
	for _, m := range e.Matrices {
		leaves[m.Name] = mat.DenseCopyOf(m.Value)
	}
	tp := &tape{leaves: leaves, wrt: map[string]*node{}}
	for _, w := range g.Wrt {
		tp.wrt[w] = &node{val: leaves[w], needs: true}
	}
	root := tp.forward(g.Expr)
	if prep != nil {
		prep(tp)
	}
	tp.backward(root)
	return g, leaves, tp, root
}

// checkWith is check, with prep (if not nil) applied to the tape after its
// forward pass.
func checkWith(t *testing.T, src string, prep func(*tape)) {
	t.Helper()
	g, leaves, tp, root := walkedTape(t, src, prep)
	full := func() float64 {
		ft := &tape{leaves: leaves, wrt: map[string]*node{}}
		return ft.forward(g.Expr).val.At(0, 0)
	}
	s := rng.New(5)
	for _, w := range g.Wrt {
		m := leaves[w]
		r, c := m.Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				x0 := m.At(i, j)
				v := x0 + s.Uniform(-1, 1)
				got, _, ok := tp.patchedValue(root, tp.wrt[w], i, j, v)
				if !ok {
					t.Fatalf("%s: no incremental value for %s[%d,%d]", g.Src, w, i, j)
				}
				m.Set(i, j, v)
				want := full()
				m.Set(i, j, x0)
				if math.Abs(got-want) > 1e-13*math.Max(1, math.Abs(want)) {
					t.Errorf("%s with %s[%d,%d] = %v: incremental %.17g, full %.17g", g.Src, w, i, j, v, got, want)
				}
				// the change of L, against the difference of two full values
				after, _, _ := tp.patches(tp.wrt[w], i, j, v)
				before, _, _ := tp.patches(tp.wrt[w], i, j, x0)
				if d, want := delta(root, after, before), want-root.val.At(0, 0); math.Abs(d-want) > 1e-13*math.Max(1, math.Abs(root.val.At(0, 0))) {
					t.Errorf("%s with %s[%d,%d] = %v: change %.17g, full values differ by %.17g", g.Src, w, i, j, v, d, want)
				}
				if d := delta(root, before, before); d != 0 {
					t.Errorf("%s: %s[%d,%d] unchanged gives a change of %g", g.Src, w, i, j, d)
				}
				// the change from the tape's values is the change from the
				// patches at x0, bit for bit (TestPatchesAtTheBaseAreTheTape)
				if d, want := delta(root, after, nil), delta(root, after, before); math.Float64bits(d) != math.Float64bits(want) {
					t.Errorf("%s with %s[%d,%d] = %v: change from the tape %.17g, from the patches at x0 %.17g", g.Src, w, i, j, v, d, want)
				}
				samePatches(t, g.Src, tp, before)
			}
		}
	}
	if l := full(); l != root.val.At(0, 0) {
		t.Errorf("%s: the tape's value changed: %v, now %v", g.Src, root.val.At(0, 0), l)
	}
}

// TestPatchesAtTheBaseAreTheTape: the patches of an element at its own
// value recompute what the tape holds, bit for bit (so that delta may take
// L's change from the tape's values and the element checks need not walk
// the base point), for every element of the ninja MLP's matrices and
// intermediates (products of a row or column, batch norm's sums over a
// column, softmax's lanes, pick); TestPatchedValueMatchesFull checks the
// same for every expression it walks.
func TestPatchesAtTheBaseAreTheTape(t *testing.T) {
	g, tp, _ := ninjaTape(t)
	for _, w := range g.Wrt {
		n := tp.wrt[w]
		if n == nil {
			n = tp.lets[w]
		}
		r, c := n.val.Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				ps, _, ok := tp.patches(n, i, j, n.val.At(i, j))
				if !ok {
					t.Fatalf("%s: no incremental value for %s[%d,%d]", g.Src, w, i, j)
				}
				if len(ps) < 2 {
					t.Fatalf("%s[%d,%d] changes nothing", w, i, j)
				}
				samePatches(t, w, tp, ps)
			}
		}
	}
}

// samePatches checks that every patch in ps holds the tape's values.
func samePatches(t *testing.T, what string, tp *tape, ps map[*node]*patch) {
	t.Helper()
	for k, n := range tp.nodes {
		p := ps[n]
		if p == nil {
			continue
		}
		for a := 0; a < p.Vals.R; a++ {
			for b := 0; b < p.Vals.C; b++ {
				ii, jj := p.Index(a, b)
				if got, want := p.Vals.At(a, b), n.val.At(ii, jj); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Fatalf("%s: node %d (%s) element [%d,%d] patched at the base point is %.17g, the tape holds %.17g", what, k, n.op.Name, ii, jj, got, want)
				}
			}
		}
	}
}

// TestCheckIgnoresRoundingOfL: L = sum(X @ W + 1e4) is linear in X, so a
// central difference has no truncation error and ∂L/∂X[i,j] = Σₗ W[j,l]
// exactly; but L ≈ 9·10⁶, whose rounding (ulp 2·10⁻⁹) divided by 2h would
// be 10⁻⁶, above the tolerance. The check differentiates L's change,
// summed from the changed elements, and must agree to 10⁻⁸.
func TestCheckIgnoresRoundingOfL(t *testing.T) {
	e := load(t, "random: {seed: 2}\nmatrices:\n  X: {randn: [30, 30]}\n  W: {randn: [30, 30]}\n"+
		"gradients:\n  - {name: L, expr: sum(X @ W + 1e4), wrt: [X]}\n")
	g := RunGradient(e.Gradients[0], e.Matrices)
	if math.Abs(g.Value) < 8e6 {
		t.Fatalf("L = %v, expected about 9e6", g.Value)
	}
	w := e.Matrices[1].Value
	for _, el := range g.Wrt[0].Elements {
		want := mat.Sum(w.RowView(el.J))
		if math.Abs(el.Numeric-want) > 1e-8 || el.Status != OK {
			t.Errorf("%s: numeric %.17g, exact Σ W[%d,:] = %.17g (%s)", el.Wrt, el.Numeric, el.J, want, el.Status)
		}
	}
}

// patchedValue is L with element (i, j) of leaf set to v (see patches).
func (t *tape) patchedValue(root, leaf *node, i, j int, v float64) (value float64, problem string, ok bool) {
	ps, problem, ok := t.patches(leaf, i, j, v)
	if !ok {
		return 0, "", false
	}
	if p := ps[root]; p != nil {
		return p.Vals.At(0, 0), problem, true
	}
	return root.val.At(0, 0), problem, true
}
