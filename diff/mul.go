//go:build !openblas

package diff

import "gonum.org/v1/gonum/mat"

// mul sets dst = a·b (gonum's pure-Go product, which splits large products
// among goroutines itself).
func mul(dst *mat.Dense, a, b mat.Matrix) { dst.Mul(a, b) }
