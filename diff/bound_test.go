package diff

import (
	"math"
	"strings"
	"testing"
)

// every calls check with every derivative of r (first and second, and
// gradient elements and directions).
func every(r *Results, check func(where string, d Derivative)) {
	for _, it := range r.Items {
		if f := it.Function; f != nil {
			for _, p := range f.Points {
				for _, d := range append(append([]Derivative{}, p.Partials...), p.Second...) {
					check(f.Name, d)
				}
			}
		}
		if g := it.Gradient; g != nil {
			for _, m := range g.Wrt {
				for _, e := range m.Elements {
					check(g.Name, e.Derivative)
				}
			}
			for _, d := range g.Directions {
				check(g.Name, d.Derivative)
			}
		}
	}
}

// allOK fails t at every derivative of r that is not ok, and at every
// numeric one whose error is not within atol + rtol·|exact| + err_bound
// (the defaults, 1e-7 and 1e-5) by the test's own arithmetic.
func allOK(t *testing.T, r *Results) int {
	t.Helper()
	n, bad := 0, 0
	every(r, func(where string, d Derivative) {
		n++
		if d.Status != OK || !(math.Abs(d.Numeric-d.Exact) <= 1e-7+1e-5*math.Abs(d.Exact)+d.Bound.Value()) {
			if bad++; bad <= 5 {
				t.Errorf("%s ∂/∂%s: %s, exact %g numeric %g bound %g (%s)", where, d.Wrt, d.Status, d.Exact, d.Numeric, d.Bound.Value(), d.Note)
			}
		}
	})
	if bad > 0 {
		t.Errorf("%d of %d derivatives not ok", bad, n)
	}
	return n
}

// TestRosenbrockMinimumPassesByDefault: at the minimum (1, 1) of
// (1 − x)² + 100(y − x²)² the gradient is exactly 0; central differences
// give 4e-4 (the truncation 100·h²·… of the x⁴ term), which fixed mode
// fails and the bound (2·|D(h) − D(2h)| = 2.4e-3) covers.
func TestRosenbrockMinimumPassesByDefault(t *testing.T) {
	src := "functions:\n  - {name: rosenbrock, expr: (1 - x)^2 + 100*(y - x^2)^2, at: {x: 1, y: 1}}\n"
	r := Run(load(t, src))
	allOK(t, r)
	dx := r.Items[0].Function.Points[0].Partials[0]
	// D(h) = 400h² = 4e-4 at h = 1e-3 (x⁴'s central difference: 4x³ + 4x·h²
	// times 100), D(2h) = 1.6e-3
	if math.Abs(dx.Numeric-4e-4) > 1e-9 || math.Abs(dx.Bound.Truncation-2.4e-3) > 1e-8 || dx.Bound.Term() != "truncation" {
		t.Errorf("∂/∂x: %+v", dx)
	}
	if !strings.Contains(dx.Note, "within the error bound 0.0024 (truncation)") {
		t.Errorf("note %q", dx.Note)
	}
	fixed := Run(load(t, "tolerance: {mode: fixed}\n"+src))
	if d := fixed.Items[0].Function.Points[0].Partials[0]; d.Status != Fail || d.Note != "outside tolerance" {
		t.Errorf("mode fixed: %s %q, want version 1's failure", d.Status, d.Note)
	}
}

// TestSigmoidTanhSweepPassesByDefault: sigmoid(x)·tanh(x) over 10001
// points in [−10, 10] (the 1M-point run, smaller; by hand the 1M
// points from −10 to 10 pass too), where the derivative crosses 0 and the
// curvature is large.
func TestSigmoidTanhSweepPassesByDefault(t *testing.T) {
	r := Run(load(t, "functions:\n  - {name: st, expr: sigmoid(x) * tanh(x), at: {x: {from: -10, to: 10, step: 0.002}}}\n"))
	if n := allOK(t, r); n < 10000 {
		t.Errorf("%d points", n)
	}
}

// TestHessianGridPassesByDefault: sin(x)·cos(y) + x·y with order: 2 on a
// 61×61 grid over [−15, 15]²: the second differences divide round-off of
// |f| ≈ 225 by h² = 1e-6, which the bound's round-off term covers.
func TestHessianGridPassesByDefault(t *testing.T) {
	r := Run(load(t, "functions:\n  - {name: s, expr: sin(x)*cos(y) + x*y, order: 2, at: {x: {from: -15, to: 15, step: 0.5}, y: {from: -15, to: 15, step: 0.5}}}\n"))
	if n := allOK(t, r); n != 61*61*5 {
		t.Errorf("%d derivatives, want %d", n, 61*61*5)
	}
}

// TestTanhLayerPassesByDefault: sum(tanh(X @ W)) with X 64×256 and W 256×64
// drawn by randn: every element checked (or sampled, with directions) is
// ok by default.
func TestTanhLayerPassesByDefault(t *testing.T) {
	r := Run(load(t, "random: {seed: 3}\nmatrices:\n  X: {randn: [64, 256]}\n  W: {randn: [256, 64]}\ngradients:\n  - {name: L, expr: sum(tanh(X @ W)), wrt: [X, W]}\n"))
	if n := allOK(t, r); n < 10 {
		t.Errorf("%d derivatives", n)
	}
}

