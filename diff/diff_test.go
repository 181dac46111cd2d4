package diff

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/spec"
	specload "github.com/runner-dev/runner/spec/load"
)

func load(t *testing.T, src string) *spec.Experiment {
	t.Helper()
	e, err := specload.Parse("t.yaml", []byte(src), specload.DefaultOptions)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return e
}

func rows(m [][]float64) string {
	var b strings.Builder
	b.WriteString("[")
	for i, r := range m {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("[")
		for j, v := range r {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%v", v) // shortest round-trip form: the same float64
		}
		b.WriteString("]")
	}
	return b.String() + "]"
}

// torchCase is one expression of the PyTorch fixture with its results.
type torchCase struct {
	Expr  string
	Value float64
	Grads map[string][][]float64
}

// torchFile is the PyTorch fixture: the input matrices and the cases.
type torchFile struct {
	Matrices map[string][][]float64
	Cases    []torchCase
}

// torchFixture reads ../testdata/ref/torch.json (written by gen_torch.py
// beside it): its cases, and its matrices as the matrices: section of an
// experiment file.
func torchFixture(t *testing.T) (fx torchFile, decl string) {
	t.Helper()
	return fixture(t, "../testdata/ref/torch.json", []string{"X", "W", "B", "Y", "W1", "W2", "C", "R", "P", "Q"})
}

// fixture reads a PyTorch fixture at path: its cases, and the matrices
// named as the matrices: section of an experiment file.
func fixture(t *testing.T, path string, names []string) (fx torchFile, decl string) {
	t.Helper()
	readJSON(t, path, &fx)
	return fx, declare(fx.Matrices, names)
}

// readJSON reads the JSON file at path into v.
func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// declare writes the named matrices as the matrices: section of an
// experiment file.
func declare(m map[string][][]float64, names []string) string {
	var d strings.Builder
	for _, name := range names {
		fmt.Fprintf(&d, "  %s: %s\n", name, rows(m[name]))
	}
	return d.String()
}

// closeTo reports the first element of got that differs from want by more
// than tol·max(1, max |want|), or "".
func closeTo(got *mat.Dense, want [][]float64, tol float64) string {
	r, c := got.Dims()
	if r != len(want) || c != len(want[0]) {
		return fmt.Sprintf("%d×%d, torch %d×%d", r, c, len(want), len(want[0]))
	}
	scale := math.Max(1, maxAbsRows(want))
	for i, row := range want {
		for j, v := range row {
			if math.Abs(got.At(i, j)-v) > tol*scale {
				return fmt.Sprintf("[%d,%d] = %.17g, torch %.17g", i, j, got.At(i, j), v)
			}
		}
	}
	return ""
}

// maxAbsRows is the largest |v| of the rows' elements.
func maxAbsRows(rows [][]float64) float64 {
	m := 0.0
	for _, row := range rows {
		for _, v := range row {
			m = math.Max(m, math.Abs(v))
		}
	}
	return m
}

// runTorchCase runs the gradient of case c (its wrt the default) over the
// matrices decl declares and asks L to agree with torch's to 1e-12.
func runTorchCase(t *testing.T, decl string, c torchCase) *Gradient {
	t.Helper()
	e := load(t, "matrices:\n"+decl+"gradients:\n  - name: L\n    expr: \""+c.Expr+"\"\n")
	g := RunGradient(e.Gradients[0], e.Matrices)
	if math.Abs(g.Value-c.Value) > 1e-12*math.Max(1, math.Abs(c.Value)) {
		t.Errorf("%s: L = %.17g, torch %.17g", c.Expr, g.Value, c.Value)
	}
	return g
}

// agreesWithTorch asks mg's exact gradient to agree with torch's (want)
// to 1e-12 relative to its largest element, and every element's numeric
// check to be ok.
func agreesWithTorch(t *testing.T, what string, mg MatrixGradient, want [][]float64) {
	t.Helper()
	if msg := closeTo(mg.Exact, want, 1e-12); msg != "" {
		t.Errorf("%s: ∂L/∂%s%s", what, mg.Name, msg)
	}
	for _, el := range mg.Elements {
		if el.Status != OK {
			t.Errorf("%s: %s numeric check: %s (%s)", what, el.Wrt, el.Status, el.Note)
		}
	}
}

