package reports

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// Tests for what read badly when the shipped reports were rendered as a
// code host shows them (KaTeX and Mermaid in a browser) and looked at.

// TestChainProductParenthesizesNegativeFactors: in a chain's step-by-step
// products a negative factor is in parentheses, "0.000123379 · (-6)", not
// "0.000123379 · -6", which reads as a subtraction.
func TestChainProductParenthesizesNegativeFactors(t *testing.T) {
	md := string(Markdown(run13(t, "chains:\n  - {name: c, of: [square, sigmoid], at: -3}\n")))
	s := 1 / (1 + math.Exp(-9)) // σ(9), by the formula, not the registry
	sig := fmt.Sprintf("%.6g", s*(1-s))
	want := fmt.Sprintf("= %s · (-6) = **%.6g** (exact)", sig, -6*s*(1-s))
	if !strings.Contains(md, want) {
		t.Errorf("chain step lacks %q:\n%s", want, md)
	}
	if strings.Contains(md, "· -6") {
		t.Errorf("a negative factor without parentheses:\n%s", md)
	}
	if got := factor(0.5); got != "0.5" {
		t.Errorf("factor(0.5) = %q, want 0.5", got)
	}
}

// TestComputationHeadingNamesThePoint: the forward-mode heading writes the
// point as prose, "x = 2" or "(x, y) = (-1, -0.5)", not the CSV's
// "x=-1;y=-0.5".
func TestComputationHeadingNamesThePoint(t *testing.T) {
	md := string(Markdown(run13(t, "functions:\n  - {name: f, expr: x^2, at: {x: 2}}\n  - {name: g, expr: x * y, at: {x: -1, y: -0.5}}\n")))
	for _, want := range []string{
		"### The computation at x = 2, step by step\n",
		"### The computation at (x, y) = (-1, -0.5), step by step\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(md, "x=-1;y=-0.5, step") {
		t.Error("heading still uses the CSV's point label")
	}
}

// TestNodeMathOneMatrixPerLine: in the backward pass, a node whose value,
// local derivatives and arriving gradient hold more than one matrix gets
// one display line per quantity (a row of 3×2 matrices ran off the page);
// a node with at most one matrix keeps its one line.
func TestNodeMathOneMatrixPerLine(t *testing.T) {
	md := string(Markdown(run13(t, "matrices:\n  X: [[1, 2, 3], [4, 5, 6], [7, 8, 9]]\n  W: [[1, 0], [0, 1], [1, 1]]\n"+
		"gradients:\n  - {name: L, expr: sum(X @ W)}\n")))
	i := strings.Index(md, "**N**, `X @ W`:\n\n")
	if i < 0 {
		t.Fatalf("no node N:\n%s", md)
	}
	block := md[i:]
	block = block[:strings.Index(block, "**X**")]
	lines := 0
	for _, l := range strings.Split(block, "\n") {
		if strings.HasPrefix(l, "$$") {
			lines++
			if strings.Contains(l, `\quad`) || !strings.HasSuffix(l, "$$") {
				t.Errorf("node N: a display line with several quantities: %s", l)
			}
		}
	}
	// N, ∂N/∂X, ∂N/∂W, ∂L/∂N: four quantities, four lines.
	if lines != 4 {
		t.Errorf("node N has %d display lines, want 4:\n%s", lines, block)
	}
	// L = sum(N) = 63 (X·W by hand: rows 4 5, 10 11, 16 17): a scalar, ∂L/∂N (3×2 ones) and ∂L/∂L = 1 stay on one line.
	if !strings.Contains(md, "$$L = 63, \\quad \\frac{\\partial L}{\\partial N} = \\begin{bmatrix}") {
		t.Errorf("node L is not one line:\n%s", md)
	}
}
