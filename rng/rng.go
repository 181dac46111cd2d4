// Package rng reproduces NumPy's legacy random generator (np.random.seed,
// rand, randn, uniform) bit for bit: a 32-bit Mersenne Twister (MT19937)
// seeded with init_genrand, 53-bit uniform doubles, and Marsaglia's polar
// method for normal draws with its cached second value.
package rng

import "math"

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
	y := s.mt[s.i]
	s.i++
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
	s.i = 0
}

// Float64 is a uniform draw in [0, 1) with 53 random bits:
// ((a >> 5)·2²⁶ + (b >> 6)) / 2⁵³, as np.random.random_sample.
func (s *Source) Float64() float64 {
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

// Uniform is low + (high − low)·u for u = Float64(), as np.random.uniform.
func (s *Source) Uniform(low, high float64) float64 {
	return low + (high-low)*s.Float64()
}