// TestGradientsAgainstTorch compares L and every gradient with PyTorch
// autograd in float64 (../testdata/ref/torch.json, written by gen_torch.py
// beside it). Both sides compute in float64 but sum in different orders, so
// agreement is asked to 1e-12 relative to the largest gradient element.
func TestGradientsAgainstTorch(t *testing.T) {
	fx, decl := torchFixture(t)
	for _, c := range fx.Cases {
		g := runTorchCase(t, decl, c)
		for _, mg := range g.Wrt {
			want, ok := c.Grads[mg.Name]
			if !ok {
				continue // torch found this gradient all zero
			}
			agreesWithTorch(t, c.Expr, mg, want)
		}
		for name := range c.Grads {
			found := false
			for _, mg := range g.Wrt {
				found = found || mg.Name == name
			}
			if !found {
				t.Errorf("%s: no gradient for %s", c.Expr, name)
			}
		}
	}
}

// TestMethodFormulas checks each stencil on polynomials whose truncation
// error is known exactly: forward on x² at 2 gives 4 + h; central on x³ at 1
// gives 3 + h²; five-point on x⁵ at 1 gives 5 − 4h⁴.
func TestMethodFormulas(t *testing.T) {
	h := 0.01
	for _, c := range []struct {
		method string
		f      func(float64) float64
		x      float64
		want   float64
	}{
		{"forward", func(x float64) float64 { return x * x }, 2, 4 + h},
		{"backward", func(x float64) float64 { return x * x }, 2, 4 - h},
		{"central", func(x float64) float64 { return x * x * x }, 1, 3 + h*h},
		{"five-point", func(x float64) float64 { return math.Pow(x, 5) }, 1, 5 - 4*h*h*h*h},
	} {
		got, _ := Numeric(c.f, c.x, c.method, h)
		if math.Abs(got-c.want) > 1e-11 {
			t.Errorf("%s: %.15g, want %.15g", c.method, got, c.want)
		}
	}
	// Richardson removes the h², h⁴, h⁶ terms: on eˣ at 1 with h = 0.1 it is
	// within 1e-10 of e, and its own error estimate is of that size.
	got, est := Numeric(math.Exp, 1, "richardson", 0.1)
	if math.Abs(got-math.E) > 1e-10 || !(est < 1e-8) {
		t.Errorf("richardson: %.15g (estimate %g), want e", got, est)
	}
	if v, _ := Numeric(math.Exp, 1, "none", 0.1); !math.IsNaN(v) {
		t.Errorf("none gave %v", v)
	}
}

// TestChainSeedRule checks a chain's numbers against the seed's formulas:
// for [square, sigmoid] at x, the exact derivative is σ'(x²)·2x, and the
// numeric one the product of the central differences of each link at its
// own input.
func TestChainSeedRule(t *testing.T) {
	e := load(t, "chains:\n  - {name: c, of: [square, sigmoid], at: [1, -0.5, 2]}\n")
	r := RunChain(e.Chains[0])
	h := 0.001
	for _, p := range r.Points {
		x := p.At[0]
		sq := func(v float64) float64 { return v * v }
		wantExact := funcs.SigmoidPrime(x*x) * 2 * x
		wantNumeric := (funcs.Sigmoid(x*x+h) - funcs.Sigmoid(x*x-h)) / (2 * h) * (sq(x+h) - sq(x-h)) / (2 * h)
		d := p.Partials[0]
		if math.Abs(d.Exact-wantExact) > 1e-15 || math.Abs(d.Numeric-wantNumeric) > 1e-14 || d.Status != OK {
			t.Errorf("x=%g: exact %.17g numeric %.17g (%s), want %.17g %.17g", x, d.Exact, d.Numeric, d.Status, wantExact, wantNumeric)
		}
		if p.Links[0].Out != x*x || p.Links[1].In != x*x || p.Value != funcs.Sigmoid(x*x) {
			t.Errorf("x=%g: links %+v", x, p.Links)
		}
	}
}

