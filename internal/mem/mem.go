// Package mem allocates the large arrays that matrices and report buffers
// live in.
//
// Touching fresh memory costs a page fault per 4 KiB page, and on a virtual
// machine a fault is slow: a 2048×2048 layer's forward and backward pass
// touches about 300 MB, 77,000 faults, which took longer than its matrix
// products. On Linux, arrays of HugeMin bytes or more therefore start on a
// 2 MiB boundary and are marked for transparent huge pages (madvise
// MADV_HUGEPAGE), one fault per 2 MiB; where the system does not allow
// them the call changes nothing.
package mem

import (
	"unsafe"

	"gonum.org/v1/gonum/mat"
)

// HugeMin is the smallest array, in bytes, that is given huge pages.
const HugeMin = 4 << 20

const hugePage = 2 << 20

// Make is make([]T, n); a large one (HugeMin bytes or more) starts at the
// first 2 MiB boundary of a slightly longer allocation and is marked for
// huge pages.
func Make[T any](n int) []T {
	var zero T
	size := unsafe.Sizeof(zero)
	if size == 0 || uintptr(n)*size < HugeMin {
		return make([]T, n)
	}
	s := make([]T, n+int(hugePage/size)+1)
	off := (align(unsafe.Pointer(unsafe.SliceData(s))) + int(size) - 1) / int(size)
	s = s[off : off+n : off+n]
	advise(unsafe.Pointer(unsafe.SliceData(s)), uintptr(n)*size)
	return s
}

// Floats is a new zeroed []float64 of length n (Make).
func Floats(n int) []float64 { return Make[float64](n) }

// Bytes is a new zeroed []byte of length 0 and capacity n (Make).
func Bytes(n int) []byte { return Make[byte](n)[:0] }

// align is how many bytes past p the next 2 MiB boundary is.
func align(p unsafe.Pointer) int {
	a := uintptr(p)
	return int((a+hugePage-1)&^(hugePage-1) - a)
}

// Dense is a new zeroed r×c matrix whose storage comes from Floats.
func Dense(r, c int) *mat.Dense {
	return mat.NewDense(r, c, Floats(r*c))
}
