package diff

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// opsFixture reads ../testdata/ref/ops.json (written by gen_ops.py beside
// it, PyTorch float64 autograd): cases of maximum and minimum, and their
// matrices as the matrices: section of an experiment file.
func opsFixture(t *testing.T) (fx torchFile, decl string) {
	t.Helper()
	return fixture(t, "../testdata/ref/ops.json", []string{"X", "T", "U", "W", "R", "C", "Y"})
}

// TestMaximumMinimumAgainstTorch compares L and every gradient, zeros
// included, with torch.maximum and torch.minimum: broadcast rows, columns
// and numbers, both inputs, and ties (where the gradient is split in half).
// The numeric check must agree everywhere but at the ties of T and U, which
// are kinks (a tie is a kink): there L = Σ maximum(T, U)·Y moves by Y[i,j]
// from one side of T[i,j] (or U[i,j]) and not at all from the other, so
// the one-sided derivatives are 0 and Y[i,j].
func TestMaximumMinimumAgainstTorch(t *testing.T) {
	fx, decl := opsFixture(t)
	for _, c := range fx.Cases {
		var wrt []string
		for name := range c.Grads {
			wrt = append(wrt, name)
		}
		e := load(t, "matrices:\n"+decl+"gradients:\n  - name: L\n    expr: \""+c.Expr+"\"\n    wrt: ["+strings.Join(wrt, ", ")+"]\n")
		g := RunGradient(e.Gradients[0], e.Matrices)
		if math.Abs(g.Value-c.Value) > 1e-12*math.Max(1, math.Abs(c.Value)) {
			t.Errorf("%s: L = %.17g, torch %.17g", c.Expr, g.Value, c.Value)
		}
		if len(g.Wrt) != len(c.Grads) {
			t.Fatalf("%s: %d gradients, torch %d", c.Expr, len(g.Wrt), len(c.Grads))
		}
		for _, mg := range g.Wrt {
			want := c.Grads[mg.Name]
			r, cols := mg.Exact.Dims()
			if r != len(want) || cols != len(want[0]) {
				t.Fatalf("%s: ∂L/∂%s is %d×%d, torch %d×%d", c.Expr, mg.Name, r, cols, len(want), len(want[0]))
			}
			for i, row := range want {
				for j, v := range row {
					if got := mg.Exact.At(i, j); math.Abs(got-v) > 1e-12 {
						t.Errorf("%s: ∂L/∂%s[%d,%d] = %.17g, torch %.17g", c.Expr, mg.Name, i, j, got, v)
					}
				}
			}
			for _, el := range mg.Elements {
				tie := strings.Contains(c.Expr, "(T, U)") && (mg.Name == "T" || mg.Name == "U") && fx.Matrices["T"][el.I][el.J] == fx.Matrices["U"][el.I][el.J]
				if !tie && el.Status != OK {
					t.Errorf("%s: %s numeric check: %s (%s)", c.Expr, el.Wrt, el.Status, el.Note)
				}
				if y := 0.0; tie {
					y = fx.Matrices["Y"][el.I][el.J]
					if el.Status != Kink || math.Min(el.Left, el.Right) != 0 || math.Max(el.Left, el.Right) != y {
						t.Errorf("%s: %s at a tie: %s left %v right %v, want kink with 0 and %v", c.Expr, el.Wrt, el.Status, el.Left, el.Right, y)
					}
				}
			}
		}
	}
}