func TestPartialsAndStatus(t *testing.T) {
	e := load(t, `tolerance: {rtol: 1e-6, atol: 0, mode: fixed}
functions:
  - {name: g, expr: x * y^2 + sin(x), at: {x: 1, y: 2}}
  - {name: r, expr: relu(x) + abs(x - 1), at: [0, 1, 0.5]}
  - {name: bad, expr: x^3, at: 1, numeric: {method: forward, step: 0.1}}
`)
	g := RunFunction(e.Functions[0])
	p := g.Points[0]
	// ∂/∂x = y² + cos x, ∂/∂y = 2xy
	if math.Abs(p.Partials[0].Exact-(4+math.Cos(1))) > 1e-15 || p.Partials[1].Exact != 4 {
		t.Errorf("partials %+v", p.Partials)
	}
	r := RunFunction(e.Functions[1])
	for i, want := range []Status{Kink, Kink, OK} {
		if got := r.Points[i].Partials[0].Status; got != want {
			t.Errorf("relu(x)+abs(x−1) at %g: %s, want %s", r.Points[i].At[0], got, want)
		}
	}
	// forward differences of x³ at 1 with h = 0.1: 3.31, off by 0.31 > 3e-6
	bad := RunFunction(e.Functions[2]).Points[0].Partials[0]
	if bad.Status != Fail || math.Abs(bad.Numeric-3.31) > 1e-12 {
		t.Errorf("x³ forward: %+v", bad)
	}
	// in mode bound the same difference carries its bound: 2·|D(0.1) −
	// D(0.2)| = 2·|3.31 − 3.64| = 0.66 ≥ 0.31, the truncation it makes
	e.Functions[2].Settings.Mode = spec.ModeBound
	bounded := RunFunction(e.Functions[2]).Points[0].Partials[0]
	if bounded.Status != OK || math.Abs(bounded.Bound.Truncation-0.66) > 1e-12 || !strings.Contains(bounded.Note, "within the error bound 0.66 (truncation)") {
		t.Errorf("x³ forward, mode bound: %+v", bounded)
	}
}

// TestSampledCheck: a gradient too large to check element by element gets
// a sample of elements and directional derivatives, all within tolerance.
func TestSampledCheck(t *testing.T) {
	e := load(t, "random: {seed: 3}\nmatrices:\n  X: {randn: [300, 300]}\n  W: {randn: [300, 300]}\ngradients:\n  - {name: L, expr: sum(sigmoid(X @ W))}\n")
	g := RunGradient(e.Gradients[0], e.Matrices)
	if !g.Sampled || len(g.Directions) != SampleDirections {
		t.Fatalf("sampled %v, directions %d", g.Sampled, len(g.Directions))
	}
	for _, m := range g.Wrt {
		if len(m.Elements) != SampleElements || m.Elements[0].Index != (Index{0, 0}) || m.Elements[SampleElements-1].Index != (Index{299, 299}) {
			t.Errorf("%s: elements %v", m.Name, m.Elements)
		}
		for _, el := range m.Elements {
			if el.Status != OK {
				t.Errorf("%s: %s %+v", m.Name, el.Wrt, el.Derivative)
			}
		}
	}
	for _, d := range g.Directions {
		if d.Status != OK {
			t.Errorf("%s: %+v", d.Wrt, d.Derivative)
		}
	}
	if !strings.Contains(g.Check, "8 of the 90000 elements of X") {
		t.Errorf("check text: %s", g.Check)
	}
}

func BenchmarkChainPoints(b *testing.B) {
	e, _ := specload.Parse("b.yaml", []byte("chains:\n  - {name: c, of: [leaky_relu, square, sigmoid], at: {x: {from: -3, to: 3, count: 10000}}}\n"), specload.DefaultOptions)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		RunChain(e.Chains[0])
	}
}

