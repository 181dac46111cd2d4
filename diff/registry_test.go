package diff

import (
	"math"
	"strings"
	"testing"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
)

// paramSets are the parameters each function is checked with: its defaults
// (when every parameter has one), then every parameter 0.5, then every
// parameter 3 (neither is a default, so elu's a ≠ 1 branch is covered).
func paramSets(f *funcs.Func) [][]float64 {
	var sets [][]float64
	if f.MinArgs() == 1 {
		sets = append(sets, f.Fill(nil))
	}
	for _, v := range []float64{0.5, 3} {
		p := make([]float64, len(f.Params))
		for i := range p {
			p[i] = v
		}
		if len(p) > 0 {
			sets = append(sets, p)
		}
	}
	return sets
}

// TestRegistryComplete walks the whole registry: every entry has a value F,
// an exact derivative D, a complex extension C, a LaTeX template, and a
// Symbolic derivative that parses and, substituted as reports use it and
// evaluated, equals D.
//
// Points are kept 0.1 or more from kinks and inside the domain. Tolerances:
// the symbolic formula and D are different roundings of the same number; the
// worst conditioning here is 1 − tanh²(x) at x = 3.1 (relative condition
// 2tanh²/(1 − tanh²) ≈ 250, so ≈ 250·2.2e-16 ≈ 6e-14), and 1e-12 relative
// (absolute below 1) leaves a margin of 15 while a wrong formula is off by
// O(1). The complex step Im f(x + ih)/h with h = 1e-20 has truncation error
// O(h²) ≈ 1e-40 and no cancellation, so only C's rounding remains: the same
// 1e-12 bound.
func TestRegistryComplete(t *testing.T) {
	const tol, h = 1e-12, 1e-20
	points := []float64{-2.3, -1.3, -0.4, 0.35, 0.9, 1.7, 3.1}
	x := &expr.Ident{Name: "x"}
	for _, f := range funcs.All() {
		if f.F == nil || f.D == nil || f.C == nil {
			t.Errorf("%s: missing F, D or C", f.Name)
			continue
		}
		if !strings.Contains(f.LaTeX, "#1") {
			t.Errorf("%s: LaTeX template %q does not show the argument #1", f.Name, f.LaTeX)
		}
		if _, err := symbolicTree(f); err != nil {
			t.Error(err)
			continue
		}
		for _, p := range paramSets(f) {
			d := Simplify(registryDerivative(&expr.Call{Name: f.Name, Args: []expr.Node{x}, Fn: f, Params: p}, x))
			checked := 0
			for _, at := range points {
				if f.In != nil && !f.In(at, p) || nearKink(f, at, p) {
					continue
				}
				want := f.D(at, p)
				if math.IsNaN(want) || math.IsInf(want, 0) {
					continue // outside pow's real domain: (−1.3)^0.5
				}
				checked++
				bound := tol * math.Max(1, math.Abs(want))
				if got := evalTree(d, map[string]float64{"x": at}); !(math.Abs(got-want) <= bound) {
					t.Errorf("%s%v'(%g): Symbolic %s = %.17g, D %.17g", f.Name, p, at, expr.String(d), got, want)
				}
				if got := imag(f.C(complex(at, h), p)) / h; !(math.Abs(got-want) <= bound) {
					t.Errorf("%s%v'(%g): complex step %.17g, D %.17g", f.Name, p, at, got, want)
				}
				if got, v := real(f.C(complex(at, h), p)), f.F(at, p); !(math.Abs(got-v) <= tol*math.Max(1, math.Abs(v))) {
					t.Errorf("%s%v(%g): Re C %.17g, F %.17g", f.Name, p, at, got, v)
				}
			}
			if checked < 3 {
				t.Errorf("%s%v: only %d points checked", f.Name, p, checked)
			}
		}
	}
	// every helper a formula may call has a LaTeX form and a value in evalTree
	for _, hp := range funcs.Helpers() {
		if !strings.Contains(hp.LaTeX, "#1") {
			t.Errorf("helper %s: LaTeX template %q does not show the argument #1", hp.Name, hp.LaTeX)
		}
		func() {
			defer func() {
				if recover() != nil {
					t.Errorf("helper %s: evalTree cannot evaluate it", hp.Name)
				}
			}()
			evalTree(call(hp.Name, x), map[string]float64{"x": 0.5})
		}()
	}
}

func nearKink(f *funcs.Func, x float64, p []float64) bool {
	if f.Kinks == nil {
		return false
	}
	for _, k := range f.Kinks(p) {
		if math.Abs(x-k) < 0.1 {
			return true
		}
	}
	return false
}

// TestParseSymbolicRejects: a formula naming anything but x, the function's
// parameters and one-argument registry functions or helpers is refused, and
// the error names the function and the column.
func TestParseSymbolicRejects(t *testing.T) {
	withA := []funcs.Param{{Name: "a", Default: 1, HasDefault: true}}
	for _, c := range []struct {
		sym, want string
		params    []funcs.Param
	}{
		{"", "no Symbolic", nil},
		{"1 +", "col", nil},
		{"y * x", `col 1: y is neither x nor a parameter`, nil},
		{"a * x", `col 1: a is neither x nor a parameter`, nil},
		{"2 * foo(x)", `col 5: foo is not a one-argument`, nil},
		{"sin(x, a)", `col 1: sin is not a one-argument`, withA},
	} {
		_, err := parseSymbolic(&funcs.Func{Name: "fake", Symbolic: c.sym, Params: c.params})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "fake") {
			t.Errorf("Symbolic %q: error %v, want one naming fake and containing %q", c.sym, err, c.want)
		}
	}
	if _, err := parseSymbolic(&funcs.Func{Name: "fake", Symbolic: "a * exp(x) + H(x)", Params: withA}); err != nil {
		t.Errorf("a valid formula refused: %v", err)
	}
}
