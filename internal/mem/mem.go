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

// Floats is a new zeroed []float64 of length n.
func Floats(n int) []float64 {
	if n*8 < HugeMin {
		return make([]float64, n)
	}
	b := make([]float64, n+hugePage/8)
	off := align(unsafe.Pointer(unsafe.SliceData(b))) / 8
	b = b[off : off+n : off+n]
	advise(unsafe.Pointer(unsafe.SliceData(b)), uintptr(n)*8)
	return b
}

// Bytes is a new zeroed []byte of length 0 and capacity n.
func Bytes(n int) []byte {
	if n < HugeMin {
		return make([]byte, 0, n)
	}
	b := make([]byte, n+hugePage)
	off := align(unsafe.Pointer(unsafe.SliceData(b)))
	b = b[off : off+n : off+n]
	advise(unsafe.Pointer(unsafe.SliceData(b)), uintptr(n))
	return b[:0]
}

// align is how many bytes past p the next 2 MiB boundary is.
func align(p unsafe.Pointer) int {
	a := uintptr(p)
	return int((a+hugePage-1)&^(hugePage-1) - a)
}

// Make is make([]T, n), with the whole 2 MiB pages inside a large one
// (HugeMin bytes or more) marked for huge pages: for the long arrays of
// results a sweep over a million points keeps.
func Make[T any](n int) []T {
	s := make([]T, n)
	var zero T
	if size := uintptr(n) * unsafe.Sizeof(zero); size >= HugeMin {
		advise(unsafe.Pointer(unsafe.SliceData(s)), size)
	}
	return s
}

// Dense is a new zeroed r×c matrix whose storage comes from Floats.
func Dense(r, c int) *mat.Dense {
	return mat.NewDense(r, c, Floats(r*c))
}
