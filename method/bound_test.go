package method

import (
	"math"
	"testing"
)

// TestOneSidedWeights: the one-sided stencils are the textbook ones
// (Fornberg 1988, table 3): f' ≈ (−3f₀ + 4f₁ − f₂)/2h, f' ≈ (−25f₀ + 48f₁
// − 36f₂ + 16f₃ − 3f₄)/12h, f” ≈ (2f₀ − 5f₁ + 4f₂ − f₃)/h², and their
// mirror images for side −1 (a first derivative changes sign).
func TestOneSidedWeights(t *testing.T) {
	for _, c := range []struct {
		method string
		k      int
		want   []float64
	}{
		{"central", 1, []float64{-1.5, 2, -0.5}},
		{"five-point", 1, []float64{-25.0 / 12, 4, -3, 4.0 / 3, -0.25}},
		{"central", 2, []float64{2, -5, 4, -1}},
		{"forward", 1, []float64{-1, 1}},
	} {
		for _, side := range []float64{1, -1} {
			o := Named(c.method).OneSided(side)
			form := o.D1
			if c.k == 2 {
				form = o.D2
			}
			if len(form.Stencil) != len(c.want) {
				t.Fatalf("%s k=%d: %d points, want %d", c.method, c.k, len(form.Stencil), len(c.want))
			}
			for i, pt := range form.Stencil {
				want := c.want[i]
				if c.k == 1 {
					want *= side
				}
				if pt.Loc != side*float64(i) || math.Abs(pt.Coeff-want) > 1e-13 {
					t.Errorf("%s k=%d side %g: point %d = %+v, want coefficient %g", c.method, c.k, side, i, pt, want)
				}
			}
		}
	}
}

// TestBoundCoversError: on smooth functions, the bound of every method's
// first and second derivative at h = 1e-3 holds the error against the
// exact derivative written out here.
func TestBoundCoversError(t *testing.T) {
	type fn struct {
		name   string
		f      func(float64) float64
		c      func(complex128) complex128
		d1, d2 func(float64) float64
		x      float64
	}
	fns := []fn{
		{"exp", math.Exp, nil, math.Exp, math.Exp, 1.3},
		{"sin", math.Sin, nil, math.Cos, func(x float64) float64 { return -math.Sin(x) }, 0.7},
		{"x⁴ at 1", func(x float64) float64 { return x * x * x * x }, nil,
			func(x float64) float64 { return 4 * x * x * x }, func(x float64) float64 { return 12 * x * x }, 1},
		{"1/x", func(x float64) float64 { return 1 / x }, nil,
			func(x float64) float64 { return -1 / (x * x) }, func(x float64) float64 { return 2 / (x * x * x) }, 0.2},
	}
	for _, f := range fns {
		for _, m := range All {
			if !m.Numeric() {
				continue
			}
			h := 1e-3
			var c func(complex128) complex128
			if m.Kind == ComplexStep {
				if f.name != "exp" {
					continue
				}
				c, h = func(z complex128) complex128 {
					return complex(math.Exp(real(z))*math.Cos(imag(z)), math.Exp(real(z))*math.Sin(imag(z)))
				}, 1e-20
			}
			d, _ := m.First(f.f, c, f.x, h)
			b := m.FirstBound(f.f, nil, c, f.x, h, d)
			if err := math.Abs(d - f.d1(f.x)); !(err <= b.Value()) {
				t.Errorf("%s %s: error %g > bound %+v", m.Name, f.name, err, b)
			}
			if m.Kind == ComplexStep {
				continue
			}
			d2, _ := m.Second(f.f, f.x, h)
			b2 := m.SecondBound(f.f, f.x, h, d2)
			if err := math.Abs(d2 - f.d2(f.x)); !(err <= b2.Value()) {
				t.Errorf("%s %s second: error %g > bound %+v", m.Name, f.name, err, b2)
			}
		}
	}
}

// TestEdgeLog: log at 4e-4, where the central stencil at h = 1e-3 leaves
// the domain: Edge takes the side +1 at a smaller step, within its bound
// of 1/x, and the bound is below 1e-6 of it.
func TestEdgeLog(t *testing.T) {
	f := func(v float64) float64 {
		if v <= 0 {
			return math.NaN()
		}
		return math.Log(v)
	}
	m := Named("central")
	if d := Apply(m.D1, f, 4e-4, 1e-3); !math.IsNaN(d) {
		t.Fatalf("central difference %g, want NaN across the edge", d)
	}
	d, b, side, step, ok := m.Edge(f, nil, 4e-4, 1e-3, 1)
	if !ok || side != 1 || step >= 4e-4 || math.Abs(d-2500) > b.Value() || b.Value() > 2500e-6 {
		t.Errorf("edge: %g %+v side %g step %g ok %v", d, b, side, step, ok)
	}
}
