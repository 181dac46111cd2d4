package claims

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Kind names how a claim is wrong (or that it is right).
type Kind string

// The kinds of [Diagnosis], in the order the rules are tried (see the package doc).
const (
	KindAgrees    Kind = "agrees"     // the claim is right
	KindShape     Kind = "shape"      // the shapes differ, and no rule below explains it
	KindTranspose Kind = "transpose"  // claimed = exactᵀ
	KindSummed    Kind = "summed"     // claimed = exact summed over an axis
	KindBroadcast Kind = "broadcast"  // claimed repeats a row or column exact over an axis
	KindUnsummed  Kind = "unsummed"   // claimed summed over an axis = exact
	KindNonFinite Kind = "non-finite" // some claimed elements are NaN or infinite
	KindZero      Kind = "zero"       // the claim is zero, exact is not
	KindSign      Kind = "sign"       // claimed = −exact
	KindFactor    Kind = "factor"     // claimed = c·exact
	KindKinks     Kind = "kinks"      // right except at the kinks the caller marked
	KindElements  Kind = "elements"   // some elements disagree, no pattern found
	KindRegions   Kind = "regions"    // (points) the claim fails on intervals of x
)

// Dim is a named dimension of the inputs, e.g. {"the rows of X", 10}.
type Dim struct {
	Name string
	Size int
}

// Context is what the caller knows about a claim beyond its values.
type Context struct {
	// Dims are the inputs' dimensions, named for the learner. A factor c
	// with |c| or 1/|c| equal to a Size is reported with its Name; when
	// several match, all are named in this order.
	Dims []Dim
	// Kinks, when not nil, reports whether element [i,j] of the gradient
	// sits at a kink of the function (e.g. relu at 0), where the
	// derivative is not defined and the exact value is a convention.
	Kinks func(i, j int) bool
}

// Interval is a closed range of x, [Lo, Hi], holding Points failing points
// and no agreeing one.
type Interval struct {
	Lo, Hi float64
	Points int
}

// Diagnosis says whether a claim is right and, if not, how it is wrong.
type Diagnosis struct {
	Kind Kind
	// Summary is one line for stderr, e.g. "claimed = 10 × exact (every
	// element); 10 = the rows of X: the gradient of a sum where the loss
	// takes a mean?".
	Summary string
	// Markdown is a short paragraph (and, for scattered disagreements, a
	// table of the worst) for the report; it ends with a newline.
	Markdown string

	// Factor is c, rounded to FactorDigits significant digits, for
	// KindFactor and KindSign (−1); 0 otherwise.
	Factor       float64
	FactorDigits int
	// Dims names the caller's dimensions equal to |Factor| (Inverse false)
	// or to 1/|Factor| (Inverse true).
	Dims    []string
	Inverse bool

	// Axis is, for KindSummed, KindBroadcast and KindUnsummed, the axis
	// summed or repeated over: 0 the rows, 1 the columns.
	Axis int

	// Regions are, for DiagnosePoints, the intervals of x where the claim
	// fails, in increasing x.
	Regions []Interval

	// Verdict is the element-wise check the diagnosis rests on.
	Verdict Verdict
}

// facts is what every matrix rule looks at.
type facts struct {
	claimed, exact *mat.Dense
	tol            Tolerance
	ctx            Context
	v              Verdict
}

// A matrixRule returns a diagnosis and true when it explains the claim.
type matrixRule func(f *facts) (Diagnosis, bool)

// matrixRules are tried in order; the first that fires wins. The package
// doc lists them in the same order.
var matrixRules = []matrixRule{
	ruleAgrees,
	ruleShape,
	ruleNonFinite,
	ruleZero,
	ruleFactor,
	ruleTranspose,
	ruleKinks,
	ruleElements,
}

// Diagnose checks claimed against exact (see [Check]) and says how a wrong
// claim is wrong, trying the rules of the package doc in order.
func Diagnose(claimed, exact *mat.Dense, tol Tolerance, ctx Context) Diagnosis {
	f := &facts{claimed: claimed, exact: exact, tol: tol.withDefaults(), ctx: ctx}
	f.v = Check(claimed, exact, f.tol)
	for _, r := range matrixRules {
		if d, ok := r(f); ok {
			d.Verdict = f.v
			return d
		}
	}
	panic("claims: ruleAgrees or ruleElements always fires") // unreachable
}

