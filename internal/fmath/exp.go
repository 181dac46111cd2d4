// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package fmath is the part of Go's math and math/cmplx whose results
// depend on the processor: math.Exp on amd64 runs assembly that takes a
// fused multiply-add path when the CPU has FMA and a separate multiply and
// add otherwise, so the last bit of exp(x), and of everything Go computes
// from it (Pow with a fractional exponent, Tanh, Sinh, Cosh, Erf, Erfc, and
// cmplx's Exp, Sin, Cos, Tan, Tanh, Pow), can differ between two amd64
// machines. The same assembly also overflows early: math.Exp(709.5) is +Inf
// on amd64, where the true value, 1.3549863193146328e308, is finite.
//
// The functions here are Go's own portable implementations (the files of
// math and math/cmplx, copied with their licence, with Exp swapped for the
// portable one), so they give the same bits on every machine the runner's
// reports are checked on. Use them, not math's, wherever a value can reach
// a report. (A build with GOAMD64=v3 or for arm64 lets the compiler fuse
// a·b + c into one FMA in any Go code, this package's included, which
// changes last bits too; TestSameBitsEverywhere fails on such a build.)
package fmath

import "math"

// Exp is eˣ, by Go's portable algorithm (FreeBSD's e_exp.c): x = k·ln 2 + r
// with |r| ≤ ln(2)/2, then a rational approximation of eʳ; error below
// 1 ulp. Exp(+Inf) = +Inf, Exp(NaN) = NaN; Exp(x) overflows to +Inf only for
// x > 709.782712893384 and underflows to 0 for x < −745.1332191019411.
func Exp(x float64) float64 {
	const (
		Ln2Hi = 6.93147180369123816490e-01
		Ln2Lo = 1.90821492927058770002e-10
		Log2e = 1.44269504088896338700e+00

		Overflow  = 7.09782712893383973096e+02
		Underflow = -7.45133219101941108420e+02
		NearZero  = 1.0 / (1 << 28) // 2**-28
	)

	// special cases
	switch {
	case math.IsNaN(x):
		return x
	case x > Overflow: // handles case where x is +∞
		return math.Inf(1)
	case x < Underflow: // handles case where x is -∞
		return 0
	case -NearZero < x && x < NearZero:
		return 1 + x
	}

	// reduce; computed as r = hi - lo for extra precision.
	var k int
	switch {
	case x < 0:
		k = int(Log2e*x - 0.5)
	case x > 0:
		k = int(Log2e*x + 0.5)
	}
	hi := x - float64(k)*Ln2Hi
	lo := float64(k) * Ln2Lo

	// compute
	return expmulti(hi, lo, k)
}

// expmulti returns e**r × 2**k where r = hi - lo and |r| ≤ ln(2)/2.
func expmulti(hi, lo float64, k int) float64 {
	const (
		P1 = 1.66666666666666657415e-01  /* 0x3FC55555; 0x55555555 */
		P2 = -2.77777777770155933842e-03 /* 0xBF66C16C; 0x16BEBD93 */
		P3 = 6.61375632143793436117e-05  /* 0x3F11566A; 0xAF25DE2C */
		P4 = -1.65339022054652515390e-06 /* 0xBEBBBD41; 0xC5D26BF1 */
		P5 = 4.13813679705723846039e-08  /* 0x3E663769; 0x72BEA4D0 */
	)

	r := hi - lo
	t := r * r
	c := r - t*(P1+t*(P2+t*(P3+t*(P4+t*P5))))
	y := 1 - ((lo - (r*c)/(2-c)) - hi)
	return math.Ldexp(y, k)
}
