package diff

import (
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/internal/gemm"
)

// mul sets dst = a·b with the runner's own GEMM (internal/gemm), which gives
// the same bits on every machine and splits large products among goroutines
// itself, or with OpenBLAS when UseBLAS asked for it. a and b are *mat.Dense or the transpose of one, read in place;
// any other matrix is copied first.
func mul(dst *mat.Dense, a, b mat.Matrix) {
	ta, ra := raw(a)
	tb, rb := raw(b)
	m, k := a.Dims()
	kb, n := b.Dims()
	if r, c := dst.Dims(); k != kb || r != m || c != n {
		panic(mat.ErrShape)
	}
	d := dst.RawMatrix()
	if o := blas; o != nil {
		o.mul(ta, tb, m, n, k, ra.Data, ra.Stride, rb.Data, rb.Stride, d.Data, d.Stride)
		return
	}
	gemm.Mul(ta, tb, m, n, k, ra.Data, ra.Stride, rb.Data, rb.Stride, d.Data, d.Stride)
}

// raw is m's storage and whether m is its transpose.
func raw(m mat.Matrix) (bool, blas64.General) {
	switch m := m.(type) {
	case *mat.Dense:
		return false, m.RawMatrix()
	case mat.Transpose:
		if d, ok := m.Matrix.(*mat.Dense); ok {
			return true, d.RawMatrix()
		}
	}
	return false, mat.DenseCopyOf(m).RawMatrix()
}

// MatMulKernels names the kernel this process multiplies matrices with and
// the own GEMM's kernels this machine can run (RUNNER_GEMM=NAME picks one;
// all give the same bits).
func MatMulKernels() (using string, available []string) {
	if o := blas; o != nil {
		return "OpenBLAS " + o.path + " (--blas; last digits may differ from other machines)", gemm.Kernels()
	}
	return gemm.Kernel(), gemm.Kernels()
}
