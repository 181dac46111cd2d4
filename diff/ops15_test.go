package diff

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	specload "github.com/runner-dev/runner/spec/load"
)

// ops15File is ../testdata/ref/ops15.json (gen_ops15.py beside it,
// PyTorch float64 autograd): cases with their let: entries and the names
// their gradients are taken for, matrices and intermediates.
type ops15File struct {
	Matrices map[string][][]float64
	Cases    []struct {
		Expr  string
		Let   [][2]string
		Wrt   []string
		Value float64
		Grads map[string][][]float64
	}
}

var ops15Names = []string{"X", "T", "R", "C", "Y", "Z", "Oh", "Wz", "I", "K", "Ck", "H", "Gm", "Bt", "Yb", "Q"}

func ops15Fixture(t *testing.T) (fx ops15File, decl string) {
	t.Helper()
	readJSON(t, "../testdata/ref/ops15.json", &fx)
	return fx, declare(fx.Matrices, ops15Names)
}

// ops15Item writes a case as a gradient item.
func ops15Item(expr string, lets [][2]string, wrt []string) string {
	s := "  - name: L\n"
	if len(lets) > 0 {
		s += "    let:\n"
		for _, l := range lets {
			s += "      " + l[0] + ": \"" + l[1] + "\"\n"
		}
	}
	s += "    expr: \"" + expr + "\"\n"
	if wrt != nil {
		s += "    wrt: [" + strings.Join(wrt, ", ") + "]\n"
	}
	return s
}

// TestOps15AgainstTorch compares L and every gradient, zeros included,
// with PyTorch: sum, mean, max, min and var over each axis and over all
// elements, logsumexp, softmax and log_softmax (with logits of ±1000),
// reshape, conv2d with and without padding, clip, sign, log1p and expm1,
// and named intermediates, whose gradients are PyTorch's retain_grad().
// Tolerance: both sides compute in float64 and sum in different orders:
// 1e-12 relative to the larger of 1 and the value (L reaches 2812).
//
// The numeric check must agree everywhere except where the tape met a
// kink (ties of max and min, clip at its edges): there the status may be
// kink, never fail; T's case has four ties for min(T), where the even
// split (¼ each) and a central difference (½) disagree, so it must show
// kinks.
func TestOps15AgainstTorch(t *testing.T) {
	fx, decl := ops15Fixture(t)
	for _, c := range fx.Cases {
		e := load(t, "matrices:\n"+decl+"gradients:\n"+ops15Item(c.Expr, c.Let, c.Wrt))
		g := RunGradient(e.Gradients[0], e.Matrices)
		if math.Abs(g.Value-c.Value) > 1e-12*math.Max(1, math.Abs(c.Value)) {
			t.Errorf("%s: L = %.17g, torch %.17g", c.Expr, g.Value, c.Value)
		}
		if len(g.Wrt) != len(c.Wrt) {
			t.Fatalf("%s: %d gradients, want %d", c.Expr, len(g.Wrt), len(c.Wrt))
		}
		kinks := 0
		for _, mg := range g.Wrt {
			want, ok := c.Grads[mg.Name]
			if !ok {
				t.Fatalf("%s: a gradient for %s, which torch was not asked for", c.Expr, mg.Name)
			}
			r, cols := mg.Exact.Dims()
			if r != len(want) || cols != len(want[0]) {
				t.Fatalf("%s: ∂L/∂%s is %d×%d, torch %d×%d", c.Expr, mg.Name, r, cols, len(want), len(want[0]))
			}
			for i, row := range want {
				for j, v := range row {
					if got := mg.Exact.At(i, j); !(math.Abs(got-v) <= 1e-12*math.Max(1, math.Abs(v))) {
						t.Errorf("%s: ∂L/∂%s[%d,%d] = %.17g, torch %.17g", c.Expr, mg.Name, i, j, got, v)
					}
				}
			}
			if len(mg.Elements) != r*cols {
				t.Errorf("%s: %d of %s's %d elements checked", c.Expr, len(mg.Elements), mg.Name, r*cols)
			}
			for _, el := range mg.Elements {
				switch el.Status {
				case Kink:
					kinks++
				case OK:
				default:
					t.Errorf("%s: %s numeric check: %s (%s; exact %g, numeric %g)", c.Expr, el.Wrt, el.Status, el.Note, el.Exact, el.Numeric)
				}
			}
		}
		if strings.Contains(c.Expr, "min(T)") && kinks == 0 {
			t.Errorf("%s: no kink at the ties of min(T)", c.Expr)
		}
		if !strings.Contains(c.Expr, "T") && kinks > 0 {
			t.Errorf("%s: %d kinks where nothing ties", c.Expr, kinks)
		}
	}
}

