package diff

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/spec"
)

// Status is the verdict on one derivative.
type Status string

const (
	// OK: numeric and exact agree within the tolerance (or there is no
	// numeric value, with method none).
	OK Status = "ok"
	// Fail: they disagree, or a value is not finite.
	Fail Status = "fail"
	// Kink: a registry function is evaluated at a point where it is not
	// differentiable, so neither number is a derivative.
	Kink Status = "kink"
)

// Derivative is one derivative value, exact beside numeric.
type Derivative struct {
	Wrt     string
	Exact   float64
	Numeric float64 // NaN with method none
	// ErrEst is the numeric method's own error estimate (Richardson), or NaN.
	ErrEst float64
	// Bound is the numeric derivative's bound on its own error
	// (method.Bound), NaN terms where there is none.
	Bound  method.Bound
	AbsErr float64 // |Numeric − Exact|, NaN with method none
	Status Status
	Note   string // why, when Status is not ok
	// Left and Right are the exact one-sided derivatives where Status is
	// kink (NaN elsewhere).
	Left, Right float64
	// Claim is the user's claimed value (derivative:, claims:); nil where
	// nothing was claimed.
	Claim *Claim
}

// Point is a function or chain at one point.
type Point struct {
	At       []float64 // one value per variable, in Vars order
	Value    float64
	Partials []Derivative // one per variable, in Vars order
	// Second are the second derivatives with order 2: ∂²f/∂xᵢ∂xⱼ for i ≤ j
	// in Vars order (Wrt "x,y"); a chain's d²f/dx² (Wrt "x,x").
	Second []Derivative
	Links  []LinkValue // chains only: each link at its own input
}

// LinkValue is one link of a chain at one point: its input, its output, and
// its derivative at that input, exact and numeric (the seed's factor).
type LinkValue struct {
	In, Out        float64
	Exact, Numeric float64
}

// Function is a function's or chain's results.
type Function struct {
	Name     string
	Kind     string // "function" or "chain"
	Src      string // the expression; for a chain, its composition
	Vars     []string
	Links    []string // chains: each link's text, first applied first
	Settings spec.Settings
	Order    int
	// Points are the results point by point; nil for a long chain, whose
	// results are held as columns: read them with Len, Point and LinksAt.
	Points []Point
	cols   *pointColumns
	Study  *Study
	// Formula is f as one expression (for a chain, its links composed), and
	// Derivs its symbolic partial derivatives, one per variable, simplified.
	Formula expr.Node
	Derivs  []expr.Node
	// Explain lays out the computation at the first point (functions), or
	// asks for the chain rule with the numbers plugged in (chains: Explained).
	Explain   *Explanation
	Explained bool
	// Curve samples f and its exact derivative densely across the points,
	// for a plot; set for one-variable items with at least CurveMinPoints
	// distinct points.
	Curve *Curve
	// Surface samples a two-variable function over the box around its
	// points, for a contour picture.
	Surface *Surface
	// Claims are the user's claimed derivatives, checked (derivative:).
	Claims []ScalarClaim
	// CSVEvery is the item's csv: (spec.Item.CSVEvery): which points the
	// CSV holds.
	CSVEvery int
}

// CurveMinPoints is how many distinct points a one-variable item needs to
// be plotted.
const CurveMinPoints = 5

// CurveSamples is how many samples a curve takes.
const CurveSamples = 241

// Curve is f and f' at X[k], evenly spaced from the smallest point to the
// largest.
type Curve struct {
	X, F, D []float64
}

// Sweep is L as one element of a matrix sweeps, the rest held: L(T[k]) =
// L[k]; the tangent the gradient predicts is L0 + Slope·(t − X0).
type Sweep struct {
	Matrix string
	I, J   int
	X0, L0 float64
	Slope  float64
	T, L   []float64
}

// Index is a matrix element (0-based).
type Index struct{ I, J int }

// Element is one element of a gradient checked numerically.
type Element struct {
	Index
	Derivative
}

// MatrixGradient is ∂L/∂M for one matrix M.
type MatrixGradient struct {
	Name  string
	Input *mat.Dense
	Exact *mat.Dense
	// Norm is ‖Exact‖ (Frobenius) and MaxAbs its largest |element|, for
	// summaries of matrices too large to print (NormMax).
	Norm, MaxAbs float64
	// Elements are the elements checked numerically, row-major; every
	// element when Full.
	Elements []Element
	Full     bool
	// Intermediate marks a named intermediate (let:) rather than an input
	// matrix; Input is then its value.
	Intermediate bool
	// Claim is the user's claimed gradient, checked (claims:); nil when
	// none was claimed.
	Claim *MatrixClaim
}