// TestSumCompensated: 1 followed by a million copies of 1e-16 sums to
// 1 + 1e-10 exactly enough to see; plain summation returns 1.
func TestSumCompensated(t *testing.T) {
	data := make([]float64, 1_000_001)
	data[0] = 1
	for i := 1; i < len(data); i++ {
		data[i] = 1e-16
	}
	got := Sum(mat.NewDense(1, len(data), data))
	if want := 1 + 1e-10; math.Abs(got-want) > 1e-16 {
		t.Errorf("Sum = %.17g, want %.17g", got, want)
	}
}

// TestDomainProblems: values outside a function's domain, division by zero
// and overflow become a failed status with the reason, never a crash.
func TestDomainProblems(t *testing.T) {
	e := load(t, `functions:
  - {name: lg, expr: log(x), at: [-1, 1]}
  - {name: inv, expr: 1 / x, at: 0}
  - {name: big, expr: exp(x), at: 800}
  - {name: sq, expr: sqrt(x), at: 0}
chains:
  - {name: c, of: [square, log], at: 0}
matrices:
  X: [[1, -2]]
gradients:
  - {name: L, expr: sum(log(X))}
`)
	r := Run(e)
	var notes []string
	for _, it := range r.Items {
		if f := it.Function; f != nil {
			for _, p := range f.Points {
				notes = append(notes, string(p.Partials[0].Status)+": "+p.Partials[0].Note)
			}
		}
		if g := it.Gradient; g != nil {
			notes = append(notes, string(g.Wrt[0].Elements[0].Status)+": "+g.Wrt[0].Elements[0].Note)
		}
	}
	want := []string{
		"fail: log(-1) is undefined: outside its domain x > 0",
		"ok: ",
		"fail: division by zero: 1 / 0",
		"fail: exp(800) overflows",
		"fail: the derivative is ∞ here; numeric: sqrt(-0.001) is undefined: outside its domain x ≥ 0",
		"fail: link 2: log(0) is undefined: outside its domain x > 0",
		"fail: log(-2) is undefined: outside its domain x > 0 (element [0,1])",
	}
	if strings.Join(notes, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(notes, "\n"), strings.Join(want, "\n"))
	}
}

// TestStencilIsGonums: our stencil loop gives gonum's fd.Derivative's
// results bit for bit, for every method's first and second derivatives.
func TestStencilIsGonums(t *testing.T) {
	f := func(x float64) float64 { return math.Sin(3*x) * math.Exp(x) }
	for name, form := range Formulas {
		for _, x := range []float64{-1.3, 0.2, 2.7} {
			for _, h := range []float64{1e-2, 1e-3, 1e-5} {
				if got, want := stencil(form, f, x, h), fd.Derivative(f, x, &fd.Settings{Formula: form, Step: h}); got != want {
					t.Errorf("%s at %g, h %g: %v, gonum %v", name, x, h, got, want)
				}
			}
		}
	}
	for name, form := range Formulas2 {
		if got, want := stencil(form, f, 0.4, 1e-3), fd.Derivative(f, 0.4, &fd.Settings{Formula: form, Step: 1e-3}); got != want {
			t.Errorf("second, %s: %v, gonum %v", name, got, want)
		}
	}
}

// TestExpNearOverflow: e^709.5 = 1.3549863193146328e308 (mpmath) is finite,
// as a function value, a derivative and inside a gradient; amd64's
// math.Exp overflowed from 709.436 on (issue 13).
func TestExpNearOverflow(t *testing.T) {
	const want = 1.3549863193146328e308
	e := load(t, "numeric: {method: none}\nfunctions:\n  - {name: f, expr: exp(x), at: 709.5}\nmatrices:\n  X: [[709.5]]\ngradients:\n  - {name: L, expr: sum(exp(X))}\n")
	p := RunFunction(e.Functions[0]).Points[0]
	if p.Value != want || p.Partials[0].Exact != want {
		t.Errorf("exp(709.5): value %v, derivative %v, want %v", p.Value, p.Partials[0].Exact, want)
	}
	g := RunGradient(e.Gradients[0], e.Matrices)
	if g.Value != want || g.Wrt[0].Exact.At(0, 0) != want {
		t.Errorf("sum(exp(X)) at 709.5: L = %v, ∂L/∂X = %v, want %v", g.Value, g.Wrt[0].Exact.At(0, 0), want)
	}
}
