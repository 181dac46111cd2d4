package diff

import (
	"math"
	"strings"
	"testing"
)

// Regression tests for three verdicts an independent review found wrong:
// a gradient's stencil crossing a kink away from it, ties of max, min,
// maximum and minimum, and the jump of sign. The expected one-sided values
// are worked by hand beside each case.

func TestGradientStencilCrossingKinkIsKinkNotFail(t *testing.T) {
	// X[0,0] = 0.0005, h = 0.001: relu(x − 0.0007) has its kink at 0.0007
	// and maximum(x, 0.0004) its tie at 0.0004, both inside the stencil
	// [x − 2h, x + 2h]. The derivative at 0.0005 is 0 for relu (x < 0.0007)
	// and 1 for maximum (x > 0.0004); the difference across the kink is not.
	exact := map[string]float64{"sum(relu(X - 0.0007))": 0, "sum(maximum(X, 0.0004))": 1}
	for l, want := range exact {
		els := gradientElements(t, l, "  X: [[0.0005, 1]]\n")
		if d := els["X[0,0]"]; d.Exact != want || d.Status != Kink || !strings.Contains(d.Note, "the numeric stencil crosses") {
			t.Errorf("%s X[0,0]: exact %v status %v note %q, want %v kink by a crossing", l, d.Exact, d.Status, d.Note, want)
		}
		if d := els["X[0,1]"]; d.Status != OK || d.Note != "" {
			t.Errorf("%s X[0,1]: status %v note %q, want ok", l, d.Status, d.Note)
		}
	}
}

func TestGradientTieOfMaxOverAxisIsKink(t *testing.T) {
	// max(Y, 1) of row [1, 2, 2] ties between Y[0,1] and Y[0,2]: moving
	// either up moves the maximum, moving it down does not (one-sided
	// derivatives 0 and 1). Row [0, 0, 3] has no tie for the maximum.
	els := gradientElements(t, "sum(max(Y, 1))", "  Y: [[1, 2, 2], [0, 0, 3]]\n")
	for k, d := range els {
		tied := k == "Y[0,1]" || k == "Y[0,2]"
		if tied && (d.Status != Kink || !strings.Contains(d.Note, "one-sided derivatives are not computed")) {
			t.Errorf("%s: status %v note %q, want kink", k, d.Status, d.Note)
		}
		if !tied && d.Status != OK {
			t.Errorf("%s: status %v note %q, want ok", k, d.Status, d.Note)
		}
	}
}

func TestGradientTieOfMaximumIsKinkWithOneSidedValues(t *testing.T) {
	// L = Σ maximum(Y, B)·Y at Y[0,0] = B[0,0] = 1: from the left B wins,
	// L's term is 1·y, slope 1; from the right y², slope 2. For B[0,0]
	// the term is maximum(1, b)·1: slope 0 from the left, 1 from the right.
	// At Y[1,1] = B[1,1] = 0 the term is maximum(y, 0)·y, slope 0 from
	// both sides: differentiable there, with derivative 0.
	els := gradientElements(t, "sum(maximum(Y, B) * Y)", "  Y: [[1, 2, 2], [0, 0, 3]]\n  B: [[1, 0, 2], [5, 0, 1]]\n")
	for _, c := range []struct {
		k           string
		left, right float64
	}{{"Y[0,0]", 1, 2}, {"B[0,0]", 0, 1}, {"Y[0,2]", 2, 4}, {"B[0,2]", 0, 2}} {
		d := els[c.k]
		if d.Status != Kink || d.Left != c.left || d.Right != c.right {
			t.Errorf("%s: status %v left %v right %v note %q, want kink %v %v", c.k, d.Status, d.Left, d.Right, d.Note, c.left, c.right)
		}
	}
	if d := els["Y[1,1]"]; d.Status != OK || d.Exact != 0 || !math.IsNaN(d.Left) {
		t.Errorf("Y[1,1]: status %v exact %v left %v, want ok 0", d.Status, d.Exact, d.Left)
	}
	// minimum: Σ minimum(X, 1) at X[0,0] = 1, slopes 1 from the left, 0 from the right
	d := gradientElements(t, "sum(minimum(X, 1))", "  X: [[1, 3]]\n")["X[0,0]"]
	if d.Status != Kink || d.Left != 1 || d.Right != 0 {
		t.Errorf("minimum X[0,0]: status %v left %v right %v, want kink 1 0", d.Status, d.Left, d.Right)
	}
}

func TestSignAtZeroJumpsSoIsNotDifferentiable(t *testing.T) {
	const note = "not differentiable here: the function jumps"
	for _, src := range []string{"sign(x)", "x * sign(x)"} {
		for _, mode := range []string{"", "tolerance: {mode: fixed}\n"} {
			e := load(t, "title: t\n"+mode+"functions:\n  - name: f\n    expr: "+src+"\n    at: {x: 0}\n")
			d := RunFunction(e.Functions[0]).Points[0].Partials[0]
			if d.Status != Kink || !strings.HasPrefix(d.Note, note) || !math.IsNaN(d.Left) {
				t.Errorf("%s %s: status %v note %q left %v, want kink with a jump", src, mode, d.Status, d.Note, d.Left)
			}
		}
	}
	// a variable sign does not depend on: ∂(y + sign(x))/∂y = 1 stays ok
	e := load(t, "title: t\nfunctions:\n  - name: f\n    expr: y + sign(x)\n    at: {x: 0, y: 1}\n")
	if d := RunFunction(e.Functions[0]).Points[0].Partials[1]; d.Status != OK || d.Exact != 1 {
		t.Errorf("∂/∂y: status %v exact %v, want ok 1", d.Status, d.Exact)
	}
	e = load(t, "title: t\nchains:\n  - name: c\n    of: [sign, sin]\n    at: [0]\n")
	if d := RunChain(e.Chains[0]).Points[0].Partials[0]; d.Status != Kink || !strings.HasPrefix(d.Note, note) {
		t.Errorf("chain: status %v note %q", d.Status, d.Note)
	}
	for _, l := range []string{"sum(sign(S))", "sum(S * sign(S))"} {
		els := gradientElements(t, l, "  S: [[0, 1]]\n")
		if d := els["S[0,0]"]; d.Status != Kink || !strings.HasPrefix(d.Note, note) || !math.IsNaN(d.Left) {
			t.Errorf("%s S[0,0]: status %v note %q left %v", l, d.Status, d.Note, d.Left)
		}
		if d := els["S[0,1]"]; d.Status != OK {
			t.Errorf("%s S[0,1]: status %v note %q", l, d.Status, d.Note)
		}
	}
}
