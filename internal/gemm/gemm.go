// Package gemm is the runner's own matrix product, C = op(A)·op(B) in
// float64, giving the same bits on every machine.
//
// Each element is one chain of fused multiply-adds in ascending k, starting
// from zero:
//
//	c := 0.0
//	for k := 0; k < K; k++ { c = math.FMA(op(A)[i,k], op(B)[k,j], c) }
//	C[i,j] = c
//
// whatever kernel runs (AVX2/FMA assembly on amd64, or the portable Go
// kernel using math.FMA), whatever the vector width, blocking or split among
// goroutines. Blocking over k carries the accumulator through C, so the order
// of a sum never changes; k is never split among goroutines, only rows and
// columns of C are. The product is packed and blocked: op(A) in mc×kc
// blocks, op(B) in kc×nc panels, each cut into the micro-kernel's MR-row and
// NR-column slivers; transposed operands are read through the packing, never
// copied whole.
package gemm

import (
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

// A kernel is a micro-kernel and the blocking that suits it.
type kernel struct {
	name, about string // "avx2", "amd64 assembly, 6×8"
	mr, nr      int    // the tile of C one call computes
	mc, kc, nc  int    // block sizes: mc a multiple of mr, nc of nr
	// fn sets the mr×nr tile c (row stride ldc) to the FMA chains of the
	// packed slivers a (kb×mr, k-major) and b (kb×nr, k-major), continuing
	// from the tile's values when load is true, else from zero.
	fn func(kb int, a, b, c []float64, ldc int, load bool)
}

// portable is the pure-Go kernel; it runs everywhere.
var portable = &kernel{name: "portable", about: "Go, math.FMA, 4×4", mr: 4, nr: 4, mc: 128, kc: 256, nc: 2048, fn: kernelGo}

// kernels lists the kernels this machine can run, fastest first; the last is
// portable. active is the one Mul uses: the one the environment variable
// RUNNER_GEMM names (avx512, avx2 or portable), else the first. All give the
// same bits; only the time differs.
var (
	kernels = append(archKernels(), portable)
	active  = pick()
)

func pick() *kernel {
	want := os.Getenv("RUNNER_GEMM")
	for _, k := range kernels {
		if k.name == want {
			return k
		}
	}
	return kernels[0]
}

// Kernels names the kernels this machine can run, fastest first, each as
// "name (about)", e.g. "avx2 (amd64 assembly, 6×8)".
func Kernels() []string {
	s := make([]string, len(kernels))
	for i, k := range kernels {
		s[i] = k.String()
	}
	return s
}

// Kernel names the kernel Mul uses, as Kernels does.
func Kernel() string { return active.String() }

func (k *kernel) String() string { return k.name + " (" + k.about + ")" }

// Mul sets C = op(A)·op(B), where op(A) is m×k and op(B) is k×n, and C is the
// m×n matrix at c with row stride ldc. A is stored row-major with row stride
// lda: as m×k when transA is false, as k×m (op(A) = Aᵀ) when it is true;
// likewise B, k×n or n×k. C must not overlap A or B. Large products are split
// among GOMAXPROCS goroutines by rows and columns of C; the bits do not
// depend on the split.
func Mul(transA, transB bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	if !transA && !transB && (m == 1 || n == 1) && m > 0 && n > 0 && k > 0 {
		thin(m, n, k, a, lda, b, ldb, c, ldc)
		return
	}
	w := runtime.GOMAXPROCS(0)
	if float64(m)*float64(n)*float64(k) < 1<<18 {
		w = 1
	}
	mul(active, w, transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
}

// operand is a row-major matrix, read as its transpose when t is true.
type operand struct {
	t  bool
	s  []float64
	ld int
}

// at is op(X)[i,j].
func (x operand) at(i, j int) float64 {
	if x.t {
		return x.s[j*x.ld+i]
	}
	return x.s[i*x.ld+j]
}

func mul(kn *kernel, workers int, transA, transB bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	if k <= 0 {
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
		return
	}
	A, B := operand{transA, a, lda}, operand{transB, b, ldb}
	kc, nc, mc := min(kn.kc, k), min(kn.nc, roundUp(n, kn.nr)), min(kn.mc, roundUp(m, kn.mr))
	bp := getBuf(kc * nc)
	defer putBuf(bp)
	if workers > 1 { // row blocks of about equal height, a multiple of workers of them
		blocks := roundUp((m+mc-1)/mc, workers)
		mc = roundUp((m+blocks-1)/blocks, kn.mr)
	}
	mBlocks := (m + mc - 1) / mc
	aps := make([]*[]float64, workers)
	for i := range aps {
		aps[i] = getBuf(mc * kc)
		defer putBuf(aps[i])
	}
	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		slivers := (nb + kn.nr - 1) / kn.nr
		// split columns too when there are too few row blocks to go round
		groups := min(slivers, max(1, (2*workers+mBlocks-1)/mBlocks))
		if workers == 1 {
			groups = 1
		}
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			parallel(workers, slivers, func(_, s int) {
				packB(kn.nr, (*bp)[s*kb*kn.nr:], B, pc, jc+s*kn.nr, kb, min(kn.nr, nb-s*kn.nr))
			})
			parallel(workers, mBlocks*groups, func(wk, t int) {
				ib, g := t/groups, t%groups
				ic := ib * mc
				mb := min(mc, m-ic)
				ap := *aps[wk]
				packA(kn.mr, ap, A, ic, pc, mb, kb)
				s0, s1 := g*slivers/groups, (g+1)*slivers/groups
				for s := s0; s < s1; s++ {
					jr := s * kn.nr
					bs := (*bp)[s*kb*kn.nr:]
					for ir := 0; ir < mb; ir += kn.mr {
						tile(kn, kb, ap[ir*kb:], bs, c, ldc, ic+ir, jc+jr, min(kn.mr, mb-ir), min(kn.nr, nb-jr), pc > 0)
					}
				}
			})
		}
	}
}

