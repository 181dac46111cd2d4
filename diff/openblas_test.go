//go:build openblas

package diff

import (
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// TestOpenBLASInUse: the openblas build routes matrix products through
// OpenBLAS (the other tests of this package then check its gradients against
// PyTorch's).
func TestOpenBLASInUse(t *testing.T) {
	if _, ok := blas64.Implementation().(netlib.Implementation); !ok {
		t.Fatalf("BLAS implementation is %T", blas64.Implementation())
	}
}