// TestSmallProbabilityLossesPassByDefault: sum(log(P)) with elements of P
// below h = 1e-3 (where P − h < 0 would give NaN) and a cross-entropy
// with probabilities sigmoid(Z) and 1 − sigmoid(Z) near 1e-4 pass by default; the elements
// below h are taken by a one-sided stencil the note names, and within a
// bound far below |exact| (∂/∂P = 1/P, exact to the test's arithmetic).
func TestSmallProbabilityLossesPassByDefault(t *testing.T) {
	r := Run(load(t, `matrices:
  P: [[0.0004, 0.5], [0.5, 0.0008], [0.0001, 0.002]]
  Z: [[0, 9.2, 0.5], [-9, 0, 0.1]]
  Y: [[1, 0, 0], [1, 0, 0]]
gradients:
  - {name: L, expr: sum(log(P)), wrt: [P]}
  - {name: CE, expr: '-sum(Y * log(sigmoid(Z)) + (1 - Y) * log(1 - sigmoid(Z)))', wrt: [Z]}
`))
	allOK(t, r)
	g := r.Items[0].Gradient.Wrt[0]
	for _, e := range g.Elements {
		p := g.Input.At(e.I, e.J)
		if math.Abs(e.Exact-1/p) > 1e-12/p {
			t.Errorf("%s: exact %g, want 1/P = %g", e.Wrt, e.Exact, 1/p)
		}
		oneSided := strings.Contains(e.Note, "one-sided")
		// the bound's D(2h) reaches x − 2h: at P ≤ 2h = 0.002 that leaves the domain too
		if oneSided != (p <= 2e-3) {
			t.Errorf("%s = %g: note %q", e.Wrt, p, e.Note)
		}
		if e.Bound.Value() > 1e-4*math.Abs(e.Exact) {
			t.Errorf("%s: bound %g is vacuous beside 1/P = %g", e.Wrt, e.Bound.Value(), e.Exact)
		}
	}
}

// TestOneSidedAtDomainEdge: log and sqrt at points closer to 0 than h,
// for a first derivative and, with order 2, a second, give the one-sided
// stencil's value, not NaN: within its bound of the exact 1/x, 1/(2√x),
// −1/x² and −1/(4x^1.5), and the bound below 1e-4 of them.
func TestOneSidedAtDomainEdge(t *testing.T) {
	for _, c := range []struct {
		expr   string
		x      float64
		d1, d2 float64
	}{
		{"log(x)", 1e-4, 1e4, -1e8},
		{"sqrt(x)", 2e-4, 0.5 / math.Sqrt(2e-4), -0.25 / math.Pow(2e-4, 1.5)},
		{"log(x)", 5e-7, 2e6, -4e12},
	} {
		for _, m := range []string{"central", "five-point", "richardson"} { // forward's stencil stays inside
			r := Run(load(t, "numeric: {method: "+m+"}\nfunctions:\n  - {name: f, expr: \""+c.expr+"\", order: 2, at: "+strings.TrimSpace(g(c.x))+"}\n"))
			p := r.Items[0].Function.Points[0]
			for _, d := range []struct {
				got  Derivative
				want float64
			}{{p.Partials[0], c.d1}, {p.Second[0], c.d2}} {
				got := d.got
				if got.Status != OK || !strings.Contains(got.Note, "one-sided") || math.Abs(got.Exact-d.want) > 1e-9*math.Abs(d.want) {
					t.Errorf("%s %s at %g: %s exact %g numeric %g (%s)", m, c.expr, c.x, got.Status, got.Exact, got.Numeric, got.Note)
				}
				if err := math.Abs(got.Numeric - d.want); !(err <= got.Bound.Value()) || got.Bound.Value() > 1e-4*math.Abs(d.want) {
					t.Errorf("%s %s at %g: error %g, bound %g", m, c.expr, c.x, err, got.Bound.Value())
				}
			}
		}
	}
}

// TestBoundFailureNoteGivesNumbers: a wrong exact value (scaled by
// 1 + 1e-4 through the test hook) fails in mode bound, and the note gives
// |numeric − exact|, atol + rtol·|exact|, the bound and its larger term.
func TestBoundFailureNoteGivesNumbers(t *testing.T) {
	mutateExact = func(e float64) float64 { return e * (1 + 1e-4) }
	defer func() { mutateExact = nil }()
	d := Run(load(t, "functions:\n  - {name: f, expr: exp(x), at: 1}\n")).Items[0].Function.Points[0].Partials[0]
	// |numeric − exact′| ≈ 1e-4·e = 2.7e-4; atol + rtol·|exact′| = 1e-7 + 1e-5·e·(1 + 1e-4) ≈ 2.7e-5
	want := "outside tolerance: |numeric − exact| = 0.00027 > atol + rtol·|exact| + bound = 2.7e-05 + "
	if d.Status != Fail || !strings.HasPrefix(d.Note, want) || !strings.HasSuffix(d.Note, "(truncation)") {
		t.Errorf("%s %q, want a note starting %q", d.Status, d.Note, want)
	}
}
