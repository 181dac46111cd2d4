package claims

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Default tolerances of a claim: |claimed − exact| ≤ DefaultAtol + DefaultRtol·|exact|.
const (
	DefaultRtol = 1e-9
	DefaultAtol = 1e-12
)

// MaxWorst is how many disagreeing elements a [Verdict] lists.
const MaxWorst = 5

// Tolerance is how close a claim must be: |claimed − exact| ≤ Atol + Rtol·|exact|
// for every element. A zero field means its default (DefaultRtol,
// DefaultAtol); to ask for exact agreement pass a tiny positive value.
type Tolerance struct {
	Rtol, Atol float64
}

// withDefaults returns t with zero or negative fields replaced by the defaults.
func (t Tolerance) withDefaults() Tolerance {
	if !(t.Rtol > 0) {
		t.Rtol = DefaultRtol
	}
	if !(t.Atol > 0) {
		t.Atol = DefaultAtol
	}
	return t
}

// agrees reports |claimed − exact| ≤ Atol + Rtol·|exact|, false when either is not finite.
func (t Tolerance) agrees(claimed, exact float64) bool {
	if !finite(claimed) || !finite(exact) {
		return false
	}
	return math.Abs(claimed-exact) <= t.Atol+t.Rtol*math.Abs(exact)
}

// Element is one element of a claim that disagrees with the exact value.
type Element struct {
	Row, Col int     // 0-based, as [Row,Col] elsewhere in the runner
	Claimed  float64 // the claimed value
	Exact    float64 // the exact value
	Error    float64 // |Claimed − Exact|; NaN or +Inf when either is not finite
	Note     string  // why, when the plain numbers do not say it: "claimed is NaN", "exact is +Inf"
}

// Verdict is the outcome of [Check].
type Verdict struct {
	OK bool // every element agrees, shapes equal

	ClaimedRows, ClaimedCols int
	ExactRows, ExactCols     int

	// Error is claim_error, |claimed − exact| per element; nil when the
	// shapes differ.
	Error *mat.Dense
	// MaxError is the largest finite element of Error (0 when none).
	MaxError float64

	Total     int // elements compared (0 when the shapes differ)
	Disagree  int // elements that disagree, NaN and infinite ones included
	NonFinite int // claimed elements that are NaN or ±Inf

	// Worst lists at most MaxWorst disagreeing elements: those that are
	// not finite first, then by Error, largest first; ties in index order.
	Worst []Element

	// Reason says in one line why the claim fails; empty when OK.
	Reason string
}

// ShapeMismatch reports whether the claim and the exact gradient have different shapes.
func (v Verdict) ShapeMismatch() bool {
	return v.ClaimedRows != v.ExactRows || v.ClaimedCols != v.ExactCols
}

// dims is m.Dims() that accepts nil (0×0).
func dims(m *mat.Dense) (int, int) {
	if m == nil {
		return 0, 0
	}
	return m.Dims()
}

// Check compares claimed with exact element by element:
// element [i,j] agrees when |claimed − exact| ≤ tol.Atol + tol.Rtol·|exact|
// (zero tolerance fields mean the defaults). A claim of another shape, or
// a NaN or infinite element, is a disagreement, never a panic. nil
// matrices count as 0×0.
func Check(claimed, exact *mat.Dense, tol Tolerance) Verdict {
	tol = tol.withDefaults()
	v := Verdict{}
	v.ClaimedRows, v.ClaimedCols = dims(claimed)
	v.ExactRows, v.ExactCols = dims(exact)
	if v.ShapeMismatch() {
		v.Reason = fmt.Sprintf("the claim has the wrong shape: claimed is %s, exact is %s",
			shape(v.ClaimedRows, v.ClaimedCols), shape(v.ExactRows, v.ExactCols))
		return v
	}
	r, c := v.ExactRows, v.ExactCols
	v.Total = r * c
	if v.Total == 0 {
		v.OK = true
		return v
	}
	v.Error = mat.NewDense(r, c, nil)
	var bad []Element
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			cl, ex := claimed.At(i, j), exact.At(i, j)
			e := math.Abs(cl - ex)
			v.Error.Set(i, j, e)
			if finite(e) && e > v.MaxError {
				v.MaxError = e
			}
			if !finite(cl) {
				v.NonFinite++
			}
			if tol.agrees(cl, ex) {
				continue
			}
			el := Element{Row: i, Col: j, Claimed: cl, Exact: ex, Error: e}
			switch {
			case !finite(cl):
				el.Note = "claimed is " + fmtNum(cl)
			case !finite(ex):
				el.Note = "exact is " + fmtNum(ex) + ", so the claim cannot be checked here"
			}
			bad = append(bad, el)
		}
	}
	v.Disagree = len(bad)
	if v.Disagree == 0 {
		v.OK = true
		return v
	}
	sort.SliceStable(bad, func(a, b int) bool { return worse(bad[a], bad[b]) })
	if len(bad) > MaxWorst {
		bad = bad[:MaxWorst]
	}
	v.Worst = bad
	v.Reason = fmt.Sprintf("%s disagree; worst %s", countOf(v.Disagree, v.Total, "element"), describeElement(bad[0]))
	if v.NonFinite > 0 {
		v.Reason += fmt.Sprintf(" (%s NaN or infinite)", plural(v.NonFinite, "claimed element is", "claimed elements are"))
	}
	return v
}

// worse orders disagreeing elements: those with a note (not finite) first,
// then by Error, largest first; the sort is stable so ties keep index order.
func worse(a, b Element) bool {
	if (a.Note != "") != (b.Note != "") {
		return a.Note != ""
	}
	if a.Note != "" {
		return false
	}
	return a.Error > b.Error
}

// describeElement is "[i,j]: claimed c, exact e" with the note when there is one.
func describeElement(e Element) string {
	s := fmt.Sprintf("[%d,%d]: claimed %s, exact %s", e.Row, e.Col, fmtNum(e.Claimed), fmtNum(e.Exact))
	if e.Note != "" && !strings.HasPrefix(e.Note, "claimed is") { // the claimed value is printed already
		s += " (" + e.Note + ")"
	}
	return s
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
