// Package mem allocates the large float64 arrays that matrices live in.
//
// Touching fresh memory costs a page fault per 4 KiB page, and on a virtual
// machine a fault is slow: a 2048×2048 layer's forward and backward pass
// touches about 300 MB, 77,000 faults, which took longer than its matrix
// products. On Linux, arrays of HugeMin bytes or more are therefore marked
// for transparent huge pages (madvise MADV_HUGEPAGE), one fault per 2 MiB;
// where the system does not allow them the call changes nothing.
package mem

import "gonum.org/v1/gonum/mat"

// HugeMin is the smallest array, in bytes, that is marked for huge pages.
const HugeMin = 4 << 20

// Floats is a new zeroed []float64 of length n.
func Floats(n int) []float64 {
	b := make([]float64, n)
	if n*8 >= HugeMin {
		advise(b)
	}
	return b
}

// Dense is a new zeroed r×c matrix whose storage comes from Floats.
func Dense(r, c int) *mat.Dense {
	return mat.NewDense(r, c, Floats(r*c))
}
