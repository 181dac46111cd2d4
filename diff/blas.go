package diff

import (
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/runner-dev/runner/internal/par"
)

// OpenBLAS, when asked for (--blas openblas, RUNNER_BLAS), multiplies the
// matrices instead of the runner's own GEMM. The library is loaded at run
// time with purego (no cgo, no build tag): the same binary runs with or
// without it installed. OpenBLAS sums in an order of its own that depends on
// the processor, so results agree with the own GEMM's to rounding but not
// bit for bit, and a report made with it says so.

// openBLASNames are the file names tried, in order, for --blas openblas:
// Debian's libopenblas0 (runtime) and libopenblas-dev (link name).
var openBLASNames = []string{"libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"}

// CBLAS constants (cblas.h).
const (
	cblasRowMajor = 101
	cblasNoTrans  = 111
	cblasTrans    = 112
)

// openBLAS is a loaded libopenblas.
type openBLAS struct {
	path  string
	dgemm func(order, transA, transB, m, n, k int32, alpha float64, a *float64, lda int32, b *float64, ldb int32, beta float64, c *float64, ldc int32)
}

var (
	blasMu sync.Mutex
	blas   *openBLAS // nil: the own GEMM
)

// UseBLAS selects the matrix-product kernel for the rest of the process:
// "" or "own" the runner's own GEMM (the default, the same bits on every
// machine); "openblas" the system's libopenblas, found by the dynamic
// loader's search path; a name containing "/" that library file. The error
// says what to install when the library cannot be loaded.
func UseBLAS(name string) error {
	blasMu.Lock()
	defer blasMu.Unlock()
	switch name {
	case "", "own":
		blas = nil
		return nil
	case "openblas":
		var errs []string
		for _, n := range openBLASNames {
			b, err := loadOpenBLAS(n)
			if err == nil {
				blas = b
				return nil
			}
			errs = append(errs, err.Error())
		}
		return fmt.Errorf("OpenBLAS is not installed here (%s); install it (Debian, Ubuntu: apt-get install libopenblas0; Fedora: dnf install openblas; macOS: brew install openblas), or name the library file: --blas /path/to/libopenblas.so", strings.Join(errs, "; "))
	}
	if !strings.Contains(name, "/") {
		return fmt.Errorf("unknown BLAS %q: expected own, openblas, or the path of a libopenblas file", name)
	}
	b, err := loadOpenBLAS(name)
	if err != nil {
		return fmt.Errorf("cannot load %s as OpenBLAS: %v", name, err)
	}
	blas = b
	return nil
}

// BLASNote is "" with the own GEMM, else which BLAS multiplies the matrices
// and what that means for a report's bytes (for its settings table).
func BLASNote() string {
	blasMu.Lock()
	defer blasMu.Unlock()
	if blas == nil {
		return ""
	}
	return "OpenBLAS (--blas openblas): last digits of matrix results may differ from other machines and from the default kernel"
}

// mul sets C = op(A)·op(B) as gemm.Mul does (C is m×n, row-major). Above
// 2²⁴ multiply-adds, C's rows are split into GOMAXPROCS blocks, each one
// cblas_dgemm call on the matching rows of op(A).
func (o *openBLAS) mul(transA, transB bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
		return
	}
	ta, tb := int32(cblasNoTrans), int32(cblasNoTrans)
	if transA {
		ta = cblasTrans
	}
	if transB {
		tb = cblasTrans
	}
	call := func(lo, hi int) {
		// rows lo…hi−1 of op(A): rows of A, or columns of A when transposed
		off := lo * lda
		if transA {
			off = lo
		}
		o.dgemm(cblasRowMajor, ta, tb, int32(hi-lo), int32(n), int32(k), 1, &a[off], int32(lda), &b[0], int32(ldb), 0, &c[lo*ldc], int32(ldc))
	}
	w := runtime.GOMAXPROCS(0)
	if w == 1 || m < 2*w || float64(m)*float64(n)*float64(k) < 1<<24 {
		call(0, m)
		return
	}
	par.For(w, func(i int) { call(i*m/w, (i+1)*m/w) })
}
