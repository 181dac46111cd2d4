package diff

import (
	"math"
	"strings"
	"testing"
)

// Regression tests for issue 13's list of wrong numbers and words. The
// expected values are closed forms worked by hand beside each case.

// second1 runs a one-variable function with order 2 at x and returns its
// first and second derivative rows.
func second1(t *testing.T, src string, x string) (Derivative, Derivative) {
	t.Helper()
	e := load(t, "title: t\nfunctions:\n  - name: f\n    expr: "+src+"\n    at: {x: "+x+"}\n    order: 2\n")
	p := RunFunction(e.Functions[0]).Points[0]
	return p.Partials[0], p.Second[0]
}

func TestHessianAtKinkAbsSquaredIsTwo(t *testing.T) {
	// |x|² = x²: f″(0) = 2 from both sides, so it is checked as usual
	_, d2 := second1(t, "abs(x)^2", "0")
	if d2.Exact != 2 || d2.Status != OK || !math.IsNaN(d2.Left) || !math.IsNaN(d2.Right) {
		t.Errorf("abs(x)^2 f″(0): exact %v status %v left %v right %v, want 2 ok with no one-sided cells", d2.Exact, d2.Status, d2.Left, d2.Right)
	}
}

func TestHessianAtKinkAbsCubedIsDifferentiable(t *testing.T) {
	// |x|³: f″ = 6|x|, 0 from both sides. Central second differences give
	// 2h (not 0), as the stencil crosses the kink: the status says that, not
	// "not differentiable"
	_, d2 := second1(t, "abs(x)^3", "0")
	if d2.Exact != 0 || math.Signbit(d2.Exact) || !math.IsNaN(d2.Left) || d2.Note == "not differentiable here" {
		t.Errorf("abs(x)^3 f″(0): exact %v left %v note %q, want 0 with no one-sided cells and not 'not differentiable'", d2.Exact, d2.Left, d2.Note)
	}
	if d2.Status == Fail {
		t.Errorf("abs(x)^3 f″(0) fails: %q", d2.Note)
	}
}

func TestHessianAtEluBreakIsKinkWithOneSidedValues(t *testing.T) {
	// elu(x, 1): f″ = eˣ for x < 0 (1 at 0⁻), 0 for x > 0: a kink of f′
	d1, d2 := second1(t, "elu(x, 1)", "0")
	if d2.Status != Kink || d2.Left != 1 || d2.Right != 0 {
		t.Errorf("elu(x,1) f″(0): status %v left %v right %v, want kink 1 0", d2.Status, d2.Left, d2.Right)
	}
	// f′(0) = 1 exists; central differences straddle the break (error h/4)
	if d1.Exact != 1 || d1.Status == Fail || !math.IsNaN(d1.Left) {
		t.Errorf("elu(x,1) f′(0): exact %v status %v left %v, want 1, not fail, no one-sided cells", d1.Exact, d1.Status, d1.Left)
	}
}

func TestHessianAtReluSquaredHasOneSidedCells(t *testing.T) {
	// relu(x)²: 0 for x < 0, x² for x > 0: f″ is 0 on the left, 2 on the right
	_, d2 := second1(t, "relu(x)^2", "0")
	if d2.Status != Kink || d2.Left != 0 || d2.Right != 2 {
		t.Errorf("relu(x)^2 f″(0): status %v left %v right %v, want kink 0 2", d2.Status, d2.Left, d2.Right)
	}
}

func TestHessianAtAbsIsKinkThoughOneSidedSecondsAgree(t *testing.T) {
	// |x|″ is 0 on both sides, but |x|′ jumps: no second derivative at 0
	_, d2 := second1(t, "abs(x)", "0")
	if d2.Status != Kink {
		t.Errorf("abs(x) f″(0): status %v, want kink", d2.Status)
	}
}

func TestChainSecondDerivativeOneSidedAtKink(t *testing.T) {
	// [relu, square] = relu(x)²: f″ 0 on the left, 2 on the right;
	// [leaky_relu, square] = leaky(x)²: 2·0.2² = 0.08 on the left, 2 on the right
	for _, c := range []struct {
		of          string
		left, right float64
	}{{"[relu, square]", 0, 2}, {"[leaky_relu, square]", 2 * 0.2 * 0.2, 2}} {
		e := load(t, "title: t\nchains:\n  - name: c\n    of: "+c.of+"\n    at: [0]\n    order: 2\n")
		d2 := RunChain(e.Chains[0]).Points[0].Second[0]
		if d2.Status != Kink || math.Abs(d2.Left-c.left) > 1e-15 || d2.Right != c.right {
			t.Errorf("%s f″(0): status %v left %v right %v, want kink %v %v", c.of, d2.Status, d2.Left, d2.Right, c.left, c.right)
		}
	}
}