// Direction is a directional-derivative check: ∇L·V, exact (the sum over
// matrices of ⟨∂L/∂M, V_M⟩) beside numeric (d/dt L(M + tV_M) at t = 0).
type Direction struct {
	Derivative
}

// Gradient is a gradient's results.
type Gradient struct {
	Name     string
	Src      string
	Settings spec.Settings
	Value    float64
	Wrt      []MatrixGradient
	// Directions are the directional checks made when the matrices are too
	// large to check element by element; Sampled says so.
	Directions []Direction
	Sampled    bool
	// Check says in words what was checked numerically.
	Check     string
	Reference *Reference
	Sweep     *Sweep
	Explain   *Explanation
	// FullGradients: how the report writes the full gradient of each large
	// matrix beside it (the experiment's full_gradients:).
	FullGradients spec.FullGradients
	// Second are the second derivatives with order 2 (Wrt "A[i,j],B[k,l]",
	// or "direction k,direction k"), and SecondCheck says in words which.
	Second      []Derivative
	SecondCheck string
}

// Reference is a gradient's results compared with printed values.
type Reference struct {
	Source   string
	Decimals int
	Rows     []ReferenceRow
}

// ReferenceRow is one printed quantity beside the computed one.
type ReferenceRow struct {
	What     string // "L", "X", "∂L/∂X"
	Printed  *mat.Dense
	Computed *mat.Dense
	MaxDiff  float64
	Agrees   bool
}

// Item is one function, chain or gradient, in file order.
type Item struct {
	Function *Function // functions and chains
	Gradient *Gradient
	Jacobian *Jacobian
}

// Results are one experiment's results.
type Results struct {
	Name, Title, About string
	Settings           spec.Settings
	Seed               uint32
	Matrices           []*spec.Matrix
	Items              []Item
	// BLAS is BLASNote when the matrices were multiplied by something other
	// than the own GEMM (--blas openblas), else "".
	BLAS string
}

// Counts tallies the derivatives of r by status, and the reference rows
// that disagree.
type Counts struct {
	Total, OK, Fail, Kink int
	// Exact counts derivatives computed exactly only, with no numeric
	// check (method none): in Total, not in OK.
	Exact       int
	RefMismatch int
	// ClaimMismatch counts the claims (one per variable or matrix) that
	// disagree with the exact derivative.
	ClaimMismatch int
}

// Count tallies r.
func (r *Results) Count() Counts {
	var c Counts
	add := func(d Derivative) {
		c.Total++
		switch {
		case d.Status == OK && math.IsNaN(d.Numeric):
			c.Exact++
		case d.Status == OK:
			c.OK++
		case d.Status == Fail:
			c.Fail++
		case d.Status == Kink:
			c.Kink++
		}
	}
	for _, it := range r.Items {
		if f := it.Function; f != nil {
			if f.cols != nil {
				f.cols.each(add)
			}
			for k := range len(f.Points) {
				p := f.Points[k]
				for _, d := range p.Partials {
					add(d)
				}
				for _, d := range p.Second {
					add(d)
				}
			}
			for i := range f.Claims {
				if !f.Claims[i].OK() {
					c.ClaimMismatch++
				}
			}
		}
		if g := it.Gradient; g != nil {
			if !method.Get(g.Settings.Method).Numeric() {
				// no element is checked; each is reported exactly
				for _, m := range g.Wrt {
					r, cols := m.Exact.Dims()
					c.Total += r * cols
					c.Exact += r * cols
				}
			}
			for _, m := range g.Wrt {
				for _, e := range m.Elements {
					add(e.Derivative)
				}
			}
			for _, d := range g.Directions {
				add(d.Derivative)
			}
			for _, d := range g.Second {
				add(d)
			}
			for _, m := range g.Wrt {
				if m.Claim != nil && !m.Claim.OK() {
					c.ClaimMismatch++
				}
			}
			if g.Reference != nil {
				for _, row := range g.Reference.Rows {
					if !row.Agrees {
						c.RefMismatch++
					}
				}
			}
		}
		if j := it.Jacobian; j != nil {
			for _, b := range j.Wrt {
				for _, e := range b.Entries {
					add(e.Derivative)
				}
			}
		}
	}
	return c
}

