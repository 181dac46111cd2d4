package rng

import "math"

// Log is ln x rounded to the nearest float64, for x a positive normal number.
//
// Go's math.Log is accurate to about one ulp, and in about 3% of the polar
// method's draws that ulp changes the normal value NumPy (which uses the C
// library's nearly correctly rounded log) prints. Log is therefore
// correctly rounded, in two steps (Ziv's strategy):
//
//  1. a fast approximation whose error is below 2⁻⁶⁵·|ln x| (logFast,
//     which says why; TestLogFastBound measures at most 2⁻⁶⁹); Log allows
//     2⁻⁶³, and when that interval rounds to one float64, that is the
//     answer, as it is for all but about 1 in 700 inputs;
//  2. otherwise the slow series in double-double arithmetic (about 100
//     bits, logSlow) decides.
func Log(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 1) || x < 0x1p-1022 {
		return math.Log(x)
	}
	r := logFast(x)
	e := math.Abs(r.hi) * 0x1p-63 // a generous bound on r's error
	if a, b := r.hi+(r.lo-e), r.hi+(r.lo+e); a == b {
		return a
	}
	return logSlow(x)
}

// logFast is ln x, x a positive normal number, as a double-double with
// relative error below 2⁻⁶⁵ (the table method of Tang and of the C
// libraries):
//
//	x = 2ᵏ·m, m ∈ [√½, √2);  c ≈ 1/m from a table of 8-bit numbers;
//	t = m·c − 1, exact with one fused multiply-add since |t| < 2⁻⁷;
//	ln x = k·ln 2 − ln c + t − t²/2 + t³·(1/3 − t/4 + … − t⁷/10).
//
// k·ln 2, −ln c (tabulated) and t²/2 are carried in double-double; the
// cubic tail, below 2⁻¹³ of the result, needs only float64. Where m is
// within 2⁻⁸ of 1, c = 1 and t = m − 1, so nothing cancels near x = 1.
func logFast(x float64) dd {
	m, k := math.Frexp(x) // x = m·2ᵏ, m ∈ [½, 1)
	if m < math.Sqrt2/2 {
		m *= 2
		k--
	}
	e := &logTable[int(m*256)-logTableStart]
	t := math.FMA(m, e.c, -1)
	p := -1.0 / 10
	for i := 9; i >= 3; i-- {
		p = p*t + logCoef[i]
	}
	tail := t * t * t * p
	q := twoProd(t, t)
	q.hi, q.lo = -q.hi/2, -q.lo/2
	kf := float64(k)
	a := twoProd(kf, ln2.hi)
	a.lo += kf * ln2.lo
	s1 := twoSum(a.hi, e.lnc.hi)
	s2 := twoSum(s1.hi, t)
	s3 := twoSum(s2.hi, q.hi)
	lo := s1.lo + s2.lo + s3.lo + (a.lo + e.lnc.lo + q.lo + tail)
	return quickTwoSum(s3.hi, lo)
}

// logCoef[i] is (−1)ⁱ⁺¹/i, the coefficients of ln(1 + t).
var logCoef = func() [10]float64 {
	var c [10]float64
	for i := 1; i < 10; i++ {
		c[i] = 1 / float64(i)
		if i%2 == 0 {
			c[i] = -c[i]
		}
	}
	return c
}()

// logTable holds, for m ∈ [i/256, (i+1)/256), c ≈ 1/m rounded to 8
// significant bits (c = 1 for the two intervals beside 1) and −ln c in
// double-double, computed once by logSlow's series.
var logTable = func() []logEntry {
	t := make([]logEntry, logTableEnd-logTableStart+1)
	for i := range t {
		j := i + logTableStart
		c := 1.0
		if j != 255 && j != 256 {
			mid := (float64(j) + 0.5) / 256
			fr, ex := math.Frexp(1 / mid)
			c = math.Ldexp(math.Round(fr*256)/256, ex) // 8 significant bits
		}
		t[i] = logEntry{c: c, lnc: logDD(c).neg()}
	}
	return t
}()

type logEntry struct {
	c   float64
	lnc dd // −ln c
}

// the table's first and last index: m·256 for m ∈ [√½, √2)
const (
	logTableStart = 181
	logTableEnd   = 362
)

var ln2 = dd{0x1.62e42fefa39efp-01, 0x1.abc9e3b39803fp-56}

// logSlow is ln x rounded once from about 100 bits: logDD(x).hi + .lo.
func logSlow(x float64) float64 {
	r := logDD(x)
	return r.hi + r.lo
}

// logDD is ln x in double-double arithmetic (about 100 bits):
//
//	x = 2ᵏ·m, m ∈ [√½, √2);  ln x = k·ln 2 + 2·atanh(s),  s = (m − 1)/(m + 1),
//	atanh(s) = s + s³/3 + s⁵/5 + …
//
// The terms through s⁹/9 are summed by Horner's rule in double-double; the
// rest, below 2⁻⁴⁰ of the total since |s| < 0.172, need only float64 (their
// error is below 2⁻⁸⁰ of the result).
func logDD(x float64) dd {
	if x == 1 {
		return dd{}
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
	return r.add(ln2.mulFloat(float64(k)))
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
