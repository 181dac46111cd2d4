package diff

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/spec"
	specload "github.com/runner-dev/runner/spec/load"
)

// ninjaFile is ../testdata/ref/ninja.json, written by gen_ninja.py beside
// it: PyTorch float64 autograd of the "becoming a backprop ninja" MLP with
// retain_grad() on every intermediate.
type ninjaFile struct {
	Source string
	Loss   float64
	Values map[string][][]float64 // the parameters
	Grads  map[string][][]float64 // every parameter and intermediate
}

// ninjaZero are the gradients that are zero in exact arithmetic: b1, as
// batch normalisation subtracts the batch mean, which removes any bias
// added before it; logit_maxes, as softmax does not change when a row of
// logits is shifted. Both sides give round-off there.
var ninjaZero = map[string]bool{"b1": true, "logit_maxes": true}

// TestNinjaAgainstTorch runs experiments/12-backprop-ninja.yaml's exact
// gradient (method none: the numeric check is the experiment's own) and
// compares it with PyTorch: the file's draws equal NumPy's bit for bit;
// the loss agrees to 1e-12 relative; every element of every gradient, 26
// matrices and intermediates, to 1e-12 times that gradient's largest
// element (both sides sum products of up to 64 terms in different orders,
// so their round-off scales with the gradient's size: about 1e-16 of it
// here; an absolute 1e-12 would pass a gradient that is wrong by 1e-12
// where the elements are 1e-4); the two gradients that are zero in exact
// arithmetic are below 1e-15 on both sides.
func TestNinjaAgainstTorch(t *testing.T) {
	var fx ninjaFile
	readJSON(t, "../testdata/ref/ninja.json", &fx)
	e, err := specload.Load("../experiments/12-backprop-ninja.yaml", specload.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range e.Matrices {
		want, ok := fx.Values[m.Name]
		if !ok {
			continue // the label matrices
		}
		for i, row := range want {
			for j, w := range row {
				if got := m.Value.At(i, j); got != w {
					t.Fatalf("%s[%d,%d] = %.17g, NumPy drew %.17g", m.Name, i, j, got, w)
				}
			}
		}
	}
	gi := e.Gradients[0]
	gi.Settings.Method = "none"
	g := RunGradient(gi, e.Matrices)
	if math.Abs(g.Value-fx.Loss) > 1e-12*math.Abs(fx.Loss) {
		t.Errorf("loss = %.17g, torch %.17g", g.Value, fx.Loss)
	}
	if len(g.Wrt) != len(fx.Grads) || len(g.Wrt) != 26 {
		t.Fatalf("%d gradients, torch has %d, want 26", len(g.Wrt), len(fx.Grads))
	}
	for _, mg := range g.Wrt {
		want, ok := fx.Grads[mg.Name]
		if !ok {
			t.Fatalf("a gradient for %s, which torch does not have", mg.Name)
		}
		r, c := mg.Exact.Dims()
		if r != len(want) || c != len(want[0]) {
			t.Fatalf("∂loss/∂%s is %d×%d, torch's %d×%d", mg.Name, r, c, len(want), len(want[0]))
		}
		scale := maxAbsRows(want)
		for i, row := range want {
			for j, w := range row {
				got := mg.Exact.At(i, j)
				if ninjaZero[mg.Name] {
					if math.Abs(got) > 1e-15 || math.Abs(w) > 1e-15 {
						t.Errorf("∂loss/∂%s[%d,%d] = %.3g, torch %.3g: both should be zero up to round-off", mg.Name, i, j, got, w)
					}
				} else if math.Abs(got-w) > 1e-12*scale {
					t.Errorf("∂loss/∂%s[%d,%d] = %.17g, torch %.17g (tolerance %.3g)", mg.Name, i, j, got, w, 1e-12*scale)
				}
			}
		}
	}
}

// TestRetainedIntermediateNotOverwritten: with S = tanh(N) and L = Σ S³,
// ∂L/∂S = 3S² and ∂L/∂N = 3S²(1 − S²). tanh's backward step writes its
// result into the gradient it is given; the gradient of an intermediate
// the item is taken for must still be its own afterwards (it read as
// ∂L/∂N before the tape handed a copy to the step). Without the
// explanation, whose tape keeps every step's values, as in the ninja file.
func TestRetainedIntermediateNotOverwritten(t *testing.T) {
	e := load(t, `matrices:
  X: [[0.5, -1.25], [2, 0.75]]
  W: [[1.5, -0.5], [0.25, 1]]
gradients:
  - name: L
    let: {N: X @ W, S: tanh(N)}
    expr: sum(S^3)
    wrt: [S, N]
    numeric: {method: none}
    explain: false
`)
	g := RunGradient(e.Gradients[0], e.Matrices)
	for _, mg := range g.Wrt {
		for i := 0; i < 2; i++ {
			for j := 0; j < 2; j++ {
				s := math.Tanh(mg.Input.At(i, j))
				want := 3 * s * s * (1 - s*s)
				if mg.Name == "S" {
					s = mg.Input.At(i, j)
					want = 3 * s * s
				}
				if got := mg.Exact.At(i, j); math.Abs(got-want) > 1e-14 {
					t.Errorf("∂L/∂%s[%d,%d] = %.17g, want %.17g", mg.Name, i, j, got, want)
				}
			}
		}
	}
}

// TestNinjaCheckedInFull: the decision between checking every element and
// a sample counts what each element's check recomputes. For the ninja file
// that work is below FullCheckFlops, while elements × evaluations × the
// cost of a whole evaluation of L is above it (the decision before, which
// sampled 8 elements of each of the 26 matrices).
func TestNinjaCheckedInFull(t *testing.T) {
	g, tp, _ := ninjaTape(t)
	flops := 0.0
	for _, n := range tp.nodes {
		flops += n.flops
	}
	evals := float64(method.Get(g.Settings.Method).Evaluations())
	work, whole := 0.0, 0.0
	for _, w := range g.Wrt {
		n := tp.wrt[w]
		if l, ok := tp.lets[w]; ok {
			n = l
		}
		c := tp.checkCost(n, flops)
		if c <= 0 || c > flops {
			t.Errorf("%s: an element check costs %g, outside (0, %g]", w, c, flops)
		}
		work += size(n.val) * evals * c
		whole += size(n.val) * evals * flops
	}
	if whole <= FullCheckFlops {
		t.Fatalf("whole evaluations cost %g ≤ %g: the test proves nothing", whole, FullCheckFlops)
	}
	if work > FullCheckFlops {
		t.Errorf("incremental element checks cost %g > %g: the file would be sampled", work, FullCheckFlops)
	}
	t.Logf("work %.3g flops incrementally, %.3g by whole evaluations", work, whole)
}

// ninjaTape is experiments/12-backprop-ninja.yaml's gradient on a tape
// through its backward walk, and its root.
func ninjaTape(t *testing.T) (*spec.Gradient, *tape, *node) {
	t.Helper()
	e, err := specload.Load("../experiments/12-backprop-ninja.yaml", specload.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	g := e.Gradients[0]
	leaves := map[string]*mat.Dense{}
	for _, m := range e.Matrices {
		leaves[m.Name] = m.Value
	}
	tp, root := buildTape(leaves, g.Let, g.Wrt, g.Expr, true, false, nil)
	tp.backward(root)
	return g, tp, root
}
