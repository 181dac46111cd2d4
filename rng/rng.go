// Package rng reproduces NumPy's legacy random generator (np.random.seed,
// rand, randn, uniform) bit for bit: a 32-bit Mersenne Twister (MT19937)
// seeded with init_genrand, 53-bit uniform doubles, and Marsaglia's polar
// method for normal draws with its cached second value.
package rng

import (
	"math"
	"sync"
)

const (
	n         = 624
	m         = 397
	matrixA   = 0x9908b0df
	upperMask = 0x80000000
	lowerMask = 0x7fffffff
)

// Source is one stream of draws, the state of np.random.RandomState.
type Source struct {
	mt       [n]uint32
	out      [n]uint32 // mt tempered: the next outputs are out[i:]
	i        int
	hasGauss bool
	gauss    float64
}

// New returns a stream seeded as np.random.seed(seed) seeds it.
func New(seed uint32) *Source {
	s := &Source{}
	s.mt[0] = seed
	for i := 1; i < n; i++ {
		s.mt[i] = 1812433253*(s.mt[i-1]^(s.mt[i-1]>>30)) + uint32(i)
	}
	s.i = n
	return s
}

// Uint32 is the next 32-bit output of MT19937 (genrand_int32).
func (s *Source) Uint32() uint32 {
	if s.i >= n {
		s.generate()
	}
	i := s.i
	s.i++
	return s.out[i%n]
}

// temper is MT19937's output transformation of one state word.
func temper(y uint32) uint32 {
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

func (s *Source) generate() {
	mag := [2]uint32{0, matrixA}
	var k int
	for k = 0; k < n-m; k++ {
		y := (s.mt[k] & upperMask) | (s.mt[k+1] & lowerMask)
		s.mt[k] = s.mt[k+m] ^ (y >> 1) ^ mag[y&1]
	}
	for ; k < n-1; k++ {
		y := (s.mt[k] & upperMask) | (s.mt[k+1] & lowerMask)
		s.mt[k] = s.mt[k+(m-n)] ^ (y >> 1) ^ mag[y&1]
	}
	y := (s.mt[n-1] & upperMask) | (s.mt[0] & lowerMask)
	s.mt[n-1] = s.mt[m-1] ^ (y >> 1) ^ mag[y&1]
	for i, w := range s.mt {
		s.out[i] = temper(w)
	}
	s.i = 0
}

// Float64 is a uniform draw in [0, 1) with 53 random bits:
// ((a >> 5)·2²⁶ + (b >> 6)) / 2⁵³, as np.random.random_sample.
func (s *Source) Float64() float64 {
	if i := s.i; i < n-1 {
		s.i += 2
		return (float64(s.out[i]>>5)*67108864.0 + float64(s.out[i+1]>>6)) / 9007199254740992.0
	}
	return s.float64Slow()
}

func (s *Source) float64Slow() float64 {
	a := s.Uint32() >> 5
	b := s.Uint32() >> 6
	return (float64(a)*67108864.0 + float64(b)) / 9007199254740992.0
}

// Norm is a standard normal draw by the polar method, as np.random.randn:
// x₁, x₂ uniform in (−1, 1) until r² = x₁² + x₂² ∈ (0, 1); then
// f = √(−2 ln r² / r²), return f·x₂ and keep f·x₁ for the next call.
func (s *Source) Norm() float64 {
	if s.hasGauss {
		s.hasGauss = false
		g := s.gauss
		s.gauss = 0
		return g
	}
	var x1, x2, r2 float64
	for {
		x1 = 2*s.Float64() - 1
		x2 = 2*s.Float64() - 1
		r2 = x1*x1 + x2*x2
		if r2 < 1 && r2 != 0 {
			break
		}
	}
	f := math.Sqrt(-2 * Log(r2) / r2)
	s.gauss = f * x1
	s.hasGauss = true
	return f * x2
}

// NormFill fills dst with len(dst) draws of Norm, the same values in the
// same order, leaving the stream where len(dst) calls of Norm leave it. The
// uniform draws are sequential; the logarithms, which cost most, are
// taken in parallel.
func (s *Source) NormFill(dst []float64) {
	if len(dst) > 0 && s.hasGauss {
		dst[0] = s.Norm()
		dst = dst[1:]
	}
	// Each pair's x₂, x₁ go into dst as they are drawn; a chunk's
	// logarithms are then taken by another goroutine while the next chunk
	// is drawn (r² is recomputed there by the same expression).
	const chunk = 1 << 14 // pairs
	pairs := len(dst) / 2
	var wg sync.WaitGroup
	for p0 := 0; p0 < pairs; p0 += chunk {
		p1 := min(pairs, p0+chunk)
		for p := p0; p < p1; p++ {
			var x1, x2 float64
			for {
				x1 = 2*s.Float64() - 1
				x2 = 2*s.Float64() - 1
				if r2 := x1*x1 + x2*x2; r2 < 1 && r2 != 0 {
					break
				}
			}
			dst[2*p], dst[2*p+1] = x2, x1
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := p0; p < p1; p++ {
				x2, x1 := dst[2*p], dst[2*p+1]
				r2 := x1*x1 + x2*x2
				f := math.Sqrt(-2 * Log(r2) / r2)
				dst[2*p], dst[2*p+1] = f*x2, f*x1
			}
		}()
	}
	wg.Wait()
	if len(dst)%2 == 1 {
		dst[len(dst)-1] = s.Norm()
	}
}

// Uniform is low + (high − low)·u for u = Float64(), as np.random.uniform.
func (s *Source) Uniform(low, high float64) float64 {
	return low + (high-low)*s.Float64()
}

// Bernoulli is a draw of np.random.binomial(1, p) from the legacy
// generator: 1 with probability p, else 0. NumPy's legacy_random_binomial
// takes, for n·p ≤ 30 (always, when n = 1), the inversion algorithm
// legacy_random_binomial_inversion on min(p, 1 − p), and for p > ½
// returns 1 minus the draw for q = 1 − p. For n = 1 the inversion is: with
// q = 1 − p, qn = exp(1·ln q) and bound = ⌊min(1, p + 10·√(p·q + 1))⌋ = 1,
// draw u = Float64(); u ≤ qn gives 0; else u − qn ≤ p·qn/q gives 1; else
// (rounding left u above the total) it starts again with a fresh u.
func (s *Source) Bernoulli(p float64) float64 {
	if p > 0.5 {
		return 1 - s.bernoulliInversion(1-p)
	}
	return s.bernoulliInversion(p)
}

// bernoulliInversion is legacy_random_binomial_inversion with n = 1, p ≤ ½,
// the C expressions kept as written, so that every draw and every
// comparison is NumPy's.
func (s *Source) bernoulliInversion(p float64) float64 {
	const n = 1
	q := 1.0 - p
	qn := math.Exp(n * Log(q))
	np := n * p
	bound := int64(math.Min(n, np+10.0*math.Sqrt(np*q+1)))
	x := int64(0)
	px := qn
	u := s.Float64()
	for u > px {
		x++
		if x > bound {
			x = 0
			px = qn
			u = s.Float64()
		} else {
			u -= px
			px = (float64(n-x+1) * p * px) / (float64(x) * q)
		}
	}
	return float64(x)
}
