package diff

import (
	"math"
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
