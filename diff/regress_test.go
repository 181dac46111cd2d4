package diff

import (
	"math"
	"testing"
)

// Regression tests for wrong numbers and words found by independent checks
// (issue 13), each named after what it checks.

// TestPowOutsideDomainIsUndefined: (−1)^2.5 is not a real number; the note
// said "overflows".
func TestPowOutsideDomainIsUndefined(t *testing.T) {
	e := load(t, "functions:\n  - {name: p, expr: 'pow(x, 2.5)', at: -1}\n  - {name: q, expr: 'pow(x, -1)', at: 0}\n  - {name: r, expr: 'pow(x, 3)', at: -2}\n")
	for i, want := range []string{
		"pow(-1, 2.5) is undefined: outside its domain every x for a whole p ≥ 0, x ≠ 0 for a whole p < 0, x ≥ 0 for other p > 0, x > 0 for other p < 0",
		"pow(0, -1) is undefined: outside its domain every x for a whole p ≥ 0, x ≠ 0 for a whole p < 0, x ≥ 0 for other p > 0, x > 0 for other p < 0",
		"",
	} {
		d := RunFunction(e.Functions[i]).Points[0].Partials[0]
		if d.Note != want {
			t.Errorf("%s: note %q, want %q", e.Functions[i].Name, d.Note, want)
		}
	}
}

// TestJacobianAndHessianRowsCells: a Jacobian entry carries its numeric
// derivative's error bound, as every other numeric derivative does, and
// neither Jacobian nor Hessian rows hold one-sided values away from kinks
// (they held 0 and 0); Hessian rows, judged by the tolerance alone, carry
// no bound.
func TestJacobianAndHessianRowsCells(t *testing.T) {
	e := load(t, "matrices:\n  X: [[0.5, -1], [2, 0.25]]\n  W: [[1, 2], [-0.5, 0.75]]\njacobians:\n  - {name: J, expr: sigmoid(X @ W), wrt: [X]}\ngradients:\n  - {name: L, expr: sum(tanh(X @ W)), wrt: [W], order: 2}\n")
	r := Run(e)
	n := 0
	for _, it := range r.Items {
		if j := it.Jacobian; j != nil {
			for _, b := range j.Wrt {
				for _, en := range b.Entries {
					n++
					if d := en.Derivative; !math.IsNaN(d.Left) || !math.IsNaN(d.Right) || !(d.Bound.Value() >= 0) || d.Status != OK {
						t.Errorf("Jacobian %v %s: left %v right %v bound %v status %s", en.Out, d.Wrt, d.Left, d.Right, d.Bound.Value(), d.Status)
					}
				}
			}
		}
		if g := it.Gradient; g != nil {
			for _, d := range g.Second {
				n++
				if !math.IsNaN(d.Left) || !math.IsNaN(d.Right) || !math.IsNaN(d.Bound.Value()) || d.Status != OK {
					t.Errorf("Hessian %s: left %v right %v bound %v status %s", d.Wrt, d.Left, d.Right, d.Bound.Value(), d.Status)
				}
			}
		}
	}
	if n != 4*4+10 { // 4 outputs × 4 inputs; 4·5/2 Hessian pairs
		t.Errorf("%d rows, want 26", n)
	}
}