func ruleAgrees(f *facts) (Diagnosis, bool) {
	if !f.v.OK {
		return Diagnosis{}, false
	}
	s := fmt.Sprintf("agrees (largest claim_error %s)", fmtNum(f.v.MaxError))
	return Diagnosis{Kind: KindAgrees, Summary: s,
		Markdown: fmt.Sprintf("The claim agrees with the exact value (largest claim_error %s).\n", fmtNum(f.v.MaxError))}, true
}

// ruleShape fires on a shape mismatch: it tries the shape sub-rules and
// otherwise names both shapes.
func ruleShape(f *facts) (Diagnosis, bool) {
	if !f.v.ShapeMismatch() {
		return Diagnosis{}, false
	}
	for _, r := range []matrixRule{ruleTransposeShape, ruleSummed, ruleBroadcast, ruleUnsummed} {
		if d, ok := r(f); ok {
			return d, true
		}
	}
	return Diagnosis{Kind: KindShape, Summary: f.v.Reason,
		Markdown: fmt.Sprintf("**Wrong shape.** The claim is %s, the exact gradient is %s.\n",
			shape(f.v.ClaimedRows, f.v.ClaimedCols), shape(f.v.ExactRows, f.v.ExactCols))}, true
}

// shapes is "(claimed is a×b, exact is c×d)".
func (f *facts) shapes() string {
	return fmt.Sprintf("(claimed is %s, exact is %s)",
		shape(f.v.ClaimedRows, f.v.ClaimedCols), shape(f.v.ExactRows, f.v.ExactCols))
}

// agree reports whether a and b have one shape and agree element-wise.
func (f *facts) agree(a, b *mat.Dense) bool { return Check(a, b, f.tol).OK }

// ruleTransposeShape: claimed (n×m) = exactᵀ where exact is m×n.
func ruleTransposeShape(f *facts) (Diagnosis, bool) {
	if !f.v.ShapeMismatch() || f.v.ClaimedRows != f.v.ExactCols || f.v.ClaimedCols != f.v.ExactRows || !f.agree(f.claimed, transpose(f.exact)) {
		return Diagnosis{}, false
	}
	return transposed(f.shapes()), true
}

// ruleTranspose: a square claim equals exactᵀ (a same-shape claim that
// agreed would have stopped at ruleAgrees).
func ruleTranspose(f *facts) (Diagnosis, bool) {
	if f.v.OK || f.v.ExactRows != f.v.ExactCols || f.v.ExactRows < 2 || !f.agree(f.claimed, transpose(f.exact)) {
		return Diagnosis{}, false
	}
	return transposed(""), true
}

// transposed words a transpose diagnosis; extra is appended in the summary.
func transposed(extra string) Diagnosis {
	s := "claimed = exactᵀ: the claim is the transpose of the exact gradient"
	if extra != "" {
		s += " " + extra
	}
	return Diagnosis{Kind: KindTranspose, Summary: s,
		Markdown: "**Transposed.** The claim equals the transpose of the exact gradient: claimed = exactᵀ. " +
			"A gradient has the shape of the matrix it is taken with respect to.\n"}
}

// axisWords names axis 0 (rows) or 1 (columns).
var axisWords = [2]struct{ one, many string }{{"row", "rows"}, {"column", "columns"}}

// ruleSummed: exact is m×n and the claim is 1×n equal to exact's column
// sums (axis 0), or m×1 equal to its row sums (axis 1).
func ruleSummed(f *facts) (Diagnosis, bool) {
	for axis := 0; axis < 2; axis++ {
		if !f.reduced(axis, f.v.ClaimedRows, f.v.ClaimedCols, f.v.ExactRows, f.v.ExactCols) ||
			!f.agree(f.claimed, sumAxis(f.exact, axis)) {
			continue
		}
		n, w := f.count(axis, f.v.ExactRows, f.v.ExactCols), axisWords[axis]
		s := fmt.Sprintf("claimed = exact summed over its %d %s %s: forgot to broadcast?", n, w.many, f.shapes())
		return Diagnosis{Kind: KindSummed, Axis: axis, Summary: s,
			Markdown: fmt.Sprintf("**Summed over the %s.** The claim is the exact gradient summed over its %d %s %s. "+
				"The gradient has the shape of its matrix, one value per element: forgot to broadcast?\n", w.many, n, w.many, f.shapes())}, true
	}
	return Diagnosis{}, false
}