// TestSoftmaxDoesNotOverflow: at logits 1000, 999 and 998.5 softmax is
// finite, each row sums to 1, and the values are the shifted ones:
// softmax([1000, 999, 998.5, 0])ᵢ = e^(zᵢ − 1000) / Σ e^(zⱼ − 1000),
// worked out here from the shifted exponentials.
func TestSoftmaxDoesNotOverflow(t *testing.T) {
	e := load(t, "matrices:\n  Z: [[1000, 999, 998.5, 0], [-1000, -1001, -1000, -1000]]\ngradients:\n"+
		ops15Item("sum(P) + sum(logsumexp(Z))", [][2]string{{"P", "softmax(Z, 1)"}}, []string{"Z", "P"}))
	g := RunGradient(e.Gradients[0], e.Matrices)
	s := 1 + math.Exp(-1) + math.Exp(-1.5) + math.Exp(-1000)
	lse := 1000 + math.Log(s) + (-1000 + math.Log(3+math.Exp(-1)))
	if math.IsNaN(g.Value) || math.Abs(g.Value-(2+lse)) > 1e-12*math.Abs(lse) {
		t.Errorf("L = %v, want %v", g.Value, 2+lse)
	}
	p := g.Wrt[1].Input
	for j, z := range []float64{1000, 999, 998.5, 0} {
		if want := math.Exp(z-1000) / s; math.Abs(p.At(0, j)-want) > 1e-15 {
			t.Errorf("softmax[0,%d] = %v, want %v", j, p.At(0, j), want)
		}
	}
	for _, mg := range g.Wrt {
		for _, el := range mg.Elements {
			if el.Status != OK || math.IsNaN(el.Exact) {
				t.Errorf("%s: %s (%s)", el.Wrt, el.Status, el.Note)
			}
		}
	}
}

// TestLetDefaultWrt: without wrt, the derivatives are taken with respect
// to every matrix the item uses, through its intermediates too, and not
// the intermediates themselves.
func TestLetDefaultWrt(t *testing.T) {
	e := load(t, "matrices:\n  X: [[1, 2]]\n  W: [[3], [4]]\n  B: [[0.5]]\ngradients:\n"+
		ops15Item("sum(S) + sum(B)", [][2]string{{"N", "X @ W"}, {"S", "tanh(N)"}}, nil))
	if got := strings.Join(e.Gradients[0].Wrt, ","); got != "X,W,B" {
		t.Errorf("wrt = %s, want X,W,B", got)
	}
}

