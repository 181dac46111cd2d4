// Package method holds the numeric differentiation methods as values, as
// gonum's fd.Formula is one: each Method carries its name, its first- and
// second-derivative stencils, its order of accuracy, whether gradients may
// use it, and its sentence for the report. The loader checks names against
// All, the CLI's help and the JSON Schema's enum list them, diff evaluates
// them (First, Second) and reports word and plot them from the same values.
//
// Adding a difference method:
//
//  1. Add one entry to All: its Name, Kind Stencil, its first- and
//     second-derivative stencils D1 and D2 (fd.Formula values), its Order,
//     Slope, Gradients and Study flags, and its sentence (differences, for
//     "NAME differences, h = …").
//  2. Add its name, in All's order, to the "method" enum of
//     spec/experiment.schema.json (TestSchemaMethodsAreTheTable fails until
//     the two agree) and its row to experiment-format.md's "Methods".
//  3. Run go test ./method: its stencils are checked against Taylor's
//     theorem at the stated Order, and its derivatives of eˣ converge at it.
//
// The loader, the CLI's --method help, diff, the reports and the step-study
// plots then take it from All. A method that is not a stencil needs a Kind
// of its own and its case in First and Second.
package method

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/diff/fd"

	"github.com/runner-dev/runner/internal/fmath"
)

// Kind is how a method takes a first derivative.
type Kind int

const (
	// ExactOnly takes none: exact derivatives only.
	ExactOnly Kind = iota
	// Stencil applies the method's first-derivative stencil.
	Stencil
	// Extrapolated combines central differences at h, h/2, h/4, … by
	// Richardson extrapolation.
	Extrapolated
	// ComplexStep is Im f(x + ih)/h, on the complex extension of f.
	ComplexStep
)

// Method is one numeric method.
type Method struct {
	// Name is the method's name in experiment files, flags and reports.
	Name string
	Kind Kind
	// D1 is the first-derivative stencil (Kind Stencil):
	// f'(x) ≈ (1/h)·Σᵢ Coeffᵢ·f(x + Locᵢ·h).
	D1 fd.Formula
	// D2 is the second-difference stencil, f”(x) ≈ (1/h²)·Σᵢ Coeffᵢ·f(x +
	// Locᵢ·h) (Kinds Stencil and ComplexStep); Extrapolated methods
	// extrapolate central differences for both derivatives.
	D2 fd.Formula
	// Order is the order of accuracy p: the truncation error of a first
	// derivative falls as hᵖ (0 for ExactOnly).
	Order int
	// Slope asks step-study plots to draw the truncation slope hᵖ.
	Slope bool
	// Gradients says whether a gradient (over matrices, evaluated in real
	// arithmetic only) may use the method.
	Gradients bool
	// Study says whether a step study that names no methods sweeps this one.
	Study bool
	// DefaultStep, when not 0, is the step used when none is chosen, in
	// place of the file's.
	DefaultStep float64
	// sentence is the report's description of the method at step h.
	sentence func(name string, h float64) string
}

// RichardsonLevels is how many central differences, at h, h/2, h/4, …,
// Richardson extrapolation combines.
const RichardsonLevels = 4

// ComplexStepDefault is complex-step's step when none is chosen: far below
// any step a difference could use, as complex-step subtracts nothing.
const ComplexStepDefault = 1e-20

func differences(name string, h float64) string {
	return fmt.Sprintf("%s differences, h = %g", name, h)
}