// tile runs the micro-kernel on the tile of C at row i, column j, of which
// only r×q lies inside C; an edge tile goes through a scratch tile.
func tile(kn *kernel, kb int, a, b, c []float64, ldc, i, j, r, q int, load bool) {
	if r == kn.mr && q == kn.nr {
		kn.fn(kb, a, b, c[i*ldc+j:], ldc, load)
		return
	}
	var buf [16 * 16]float64
	t := buf[:kn.mr*kn.nr]
	if load {
		for x := 0; x < r; x++ {
			copy(t[x*kn.nr:x*kn.nr+q], c[(i+x)*ldc+j:])
		}
	}
	kn.fn(kb, a, b, t, kn.nr, load)
	for x := 0; x < r; x++ {
		copy(c[(i+x)*ldc+j:(i+x)*ldc+j+q], t[x*kn.nr:])
	}
}

// packA writes rows i0…i0+mb−1, columns p0…p0+kb−1 of op(A) into dst as
// slivers of mr rows, each kb×mr with the k index outermost; rows past mb
// are zero.
func packA(mr int, dst []float64, A operand, i0, p0, mb, kb int) {
	for ir := 0; ir < mb; ir += mr {
		d := dst[ir*kb : (ir+mr)*kb]
		rows := min(mr, mb-ir)
		if rows < mr {
			clear(d)
		}
		if A.t {
			for p := 0; p < kb; p++ {
				src := A.s[(p0+p)*A.ld+i0+ir:]
				copy(d[p*mr:p*mr+rows], src)
			}
			continue
		}
		for r := 0; r < rows; r++ {
			src := A.s[(i0+ir+r)*A.ld+p0:]
			src = src[:kb]
			for p, v := range src {
				d[p*mr+r] = v
			}
		}
	}
}

// packB writes rows p0…p0+kb−1, columns j0…j0+q−1 of op(B) into dst as one
// kb×nr sliver, the k index outermost; columns past q are zero.
func packB(nr int, dst []float64, B operand, p0, j0, kb, q int) {
	d := dst[:kb*nr]
	if q < nr {
		clear(d)
	}
	if B.t {
		for j := 0; j < q; j++ {
			src := B.s[(j0+j)*B.ld+p0:]
			src = src[:kb]
			for p, v := range src {
				d[p*nr+j] = v
			}
		}
		return
	}
	for p := 0; p < kb; p++ {
		copy(d[p*nr:p*nr+q], B.s[(p0+p)*B.ld+j0:])
	}
}

// parallel calls f(worker, t) for t = 0…n−1 on up to workers goroutines,
// each task exactly once; worker, below workers, is the goroutine's number.
func parallel(workers, n int, f func(worker, t int)) {
	if workers == 1 || n == 1 {
		for t := 0; t < n; t++ {
			f(0, t)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := int(next.Add(1) - 1); t < n; t = int(next.Add(1) - 1) {
				f(w, t)
			}
		}()
	}
	wg.Wait()
}

func roundUp(x, m int) int { return (x + m - 1) / m * m }

var bufs sync.Pool

// getBuf is a scratch slice of at least n floats, from a pool.
func getBuf(n int) *[]float64 {
	if p, ok := bufs.Get().(*[]float64); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]float64, n)
	return &s
}

func putBuf(p *[]float64) { bufs.Put(p) }
