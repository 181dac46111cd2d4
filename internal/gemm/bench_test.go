package gemm

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// BenchmarkMul times n×n products, C = A·B, with each kernel this machine
// runs (the portable one up to n = 1024) and gonum's mat.Dense.Mul, and reports GFLOP/s (2n³ flops a
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
		for _, k := range kernels {
			if k == portable && n > 1024 {
				continue // minutes
			}
			b.Run(fmt.Sprintf("n=%d/%s", n, k.name), func(b *testing.B) {
				w := runtime.GOMAXPROCS(0)
				for b.Loop() {
					mul(k, w, false, false, n, n, n, x, n, y, n, c, n)
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
