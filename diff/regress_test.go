package diff

import "testing"

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