// TestExplainNewOperations: the backward-pass table names each new
// operation's node by its let: name where it has one, shows what it
// computes with its parameters, and states its rule in words; the
// gradients arriving at the intermediates are the ones reported.
func TestExplainNewOperations(t *testing.T) {
	e := load(t, "matrices:\n  Z: [[1, 2, 3], [0, -1, 4]]\n  K: [[1, 0], [0.5, 2]]\n  R: [[1, 2, 3]]\ngradients:\n"+
		ops15Item("sum(P * R) + sum(max(C, 0)) + sum(var(Z, 0, 1)) + mean(logsumexp(reshape(Z, 3, 2))) - sum(log_softmax(Z, 0))",
			[][2]string{{"P", "softmax(Z, 1)"}, {"C", "conv2d(Z, K, 1, 0)"}}, []string{"Z", "P", "C"}))
	g := RunGradient(e.Gradients[0], e.Matrices)
	want := map[string][2]string{ // node: what it computes, its rule
		"P":   {"softmax(Z, 1)", "∂P/∂Z: the gradient arriving at Z is p ⊙ (g − sum(g ⊙ p, 1)), where p = softmax(Z, 1) and g is the gradient arriving here"},
		"C":   {"conv2d(Z, K, 1, 0)", "∂C/∂Z: the gradient arriving at Z is G correlated with K flipped"},
		"Mx":  {"max(C, 0)", "∂Mx/∂C: the gradient of each column goes to its largest element (split evenly where several tie), 0 elsewhere"},
		"V":   {"var(Z, 0, 1)", "∂V/∂Z: 2(x − mean)/(n − ddof) times the gradient of its column"},
		"R2":  {"reshape(Z, 3, 2)", "∂R2/∂Z: reshape the gradient back to Z's shape"},
		"LSE": {"logsumexp(R2, 1)", "∂LSE/∂R2: softmax(R2, 1): each element gets the gradient of its row times its softmax probability"},
		"LP":  {"log_softmax(Z, 0)", "∂LP/∂Z: the gradient arriving at Z is g − p ⊙ sum(g, 0), where p = softmax(Z, 0)"},
	}
	found := map[string]bool{}
	for _, st := range g.Explain.Steps {
		w, ok := want[st.Name]
		if !ok {
			continue
		}
		found[st.Name] = true
		if st.Expr != w[0] {
			t.Errorf("%s computes %q, want %q", st.Name, st.Expr, w[0])
		}
		rules := ""
		for _, l := range st.Locals {
			rules += "∂" + st.Name + "/∂" + l.Wrt + ": " + l.Rule + "\n"
		}
		if !strings.Contains(rules, w[1]) {
			t.Errorf("%s: rules\n%s\nwant %q", st.Name, rules, w[1])
		}
		for _, mg := range g.Wrt {
			if mg.Name == st.Name && !mat.Equal(mg.Exact, st.Grad) {
				t.Errorf("%s: the explanation's gradient differs from the reported one", st.Name)
			}
		}
	}
	for name := range want {
		if !found[name] {
			t.Errorf("no step %s in the explanation", name)
		}
	}
}

// TestShippedExperiment08: experiments/08-softmax-and-batchnorm.yaml
// reproduces gen_ops15.py's PyTorch run on the file's own matrices. Its
// reference: blocks are that run's numbers to 12 decimals (within ½·10⁻¹²
// of ops15.json's full values), every one of them agrees with the runner's
// result, and every numeric check is ok.
func TestShippedExperiment08(t *testing.T) {
	var fx struct {
		Experiment08 map[string]struct {
			Value float64
			Grads map[string][][]float64
		}
	}
	readJSON(t, "../testdata/ref/ops15.json", &fx)
	e, err := specload.Load("../experiments/08-softmax-and-batchnorm.yaml", specload.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Gradients) != len(fx.Experiment08) {
		t.Fatalf("%d gradients, torch %d", len(e.Gradients), len(fx.Experiment08))
	}
	for _, g := range e.Gradients {
		want, ok := fx.Experiment08[g.Name]
		if !ok || g.Reference == nil || g.Reference.Value == nil {
			t.Fatalf("%s: no torch values or no reference:", g.Name)
		}
		const printed = 0.5e-12 + 1e-15
		if d := math.Abs(*g.Reference.Value - want.Value); d > printed*math.Max(1, math.Abs(want.Value)) {
			t.Errorf("%s: reference value %v, torch %v", g.Name, *g.Reference.Value, want.Value)
		}
		if len(g.Reference.Gradient) != len(want.Grads) {
			t.Errorf("%s: %d reference gradients, torch %d", g.Name, len(g.Reference.Gradient), len(want.Grads))
		}
		for _, nm := range g.Reference.Gradient {
			w := want.Grads[nm.Name]
			for i, row := range w {
				for j, v := range row {
					if d := math.Abs(nm.Value.At(i, j) - v); d > printed*math.Max(1, math.Abs(v)) {
						t.Errorf("%s: reference ∂/∂%s[%d,%d] = %v, torch %v", g.Name, nm.Name, i, j, nm.Value.At(i, j), v)
					}
				}
			}
		}
		r := RunGradient(g, e.Matrices)
		for _, row := range r.Reference.Rows {
			if !row.Agrees {
				t.Errorf("%s: %s differs from the reference by %g", g.Name, row.What, row.MaxDiff)
			}
		}
		for _, mg := range r.Wrt {
			for _, el := range mg.Elements {
				if el.Status != OK {
					t.Errorf("%s: %s %s (%s)", g.Name, el.Wrt, el.Status, el.Note)
				}
			}
		}
	}
}
