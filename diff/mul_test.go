//go:build !openblas

package diff

import (
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/rng"
)

// TestMulTransposedLeft: a large Aᵀ·B, done as a copy of Aᵀ times B, equals
// gonum's product of the transposed view, to rounding.
func TestMulTransposedLeft(t *testing.T) {
	s := rng.New(8)
	a, b := mat.NewDense(290, 301, nil), mat.NewDense(290, 257, nil)
	s.NormFill(a.RawMatrix().Data)
	s.NormFill(b.RawMatrix().Data)
	var want mat.Dense
	want.Mul(a.T(), b)
	got := mat.NewDense(301, 257, nil)
	mul(got, a.T(), b)
	if !mat.EqualApprox(got, &want, 1e-12) {
		t.Error("Aᵀ·B differs from gonum's product of the transposed view")
	}
}
