//go:build openblas

package diff

// The OpenBLAS build: go build -tags openblas ./cmd/runner, with Debian's
// libopenblas-dev installed. Matrix products then run in OpenBLAS (through
// gonum's netlib binding) instead of gonum's pure-Go kernels. Results agree
// to rounding, but not bit for bit, with the default build's: keep one build
// for the reports a repository checks in.

/*
#cgo LDFLAGS: -lopenblas
void openblas_set_num_threads(int);
*/
import "C"

import (
	"runtime"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/netlib/blas/netlib"

	"github.com/runner-dev/runner/internal/par"
)

// OpenBLAS runs single-threaded; mul splits a product among goroutines
// itself. OpenBLAS's own worker threads spin (sched_yield) for a while
// after every product, taking the processors that the element-by-element
// work and the report writing between and after the products need.
func init() {
	C.openblas_set_num_threads(1)
	blas64.Use(netlib.Implementation{})
}

// MatMulKernels names the kernel this build multiplies matrices with:
// OpenBLAS, whose last digits depend on the machine.
func MatMulKernels() (using string, available []string) {
	return "OpenBLAS (cgo build, -tags openblas; last digits may differ from other machines)", nil
}

// mul sets dst = a·b. Above 2²⁴ multiply-adds, dst's rows are split into
// GOMAXPROCS blocks, each one OpenBLAS call.
func mul(dst *mat.Dense, a, b mat.Matrix) {
	r, c := dst.Dims()
	_, k := a.Dims()
	w := runtime.GOMAXPROCS(0)
	if w == 1 || r < 2*w || float64(r)*float64(c)*float64(k) < 1<<24 {
		dst.Mul(a, b)
		return
	}
	par.For(w, func(i int) {
		lo, hi := i*r/w, (i+1)*r/w
		dst.Slice(lo, hi, 0, c).(*mat.Dense).Mul(rowBlock(a, lo, hi), b)
	})
}

// rowBlock is rows lo…hi−1 of m, a matrix or the transpose of one, as a view.
func rowBlock(m mat.Matrix, lo, hi int) mat.Matrix {
	switch m := m.(type) {
	case *mat.Dense:
		_, c := m.Dims()
		return m.Slice(lo, hi, 0, c)
	case mat.Transpose:
		if d, ok := m.Matrix.(*mat.Dense); ok {
			r, _ := d.Dims()
			return d.Slice(0, r, lo, hi).T()
		}
	}
	d := mat.DenseCopyOf(m)
	_, c := d.Dims()
	return d.Slice(lo, hi, 0, c)
}
