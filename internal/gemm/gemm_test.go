package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// naive is the specification: C[i,j] is math.FMA chained over k = 0…K−1 in
// ascending order, starting from zero.
func naive(tA, tB bool, m, n, k int, a []float64, lda int, b []float64, ldb int) []float64 {
	A, B := operand{tA, a, lda}, operand{tB, b, ldb}
	c := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s := 0.0
			for p := 0; p < k; p++ {
				s = math.FMA(A.at(i, p), B.at(p, j), s)
			}
			c[i*n+j] = s
		}
	}
	return c
}

// random is r×c values spread over many magnitudes, so that summing in
// another order changes the last bits.
func random(s *rand.Rand, r, c int) []float64 {
	x := make([]float64, r*c)
	for i := range x {
		x[i] = s.NormFloat64() * math.Exp2(float64(s.IntN(20)-10))
	}
	return x
}

// variants are the kernels under test: each one this machine runs, with its
// own blocking and with tiny blocks (so that small shapes cross many block
// edges), on one and on three goroutines.
type variant struct {
	name    string
	k       *kernel
	workers int
}

func variants() []variant {
	var vs []variant
	for _, k := range kernels {
		tiny := *k
		tiny.mc, tiny.kc, tiny.nc = 2*k.mr, 3, 2*k.nr
		tiny.about += ", tiny blocks"
		for _, w := range []int{1, 3} {
			vs = append(vs, variant{fmt.Sprintf("%s/w%d", k, w), k, w}, variant{fmt.Sprintf("%s/w%d", &tiny, w), &tiny, w})
		}
	}
	return vs
}

type shape struct{ m, n, k int }

var shapes = []shape{
	{1, 1, 1}, {1, 17, 9}, {17, 1, 9}, {9, 5, 1}, {7, 13, 11}, {13, 7, 11}, {0, 5, 3}, {5, 0, 3}, {5, 3, 0},
	{6, 8, 4}, {5, 7, 3}, {12, 16, 257}, {121, 9, 255}, {119, 23, 513}, {127, 129, 31}, {3, 2049, 5}, {2, 4099, 3},
}

// run computes op(A)·op(B) into a C with two spare columns prefilled with
// garbage, checks the spare columns are untouched, and returns C packed.
func run(v variant, tA, tB bool, sh shape, a []float64, lda int, b []float64, ldb int) ([]float64, error) {
	ldc := sh.n + 2
	c := make([]float64, sh.m*ldc)
	for i := range c {
		c[i] = 12345
	}
	mul(v.k, v.workers, tA, tB, sh.m, sh.n, sh.k, a, lda, b, ldb, c, ldc)
	out := make([]float64, sh.m*sh.n)
	for i := 0; i < sh.m; i++ {
		copy(out[i*sh.n:], c[i*ldc:i*ldc+sh.n])
		if c[i*ldc+sh.n] != 12345 || c[i*ldc+sh.n+1] != 12345 {
			return nil, fmt.Errorf("row %d: wrote past column n", i)
		}
	}
	return out, nil
}

// operands are op(A) (m×k) and op(B) (k×n) stored as asked, with a spare
// column in every row so that a stride differs from the width.
func operands(s *rand.Rand, tA, tB bool, sh shape) (a []float64, lda int, b []float64, ldb int) {
	ar, ac := sh.m, sh.k
	if tA {
		ar, ac = ac, ar
	}
	br, bc := sh.k, sh.n
	if tB {
		br, bc = bc, br
	}
	return random(s, ar, ac+1), ac + 1, random(s, br, bc+1), bc + 1
}

func sameBits(x, y []float64) int {
	for i := range x {
		if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
			return i
		}
	}
	return -1
}

// TestMatchesSpec: every kernel, blocking and split gives the naive FMA
// chain's bits, on odd, empty, thin and block-straddling shapes, with every
// combination of transposed operands.
func TestMatchesSpec(t *testing.T) {
	s := rand.New(rand.NewPCG(1, 2))
	for _, sh := range shapes {
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			a, lda, b, ldb := operands(s, tr[0], tr[1], sh)
			want := naive(tr[0], tr[1], sh.m, sh.n, sh.k, a, lda, b, ldb)
			for _, v := range variants() {
				got, err := run(v, tr[0], tr[1], sh, a, lda, b, ldb)
				if err != nil {
					t.Fatalf("%s %v trans %v: %v", v.name, sh, tr, err)
				}
				if i := sameBits(got, want); i >= 0 {
					t.Fatalf("%s %v trans %v: C[%d,%d] = %v, the FMA chain gives %v", v.name, sh, tr, i/sh.n, i%sh.n, got[i], want[i])
				}
			}
		}
	}
}

// TestThinMatchesSpec: Mul's path for one row or one column of C (thin)
// gives the naive FMA chain's bits, on thin shapes with strides wider than
// the rows, leaving C's other columns alone.
func TestThinMatchesSpec(t *testing.T) {
	s := rand.New(rand.NewPCG(3, 4))
	for _, sh := range []shape{{1, 1, 1}, {1, 17, 9}, {17, 1, 9}, {1, 64, 30}, {32, 1, 64}, {1, 27, 64}, {1, 5, 513}, {300, 1, 7}} {
		a, lda, b, ldb := operands(s, false, false, sh)
		want := naive(false, false, sh.m, sh.n, sh.k, a, lda, b, ldb)
		ldc := sh.n + 2
		c := make([]float64, sh.m*ldc)
		for i := range c {
			c[i] = 12345
		}
		Mul(false, false, sh.m, sh.n, sh.k, a, lda, b, ldb, c, ldc)
		for i := 0; i < sh.m; i++ {
			if c[i*ldc+sh.n] != 12345 || c[i*ldc+sh.n+1] != 12345 {
				t.Fatalf("%v: row %d: wrote past column n", sh, i)
			}
			for j := 0; j < sh.n; j++ {
				if got := c[i*ldc+j]; math.Float64bits(got) != math.Float64bits(want[i*sh.n+j]) {
					t.Fatalf("%v: C[%d,%d] = %v, the FMA chain gives %v", sh, i, j, got, want[i*sh.n+j])
				}
			}
		}
	}
}