// ruleBroadcast: exact is 1×n and every row of the m×n claim equals it
// (axis 0), or exact is m×1 and every column does (axis 1).
func ruleBroadcast(f *facts) (Diagnosis, bool) {
	for axis := 0; axis < 2; axis++ {
		if !f.reduced(axis, f.v.ExactRows, f.v.ExactCols, f.v.ClaimedRows, f.v.ClaimedCols) ||
			!f.agree(f.claimed, repeat(f.exact, axis, f.count(axis, f.v.ClaimedRows, f.v.ClaimedCols))) {
			continue
		}
		n, w := f.count(axis, f.v.ClaimedRows, f.v.ClaimedCols), axisWords[axis]
		s := fmt.Sprintf("the claim repeats the exact %s over %d %s %s", w.one, n, w.many, f.shapes())
		return Diagnosis{Kind: KindBroadcast, Axis: axis, Summary: s,
			Markdown: fmt.Sprintf("**Repeated over the %s.** Every %s of the claim equals the exact gradient, a single %s %s. "+
				"The gradient has the shape of its matrix.\n", w.many, w.one, w.one, f.shapes())}, true
	}
	return Diagnosis{}, false
}

// ruleUnsummed: exact is 1×n and the m×n claim's column sums equal it
// (axis 0), or exact is m×1 and the claim's row sums do (axis 1).
func ruleUnsummed(f *facts) (Diagnosis, bool) {
	for axis := 0; axis < 2; axis++ {
		if !f.reduced(axis, f.v.ExactRows, f.v.ExactCols, f.v.ClaimedRows, f.v.ClaimedCols) ||
			!f.agree(sumAxis(f.claimed, axis), f.exact) {
			continue
		}
		n, w := f.count(axis, f.v.ClaimedRows, f.v.ClaimedCols), axisWords[axis]
		s := fmt.Sprintf("the claim summed over its %d %s equals exact %s: forgot to sum over the %s?", n, w.many, f.shapes(), w.many)
		return Diagnosis{Kind: KindUnsummed, Axis: axis, Summary: s,
			Markdown: fmt.Sprintf("**Not summed over the %s.** The claim, summed over its %d %s, equals the exact gradient %s. "+
				"A matrix repeated over the %s (broadcast) gets the sum of the gradients of its copies: forgot to sum?\n", w.many, n, w.many, f.shapes(), w.many)}, true
	}
	return Diagnosis{}, false
}

// reduced reports whether a (ar×ac) is b (br×bc) with axis collapsed to 1:
// axis 0: ar = 1 < br and ac = bc; axis 1: ac = 1 < bc and ar = br.
func (f *facts) reduced(axis, ar, ac, br, bc int) bool {
	if axis == 0 {
		return ar == 1 && br > 1 && ac == bc
	}
	return ac == 1 && bc > 1 && ar == br
}

// count is the length of axis in an r×c matrix.
func (f *facts) count(axis, r, c int) int {
	if axis == 0 {
		return r
	}
	return c
}

// ruleNonFinite: some claimed elements are NaN or infinite.
func ruleNonFinite(f *facts) (Diagnosis, bool) {
	if f.v.NonFinite == 0 {
		return Diagnosis{}, false
	}
	first := f.v.Worst[0] // non-finite claims sort first
	s := fmt.Sprintf("%s %s NaN or infinite; first %s",
		countOf(f.v.NonFinite, f.v.Total, "claimed element"), isAre(f.v.NonFinite), describeElement(first))
	return Diagnosis{Kind: KindNonFinite, Summary: s,
		Markdown: fmt.Sprintf("**Not a number.** %s. A claim must be a finite number at every element.\n", upperFirst(s))}, true
}

