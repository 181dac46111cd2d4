//go:build !openblas

package diff

import (
	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/internal/mem"
)

// mul sets dst = a·b with gonum's pure-Go product, which splits large
// products among goroutines itself. Aᵀ·B is the one exception: for large
// matrices gonum's kernel for a transposed left operand runs several times
// slower than its plain one (a 2048×2048 product: 2 to 6 s against 1.4 s,
// the more so the busier the machine's memory), so Aᵀ is copied out first.
func mul(dst *mat.Dense, a, b mat.Matrix) {
	if t, ok := a.(mat.Transpose); ok {
		if _, bt := b.(mat.Transpose); !bt {
			r, k := t.Dims()
			_, c := b.Dims()
			if float64(r)*float64(c)*float64(k) >= 1<<24 {
				at := mem.Dense(r, k)
				at.Copy(t)
				a = at
			}
		}
	}
	dst.Mul(a, b)
}