// TestOrderMatters shows the test above can fail: the same products summed
// in descending k give other bits for some elements of these operands.
func TestOrderMatters(t *testing.T) {
	s := rand.New(rand.NewPCG(3, 4))
	sh := shape{20, 20, 300}
	a, lda, b, ldb := operands(s, false, false, sh)
	want := naive(false, false, sh.m, sh.n, sh.k, a, lda, b, ldb)
	differ := 0
	for i := 0; i < sh.m; i++ {
		for j := 0; j < sh.n; j++ {
			c := 0.0
			for p := sh.k - 1; p >= 0; p-- {
				c = math.FMA(a[i*lda+p], b[p*ldb+j], c)
			}
			if c != want[i*sh.n+j] {
				differ++
			}
		}
	}
	if differ == 0 {
		t.Fatal("summing in reverse order changed no element: the bit-for-bit tests could not see a reordering")
	}
}

// TestKernelsAgree: on a larger product, the assembly and portable kernels,
// serial and split, give the same bits.
func TestKernelsAgree(t *testing.T) {
	s := rand.New(rand.NewPCG(5, 6))
	sh := shape{301, 263, 517}
	for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}} {
		a, lda, b, ldb := operands(s, tr[0], tr[1], sh)
		ref, _ := run(variant{"portable", portable, 1}, tr[0], tr[1], sh, a, lda, b, ldb)
		for _, v := range variants() {
			got, _ := run(v, tr[0], tr[1], sh, a, lda, b, ldb)
			if i := sameBits(got, ref); i >= 0 {
				t.Fatalf("%s trans %v: C[%d] = %v, portable gives %v", v.name, tr, i, got[i], ref[i])
			}
		}
	}
}

// TestSpecialValues: Inf and NaN travel through every kernel as through the
// FMA chain (a NaN's payload aside).
func TestSpecialValues(t *testing.T) {
	sh := shape{7, 9, 5}
	s := rand.New(rand.NewPCG(7, 8))
	a, lda, b, ldb := operands(s, false, false, sh)
	a[0], a[2*lda+1], b[3*ldb+4] = math.Inf(1), math.NaN(), math.Inf(-1)
	b[1*ldb+2] = 0
	want := naive(false, false, sh.m, sh.n, sh.k, a, lda, b, ldb)
	for _, v := range variants() {
		got, _ := run(v, false, false, sh, a, lda, b, ldb)
		for i := range got {
			if got[i] != want[i] && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
				t.Fatalf("%s: C[%d] = %v, want %v", v.name, i, got[i], want[i])
			}
		}
	}
}

// TestAgainstGonum: Mul agrees with gonum's mat.Dense.Mul, an independent
// product, within |C − C_gonum|ᵢⱼ ≤ 1e-12·(|A|·|B|)ᵢⱼ.
func TestAgainstGonum(t *testing.T) {
	s := rand.New(rand.NewPCG(9, 10))
	for _, sh := range []shape{{1, 50, 70}, {70, 1, 50}, {130, 97, 300}, {257, 255, 513}} {
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			a, lda, b, ldb := operands(s, tr[0], tr[1], sh)
			A := view(a, lda, sh.m, sh.k, tr[0])
			B := view(b, ldb, sh.k, sh.n, tr[1])
			var want, bound mat.Dense
			want.Mul(A, B)
			bound.Mul(absOf(A), absOf(B))
			c := make([]float64, sh.m*sh.n)
			Mul(tr[0], tr[1], sh.m, sh.n, sh.k, a, lda, b, ldb, c, sh.n)
			for i := 0; i < sh.m; i++ {
				for j := 0; j < sh.n; j++ {
					if d := math.Abs(c[i*sh.n+j] - want.At(i, j)); d > 1e-12*bound.At(i, j) {
						t.Fatalf("%v trans %v: C[%d,%d] = %v, gonum %v", sh, tr, i, j, c[i*sh.n+j], want.At(i, j))
					}
				}
			}
		}
	}
}

// view is op(X), r×c, over the stored x (row stride ld).
func view(x []float64, ld, r, c int, t bool) mat.Matrix {
	sr, sc := r, c
	if t {
		sr, sc = c, r
	}
	var d mat.Dense
	d.SetRawMatrix(blas64.General{Rows: sr, Cols: sc, Stride: ld, Data: x})
	if t {
		return d.T()
	}
	return &d
}

func absOf(m mat.Matrix) *mat.Dense {
	var d mat.Dense
	d.Apply(func(_, _ int, v float64) float64 { return math.Abs(v) }, m)
	return &d
}

// TestEnvChooses: RUNNER_GEMM=NAME selects that kernel; no or an unknown
// name selects the fastest.
func TestEnvChooses(t *testing.T) {
	for _, k := range kernels {
		t.Setenv("RUNNER_GEMM", k.name)
		if pick() != k {
			t.Errorf("RUNNER_GEMM=%s selected %s", k.name, pick().name)
		}
	}
	for _, v := range []string{"", "fast"} {
		t.Setenv("RUNNER_GEMM", v)
		if pick() != kernels[0] {
			t.Errorf("RUNNER_GEMM=%q selected %s, not the fastest, %s", v, pick().name, kernels[0].name)
		}
	}
}