// All are the numeric methods the format names (experiment-format.md,
// "Methods"), in the order the CLI's help and the schema list them:
//
//	forward       (f(x+h) − f(x)) / h
//	backward      (f(x) − f(x−h)) / h
//	central       (f(x+h) − f(x−h)) / 2h
//	five-point    (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h
//	richardson    central differences at h, h/2, h/4, h/8, extrapolated
//	complex-step  Im f(x + ih) / h
//	none          no numeric derivative
//
// with second differences
//
//	forward     (f(x) − 2f(x+h) + f(x+2h)) / h²
//	backward    (f(x) − 2f(x−h) + f(x−2h)) / h²
//	central     (f(x+h) − 2f(x) + f(x−h)) / h²
//	five-point  (−f(x+2h) + 16f(x+h) − 30f(x) + 16f(x−h) − f(x−2h)) / 12h²
//
// richardson extrapolates the central second difference; complex-step,
// which gives first derivatives, takes central second differences.
var All = []*Method{
	{Name: "forward", Kind: Stencil, D1: fd.Forward, D2: fd.Forward2nd, Order: 1, Slope: true, Gradients: true, Study: true, sentence: differences},
	{Name: "backward", Kind: Stencil, D1: fd.Backward, D2: fd.Backward2nd, Order: 1, Slope: true, Gradients: true, sentence: differences},
	{Name: "central", Kind: Stencil, D1: fd.Central, D2: fd.Central2nd, Order: 2, Slope: true, Gradients: true, Study: true, sentence: differences},
	{Name: "five-point", Kind: Stencil,
		D1: fd.Formula{
			Stencil:    []fd.Point{{Loc: -2, Coeff: 1.0 / 12}, {Loc: -1, Coeff: -8.0 / 12}, {Loc: 1, Coeff: 8.0 / 12}, {Loc: 2, Coeff: -1.0 / 12}},
			Derivative: 1,
			Step:       1e-3,
		},
		D2: fd.Formula{
			Stencil:    []fd.Point{{Loc: -2, Coeff: -1.0 / 12}, {Loc: -1, Coeff: 16.0 / 12}, {Loc: 0, Coeff: -30.0 / 12}, {Loc: 1, Coeff: 16.0 / 12}, {Loc: 2, Coeff: -1.0 / 12}},
			Derivative: 2,
			Step:       1e-3,
		},
		Order: 4, Slope: true, Gradients: true, Study: true, sentence: differences},
	{Name: "richardson", Kind: Extrapolated, Order: 2 * RichardsonLevels, Gradients: true, Study: true,
		sentence: func(name string, h float64) string {
			return fmt.Sprintf("%s: central differences at h = %g, h/2, h/4, h/8 combined by Richardson extrapolation", name, h)
		}},
	{Name: "complex-step", Kind: ComplexStep, D2: fd.Central2nd, Order: 2, Study: true, DefaultStep: ComplexStepDefault,
		sentence: func(name string, h float64) string { return fmt.Sprintf("%s: Im f(x + ih)/h, h = %g", name, h) }},
	{Name: "none", Kind: ExactOnly, Gradients: true,
		sentence: func(name string, _ float64) string { return name + ": exact derivatives only" }},
}

// Default is the format's method when a file names none.
const Default = "central"

