package funcs

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

type refCase struct {
	name                      string
	params                    []float64
	x                         float64
	value, der, second, third float64
}

// loadRef reads ../testdata/ref/funcs.csv, written by gen_funcs.py beside it
// with mpmath at 50 digits (values from each function's definition, the
// derivative by mpmath.diff).
func loadRef(t *testing.T) []refCase {
	f, err := os.Open("../testdata/ref/funcs.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []refCase
	for _, r := range rows[1:] {
		c := refCase{name: r[0]}
		if r[1] != "" {
			for _, p := range strings.Split(r[1], ";") {
				v, _ := strconv.ParseFloat(p, 64)
				c.params = append(c.params, v)
			}
		}
		c.x, _ = strconv.ParseFloat(r[2], 64)
		c.value, _ = strconv.ParseFloat(r[3], 64)
		c.der, _ = strconv.ParseFloat(r[4], 64)
		c.second, _ = strconv.ParseFloat(r[5], 64)
		c.third, _ = strconv.ParseFloat(r[6], 64)
		out = append(out, c)
	}
	return out
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
		f := Lookup(c.name)
		if f == nil {
			t.Fatalf("%s: not in the registry", c.name)
		}
		seen[c.name] = true
		p := f.Fill(c.params)
		// Tolerances: a few ulps for the value, a few more for the derivative
		// (whose formula composes several correctly rounded operations).
		// the tolerance: 1e-14 relative (or 1e-300 absolute)
		valueTol, derTol := 1e-14, 1e-14
		if c.name == "gelu" && c.x <= -20 {
			// Go's math.Erfc is accurate to about 4e-14 relative this deep in
			// its tail (x/√2 ≈ −14); Φ(x) = erfc(−x/√2)/2 inherits that.
			valueTol, derTol = 1e-13, 1e-13
		}
		if got := f.F(c.x, p); !close(got, c.value, valueTol) {
			t.Errorf("%s%v(%g) = %.17g, mpmath %.17g", c.name, c.params, c.x, got, c.value)
		}
		if got := f.D(c.x, p); !close(got, c.der, derTol) {
			t.Errorf("%s%v'(%g) = %.17g, mpmath %.17g", c.name, c.params, c.x, got, c.der)
		}
		if got := f.D2(c.x, p); !close(got, c.second, derTol) {
			t.Errorf("%s%v''(%g) = %.17g, mpmath %.17g", c.name, c.params, c.x, got, c.second)
		}
		// complex step: f'(x) = Im f(x + ih)/h + O(h²), with h = 1e-20
		if got := imag(f.C(complex(c.x, 1e-20), p)) / 1e-20; !close(got, c.der, derTol) {
			t.Errorf("%s%v'(%g) by complex step = %.17g, mpmath %.17g", c.name, c.params, c.x, got, c.der)
		}
		if got := real(f.C(complex(c.x, 1e-20), p)); !close(got, c.value, valueTol) {
			t.Errorf("%s%v(%g) as complex = %.17g, mpmath %.17g", c.name, c.params, c.x, got, c.value)
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
