package diff

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/rng"
)

// TestMulOperands: mul reads dense matrices, strided views, transposes and
// other matrix types, and each element is the FMA chain in ascending k
// (internal/gemm's specification), bit for bit.
func TestMulOperands(t *testing.T) {
	s := rng.New(8)
	big := mat.NewDense(40, 50, nil)
	s.NormFill(big.RawMatrix().Data)
	sym := mat.NewSymDense(13, nil)
	for i := 0; i < 13; i++ {
		for j := i; j < 13; j++ {
			sym.SetSym(i, j, s.Norm())
		}
	}
	view := big.Slice(3, 16, 5, 18)   // 13×13 with stride 50
	wide := big.Slice(0, 13, 20, 47)  // 13×27
	tall := big.Slice(10, 37, 30, 43) // 27×13
	cases := []struct {
		name string
		a, b mat.Matrix
	}{
		{"view·wide", view, wide},
		{"viewᵀ·wide", view.T(), wide},
		{"tall·viewᵀ", tall, view.T()},
		{"view·tallᵀ", view, tall.T()},
		{"tallᵀ·wideᵀ", tall.T(), wide.T()},
		{"sym·wide", sym, wide},
		{"row·wide", big.Slice(7, 8, 0, 13), wide},
		{"view·column", view, big.Slice(0, 13, 49, 50)},
	}
	for _, c := range cases {
		r, k := c.a.Dims()
		_, n := c.b.Dims()
		got := mat.NewDense(r, n, nil)
		mul(got, c.a, c.b)
		for i := 0; i < r; i++ {
			for j := 0; j < n; j++ {
				want := 0.0
				for p := 0; p < k; p++ {
					want = math.FMA(c.a.At(i, p), c.b.At(p, j), want)
				}
				if g := got.At(i, j); math.Float64bits(g) != math.Float64bits(want) {
					t.Fatalf("%s: [%d,%d] = %v, the FMA chain gives %v", c.name, i, j, g, want)
				}
			}
		}
	}
}
