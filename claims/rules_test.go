package claims

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// ruleCase is one claim put to one rule.
type ruleCase struct {
	name    string
	claimed *mat.Dense
	exact   *mat.Dense
	ctx     Context
}

// silentCases are claims a rule other than agrees must not explain: the
// correct claim, and unrelated noise of the same and of other shapes.
func silentCases() []ruleCase {
	ex := exactGrad()
	return []ruleCase{
		{"correct", mat.DenseCopyOf(ex), ex, Context{}},
		{"correct within tolerance", scaled(1+1e-12, ex), ex, Context{}},
		{"noise", noise(2, 4, 3), ex, Context{}},
		{"noise, transposed shape", noise(3, 3, 4), ex, Context{}},
		{"noise, one row", noise(4, 1, 3), ex, Context{}},
		{"noise, one column", noise(5, 4, 1), ex, Context{}},
		{"noise against a row", noise(6, 4, 3), noise(7, 1, 3), Context{}},
		{"noise, square", noise(8, 3, 3), noise(9, 3, 3), Context{Kinks: func(i, j int) bool { return i == j }}},
		{"noise with dims", noise(10, 4, 3), ex, Context{Dims: []Dim{{"the rows of X", 4}, {"the columns of W", 3}}}},
	}
}

// assertSilent runs rule on every silent case.
func assertSilent(t *testing.T, name string, rule matrixRule) {
	t.Helper()
	for _, c := range silentCases() {
		if d, ok := rule(factsOf(c.claimed, c.exact, c.ctx)); ok {
			t.Errorf("%s fired on %s: %s %q", name, c.name, d.Kind, d.Summary)
		}
	}
}

// assertFires runs rule on c and checks the kind, the summary's phrases
// and that Diagnose reaches the same kind.
func assertFires(t *testing.T, rule matrixRule, c ruleCase, kind Kind, phrases ...string) Diagnosis {
	t.Helper()
	d, ok := rule(factsOf(c.claimed, c.exact, c.ctx))
	if !ok {
		t.Fatalf("%s: rule silent on a %s claim", c.name, kind)
	}
	if d.Kind != kind {
		t.Errorf("%s: Kind %s, want %s", c.name, d.Kind, kind)
	}
	for _, p := range phrases {
		if !strings.Contains(d.Summary, p) {
			t.Errorf("%s: summary %q lacks %q", c.name, d.Summary, p)
		}
	}
	if d.Markdown == "" || !strings.HasSuffix(d.Markdown, "\n") || strings.Contains(d.Summary, "\n") {
		t.Errorf("%s: Markdown %q or Summary %q malformed", c.name, d.Markdown, d.Summary)
	}
	if full := Diagnose(c.claimed, c.exact, Tolerance{}, c.ctx); full.Kind != kind || full.Summary != d.Summary {
		t.Errorf("%s: Diagnose gives %s %q, the rule %s %q", c.name, full.Kind, full.Summary, kind, d.Summary)
	}
	return d
}

func TestRuleAgrees(t *testing.T) {
	ex := exactGrad()
	assertFires(t, ruleAgrees, ruleCase{"correct", mat.DenseCopyOf(ex), ex, Context{}}, KindAgrees, "agrees")
	for _, c := range silentCases()[2:] {
		if _, ok := ruleAgrees(factsOf(c.claimed, c.exact, c.ctx)); ok {
			t.Errorf("agrees on %s", c.name)
		}
	}
}

func TestRuleShape(t *testing.T) {
	assertFires(t, ruleShape, ruleCase{"2×5 for 4×3", noise(2, 2, 5), exactGrad(), Context{}}, KindShape,
		"claimed is 2×5, exact is 4×3")
	for _, c := range silentCases()[:3] { // same shape: not this rule
		if _, ok := ruleShape(factsOf(c.claimed, c.exact, c.ctx)); ok {
			t.Errorf("shape fired on %s", c.name)
		}
	}
}

func TestRuleTransposeShape(t *testing.T) {
	ex := exactGrad()
	assertFires(t, ruleShape, ruleCase{"3×4 = exactᵀ", transpose(ex), ex, Context{}}, KindTranspose,
		"claimed = exactᵀ", "claimed is 3×4, exact is 4×3")
	assertSilent(t, "transpose (shape)", ruleTransposeShape)
	// the transposed shape, but not the transposed values
	if _, ok := ruleTransposeShape(factsOf(scaled(2, transpose(ex)), ex, Context{})); ok {
		t.Error("fired on 2·exactᵀ")
	}
}

