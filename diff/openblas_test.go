//go:build openblas

package diff

import (
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/netlib/blas/netlib"

	"github.com/runner-dev/runner/rng"
)

// TestOpenBLASInUse: the openblas build routes matrix products through
// OpenBLAS (the other tests of this package then check its gradients against
// PyTorch's).
func TestOpenBLASInUse(t *testing.T) {
	if _, ok := blas64.Implementation().(netlib.Implementation); !ok {
		t.Fatalf("BLAS implementation is %T", blas64.Implementation())
	}
}

// TestMulSplitsRows: mul splits a large product's rows among goroutines;
// each block must be its rows of the whole product, whichever operand is
// transposed. The reference is one OpenBLAS call for the whole product.
func TestMulSplitsRows(t *testing.T) {
	s := rng.New(9)
	m := func(r, c int) *mat.Dense {
		d := mat.NewDense(r, c, nil)
		s.NormFill(d.RawMatrix().Data)
		return d
	}
	a, b := m(301, 290), m(290, 257)
	at, bt := mat.DenseCopyOf(a.T()), mat.DenseCopyOf(b.T())
	for _, c := range []struct {
		name string
		x, y mat.Matrix
	}{{"A·B", a, b}, {"(Aᵀ)ᵀ·B", at.T(), b}, {"A·(Bᵀ)ᵀ", a, bt.T()}, {"(Aᵀ)ᵀ·(Bᵀ)ᵀ", at.T(), bt.T()}} {
		var want mat.Dense
		want.Mul(c.x, c.y)
		got := mat.NewDense(301, 257, nil)
		mul(got, c.x, c.y)
		if !mat.EqualApprox(got, &want, 1e-12) {
			t.Errorf("%s: the split product differs from the whole one", c.name)
		}
	}
}