// Named is the method called name, or nil.
func Named(name string) *Method {
	for _, m := range All {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// Get is the method called name; a name that is none of All's (which the
// loader rejects) gets the method "none", which takes no numeric derivative.
func Get(name string) *Method {
	if m := Named(name); m != nil {
		return m
	}
	return Named("none")
}

// Names are the names of All, in order.
func Names() []string {
	out := make([]string, len(All))
	for i, m := range All {
		out[i] = m.Name
	}
	return out
}

// StudyNames are the methods a step study sweeps when it names none.
func StudyNames() []string {
	var out []string
	for _, m := range All {
		if m.Study {
			out = append(out, m.Name)
		}
	}
	return out
}

// Numeric says whether the method takes a numeric derivative at all.
func (m *Method) Numeric() bool { return m.Kind != ExactOnly }

// Estimates says whether the method gives an estimate of its own error.
func (m *Method) Estimates() bool { return m.Kind == Extrapolated }

// Step is the step in force: step, unless none was chosen (set false) and
// the method has a DefaultStep of its own.
func (m *Method) Step(step float64, set bool) float64 {
	if m.DefaultStep != 0 && !set {
		return m.DefaultStep
	}
	return step
}

// Sentence describes the method at step h for the report, e.g. "central
// differences, h = 0.001".
func (m *Method) Sentence(h float64) string { return m.sentence(m.Name, h) }

// Evaluations is how many times the method evaluates f (or, for
// ComplexStep, its complex extension) for one first derivative.
func (m *Method) Evaluations() int {
	switch m.Kind {
	case Extrapolated:
		return 2 * RichardsonLevels
	case ComplexStep:
		return 1
	}
	return len(m.D1.Stencil)
}

// First is f'(x) by the method with step h, and an estimate of its error
// where the method gives one (Extrapolated), else NaN. c is f's complex
// extension, which only ComplexStep uses (it may be nil otherwise); an
// ExactOnly method, or ComplexStep without c, gives NaN, NaN.
func (m *Method) First(f func(float64) float64, c func(complex128) complex128, x, h float64) (float64, float64) {
	switch m.Kind {
	case Stencil:
		return Apply(m.D1, f, x, h), math.NaN()
	case Extrapolated:
		return Extrapolate(func(hk float64) float64 { return (f(x+hk) - f(x-hk)) / (2 * hk) }, h)
	case ComplexStep:
		if c != nil {
			return imag(c(complex(x, h))) / h, math.NaN()
		}
	}
	return math.NaN(), math.NaN()
}

// Second is f”(x) by the method's second difference D2 with step h (for
// Extrapolated, D2 extrapolated), and an error estimate where the method
// gives one, else NaN; ExactOnly gives NaN, NaN.
func (m *Method) Second(f func(float64) float64, x, h float64) (float64, float64) {
	switch m.Kind {
	case ExactOnly:
		return math.NaN(), math.NaN()
	case Extrapolated:
		return Extrapolate(func(hk float64) float64 { return (f(x+hk) - 2*f(x) + f(x-hk)) / (hk * hk) }, h)
	}
	return Apply(m.D2, f, x, h), math.NaN()
}

// Apply is (1/hᵏ)·Σᵢ Coeffᵢ·f(x + Locᵢ·h) for a formula of derivative k,
// summed in the formula's order: the arithmetic of gonum's fd.Derivative
// (and its results, bit for bit), without its allocations, as sweeps call it
// millions of times.
func Apply(form fd.Formula, f func(float64) float64, x, h float64) float64 {
	var d float64
	for _, pt := range form.Stencil {
		d += pt.Coeff * f(x+h*pt.Loc)
	}
	return d / fmath.Pow(h, float64(form.Derivative))
}

// Extrapolate combines D(h/2ᵏ), k = 0…n−1 (n = RichardsonLevels), for a
// difference D whose error is a series in h², by Richardson's tableau
//
//	R[k][j] = R[k][j−1] + (R[k][j−1] − R[k−1][j−1]) / (4ʲ − 1),
//
// returning R[n−1][n−1] and |R[n−1][n−1] − R[n−1][n−2]| as its error estimate.
func Extrapolate(D func(h float64) float64, h float64) (float64, float64) {
	var r0 [RichardsonLevels]float64
	for k := range r0 {
		r0[k] = D(h / float64(int(1)<<k))
	}
	return tableau(r0)
}

// tableau is Extrapolate's tableau over the differences r0[k] = D(h/2ᵏ).
func tableau(r0 [RichardsonLevels]float64) (float64, float64) {
	var r [RichardsonLevels][RichardsonLevels]float64
	for k := 0; k < RichardsonLevels; k++ {
		r[k][0] = r0[k]
		p := 4.0
		for j := 1; j <= k; j++ {
			r[k][j] = r[k][j-1] + (r[k][j-1]-r[k-1][j-1])/(p-1)
			p *= 4
		}
	}
	n := RichardsonLevels - 1
	return r[n][n], math.Abs(r[n][n] - r[n][n-1])
}