func TestRuleTranspose(t *testing.T) {
	sq := noise(11, 3, 3)
	assertFires(t, ruleTranspose, ruleCase{"square exactᵀ", transpose(sq), sq, Context{}}, KindTranspose, "claimed = exactᵀ")
	assertSilent(t, "transpose", ruleTranspose)
	sym := dense(2, 2, 1, 2, 2, 5) // a correct claim of a symmetric gradient is its own transpose
	if _, ok := ruleTranspose(factsOf(mat.DenseCopyOf(sym), sym, Context{})); ok {
		t.Error("fired on a correct symmetric claim")
	}
}

func TestRuleSummed(t *testing.T) {
	ex := exactGrad()
	d := assertFires(t, ruleShape, ruleCase{"column sums", sumAxis(ex, 0), ex, Context{}}, KindSummed,
		"summed over its 4 rows", "forgot to broadcast?")
	if d.Axis != 0 {
		t.Errorf("column sums: Axis %d, want 0", d.Axis)
	}
	d = assertFires(t, ruleShape, ruleCase{"row sums", sumAxis(ex, 1), ex, Context{}}, KindSummed,
		"summed over its 3 columns", "claimed is 4×1, exact is 4×3")
	if d.Axis != 1 {
		t.Errorf("row sums: Axis %d, want 1", d.Axis)
	}
	assertSilent(t, "summed", ruleSummed)
	// a mean over the rows is not a sum
	if _, ok := ruleSummed(factsOf(scaled(0.25, sumAxis(ex, 0)), ex, Context{})); ok {
		t.Error("fired on the column means")
	}
}

func TestRuleBroadcast(t *testing.T) {
	row, col := noise(12, 1, 3), noise(13, 4, 1)
	d := assertFires(t, ruleShape, ruleCase{"row repeated", repeat(row, 0, 4), row, Context{}}, KindBroadcast,
		"repeats the exact row over 4 rows", "claimed is 4×3, exact is 1×3")
	if d.Axis != 0 {
		t.Errorf("Axis %d, want 0", d.Axis)
	}
	d = assertFires(t, ruleShape, ruleCase{"column repeated", repeat(col, 1, 2), col, Context{}}, KindBroadcast,
		"repeats the exact column over 2 columns")
	if d.Axis != 1 {
		t.Errorf("Axis %d, want 1", d.Axis)
	}
	assertSilent(t, "broadcast", ruleBroadcast)
	wrong := repeat(row, 0, 4)
	wrong.Set(2, 1, wrong.At(2, 1)+1) // one row differs
	if _, ok := ruleBroadcast(factsOf(wrong, row, Context{})); ok {
		t.Error("fired when one row differs from exact")
	}
}

func TestRuleUnsummed(t *testing.T) {
	// the bias of X @ W + b: exact db is the column sums of dN; claiming dN
	// itself forgot the sum.
	dN := noise(14, 5, 2)
	d := assertFires(t, ruleShape, ruleCase{"dN for db", dN, sumAxis(dN, 0), Context{}}, KindUnsummed,
		"summed over its 5 rows equals exact", "forgot to sum over the rows?")
	if d.Axis != 0 {
		t.Errorf("Axis %d, want 0", d.Axis)
	}
	assertFires(t, ruleShape, ruleCase{"row-sum form", dN, sumAxis(dN, 1), Context{}}, KindUnsummed, "over its 2 columns")
	assertSilent(t, "unsummed", ruleUnsummed)
}

func TestRuleNonFinite(t *testing.T) {
	ex := exactGrad()
	c := scaled(10, ex) // a factor too: non-finite comes first
	c.Set(1, 2, math.NaN())
	c.Set(3, 0, math.Inf(-1))
	assertFires(t, ruleNonFinite, ruleCase{"NaN and -Inf", c, ex, Context{}}, KindNonFinite,
		"2 of 12 claimed elements are NaN or infinite", "first [1,2]: claimed NaN")
	assertSilent(t, "non-finite", ruleNonFinite)
}

func TestRuleZero(t *testing.T) {
	ex := exactGrad()
	assertFires(t, ruleZero, ruleCase{"zeros", mat.NewDense(4, 3, nil), ex, Context{}}, KindZero, "0 at every element")
	assertSilent(t, "zero", ruleZero)
	if _, ok := ruleZero(factsOf(mat.NewDense(2, 2, nil), mat.NewDense(2, 2, nil), Context{})); ok {
		t.Error("fired on a correct zero claim")
	}
}

