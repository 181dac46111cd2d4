package diff

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/rng"
)

// TestNormMax checks NormMax's norm and largest element against
// gonum's (LAPACK's dlange) and a plain loop, for ordinary values, values
// whose squares overflow or underflow, zeros, and NaN.
func TestNormMax(t *testing.T) {
	s := rng.New(4)
	for _, scale := range []float64{1, 1e200, 1e-200, 1e-310} {
		m := mat.NewDense(300, 7, nil)
		s.NormFill(m.RawMatrix().Data)
		m.Scale(scale, m)
		norm, mx := NormMax(m)
		want := 0.0
		for _, v := range m.RawMatrix().Data {
			want = math.Max(want, math.Abs(v))
		}
		if mx != want || math.Abs(norm-mat.Norm(m, 2)) > 1e-13*norm || norm == 0 {
			t.Errorf("scale %g: norm %v (gonum %v), max %v (%v)", scale, norm, mat.Norm(m, 2), mx, want)
		}
	}
	if n, m := NormMax(mat.NewDense(3, 3, nil)); n != 0 || m != 0 {
		t.Errorf("zeros: %v, %v", n, m)
	}
	nan := mat.NewDense(130, 2, nil)
	nan.Set(129, 1, math.NaN())
	if n, m := NormMax(nan); !math.IsNaN(n) || !math.IsNaN(m) {
		t.Errorf("NaN: %v, %v", n, m)
	}
}
