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
	return fd.Derivative(f, x, &fd.Settings{Formula: form, Step: h}), math.NaN()
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
	var r [RichardsonLevels][RichardsonLevels]float64
	for k := 0; k < RichardsonLevels; k++ {
		hk := h / float64(int(1)<<k)
		r[k][0] = (f(x+hk) - f(x-hk)) / (2 * hk)
		p := 4.0
		for j := 1; j <= k; j++ {
			r[k][j] = r[k][j-1] + (r[k][j-1]-r[k-1][j-1])/(p-1)
			p *= 4
		}
	}
	n := RichardsonLevels - 1
	return r[n][n], math.Abs(r[n][n] - r[n][n-1])
}