func TestRuleFactor(t *testing.T) {
	ex := exactGrad()
	dims := []Dim{{"the rows of X", 10}, {"the columns of W", 3}, {"the batch", 10}}
	for _, c := range []struct {
		name    string
		claimed *mat.Dense
		kind    Kind
		factor  float64
		inverse bool
		dims    []string
		phrases []string
	}{
		{"10×, a dimension", scaled(10, ex), KindFactor, 10, false, []string{"the rows of X", "the batch"},
			[]string{"claimed = 10 × exact (every element)", "10 = the rows of X = the batch: the gradient of a sum where the loss takes a mean?"}},
		{"1/3, an inverse dimension", scaled(1.0/3, ex), KindFactor, 0.333333333333, true, []string{"the columns of W"},
			[]string{"claimed = 0.333333333333 × exact = exact / 3", "3 = the columns of W: the gradient of a mean where the loss takes a sum?"}},
		{"sign", scaled(-1, ex), KindSign, -1, false, nil, []string{"the sign is flipped: claimed = −exact"}},
		{"-10", scaled(-10, ex), KindFactor, -10, false, []string{"the rows of X", "the batch"},
			[]string{"claimed = -10 × exact", "the sign is flipped, and 10 = the rows of X"}},
		{"2, no dimension", scaled(2, ex), KindFactor, 2, false, nil, []string{"claimed = 2 × exact (every element)"}},
		{"2.5", scaled(2.5, ex), KindFactor, 2.5, false, nil, []string{"claimed = 2.5 × exact"}},
	} {
		d := assertFires(t, ruleFactor, ruleCase{c.name, c.claimed, ex, Context{Dims: dims}}, c.kind, c.phrases...)
		if d.Factor != c.factor || d.Inverse != c.inverse || strings.Join(d.Dims, "|") != strings.Join(c.dims, "|") {
			t.Errorf("%s: Factor %v Inverse %v Dims %q, want %v %v %q", c.name, d.Factor, d.Inverse, d.Dims, c.factor, c.inverse, c.dims)
		}
	}
	assertSilent(t, "factor", ruleFactor)
}

func TestFactorRounding(t *testing.T) {
	// ratios that agree to 15 digits are named with 12; ratios from a
	// float32 claim (about 7 digits) with the digits they share.
	exact := []float64{0.3, -1.7, 2.9, 0.011}
	claimed := make([]float64, len(exact))
	for k, e := range exact {
		claimed[k] = e * 10 * (1 + float64(k)*2.2e-16) // 9.999999999999998-style ratios
	}
	f, ok := factorOf(claimed, exact, Tolerance{}.withDefaults())
	if !ok || fmtRounded(f.Rounded) != "10" {
		t.Fatalf("ok %v, factor %v rounded %q, want 10", ok, f.C, fmtRounded(f.Rounded))
	}
	for k, e := range exact {
		claimed[k] = float64(float32(e * 10))
	}
	f, ok = factorOf(claimed, exact, Tolerance{}.withDefaults())
	if !ok || fmtRounded(f.Rounded) != "10" || f.Digits < 6 || f.Digits > 9 {
		t.Errorf("float32 claim: ok %v, factor %v, rounded %q with %d digits; want 10 with 6 to 9 digits", ok, f.C, fmtRounded(f.Rounded), f.Digits)
	}
	// ratio spread 1e-4: not one factor
	claimed = []float64{3, -17, 29.003, 0.11}
	if f, ok := factorOf(claimed, exact, Tolerance{}.withDefaults()); ok {
		t.Errorf("spread 1e-4 called a factor %v", f.C)
	}
	for _, c := range []struct {
		lo, hi float64
		digits int
	}{{10, 10, 12}, {9.999999999999998, 10.000000000000002, 12}, {1.4999999, 1.5000001, 7}, {2.31, 2.39, 1}, {0.1, 0.3, 0}} {
		if got := agreeingDigits(c.lo, c.hi); got != c.digits {
			t.Errorf("agreeingDigits(%v, %v) = %d, want %d", c.lo, c.hi, got, c.digits)
		}
	}
}

func TestFactorSkipsZeros(t *testing.T) {
	exact := dense(2, 3, 0, 1.5, -2, 0, 0.25, 3)
	claimed := scaled(4, exact)
	d, ok := ruleFactor(factsOf(claimed, exact, Context{}))
	if !ok || d.Factor != 4 {
		t.Fatalf("ok %v factor %v, want 4 with the zero elements skipped", ok, d.Factor)
	}
	claimed.Set(1, 0, 0.5) // claimed nonzero where exact is zero: no single factor
	if d, ok := ruleFactor(factsOf(claimed, exact, Context{})); ok {
		t.Errorf("fired with a nonzero claim where exact is 0: %q", d.Summary)
	}
}

