// Package diff computes derivatives two ways and compares them: exactly, by
// automatic differentiation (forward mode with dual numbers for scalar
// functions and chains, reverse mode over matrices for gradients), and
// numerically, by finite differences.
//
// diff knows derivatives; it knows nothing of YAML, files or formatting.
package diff

import (
	"math"

	"gonum.org/v1/gonum/diff/fd"

	"github.com/runner-dev/runner/internal/fmath"
)

// Formulas are the finite-difference stencils, by method name, with
// f'(x) ≈ (1/h)·Σᵢ Coeffᵢ·f(x + Locᵢ·h):
//
//	forward     (f(x+h) − f(x)) / h
//	backward    (f(x) − f(x−h)) / h
//	central     (f(x+h) − f(x−h)) / 2h
//	five-point  (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h
var Formulas = map[string]fd.Formula{
	"forward":  fd.Forward,
	"backward": fd.Backward,
	"central":  fd.Central,
	"five-point": {
		Stencil:    []fd.Point{{Loc: -2, Coeff: 1.0 / 12}, {Loc: -1, Coeff: -8.0 / 12}, {Loc: 1, Coeff: 8.0 / 12}, {Loc: 2, Coeff: -1.0 / 12}},
		Derivative: 1,
		Step:       1e-3,
	},
}

// Formulas2 are the second-difference stencils, by method name, with
// f”(x) ≈ (1/h²)·Σᵢ Coeffᵢ·f(x + Locᵢ·h):
//
//	forward     (f(x) − 2f(x+h) + f(x+2h)) / h²
//	backward    (f(x) − 2f(x−h) + f(x−2h)) / h²
//	central     (f(x+h) − 2f(x) + f(x−h)) / h²
//	five-point  (−f(x+2h) + 16f(x+h) − 30f(x) + 16f(x−h) − f(x−2h)) / 12h²
//
// richardson extrapolates the central stencil; complex-step, which gives
// first derivatives, takes central second differences.
var Formulas2 = map[string]fd.Formula{
	"forward":  fd.Forward2nd,
	"backward": fd.Backward2nd,
	"central":  fd.Central2nd,
	"five-point": {
		Stencil:    []fd.Point{{Loc: -2, Coeff: -1.0 / 12}, {Loc: -1, Coeff: 16.0 / 12}, {Loc: 0, Coeff: -30.0 / 12}, {Loc: 1, Coeff: 16.0 / 12}, {Loc: 2, Coeff: -1.0 / 12}},
		Derivative: 2,
		Step:       1e-3,
	},
	"complex-step": fd.Central2nd,
}

// Numeric2 is the second derivative of f at x by the named method's
// second-difference stencil (Formulas2) with step h, and an error estimate
// where the method gives one (Richardson), else NaN.
func Numeric2(f func(float64) float64, x float64, method string, h float64) (float64, float64) {
	if method == "richardson" {
		return extrapolate(func(hk float64) float64 { return (f(x+hk) - 2*f(x) + f(x-hk)) / (hk * hk) }, h)
	}
	form, ok := Formulas2[method]
	if !ok {
		return math.NaN(), math.NaN()
	}
	return stencil(form, f, x, h), math.NaN()
}

// RichardsonLevels is how many central differences, at h, h/2, h/4, …,
// Richardson extrapolation combines.
const RichardsonLevels = 4

// Numeric is the derivative of f at x by the named method with step h, and
// an estimate of its error where the method gives one (Richardson), else NaN.
// The method "none" returns NaN, NaN.
func Numeric(f func(float64) float64, x float64, method string, h float64) (float64, float64) {
	if method == "richardson" {
		return richardson(f, x, h)
	}
	form, ok := Formulas[method]
	if !ok {
		return math.NaN(), math.NaN()
	}
	return stencil(form, f, x, h), math.NaN()
}

// stencil is (1/hᵏ)·Σᵢ Coeffᵢ·f(x + Locᵢ·h) for a formula of derivative k,
// summed in the formula's order: the arithmetic of gonum's fd.Derivative
// (and its results, bit for bit), without its allocations, as sweeps call it
// millions of times.
func stencil(form fd.Formula, f func(float64) float64, x, h float64) float64 {
	var d float64
	for _, pt := range form.Stencil {
		d += pt.Coeff * f(x+h*pt.Loc)
	}
	return d / fmath.Pow(h, float64(form.Derivative))
}

// Evaluations is how many times a method evaluates f for one derivative.
func Evaluations(method string) int {
	if method == "richardson" {
		return 2 * RichardsonLevels
	}
	return len(Formulas[method].Stencil)
}

// richardson combines central differences D(h/2ᵏ), k = 0…n−1, whose error
// is a series in h², by the tableau
//
//	R[k][j] = R[k][j−1] + (R[k][j−1] − R[k−1][j−1]) / (4ʲ − 1),
//
// returning R[n−1][n−1] and |R[n−1][n−1] − R[n−1][n−2]| as its error estimate.
func richardson(f func(float64) float64, x, h float64) (float64, float64) {
	return extrapolate(func(hk float64) float64 { return (f(x+hk) - f(x-hk)) / (2 * hk) }, h)
}

// extrapolate combines D(h/2ᵏ), k = 0…n−1, for a difference D whose error
// is a series in h², by Richardson's tableau.
func extrapolate(D func(h float64) float64, h float64) (float64, float64) {
	var r [RichardsonLevels][RichardsonLevels]float64
	for k := 0; k < RichardsonLevels; k++ {
		hk := h / float64(int(1)<<k)
		r[k][0] = D(hk)
		p := 4.0
		for j := 1; j <= k; j++ {
			r[k][j] = r[k][j-1] + (r[k][j-1]-r[k-1][j-1])/(p-1)
			p *= 4
		}
	}
	n := RichardsonLevels - 1
	return r[n][n], math.Abs(r[n][n] - r[n][n-1])
}
