package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// BenchmarkMul times n×n products, C = A·B, with the active kernel, the
// portable one and gonum's mat.Dense.Mul, and reports GFLOP/s (2n³ flops a
// product).
func BenchmarkMul(b *testing.B) {
	for _, n := range []int{256, 1024, 2048} {
		s := rand.New(rand.NewPCG(1, 1))
		x, y := random(s, n, n), random(s, n, n)
		c := make([]float64, n*n)
		flops := 2 * float64(n) * float64(n) * float64(n)
		report := func(b *testing.B) {
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		}
		b.Run(fmt.Sprintf("n=%d/own", n), func(b *testing.B) {
			for b.Loop() {
				Mul(false, false, n, n, n, x, n, y, n, c, n)
			}
			report(b)
		})
		if n <= 1024 {
			b.Run(fmt.Sprintf("n=%d/portable", n), func(b *testing.B) {
				for b.Loop() {
					mul(portable, 2, false, false, n, n, n, x, n, y, n, c, n)
				}
				report(b)
			})
		}
		b.Run(fmt.Sprintf("n=%d/gonum", n), func(b *testing.B) {
			X, Y, C := mat.NewDense(n, n, x), mat.NewDense(n, n, y), mat.NewDense(n, n, c)
			for b.Loop() {
				C.Mul(X, Y)
			}
			report(b)
		})
	}
}
