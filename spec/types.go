// Package spec is the typed, validated experiment: functions, chains,
// matrices and gradients with their settings, each value keeping the file,
// line and column it came from so that errors point at it. Package
// spec/load makes one from a YAML file (experiment-format.md); diff and
// reports take it from there.
//
// spec knows neither YAML nor files nor derivatives: it is plain data.
package spec

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/internal/fmath"
	"github.com/runner-dev/runner/method"
)

// Pos is a place in an experiment file; Line and Col count from 1 (0 when
// unknown).
type Pos struct {
	File      string
	Line, Col int
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is one problem in an experiment file.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Errors is every problem found in one file, in file order.
type Errors []*Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Sorted orders es by position and drops repeats (an alias used many times
// can raise the same error at the same place).
func (es Errors) Sorted() Errors {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].Pos, es[j].Pos
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	out := es[:0]
	for i, e := range es {
		if i > 0 && *e == *es[i-1] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// Methods are the names of the numeric methods the format names
// (experiment-format.md, "Methods"): method.All's.
var Methods = method.Names()

// StudyMethods are a step study's methods when it names none.
var StudyMethods = method.StudyNames()

// Numeric says how numeric derivatives are taken: the method named Method
// (one of method.All) with step Step (h).
// StepSet records that a step was chosen (by a file, the environment, the
// config file or a flag) rather than defaulted.
type Numeric struct {
	Method  string
	Step    float64
	StepSet bool
}

// H is the step in force: Step, except for a method with a default step of
// its own (complex-step) when no step was chosen.
func (n Numeric) H() float64 {
	if m := method.Named(n.Method); m != nil {
		return m.Step(n.Step, n.StepSet)
	}
	return n.Step
}

// Tolerance is the agreement asked of numeric and exact derivatives:
// |numeric − exact| ≤ Atol + Rtol·|exact|, plus the numeric derivative's
// own error bound in Mode ModeBound; and of a claimed derivative
// (derivative:, claims:) and the exact one: |claimed − exact| ≤ ClaimAtol +
// ClaimRtol·|exact|.
type Tolerance struct {
	Rtol, Atol           float64
	ClaimRtol, ClaimAtol float64
	// Mode is ModeBound or ModeFixed.
	Mode string
}

const (
	// ModeBound, the default: |numeric − exact| ≤ Atol + Rtol·|exact| +
	// err_bound, the numeric derivative's bound on its own error.
	ModeBound = "bound"
	// ModeFixed is version 1's rule: |numeric − exact| ≤ Atol + Rtol·|exact|.
	ModeFixed = "fixed"
)

// Modes are the tolerance modes, in the order the schema lists them.
var Modes = []string{ModeBound, ModeFixed}

// Fixed says whether t is version 1's rule, without the error bound.
func (t Tolerance) Fixed() bool { return t.Mode == ModeFixed }

// Settings are the numeric method and tolerance in force for an item.
type Settings struct {
	Numeric
	Tolerance
}

// Defaults are the settings of the format: central differences with
// h = 0.001 (the seed's Δ), rtol 1e-5, atol 1e-7, mode bound; claims
// checked with claim_rtol 1e-9, claim_atol 1e-12.
var Defaults = Settings{Numeric{Method: method.Default, Step: 0.001}, Tolerance{Rtol: 1e-5, Atol: 1e-7, ClaimRtol: 1e-9, ClaimAtol: 1e-12, Mode: ModeBound}}

// Experiment is one experiment file, validated.
type Experiment struct {
	// Path is the file's path as given; Name is its base name without the
	// .yaml/.yml extension (the reports' stem).
	Path, Name string
	Title      string
	About      string
	// Settings are the file's, with defaults filled in.
	Settings  Settings
	Explain   bool
	Seed      uint32
	Functions []*Function
	Chains    []*Chain
	Matrices  []*Matrix
	Gradients []*Gradient
	Jacobians []*Jacobian
}

// Item is what functions, chains and gradients have in common.
type Item struct {
	Name string
	Pos  Pos
	// Settings are the file's, or the item's own numeric:/tolerance:.
	Settings Settings
	// Order is the highest derivative computed: 1, or 2 for second
	// derivatives (the Hessian, for several variables or matrix elements).
	Order int
	// Study, when not nil, asks for a step-size study.
	Study *Study
	// Explain asks the report to lay out the computation: its graph and the
	// steps of its forward and backward passes (default true).
	Explain bool
	// CSVEvery says which points of a function or chain the CSV holds
	// (csv:): 0, every point; K > 0, every K-th point (csv: {every: K});
	// CSVSummary, every k-th with k chosen so that at most MaxSummaryRows
	// rows are (csv: summary). Every point with a derivative that is not
	// ok is held too.
	CSVEvery int
}

// CSVSummary is CSVEvery for csv: summary, and MaxSummaryRows the most
// rows its every-k-th points make.
const (
	CSVSummary     = -1
	MaxSummaryRows = 10_000
)

// Study sweeps the numeric step h over decades, from From down to To with
// PerDecade steps a decade, for one function or chain at one point At, and
// compares each method's numeric derivative with the exact one.
type Study struct {
	At        float64
	From, To  float64
	PerDecade int
	Methods   []string
}

// Steps are the study's values of h: From·10^(−k/PerDecade) for k = 0, 1, …
// down to To (within rounding).
func (s *Study) Steps() []float64 {
	n := int(math.Round(math.Log10(s.From/s.To)*float64(s.PerDecade))) + 1
	out := make([]float64, n)
	for k := range out {
		out[k] = s.From * fmath.Pow(10, -float64(k)/float64(s.PerDecade))
	}
	return out
}

// Function is a scalar function of one or more variables, evaluated at
// Points; each point holds one value per variable, in Vars order (sorted).
type Function struct {
	Item
	Src    string
	Expr   expr.Node
	Vars   []string
	Points [][]float64
	// Claims are the user's own partial derivatives (derivative:), at most
	// one per variable, in Vars order.
	Claims []Claim
}

// Link is one function of a chain: an expression in x.
type Link struct {
	Src  string
	Expr expr.Node
}

// Chain is links applied in order, Links[0] first, evaluated at Points.
type Chain struct {
	Item
	Links  []Link
	Points []float64
	// Claims holds the user's own df/dx (derivative:), when given.
	Claims []Claim
}

// Matrix is a named input matrix.
type Matrix struct {
	Name string
	Pos  Pos
	// Source says where the values came from, e.g. "randn(3, 3)".
	Source string
	Value  *mat.Dense
	// Labels marks a label matrix: Value holds non-negative integers
	// (class indices, rows of an embedding table). It is never
	// differentiated, is left out of a gradient's default wrt, and may be
	// used only where an operation takes labels (pick, one_hot, embed,
	// cross_entropy).
	Labels bool
}

// Gradient is a scalar function of matrices and the matrices its gradient is
// taken with respect to, in declaration order.
type Gradient struct {
	Item
	Src  string
	Expr expr.Node
	// Let are the named intermediates (let:), in order: each may use the
	// matrices and the names before it, and Expr may use them all.
	Let []Let
	// Wrt are the matrices, in declaration order, then the intermediates,
	// in Let order, that the gradient is taken with respect to.
	Wrt       []string
	Reference *Reference
	Sweep     *Sweep
	// FullGradients is how the full gradient of each matrix too large for
	// the Markdown is written beside the report (full_gradients:).
	FullGradients FullGradients
	// Claims are the user's own gradients (claims:), in file order; each
	// claimed matrix is in Wrt.
	Claims []Claim
}

// Let is a named intermediate of a gradient: Name = Expr, a Rows×Cols
// matrix. ∂L/∂Name is the total derivative through every use of it.
type Let struct {
	Name       string
	Pos        Pos
	Src        string
	Expr       expr.Node
	Rows, Cols int
}

// LetByName is the item's intermediate called name, or nil.
func (g *Gradient) LetByName(name string) *Let { return letNamed(g.Let, name) }

// LetByName is the item's intermediate called name, or nil.
func (j *Jacobian) LetByName(name string) *Let { return letNamed(j.Let, name) }

func letNamed(lets []Let, name string) *Let {
	for i := range lets {
		if lets[i].Name == name {
			return &lets[i]
		}
	}
	return nil
}

// Jacobian is a matrix-valued expression of matrices and intermediates,
// Shape its shape, and the matrices (in declaration order) and
// intermediates (in let order) its Jacobian is taken with respect to:
// every ∂out[i,j]/∂M[k,l].
type Jacobian struct {
	Item
	// Let are the named intermediates, in order, as a gradient's.
	Let   []Let
	Src   string
	Expr  expr.Node
	Wrt   []string
	Shape [2]int
}

// Sweep asks for L as one element of a matrix sweeps From … To, the rest
// held, plotted beside the tangent line the gradient predicts.
type Sweep struct {
	Matrix   string
	I, J     int
	From, To float64
	Count    int
}

// Reference is a set of values printed elsewhere (for example by the seed
// tutorial) that a gradient's results are compared with, to Decimals
// decimal places.
type Reference struct {
	Source   string
	Decimals int
	Value    *float64
	Inputs   []NamedMatrix
	Gradient []NamedMatrix
}

// NamedMatrix is a matrix of reference values for the matrix called Name.
type NamedMatrix struct {
	Name  string
	Value *mat.Dense
}

// MatrixByName returns the experiment's matrix called name, or nil.
func (e *Experiment) MatrixByName(name string) *Matrix {
	for _, m := range e.Matrices {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// FullGradients is the form of the full gradient of a matrix too large for
// the Markdown, written beside the report (full_gradients:).
type FullGradients string

// The forms of full_gradients:. FullNpy, the default (also spelled true),
// writes NAME.ITEM.grad_M.npy; FullCSV writes NAME.ITEM.grad_M.csv;
// FullNone (false) writes neither.
const (
	FullNpy  FullGradients = "npy"
	FullCSV  FullGradients = "csv"
	FullNone FullGradients = "false"
)
