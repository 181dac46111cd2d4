// Package diff computes derivatives two ways and compares them: exactly, by
// automatic differentiation (forward mode with dual numbers for scalar
// functions and chains, reverse mode over matrices for gradients), and
// numerically, by finite differences (the methods of package method).
//
// diff knows derivatives; it knows nothing of YAML, files or formatting.
package diff

import (
	"github.com/runner-dev/runner/method"
	"gonum.org/v1/gonum/diff/fd"
)

// Formulas are the first-derivative stencils of the stencil methods, by
// name (method.All's D1).
var Formulas = formulas(func(m *method.Method) (fd.Formula, bool) { return m.D1, m.Kind == method.Stencil })

// Formulas2 are the second-difference stencils, by method name (method.All's
// D2, for the methods that apply one).
var Formulas2 = formulas(func(m *method.Method) (fd.Formula, bool) { return m.D2, m.D2.Stencil != nil })

func formulas(pick func(*method.Method) (fd.Formula, bool)) map[string]fd.Formula {
	out := map[string]fd.Formula{}
	for _, m := range method.All {
		if f, ok := pick(m); ok {
			out[m.Name] = f
		}
	}
	return out
}

// Numeric is the derivative of f at x by the named method with step h, and
// an estimate of its error where the method gives one (Richardson), else NaN;
// see method.Method.First. Methods that need f's complex extension, and
// "none", give NaN, NaN.
func Numeric(f func(float64) float64, x float64, name string, h float64) (float64, float64) {
	return method.Get(name).First(f, nil, x, h)
}

// Numeric2 is the second derivative of f at x by the named method with step
// h, and an error estimate where the method gives one, else NaN; see
// method.Method.Second.
func Numeric2(f func(float64) float64, x float64, name string, h float64) (float64, float64) {
	return method.Get(name).Second(f, x, h)
}

// stencil is method.Apply: (1/hᵏ)·Σᵢ Coeffᵢ·f(x + Locᵢ·h).
func stencil(form fd.Formula, f func(float64) float64, x, h float64) float64 {
	return method.Apply(form, f, x, h)
}
