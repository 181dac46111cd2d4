package rng

import "math"

// Log is ln x rounded to the nearest float64, for x a positive normal number.
//
// Go's math.Log is accurate to about one ulp, and in about 3% of the polar
// method's draws that ulp changes the normal value NumPy (which uses the C
// library's nearly correctly rounded log) prints. Log therefore works in
// double-double arithmetic (about 106 bits):
//
//	x = 2ᵏ·m, m ∈ [√½, √2);  ln x = k·ln 2 + 2·atanh(s),  s = (m − 1)/(m + 1),
//	atanh(s) = s + s³/3 + s⁵/5 + …
//
// The terms through s⁹/9 are summed by Horner's rule in double-double; the
// rest, below 2⁻⁴⁰ of the total since |s| < 0.172, need only float64 (their
// error is below 2⁻⁸⁰ of the result). The sum is rounded once.
func Log(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 1) || x < 0x1p-1022 {
		return math.Log(x)
	}
	m, k := math.Frexp(x) // x = m·2ᵏ, m ∈ [½, 1)
	if m < math.Sqrt2/2 {
		m *= 2
		k--
	}
	// s = (m − 1)/(m + 1) in double-double; m − 1 is exact (Sterbenz).
	s := dd{m - 1, 0}.div(twoSum(m, 1))
	s2 := s.mul(s)
	// tail: Σ_{i≥5} s²ⁱ/(2i+1) as a series in s², in float64
	z := s2.hi
	tail := 0.0
	for i := tailTerms - 1; i >= 5; i-- {
		tail = tail*z + 1/float64(2*i+1)
	}
	// head: 1 + s²/3 + s⁴/5 + s⁶/7 + s⁸/9 + s¹⁰·tail, by Horner in double-double
	sum := dd{tail, 0}
	for i := 4; i >= 0; i-- {
		sum = sum.mul(s2).add(recip[i])
	}
	r := sum.mul(s)
	r = r.add(r) // 2·atanh(s)
	ln2 := dd{0x1.62e42fefa39efp-01, 0x1.abc9e3b39803fp-56}
	r = r.add(ln2.mulFloat(float64(k)))
	return r.hi + r.lo
}

// tailTerms is where the float64 tail of the series stops: s²ⁱ/(2i+1) for
// i < 22 (|s²| < 0.0295, so the next term is below 2⁻¹¹⁰ of the total).
const tailTerms = 22

// recip are 1/(2i+1) for i = 0…4 in double-double.
var recip = func() [5]dd {
	var r [5]dd
	for i := range r {
		r[i] = dd{1, 0}.divFloat(float64(2*i + 1))
	}
	return r
}()

// dd is an unevaluated sum hi + lo with |lo| ≤ ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func (a dd) add(b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func (a dd) mul(b dd) dd {
	p := twoProd(a.hi, b.hi)
	p.lo += a.hi*b.lo + a.lo*b.hi
	return quickTwoSum(p.hi, p.lo)
}

func (a dd) mulFloat(b float64) dd {
	p := twoProd(a.hi, b)
	p.lo += a.lo * b
	return quickTwoSum(p.hi, p.lo)
}

func (a dd) divFloat(b float64) dd {
	q1 := a.hi / b
	r := a.add(twoProd(q1, b).neg())
	q2 := r.hi / b
	r = r.add(twoProd(q2, b).neg())
	q3 := r.hi / b
	q := quickTwoSum(q1, q2)
	return q.add(dd{q3, 0})
}

func (a dd) div(b dd) dd {
	q1 := a.hi / b.hi
	r := a.add(b.mulFloat(q1).neg())
	q2 := r.hi / b.hi
	r = r.add(b.mulFloat(q2).neg())
	q3 := r.hi / b.hi
	q := quickTwoSum(q1, q2)
	return q.add(dd{q3, 0})
}

func (a dd) neg() dd { return dd{-a.hi, -a.lo} }
