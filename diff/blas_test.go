package diff

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/rng"
)

// useOpenBLAS selects OpenBLAS for the rest of the test, or skips the test
// with what to install where the library is missing.
func useOpenBLAS(t *testing.T) {
	t.Helper()
	if err := UseBLAS("openblas"); err != nil {
		t.Skipf("OpenBLAS missing here, skipped (apt-get install libopenblas0): %v", err)
	}
	t.Cleanup(func() { _ = UseBLAS("") })
}

// TestOpenBLASAgreesWithGEMM: with --blas openblas every product agrees
// with the own GEMM's within 1e-12·(|A|·|B|)ᵢⱼ, the normwise bound both
// satisfy as n·u·(|A|·|B|)ᵢⱼ sums of rounded products (n ≤ 301, u = 2⁻⁵³),
// on odd shapes, each operand transposed or not, strided views, and a
// product large enough (301·290·257 > 2²⁴) to be split by rows among
// goroutines.
func TestOpenBLASAgreesWithGEMM(t *testing.T) {
	s := rng.New(9)
	m := func(r, c int) *mat.Dense {
		d := mat.NewDense(r, c, nil)
		s.NormFill(d.RawMatrix().Data)
		return d
	}
	a, b := m(301, 290), m(290, 257)
	at, bt := mat.DenseCopyOf(a.T()), mat.DenseCopyOf(b.T())
	big := m(40, 50)
	cases := []struct {
		name string
		x, y mat.Matrix
	}{
		{"A·B", a, b}, {"(Aᵀ)ᵀ·B", at.T(), b}, {"A·(Bᵀ)ᵀ", a, bt.T()}, {"(Aᵀ)ᵀ·(Bᵀ)ᵀ", at.T(), bt.T()},
		{"view·viewᵀ", big.Slice(3, 16, 5, 18), big.Slice(10, 37, 30, 43).T()},
		{"row·column", big.Slice(7, 8, 0, 13), big.Slice(0, 13, 49, 50)},
		{"column·row", big.Slice(0, 13, 49, 50), big.Slice(7, 8, 0, 13)},
		{"prime shapes", m(7, 11), m(11, 13)},
		{"k = 0", mat.NewDense(3, 1, nil).Slice(0, 3, 0, 0), mat.NewDense(1, 4, nil).Slice(0, 0, 0, 4)},
	}
	own := make([]*mat.Dense, len(cases))
	for i, c := range cases {
		r, _ := c.x.Dims()
		_, n := c.y.Dims()
		own[i] = mat.NewDense(r, n, nil)
		mul(own[i], c.x, c.y)
	}
	useOpenBLAS(t)
	if using, _ := MatMulKernels(); !strings.HasPrefix(using, "OpenBLAS ") {
		t.Errorf("MatMulKernels names %q with --blas openblas", using)
	}
	for i, c := range cases {
		r, k := c.x.Dims()
		_, n := c.y.Dims()
		got := mat.NewDense(r, n, nil)
		got.Apply(func(int, int, float64) float64 { return math.NaN() }, got) // every element must be written
		mul(got, c.x, c.y)
		for i2 := 0; i2 < r; i2++ {
			for j := 0; j < n; j++ {
				bound := 0.0
				for p := 0; p < k; p++ {
					bound += math.Abs(c.x.At(i2, p) * c.y.At(p, j))
				}
				if d := math.Abs(got.At(i2, j) - own[i].At(i2, j)); !(d <= 1e-12*bound) {
					t.Fatalf("%s: [%d,%d]: OpenBLAS %v, own GEMM %v: differ by %g > 1e-12·%g", c.name, i2, j, got.At(i2, j), own[i].At(i2, j), d, bound)
				}
			}
		}
	}
}

// TestOpenBLASMissing: asking for OpenBLAS where it cannot be loaded is an
// error that says what to install, and leaves the own GEMM in use.
func TestOpenBLASMissing(t *testing.T) {
	names := openBLASNames
	openBLASNames = []string{"libopenblas-not-here.so.0"}
	defer func() { openBLASNames = names }()
	err := UseBLAS("openblas")
	if err == nil || !strings.Contains(err.Error(), "apt-get install libopenblas0") || !strings.Contains(err.Error(), "libopenblas-not-here.so.0") {
		t.Errorf("UseBLAS(openblas) without the library: %v", err)
	}
	if err := UseBLAS("/nowhere/libopenblas.so"); err == nil || !strings.Contains(err.Error(), "/nowhere/libopenblas.so") {
		t.Errorf("UseBLAS of a missing file: %v", err)
	}
	if err := UseBLAS("mkl"); err == nil || !strings.Contains(err.Error(), "expected own, openblas") {
		t.Errorf("UseBLAS(mkl): %v", err)
	}
	if BLASNote() != "" {
		t.Errorf("a failed UseBLAS left %q in use", BLASNote())
	}
}