// TestTieIsKink: maximum(T, U) with T = U is not differentiable. The tape
// marks the kink as it does for relu at 0; where L = sum(maximum(T, U)^2)
// makes the central difference across a tie m differ from the exact half
// split (2m·½ = m against m + h/2), the element's status is kink, and
// elsewhere ok. Without ties, no kink is marked.
func TestTieIsKink(t *testing.T) {
	T := [][]float64{{1, -2, 0.5}, {0, 3, -1}}
	U := [][]float64{{1, -2.5, 0.25}, {0, 2, -1}} // ties at [0,0], [1,0], [1,2]
	ties := map[[2]int]bool{{0, 0}: true, {1, 0}: true, {1, 2}: true}
	decl := "tolerance: {mode: fixed}\nmatrices:\n  T: " + rows(T) + "\n  U: " + rows(U) + "\n"
	for _, op := range []string{"maximum", "minimum"} {
		e := load(t, decl+"gradients:\n  - {name: L, expr: \"sum("+op+"(T, U)^2)\", wrt: [T, U]}\n")
		g := RunGradient(e.Gradients[0], e.Matrices)
		for _, mg := range g.Wrt {
			for _, el := range mg.Elements {
				want := OK
				if ties[[2]int{el.I, el.J}] {
					want = Kink
				}
				if el.Status != want {
					t.Errorf("%s: %s is %s (%s), want %s", op, el.Wrt, el.Status, el.Note, want)
				}
			}
		}
		for _, src := range []struct {
			expr string
			kink bool
		}{{op + "(T, U)", true}, {op + "(T, U + 0.125)", false}, {op + "(T, 0.75)", false}} {
			e := load(t, decl+"gradients:\n  - {name: L, expr: \"sum("+src.expr+")\"}\n")
			tp := &tape{leaves: map[string]*mat.Dense{"T": e.Matrices[0].Value, "U": e.Matrices[1].Value}}
			tp.forward(e.Gradients[0].Expr)
			if tp.tr.kink != src.kink {
				t.Errorf("%s: kink marked %v, want %v", src.expr, tp.tr.kink, src.kink)
			}
		}
	}
}

// TestMaximumExplained: the explanation's backward step for maximum says
// where the gradient goes, and its local derivatives are the engine's:
// 1 for the winner, 0 for the loser, ½ at a tie.
func TestMaximumExplained(t *testing.T) {
	st := explainedStep(t, "matrices:\n  A: [[1, 2], [3, 4]]\n  B: [[0, 2], [5, 1]]\ngradients:\n"+
		"  - {name: L, expr: \"sum(maximum(A, B))\", explain: true}\n", "maximum(A, B)")
	if len(st.Locals) != 2 {
		t.Fatalf("%s: %d local derivatives, want 2", st.Expr, len(st.Locals))
	}
	want := [][]float64{{1, 0.5, 0, 1}, {0, 0.5, 1, 0}}
	for k, l := range st.Locals {
		if !strings.Contains(l.Rule, "the gradient goes to the winner") {
			t.Errorf("rule for %s: %q", l.Wrt, l.Rule)
		}
		if !mat.Equal(l.Value, mat.NewDense(2, 2, want[k])) {
			t.Errorf("local ∂/∂%s = %v, want %v", l.Wrt, mat.Formatted(l.Value), want[k])
		}
	}
}

// explainedStep is the explanation's step that computes what, in the
// first gradient of the experiment file src.
func explainedStep(t *testing.T, src, what string) Step {
	t.Helper()
	e := load(t, src)
	g := RunGradient(e.Gradients[0], e.Matrices)
	for _, st := range g.Explain.Steps {
		if st.Expr == what {
			return st
		}
	}
	t.Fatalf("no step computes %s", what)
	return Step{}
}

// TestPatchFallsBackToFullEvaluation: an operation without a patch is
// recomputed in full from its inputs' patched values, and L with one
// element changed still equals L computed from scratch (check). Every
// node's patch is taken away here, so that each operation's full
// recomputation is used.
func TestPatchFallsBackToFullEvaluation(t *testing.T) {
	checkWith(t, "random: {seed: 4}\nmatrices:\n  X: {randn: [3, 3]}\n  W: {randn: [3, 5]}\n  B: {randn: [1, 5]}\n"+
		"gradients:\n  - {name: L, expr: \"mean(maximum(tanh(X @ W), B) - transpose(transpose(B) @ B @ transpose(W)))\", wrt: [X, W]}\n",
		func(tp *tape) {
			for _, n := range tp.nodes {
				if n.op != nil {
					op := *n.op
					op.Patch = nil
					n.op = &op
				}
			}
		})
}