// Failed reports whether anything is outside tolerance, disagrees with a
// reference, or is a wrong claim.
func (c Counts) Failed() bool { return c.Fail > 0 || c.RefMismatch > 0 || c.ClaimMismatch > 0 }

// NotFinite spells a value that is not a finite number as the reports do:
// "∞" and "−∞" for an infinite one, "undefined" for NaN (a value that does
// not exist); ok is false for a finite number.
func NotFinite(x float64) (word string, ok bool) {
	switch {
	case math.IsNaN(x):
		return "undefined", true
	case math.IsInf(x, 1):
		return "∞", true
	case math.IsInf(x, -1):
		return "−∞", true
	}
	return "", false
}

// atKink settles a derivative whose exact evaluation met a kink (or, for a
// second derivative, a break), given its one-sided values in d.Left and
// d.Right. Where they agree, the kink is one the rest of the expression
// flattens: the function is differentiable there, its derivative is that
// common value, and it is checked as usual (no one-sided cells). Else it is
// a kink. The same rule holds for first and second derivatives, functions
// and chains.
func atKink(d *Derivative) bool {
	if d.Left == d.Right {
		d.Exact = d.Left + 0 // +0, not −0
		d.Left, d.Right = math.NaN(), math.NaN()
		return false
	}
	return true
}

// noSecond marks a second derivative where the first is a kink: there is
// none, whatever its one-sided values.
func noSecond(d *Derivative) {
	d.Status, d.Note = Kink, "not differentiable here: the first derivative has a kink, so there is no second"
	d.Left, d.Right = math.NaN(), math.NaN()
}

// judge compares numeric with exact under tol: in mode fixed
// |numeric − exact| ≤ atol + rtol·|exact|; in mode bound (the default)
// |numeric − exact| ≤ atol + rtol·|exact| + err_bound, with d.Bound the
// numeric derivative's bound on its own error (a bound that is NaN counts
// as 0). problem and numProblem say why the exact or the numeric evaluation
// met a value that is not finite, when one did. A note d already holds (how
// the numeric value was taken, e.g. one-sided) is kept after judge's own.
func judge(d *Derivative, tol spec.Tolerance, kink bool, m *method.Method, problem, numProblem string) {
	how := d.Note
	d.Note = ""
	defer func() {
		switch {
		case how == "":
		case d.Note == "":
			d.Note = how
		default:
			d.Note += "; " + how
		}
	}()
	d.AbsErr = math.Abs(d.Numeric - d.Exact)
	numeric := ""
	if numProblem != "" {
		numeric = "; numeric: " + numProblem
	}
	if mutateExact != nil {
		d.Exact = mutateExact(d.Exact)
		d.AbsErr = math.Abs(d.Numeric - d.Exact)
	}
	fixed := tol.Atol + tol.Rtol*math.Abs(d.Exact)
	bound := d.Bound.Value()
	if tol.Fixed() || math.IsNaN(bound) {
		bound = 0
	}
	switch {
	case kink:
		d.Status, d.Note = Kink, "not differentiable here"
	case problem != "":
		d.Status, d.Note = Fail, problem
	case bad(d.Exact):
		word, _ := NotFinite(d.Exact)
		d.Status, d.Note = Fail, "the derivative is "+word+" here"+numeric
	case !m.Numeric():
		d.Status, d.AbsErr = OK, math.NaN()
	case bad(d.Numeric):
		d.Status, d.Note = Fail, "the numeric derivative is not finite"+numeric
	case d.AbsErr <= fixed:
		d.Status = OK
	case d.AbsErr <= fixed+bound:
		d.Status = OK
		d.Note = fmt.Sprintf("within the error bound %s (%s)", short(d.Bound.Value()), d.Bound.Term())
	case tol.Fixed() || math.IsNaN(d.Bound.Value()):
		d.Status, d.Note = Fail, "outside tolerance"
	default:
		d.Status = Fail
		d.Note = fmt.Sprintf("outside tolerance: |numeric − exact| = %s > atol + rtol·|exact| + bound = %s + %s (%s)",
			short(d.AbsErr), short(fixed), short(bound), d.Bound.Term())
	}
}

// mutateExact, nil but in tests, changes every exact derivative before it
// is judged: the mutation tests make exact values wrong to show the verdict
// catches them.
var mutateExact func(exact float64) float64

// short is x to 2 significant digits, for a note.
func short(x float64) string { return strconv.FormatFloat(x, 'g', 2, 64) }
