package diff

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/internal/par"
)

// NormMax is m's Frobenius norm √(Σ mᵢⱼ²) and its largest |mᵢⱼ|, in two
// passes over blocks of rows in parallel: the largest first, then the sum of
// the squares scaled by it, so that neither overflows nor underflows. The
// blocks are fixed (64 rows) and their sums added in order, so the result
// does not depend on the number of processors. NaN if m holds a NaN.
func NormMax(m *mat.Dense) (norm, maxAbs float64) {
	r, c := m.Dims()
	raw := m.RawMatrix()
	const block = 64
	n := (r + block - 1) / block
	parts := make([]float64, n)
	each := func(f func(k int, row []float64)) {
		par.For(n, func(k int) {
			for i := k * block; i < min(r, (k+1)*block); i++ {
				f(k, raw.Data[i*raw.Stride:i*raw.Stride+c])
			}
		})
	}
	each(func(k int, row []float64) {
		for _, v := range row {
			if a := math.Abs(v); a > parts[k] || a != a {
				parts[k] = a
			}
		}
	})
	for _, p := range parts {
		if p > maxAbs || p != p {
			maxAbs = p
		}
	}
	if maxAbs == 0 || math.IsNaN(maxAbs) || math.IsInf(maxAbs, 0) {
		return maxAbs, maxAbs
	}
	clear(parts)
	inv := 1 / maxAbs
	each(func(k int, row []float64) {
		var acc float64
		for _, v := range row {
			s := v * inv
			if math.IsInf(inv, 0) { // maxAbs below 2⁻¹⁰²⁴: divide instead
				s = v / maxAbs
			}
			acc += s * s
		}
		parts[k] += acc
	})
	sum := 0.0
	for _, p := range parts {
		sum += p
	}
	return maxAbs * math.Sqrt(sum), maxAbs
}
