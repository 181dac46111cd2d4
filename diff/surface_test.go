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
