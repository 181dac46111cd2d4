package diff

import (
	"fmt"
	"math"
	"testing"

	specload "github.com/runner-dev/runner/spec/load"
)

// jh13File is ../testdata/ref/jh13.json, written by gen_jh13.py beside it
// (PyTorch float64: torch.autograd.functional.jacobian and hessian).
type jh13File struct {
	X, W [][]float64
	S    struct{ Value, Z [][]float64 }
	A    struct{ Value, W, N [][]float64 }
	H    struct {
		Value float64
		WW    [][]float64
	}
}

func loadJH13(t *testing.T) (*jh13File, *Jacobian, *Jacobian, *Gradient) {
	t.Helper()
	var fx jh13File
	readJSON(t, "../testdata/ref/jh13.json", &fx)
	e, err := specload.Load("../experiments/13-jacobian-hessian.yaml", specload.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if msg := closeTo(e.MatrixByName("X").Value, fx.X, 0); msg != "" {
		t.Fatalf("X: %s (the draws differ from NumPy's)", msg)
	}
	return &fx, RunJacobian(e.Jacobians[0], e.Matrices), RunJacobian(e.Jacobians[1], e.Matrices), RunGradient(e.Gradients[0], e.Matrices)
}

// TestSoftmaxJacobianIdentity: the exact Jacobian of p = softmax(z) for
// z 1×4 is diag(p) − pᵀp, p computed here from its definition
// e^{z_i} / Σ e^{z_j} (to 4e-16: both sides round a handful of
// operations on numbers below 1); it is symmetric and its rows sum to 0
// (to 1e-16); and it agrees with torch.autograd.functional.jacobian to
// 1e-15. Every entry's numeric check is ok.
func TestSoftmaxJacobianIdentity(t *testing.T) {
	fx, s, _, _ := loadJH13(t)
	z := []float64{1, 2, 0.5, -1}
	p := make([]float64, 4)
	sum := 0.0
	for i, v := range z {
		p[i] = math.Exp(v)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	J := s.Wrt[0].Exact
	if r, c := J.Dims(); r != 4 || c != 4 {
		t.Fatalf("J is %d×%d, want 4×4", r, c)
	}
	for i := 0; i < 4; i++ {
		row := 0.0
		for j := 0; j < 4; j++ {
			want := -p[i] * p[j]
			if i == j {
				want += p[i]
			}
			got := J.At(i, j)
			row += got
			if math.Abs(got-want) > 4e-16 {
				t.Errorf("J[%d,%d] = %.17g, diag(p) − pᵀp gives %.17g", i, j, got, want)
			}
			if got != J.At(j, i) && math.Abs(got-J.At(j, i)) > 1e-16 {
				t.Errorf("J[%d,%d] = %.17g, J[%d,%d] = %.17g: not symmetric", i, j, got, j, i, J.At(j, i))
			}
		}
		if math.Abs(row) > 1e-16 {
			t.Errorf("row %d of J sums to %.3g, not 0", i, row)
		}
	}
	if msg := closeTo(J, fx.S.Z, 1e-15); msg != "" {
		t.Errorf("J against torch: %s", msg)
	}
	for _, en := range s.Wrt[0].Entries {
		if en.Status != OK {
			t.Errorf("∂S%v/∂%s: %s (%s)", en.Out, en.Wrt, en.Status, en.Note)
		}
	}
}

// TestJacobianWithLet: a Jacobian taken with respect to a matrix through
// an intermediate, and to the intermediate itself (let: N = X @ W, out =
// tanh(N)): ∂out/∂N is diagonal with 1 − tanh²(N) (exact formula, to
// 4e-16: the runner's tanh′ is computed another way, a few ulps of numbers
// below 1), both blocks agree with torch's jacobian to 1e-12, and every
// entry's numeric check, N moved with X and W held, is ok.
func TestJacobianWithLet(t *testing.T) {
	fx, _, a, _ := loadJH13(t)
	if len(a.Wrt) != 2 || a.Wrt[0].Name != "W" || a.Wrt[1].Name != "N" {
		t.Fatalf("blocks %v, want W then N", a.Wrt)
	}
	N := a.Wrt[1].Input
	for o := 0; o < 6; o++ {
		for k := 0; k < 6; k++ {
			want := 0.0
			if o == k {
				th := math.Tanh(N.At(o/2, o%2))
				want = 1 - th*th
			}
			if got := a.Wrt[1].Exact.At(o, k); math.Abs(got-want) > 4e-16 {
				t.Errorf("∂out[%d]/∂N[%d] = %.17g, want %.17g", o, k, got, want)
			}
		}
	}
	if msg := closeTo(a.Wrt[0].Exact, fx.A.W, 1e-12); msg != "" {
		t.Errorf("∂out/∂W against torch: %s", msg)
	}
	if msg := closeTo(a.Wrt[1].Exact, fx.A.N, 1e-12); msg != "" {
		t.Errorf("∂out/∂N against torch: %s", msg)
	}
	for _, b := range a.Wrt {
		for _, en := range b.Entries {
			if en.Status != OK {
				t.Errorf("∂A%v/∂%s: %s (%s)", en.Out, en.Wrt, en.Status, en.Note)
			}
		}
	}
}

// TestSmallHessianAgainstTorch: experiment 13's H = Σ tanh(X @ W), order
// 2 with respect to W: its 36 second derivatives (each pair once) agree
// with torch.autograd.functional.hessian to 1e-9 (the exact gradient
// differenced by Richardson extrapolation, as TestHessiansAgainstTorch),
// and are ok.
func TestSmallHessianAgainstTorch(t *testing.T) {
	fx, _, _, g := loadJH13(t)
	if math.Abs(g.Value-fx.H.Value) > 1e-14 {
		t.Errorf("H = %.17g, torch %.17g", g.Value, fx.H.Value)
	}
	if len(g.Second) != 36 {
		t.Fatalf("%d second derivatives, want 36", len(g.Second))
	}
	for _, d := range g.Second {
		var ai, aj, bi, bj int
		if _, err := fmt.Sscanf(d.Wrt, "W[%d,%d],W[%d,%d]", &ai, &aj, &bi, &bj); err != nil {
			t.Fatalf("wrt %q: %v", d.Wrt, err)
		}
		want := fx.H.WW[ai*2+aj][bi*2+bj]
		if math.Abs(d.Exact-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("∂²H/∂%s = %.17g, torch %.17g", d.Wrt, d.Exact, want)
		}
		if d.Status != OK {
			t.Errorf("∂²H/∂%s: %s (%s)", d.Wrt, d.Status, d.Note)
		}
	}
}