func TestFactorSingleElement(t *testing.T) {
	dims := Context{Dims: []Dim{{"the rows of X", 10}}}
	for _, c := range []struct {
		claimed, exact float64
		fires          bool
	}{
		{12.5, 1.25, true},      // 10 = the rows of X
		{-0.8, 0.8, true},       // the sign
		{2.4, 1.2, true},        // a whole factor 2
		{0.3, 1.2, true},        // 1/4
		{3.7, 1.2, false},       // 3.0833…: any wrong number is "a factor" of one number
		{1.2 * 7.5, 1.2, false}, // 7.5: not whole, not a dimension
	} {
		_, ok := ruleFactor(factsOf(dense(1, 1, c.claimed), dense(1, 1, c.exact), dims))
		if ok != c.fires {
			t.Errorf("claimed %v, exact %v: fired %v, want %v", c.claimed, c.exact, ok, c.fires)
		}
	}
}

func TestRuleKinks(t *testing.T) {
	ex := exactGrad()
	kinks := func(i, j int) bool { return (i == 1 && j == 1) || (i == 3 && j == 0) }
	c := mat.DenseCopyOf(ex)
	c.Set(1, 1, 0) // relu'(0) taken as 0 by the claim, as 1 by exact
	assertFires(t, ruleKinks, ruleCase{"one kink wrong", c, ex, Context{Kinks: kinks}}, KindKinks,
		"right except at kinks: only 1 element of 12 disagrees ([1,1]), all at kinks")
	assertSilent(t, "kinks", ruleKinks)
	c.Set(0, 0, 5) // and one element that is no kink
	if _, ok := ruleKinks(factsOf(c, ex, Context{Kinks: kinks})); ok {
		t.Error("fired with a wrong element off the kinks")
	}
	if _, ok := ruleKinks(factsOf(c, ex, Context{})); ok {
		t.Error("fired without a kink mask")
	}
}

func TestRuleElements(t *testing.T) {
	ex := exactGrad()
	c := mat.DenseCopyOf(ex)
	c.Set(2, 1, ex.At(2, 1)+3)
	c.Set(0, 2, ex.At(0, 2)-0.5)
	d := assertFires(t, ruleElements, ruleCase{"two wrong", c, ex, Context{}}, KindElements,
		"2 of 12 elements disagree; worst [2,1]")
	if !strings.Contains(d.Markdown, "| [2,1] |") || !strings.Contains(d.Markdown, "| [0,2] |") {
		t.Errorf("Markdown lacks the worst elements:\n%s", d.Markdown)
	}
	if _, ok := ruleElements(factsOf(mat.DenseCopyOf(ex), ex, Context{})); ok {
		t.Error("fired on a correct claim")
	}
}

// TestDiagnoseNoise: noise of every shape ends at shape or elements, never
// at a pattern it does not have.
func TestDiagnoseNoise(t *testing.T) {
	for _, c := range silentCases()[2:] {
		d := Diagnose(c.claimed, c.exact, Tolerance{}, c.ctx)
		if d.Kind != KindShape && d.Kind != KindElements {
			t.Errorf("%s: %s %q", c.name, d.Kind, d.Summary)
		}
		if d.Verdict.OK {
			t.Errorf("%s: noise agrees", c.name)
		}
	}
}

// TestDiagnoseNeverPanics puts every pair of awkward matrices through
// Diagnose: empty, nil, NaN, Inf, one element, a row, a column.
func TestDiagnoseNeverPanics(t *testing.T) {
	ms := []*mat.Dense{nil, {}, dense(1, 1, math.NaN()), dense(1, 1, 0), dense(1, 2, math.Inf(1), 1),
		dense(2, 1, 0, 0), dense(2, 2, 1, math.NaN(), 0, 0), exactGrad(), transpose(exactGrad())}
	kinks := Context{Kinks: func(i, j int) bool { return i == 0 }, Dims: []Dim{{"n", 2}, {"", 0}}}
	for a, cl := range ms {
		for b, ex := range ms {
			d := Diagnose(cl, ex, Tolerance{}, kinks)
			if d.Kind == "" || d.Summary == "" || d.Markdown == "" {
				t.Errorf("claim %d against %d: empty diagnosis %+v", a, b, d)
			}
			ra, ca := dims(cl)
			rb, cb := dims(ex)
			if (ra != rb || ca != cb) && d.Verdict.OK {
				t.Errorf("claim %d against %d: shapes differ but OK", a, b)
			}
		}
	}
}
