package gemm

import "math"

// thin sets C = A·B (neither transposed) where C is one row (m = 1) or one
// column (n = 1): each element the FMA chain in ascending k from zero that
// the packed product computes, without packing A and B or running a 12×16
// micro-kernel for a single row or column of it. The numeric check's
// patches multiply a changed row or column this way tens of thousands of
// times.
func thin(m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	if m == 1 {
		row := c[:n:n]
		clear(row)
		for p := 0; p < k; p++ {
			x, bp := a[p], b[p*ldb:p*ldb+n:p*ldb+n]
			for j, y := range bp {
				row[j] = math.FMA(x, y, row[j])
			}
		}
		return
	}
	for i := 0; i < m; i++ {
		s := 0.0
		for p, x := range a[i*lda : i*lda+k] {
			s = math.FMA(x, b[p*ldb], s)
		}
		c[i*ldc] = s
	}
}
