package diff

import (
	"math"
	"testing"
)

// TestSurface: the grid spans the points' box widened by 15% a side, and
// holds f at every node.
func TestSurface(t *testing.T) {
	f := func(x, y float64) float64 { return x*x - 3*y }
	s := surface([][]float64{{-1, 2}, {3, 0}, {1, 1}}, f)
	if len(s.X) != SurfaceSamples || len(s.Y) != SurfaceSamples {
		t.Fatalf("got %d×%d samples", len(s.X), len(s.Y))
	}
	// x spans [-1, 3] (width 4): [-1.6, 3.6]; y spans [0, 2] (width 2): [-0.3, 2.3]
	for _, c := range []struct{ got, want float64 }{{s.X[0], -1.6}, {s.X[SurfaceSamples-1], 3.6}, {s.Y[0], -0.3}, {s.Y[SurfaceSamples-1], 2.3}} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("edge %g, want %g", c.got, c.want)
		}
	}
	for j, y := range s.Y {
		for i, x := range s.X {
			if s.F[j][i] != f(x, y) {
				t.Fatalf("F[%d][%d] = %g, want f(%g, %g) = %g", j, i, s.F[j][i], x, y, f(x, y))
			}
		}
	}
	// a single point: both widths 2, so [x-1.3, x+1.3]
	one := surface([][]float64{{5, -5}}, f)
	if math.Abs(one.X[0]-3.7) > 1e-12 || math.Abs(one.Y[SurfaceSamples-1]-(-3.7)) > 1e-12 {
		t.Errorf("single point box: x from %g, y to %g", one.X[0], one.Y[SurfaceSamples-1])
	}
	if surface([][]float64{{math.NaN(), 0}}, f) != nil {
		t.Error("a NaN coordinate should give no surface")
	}
}

// TestEigen2 checks H·v = λ·v for each pair, λ1 ≥ λ2, unit vectors, on
// matrices with known eigenvalues (diagonal; [[2, 1], [1, 2]] has 3 and 1).
func TestEigen2(t *testing.T) {
	cases := []struct{ a, b, c, l1, l2 float64 }{
		{2, 1, 2, 3, 1},
		{-1, 0, 4, 4, -1},
		{5, 0, 5, 5, 5},
		{0, 2, 0, 2, -2},
		{-0.8414709848078965, 4, 2, 0, 0}, // g's Hessian at (1, 2): eigenvalues unknown, H·v = λv checked
	}
	for _, k := range cases {
		l1, l2, v1, v2 := Eigen2(k.a, k.b, k.c)
		if k.l1 != 0 || k.l2 != 0 {
			if math.Abs(l1-k.l1) > 1e-12 || math.Abs(l2-k.l2) > 1e-12 {
				t.Errorf("%v: eigenvalues %g, %g", k, l1, l2)
			}
		}
		if l1 < l2 {
			t.Errorf("%v: %g < %g", k, l1, l2)
		}
		for _, p := range []struct {
			l float64
			v [2]float64
		}{{l1, v1}, {l2, v2}} {
			hv := [2]float64{k.a*p.v[0] + k.b*p.v[1], k.b*p.v[0] + k.c*p.v[1]}
			if math.Abs(hv[0]-p.l*p.v[0]) > 1e-12 || math.Abs(hv[1]-p.l*p.v[1]) > 1e-12 {
				t.Errorf("%v: H·v = %v, λv = %v", k, hv, [2]float64{p.l * p.v[0], p.l * p.v[1]})
			}
			if math.Abs(math.Hypot(p.v[0], p.v[1])-1) > 1e-15 {
				t.Errorf("%v: |v| = %g", k, math.Hypot(p.v[0], p.v[1]))
			}
		}
	}
}