func TestChainSecondDerivativeBesideKinkDoesNotFail(t *testing.T) {
	// 100k points within 10⁻³ of leaky_relu's kink: where the stencil
	// crosses the kink the second difference does not measure f″, which is
	// 2 or 0.08 everywhere off the kink
	e := load(t, "title: t\nchains:\n  - name: c\n    of: [leaky_relu, square]\n    at: {x: {from: -0.001, to: 0.001, count: 100000}}\n    order: 2\n")
	r := RunChain(e.Chains[0])
	if len(r.Points) != 100000 {
		t.Fatalf("%d points, want 100000", len(r.Points))
	}
	crossed := 0
	for _, p := range r.Points {
		for _, d := range append(p.Partials, p.Second...) {
			if d.Status == Fail {
				t.Fatalf("at x=%v %s: fail (%s)", p.At[0], d.Wrt, d.Note)
			}
		}
		if p.Second[0].Status == Kink {
			crossed++
		}
	}
	if crossed == 0 {
		t.Error("no point beside the kink was reclassified: the test does not exercise the crossing")
	}
}

func TestSquareLeakyReluAtKinkIsDifferentiable(t *testing.T) {
	// square(leaky_relu(x)): one-sided derivatives 2·0.2²·0 = 0 and 2·0 = 0
	// agree: differentiable, exact 0, no one-sided cells, the note says so
	e := load(t, "title: t\nfunctions:\n  - name: f\n    expr: square(leaky_relu(x))\n    at: {x: 0}\n")
	d := RunFunction(e.Functions[0]).Points[0].Partials[0]
	if d.Exact != 0 || !math.IsNaN(d.Left) || d.Note == "not differentiable here" {
		t.Errorf("exact %v left %v note %q", d.Exact, d.Left, d.Note)
	}
	if d.Status == Kink && d.Note[:len("differentiable here")] != "differentiable here" {
		t.Errorf("note %q does not say the function is differentiable", d.Note)
	}
}

// gradientElements runs the gradient L of the matrices decl and returns
// its checked elements by name ("X[0,0]").
func gradientElements(t *testing.T, l, decl string) map[string]Derivative {
	t.Helper()
	e := load(t, "title: t\nmatrices:\n"+decl+"gradients:\n  - name: L\n    expr: "+l+"\n")
	g := RunGradient(e.Gradients[0], e.Matrices)
	out := map[string]Derivative{}
	for _, m := range g.Wrt {
		for _, el := range m.Elements {
			out[el.Wrt] = el.Derivative
		}
	}
	return out
}

func TestGradientKinkRowsHoldOneSidedDerivatives(t *testing.T) {
	// L = Σ relu(X): ∂L/∂X[0,0] at 0 is relu′ from each side, 0 and 1;
	// L = Σ relu(−X): −relu′(0±) with −X moving the other way, −1 and 0;
	// L = Σ relu(X·W), W = [[−2]]: X[0,0]·(−2) moves opposite to X[0,0],
	// so from the left relu′ = 1 (·−2) and from the right 0
	for _, c := range []struct {
		l, decl     string
		left, right float64
	}{
		{"sum(relu(X))", "  X: [[0, 1]]\n", 0, 1},
		{"sum(relu(-X))", "  X: [[0, 1]]\n", -1, 0},
		{"sum(relu(X @ W))", "  X: [[0, 0]]\n  W: [[-2], [0.5]]\n", -2, 0},
	} {
		els := gradientElements(t, c.l, c.decl)
		d := els["X[0,0]"]
		if d.Status != Kink || d.Left != c.left || d.Right != c.right {
			t.Errorf("%s X[0,0]: status %v left %v right %v, want kink %v %v", c.l, d.Status, d.Left, d.Right, c.left, c.right)
		}
	}
}

func TestGradientNonKinkRowsHaveNoOneSidedCells(t *testing.T) {
	els := gradientElements(t, "sum(relu(X))", "  X: [[0, 1]]\n")
	if d := els["X[0,1]"]; d.Status != OK || !math.IsNaN(d.Left) || !math.IsNaN(d.Right) {
		t.Errorf("X[0,1]: status %v left %v right %v, want ok with none", d.Status, d.Left, d.Right)
	}
	els = gradientElements(t, "sum(sigmoid(X))", "  X: [[0, 1]]\n")
	for k, d := range els {
		if !math.IsNaN(d.Left) || !math.IsNaN(d.Right) {
			t.Errorf("sum(sigmoid(X)) %s: left %v right %v, want none", k, d.Left, d.Right)
		}
	}
}

