package funcs

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/runner-dev/runner/internal/reftest"
)

// loadRef reads ../testdata/ref/funcs.csv, written by gen_funcs.py beside it
// with mpmath (values from each function's definition, the derivatives by
// mpmath.diff).
func loadRef(t *testing.T) []reftest.Func {
	cases, err := reftest.Funcs("../testdata/ref/funcs.csv")
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// close reports whether got is within rel relative error of want, or within
// 1e-300 absolutely (for values below float64's range, such as softplus(−800)).
func close(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Abs(want) || math.Abs(got-want) <= 1e-300
}

func TestRegistryAgainstMpmath(t *testing.T) {
	cases := loadRef(t)
	seen := map[string]bool{}
	for _, c := range cases {
		f := Lookup(c.Name)
		if f == nil {
			t.Fatalf("%s: not in the registry", c.Name)
		}
		seen[c.Name] = true
		p := f.Fill(c.Params)
		// Tolerances: a few ulps for the value, a few more for the derivative
		// (whose formula composes several correctly rounded operations).
		// the tolerance: 1e-14 relative (or 1e-300 absolute)
		valueTol, derTol := 1e-14, 1e-14
		if c.Name == "gelu" && c.X <= -20 {
			// Go's math.Erfc is accurate to about 4e-14 relative this deep in
			// its tail (x/√2 ≈ −14); Φ(x) = erfc(−x/√2)/2 inherits that.
			valueTol, derTol = 1e-13, 1e-13
		}
		if got := f.F(c.X, p); !close(got, c.Value, valueTol) {
			t.Errorf("%s%v(%g) = %.17g, mpmath %.17g", c.Name, c.Params, c.X, got, c.Value)
		}
		if got := f.D(c.X, p); !close(got, c.D1, derTol) {
			t.Errorf("%s%v'(%g) = %.17g, mpmath %.17g", c.Name, c.Params, c.X, got, c.D1)
		}
		if got := f.D2(c.X, p); !close(got, c.D2, derTol) {
			t.Errorf("%s%v''(%g) = %.17g, mpmath %.17g", c.Name, c.Params, c.X, got, c.D2)
		}
		// complex step: f'(x) = Im f(x + ih)/h + O(h²), with h = 1e-20
		if got := imag(f.C(complex(c.X, 1e-20), p)) / 1e-20; !close(got, c.D1, derTol) {
			t.Errorf("%s%v'(%g) by complex step = %.17g, mpmath %.17g", c.Name, c.Params, c.X, got, c.D1)
		}
		if got := real(f.C(complex(c.X, 1e-20), p)); !close(got, c.Value, valueTol) {
			t.Errorf("%s%v(%g) as complex = %.17g, mpmath %.17g", c.Name, c.Params, c.X, got, c.Value)
		}
	}
	for _, f := range All() {
		if !seen[f.Name] {
			t.Errorf("%s has no reference cases in funcs.csv", f.Name)
		}
	}
}

// TestDerivativeMatchesFivePoint checks every exact derivative against a
// five-point central difference, whose error is h⁴·|f⁽⁵⁾|/30: with h = 1e-3
// that is about 1e-13 here, plus round-off of about 1e-16/h = 1e-13.
func TestDerivativeMatchesFivePoint(t *testing.T) {
	const h = 1e-3
	for _, f := range All() {
		p := f.Fill([]float64{2})
		for _, x := range []float64{-1.3, -0.4, 0.35, 0.9, 1.25} {
			if f.In != nil && !f.In(x, p) || f.In != nil && !f.In(x-2*h, p) {
				continue
			}
			fd := (-f.F(x+2*h, p) + 8*f.F(x+h, p) - 8*f.F(x-h, p) + f.F(x-2*h, p)) / (12 * h)
			if d := f.D(x, p); math.Abs(d-fd) > 1e-9*math.Max(1, math.Abs(d)) {
				t.Errorf("%s'(%g) = %.15g, five-point %.15g", f.Name, x, d, fd)
			}
		}
	}
}

func TestKinks(t *testing.T) {
	for _, c := range []struct {
		name   string
		params []float64
		x      float64
		want   bool
	}{
		{"relu", nil, 0, true}, {"relu", nil, 0.1, false},
		{"leaky_relu", nil, 0, true}, {"abs", nil, 0, true},
		{"elu", nil, 0, false},           // a = 1: both one-sided slopes are 1
		{"elu", []float64{0.5}, 0, true}, // slopes 0.5 and 1
		{"sigmoid", nil, 0, false},
		{"clip", []float64{-1, 2}, -1, true}, {"clip", []float64{-1, 2}, 2, true}, {"clip", []float64{-1, 2}, 0.5, false},
		{"sign", nil, 0, true}, {"sign", nil, -0.5, false}, {"log1p", nil, 0, false}, {"expm1", nil, 0, false},
	} {
		f := Lookup(c.name)
		if got := f.IsKink(c.x, f.Fill(c.params)); got != c.want {
			t.Errorf("%s%v kink at %g = %v, want %v", c.name, c.params, c.x, got, c.want)
		}
	}
}

func TestStableForLargeInputs(t *testing.T) {
	// σ(±800) and softplus(±800) must not overflow to NaN or Inf; the exact
	// values are 1/(1+e^∓800), ln(1+e^±800), i.e. 0, 1, 0 and 800 in float64.
	if v := Sigmoid(-800); v != 0 || math.IsNaN(v) {
		t.Errorf("σ(−800) = %v", v)
	}
	if v := Sigmoid(800); v != 1 {
		t.Errorf("σ(800) = %v", v)
	}
	if v := Softplus(800); v != 800 {
		t.Errorf("softplus(800) = %v", v)
	}
	if v := Softplus(-800); v != 0 {
		t.Errorf("softplus(−800) = %v", v)
	}
}

func TestSuggest(t *testing.T) {
	for in, want := range map[string]string{"sigmiod": "sigmoid", "sigmoide": "sigmoid", "tnah": "tanh", "relu6": "relu", "leakyrelu": "leaky_relu", "zzzzzz": ""} {
		if got := Suggest(in); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSigmoidPrimeOneExp: σ′ computed from one exponential is, bit for bit,
// the product σ(x)·σ(−x) of two calls of Sigmoid, on a million draws
// across twelve decades and at the edges (±0, ±Inf, NaN, where σ saturates).
func TestSigmoidPrimeOneExp(t *testing.T) {
	xs := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 36.7, 37, -37, 709, -709, 745, -745, 800, -800}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		xs = append(xs, r.NormFloat64()*math.Pow(10, float64(r.IntN(12)-6)))
	}
	for _, x := range xs {
		got, want := SigmoidPrime(x), Sigmoid(x)*Sigmoid(-x)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("σ′(%v) = %v, σ(x)·σ(−x) = %v", x, got, want)
		}
	}
}