// ruleZero: the claim is zero where compared and exact is not.
func ruleZero(f *facts) (Diagnosis, bool) {
	return zeroRule(flatten(f.claimed), flatten(f.exact), f.tol, "element")
}

// ruleFactor: every element claimed = c·exact (see factorOf).
func ruleFactor(f *facts) (Diagnosis, bool) {
	return factorRule(flatten(f.claimed), flatten(f.exact), f.tol, f.ctx.Dims, "element")
}

// ruleKinks: every disagreeing element is a kink the caller marked.
func ruleKinks(f *facts) (Diagnosis, bool) {
	if f.v.OK || f.ctx.Kinks == nil {
		return Diagnosis{}, false
	}
	var at []string
	for i := 0; i < f.v.ExactRows; i++ {
		for j := 0; j < f.v.ExactCols; j++ {
			if f.tol.agrees(f.claimed.At(i, j), f.exact.At(i, j)) {
				continue
			}
			if !f.ctx.Kinks(i, j) {
				return Diagnosis{}, false
			}
			at = append(at, fmt.Sprintf("[%d,%d]", i, j))
		}
	}
	if len(at) > MaxWorst {
		at = append(at[:MaxWorst], "…")
	}
	verb := "disagrees"
	if f.v.Disagree > 1 {
		verb = "disagree"
	}
	which := plural(f.v.Disagree, "element", "elements")
	s := fmt.Sprintf("right except at kinks: only %s of %d %s (%s), all at kinks, where the derivative is not defined",
		which, f.v.Total, verb, strings.Join(at, ", "))
	return Diagnosis{Kind: KindKinks, Summary: s,
		Markdown: fmt.Sprintf("**Right except at kinks.** Only %s of %d %s with the exact value (%s), "+
			"all at kinks of the function, where the derivative is not defined and the exact value is a convention.\n",
			which, f.v.Total, verb, strings.Join(at, ", "))}, true
}

// ruleElements fires on any failed claim: how many disagree, and the worst.
func ruleElements(f *facts) (Diagnosis, bool) {
	if f.v.OK {
		return Diagnosis{}, false
	}
	label := func(e Element) string { return fmt.Sprintf("[%d,%d]", e.Row, e.Col) }
	return Diagnosis{Kind: KindElements, Summary: f.v.Reason,
		Markdown: fmt.Sprintf("**%s disagree** with the exact value; no single pattern (factor, sign, transpose, sum) explains them. The worst:\n\n",
			upperFirst(countOf(f.v.Disagree, f.v.Total, "element"))) + worstTable(f.v.Worst, "element", label)}, true
}

// isAre is "is" for one, "are" for more.
func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// upperFirst capitalises the first (ASCII) letter of s.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// flatten lists m's elements row by row.
func flatten(m *mat.Dense) []float64 {
	r, c := dims(m)
	out := make([]float64, 0, r*c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			out = append(out, m.At(i, j))
		}
	}
	return out
}

// transpose is a copy of mᵀ.
func transpose(m *mat.Dense) *mat.Dense { return mat.DenseCopyOf(m.T()) }

// sumAxis sums m over its rows (axis 0, a 1×n result) or its columns (axis 1, m×1).
func sumAxis(m *mat.Dense, axis int) *mat.Dense {
	r, c := m.Dims()
	var out *mat.Dense
	if axis == 0 {
		out = mat.NewDense(1, c, nil)
	} else {
		out = mat.NewDense(r, 1, nil)
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if axis == 0 {
				out.Set(0, j, out.At(0, j)+m.At(i, j))
			} else {
				out.Set(i, 0, out.At(i, 0)+m.At(i, j))
			}
		}
	}
	return out
}

// repeat stacks n copies of a 1×c m as rows (axis 0) or of an r×1 m as columns (axis 1).
func repeat(m *mat.Dense, axis, n int) *mat.Dense {
	r, c := m.Dims()
	if axis == 0 {
		out := mat.NewDense(n, c, nil)
		for i := 0; i < n; i++ {
			out.SetRow(i, mat.Row(nil, 0, m))
		}
		return out
	}
	out := mat.NewDense(r, n, nil)
	for j := 0; j < n; j++ {
		out.SetCol(j, mat.Col(nil, 0, m))
	}
	return out
}