func TestGradientLeakyReluTimesXIsDifferentiableAtZero(t *testing.T) {
	// L = Σ leaky_relu(X, 0.01)·X: ∂L/∂x = leaky′(x)·x + leaky(x) = 0 at 0
	// from both sides: differentiable, not "not differentiable"
	els := gradientElements(t, "sum(leaky_relu(X, 0.01) * X)", "  X: [[0, 1]]\n")
	d := els["X[0,0]"]
	if d.Exact != 0 || !math.IsNaN(d.Left) || strings.Contains(d.Note, "not differentiable") {
		t.Errorf("X[0,0]: exact %v left %v note %q", d.Exact, d.Left, d.Note)
	}
	if d.Status == Fail {
		t.Errorf("X[0,0] fails: %q", d.Note)
	}
}

func TestGradientDomainNoteNamesItsOwnElement(t *testing.T) {
	// P − h leaves log's domain at P[0,0] (0.0004 − 0.001 = −0.0006) and at
	// P[1,1] (0.0008 − 0.001 = −0.0002). Each of them is checked by a
	// one-sided stencil inside the domain, and says so with its own step; no
	// element's note leaks into another's (a note once named element [0,0]
	// for P[1,1], and the elements after a domain problem inherited it).
	els := gradientElements(t, "sum(log(P))", "  P: [[0.0004, 0.5], [0.5, 0.0008]]\n")
	for _, k := range []string{"P[0,0]", "P[1,1]"} {
		if d := els[k]; d.Status != OK || !strings.HasPrefix(d.Note, "one-sided (points x, x + h, x + 2h)") {
			t.Errorf("%s: %s, note %q; want ok by a one-sided stencil", k, d.Status, d.Note)
		}
	}
	if els["P[0,0]"].Note == els["P[1,1]"].Note {
		t.Errorf("P[0,0] and P[1,1] share the note %q; each has its own step", els["P[0,0]"].Note)
	}
	for _, k := range []string{"P[0,1]", "P[1,0]"} {
		if n := els[k].Note; n != "" {
			t.Errorf("%s note %q, want none", k, n)
		}
	}
}

func TestRichardsonEstimateDroppedWhereStencilCrossesKink(t *testing.T) {
	// abs(x − 0.01) at 0 with h = 0.05: the stencil reaches past the kink
	// at 0.01; richardson's own estimate (1.8e-3) was 44× below its true
	// error (7.7e-2), so it is not given, and the note says why
	e := load(t, "title: t\nnumeric: {method: richardson, step: 0.05}\nfunctions:\n  - name: f\n    expr: abs(x - 0.01)\n    at: {x: 0}\n  - name: g\n    expr: sin(x)\n    at: {x: 0.3}\n")
	d := RunFunction(e.Functions[0]).Points[0].Partials[0]
	if !math.IsNaN(d.ErrEst) || !strings.Contains(d.Note, "no error estimate") {
		t.Errorf("abs(x − 0.01): err_estimate %v note %q, want none and a note", d.ErrEst, d.Note)
	}
	// a smooth function keeps its estimate
	s := RunFunction(e.Functions[1]).Points[0].Partials[0]
	if math.IsNaN(s.ErrEst) || s.Note != "" {
		t.Errorf("sin: err_estimate %v note %q", s.ErrEst, s.Note)
	}
}

func TestNoSecondDerivativeWhereFirstIsKink(t *testing.T) {
	// [leaky_relu, sigmoid] at 0: f′ jumps (0.05, 0.25); f″'s one-sided
	// values agree (σ″(0) = 0 on both sides) but there is no f″
	e := load(t, "title: t\nchains:\n  - name: c\n    of: [leaky_relu, sigmoid]\n    at: [0]\n    order: 2\n")
	d2 := RunChain(e.Chains[0]).Points[0].Second[0]
	if d2.Status != Kink || !math.IsNaN(d2.Left) || !strings.Contains(d2.Note, "the first derivative has a kink") {
		t.Errorf("status %v left %v note %q", d2.Status, d2.Left, d2.Note)
	}
	_, f2 := second1(t, "sigmoid(leaky_relu(x))", "0")
	if f2.Status != Kink || !math.IsNaN(f2.Left) || !strings.Contains(f2.Note, "the first derivative has a kink") {
		t.Errorf("function: status %v left %v note %q", f2.Status, f2.Left, f2.Note)
	}
}
