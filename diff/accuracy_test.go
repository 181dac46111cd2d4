package diff

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/internal/reftest"
	specload "github.com/runner-dev/runner/spec/load"
)

// refs reads ../testdata/ref/funcs.csv (mpmath at 120+ digits, written by
// gen_funcs.py beside it).
func refs(t *testing.T) []reftest.Func {
	cases, err := reftest.Funcs("../testdata/ref/funcs.csv")
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

func within(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Abs(want) || math.Abs(got-want) <= 1e-300
}

// experiment turns a registry case into a function item "name(x, params)"
// at its point, with the given method (and step, when not 0) and order 2.
func experiment(t *testing.T, c reftest.Func, method string, step float64) *Function {
	call := c.Name + "(x"
	if c.ParamText != "" {
		call += ", " + strings.ReplaceAll(c.ParamText, ";", ", ")
	}
	call += ")"
	num := "method: " + method
	if step != 0 {
		num += fmt.Sprintf(", step: %g", step)
	}
	src := fmt.Sprintf("functions:\n  - {name: f, expr: '%s', at: %v, order: 2, numeric: {%s}}\n", call, c.X, num)
	e, err := specload.Parse("t.yaml", []byte(src), specload.DefaultOptions)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return RunFunction(e.Functions[0])
}

// TestExactAndComplexStep: through the whole engine (parse, compile, dual and
// hyper-dual numbers), exact first and second derivatives of every registry
// function within 1e-14 relative of mpmath, and complex-step within 1e-14.
func TestExactAndComplexStep(t *testing.T) {
	for _, c := range refs(t) {
		tol := 1e-14
		if c.Name == "gelu" && c.X <= -20 {
			tol = 1e-13 // math.Erfc's own accuracy this deep in its tail (see funcs_test.go)
		}
		r := experiment(t, c, "complex-step", 0)
		p := r.Points[0]
		if d := p.Partials[0]; !within(d.Exact, c.D1, tol) || !within(d.Numeric, c.D1, tol) {
			t.Errorf("%s(%g; %s)': exact %.17g, complex step %.17g, mpmath %.17g", c.Name, c.X, c.ParamText, d.Exact, d.Numeric, c.D1)
		}
		if d := p.Second[0]; !within(d.Exact, c.D2, tol) {
			t.Errorf("%s(%g; %s)'': exact %.17g, mpmath %.17g", c.Name, c.X, c.ParamText, d.Exact, c.D2)
		}
	}
}

// TestRichardsonAndCentral: Richardson extrapolation (h = 0.01) within 1e-10
// of mpmath; central differences at h = 1e-3 within twice their theoretical
// error h²|f”'|/6 plus round-off 4ε|f|/h. Only moderate |x|, where these
// methods are meant to be used.
func TestRichardsonAndCentral(t *testing.T) {
	const eps = 0x1p-52
	for _, c := range refs(t) {
		if math.Abs(c.X) > 10 {
			continue
		}
		if c.X-0.01 <= 0 && (c.Name == "sqrt" || c.Name == "log" || c.Name == "pow" && c.ParamText == "0.5") {
			continue // the stencils would leave the domain
		}
		r := experiment(t, c, "richardson", 0.01).Points[0].Partials[0]
		if math.Abs(r.Numeric-c.D1) > 1e-10*math.Max(1, math.Abs(c.D1)) {
			t.Errorf("%s(%g; %s)': richardson %.17g, mpmath %.17g", c.Name, c.X, c.ParamText, r.Numeric, c.D1)
		}
		h := 1e-3
		d := experiment(t, c, "central", h).Points[0].Partials[0]
		bound := 2*h*h*math.Abs(c.D3)/6 + 4*eps*math.Abs(c.Value)/h + 1e-300
		if math.Abs(d.Numeric-c.D1) > bound {
			t.Errorf("%s(%g; %s)': central %.17g, mpmath %.17g: error %.2g beyond %.2g", c.Name, c.X, c.ParamText, d.Numeric, c.D1, math.Abs(d.Numeric-c.D1), bound)
		}
	}
}

// TestKinkOneSided: at a kink the status is kink and the report carries both
// one-sided derivatives, worked out by hand.
func TestKinkOneSided(t *testing.T) {
	e := load(t, `functions:
  - {name: r, expr: relu(x), at: 0}
  - {name: a, expr: 3 * abs(x - 1), at: 1}
  - {name: n, expr: 'leaky_relu(-x, 0.1)', at: 0}
chains:
  - {name: c, of: [leaky_relu, square, relu], at: 0}
  - {name: d, of: [x - 2, leaky_relu(x, 0.5), exp], at: 2}
`)
	r := Run(e)
	for i, want := range [][2]float64{{0, 1}, {-3, 3}, {-1, -0.1}, {0, 0}, {0.5, 1}} {
		d := r.Items[i].Function.Points[0].Partials[0]
		if want[0] == want[1] {
			// square flattens leaky_relu's kink: differentiable, derivative 0
			if d.Status != OK || d.Exact != 0 {
				t.Errorf("%s: %s exact %v, want ok 0", r.Items[i].Function.Name, d.Status, d.Exact)
			}
			continue
		}
		if d.Status != Kink || d.Left != want[0] || d.Right != want[1] {
			t.Errorf("%s: %s left %v right %v, want kink %v %v", r.Items[i].Function.Name, d.Status, d.Left, d.Right, want[0], want[1])
		}
	}
}

// TestHessianAndChainSecond checks second derivatives against formulas
// worked by hand: f = x·y² + sin x has ∂²f/∂x² = −sin x, ∂²f/∂x∂y = 2y,
// ∂²f/∂y² = 2x; the chain [square, sigmoid] has σ”(x²)(2x)² + 2σ'(x²).
func TestHessianAndChainSecond(t *testing.T) {
	e := load(t, `functions:
  - {name: f, expr: x * y^2 + sin(x), at: {x: 0.7, y: -1.3}, order: 2}
chains:
  - {name: c, of: [square, sigmoid], at: 0.8, order: 2}
`)
	r := Run(e)
	x, y := 0.7, -1.3
	for i, want := range []float64{-math.Sin(x), 2 * y, 2 * x} {
		d := r.Items[0].Function.Points[0].Second[i]
		if math.Abs(d.Exact-want) > 1e-15 || d.Status != OK {
			t.Errorf("f %s: exact %.17g numeric %.17g (%s), want %.17g", d.Wrt, d.Exact, d.Numeric, d.Status, want)
		}
	}
	u := 0.8 * 0.8
	s := funcs.Sigmoid(u)
	want := s*(1-s)*(1-2*s)*(2*0.8)*(2*0.8) + 2*s*(1-s)
	d := r.Items[1].Function.Points[0].Second[0]
	if math.Abs(d.Exact-want) > 1e-15 || d.Status != OK {
		t.Errorf("chain'': exact %.17g numeric %.17g (%s), want %.17g", d.Exact, d.Numeric, d.Status, want)
	}
}

// TestStudyShape: for sigmoid at 1, central differences' error falls like h²
// (a decade of h, two decades of error) until round-off turns it up again,
// so the best step lies strictly inside the sweep; forward differences fall
// like h; complex step's error (its truncation h²|f‴|/6, with no round-off)
// is at round-off level once h ≤ 1e-7.
func TestStudyShape(t *testing.T) {
	e := load(t, "functions:\n  - {name: s, expr: sigmoid(x), at: 1, study: {at: 1, from: 1e-1, to: 1e-13, per_decade: 1}}\n")
	st := RunFunction(e.Functions[0]).Study
	col := map[string]int{}
	for i, m := range st.Methods {
		col[m] = i
	}
	c, f, cs := st.Err[col["central"]], st.Err[col["forward"]], st.Err[col["complex-step"]]
	best := st.Best[col["central"]]
	if best <= 1 || best >= len(st.Steps)-2 || c[0] < 100*c[best] || c[len(c)-1] < 100*c[best] {
		t.Errorf("central: no V: errors %v, best at %g", c, st.Steps[best])
	}
	if r := c[1] / c[2]; r < 80 || r > 120 {
		t.Errorf("central: error ratio over a decade of h = %g, want about 100", r)
	}
	if r := f[1] / f[2]; r < 8 || r > 12 {
		t.Errorf("forward: error ratio over a decade of h = %g, want about 10", r)
	}
	for k := 6; k < len(cs); k++ {
		if cs[k] > 1e-15 {
			t.Errorf("complex step at h = %g: error %g", st.Steps[k], cs[k])
		}
	}
}

// TestStencilCrossesKink: at x within h of a kink the function is
// differentiable, but x ± h straddles the kink; that is reported as kink
// with the reason, never as a failure. Just outside h the check applies.
// Version 1's rule (mode fixed): in mode bound, the difference across the
// kink carries a bound as wide as the jump it makes.
func TestStencilCrossesKink(t *testing.T) {
	e := load(t, `tolerance: {mode: fixed}
functions:
  - {name: r, expr: relu(x) + x, at: [0.0004, 0.002]}
chains:
  - {name: c, of: [leaky_relu, square, sigmoid], at: [-0.0005, 0.0015]}
`)
	r := Run(e)
	for _, f := range []*Function{r.Items[0].Function, r.Items[1].Function} {
		near, far := f.Points[0].Partials[0], f.Points[1].Partials[0]
		if near.Status != Kink || !strings.Contains(near.Note, "crosses") {
			t.Errorf("%s near the kink: %s %q", f.Name, near.Status, near.Note)
		}
		if far.Status != OK {
			t.Errorf("%s away from the kink: %s %q", f.Name, far.Status, far.Note)
		}
	}
}
