package reports

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/spec/load"
)

// Regression tests for issue 13's list of wrong numbers and words in the
// reports.

// run13 parses src and computes its results.
func run13(t *testing.T, src string) *diff.Results {
	t.Helper()
	e, err := load.Parse("t.yaml", []byte(src), load.DefaultOptions)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return diff.Run(e)
}

func TestMethodNoneCountsExactOnlyRows(t *testing.T) {
	// 3 function rows and 2×3 gradient rows, none checked numerically: the
	// summary counts the CSV's 9 rows and says they are exact only
	r := run13(t, "title: t\nnumeric: {method: none}\nfunctions:\n  - name: f\n    expr: sin(x)\n    at: [1, 2, 3]\n"+
		"matrices:\n  X: [[1, 2, 3], [4, 5, 6]]\ngradients:\n  - name: L\n    expr: sum(X)\n")
	rows := bytes.Count(CSV(r), []byte("\n")) - 1
	c := r.Count()
	if c.Total != rows || c.Exact != rows || c.OK != 0 {
		t.Errorf("counts %+v, CSV rows %d: want every row counted, exact only", c, rows)
	}
	if got, want := CountsText(c, ": "), "9 derivatives: exact only"; got != want {
		t.Errorf("CountsText %q, want %q", got, want)
	}
	if md := string(Markdown(r)); !strings.Contains(md, "**9 derivatives: exact only.**") {
		t.Errorf("the Markdown summary does not say 9 derivatives, exact only:\n%s", md[:200])
	}
}

func TestFailureLinesIncludeSecondDerivatives(t *testing.T) {
	// x⁴ at 1, h = 0.1: central differences miss f′ = 4 by h²·f‴/6 = 0.04
	// and f″ = 12 by h²·f⁗/12 = 0.02; under the fixed tolerance both rows
	// fail and both are listed
	r := run13(t, "title: t\ntolerance: {mode: fixed}\nnumeric: {method: central, step: 0.1}\nfunctions:\n  - name: f\n    expr: x^4\n    at: {x: 1}\n    order: 2\n")
	bad := Problems(r.Items[0])
	joined := strings.Join(bad, "\n")
	if len(bad) != 2 || !strings.Contains(joined, "at x=1, ∂²/∂x²: exact 12") || !strings.Contains(joined, "at x=1, ∂/∂x: exact 4") {
		t.Errorf("failure lines:\n%s\nwant both the first and the second derivative", joined)
	}
}

func TestStudyPlotLeavesGapsForUndefinedErrors(t *testing.T) {
	// 0 is drawn on the floor (exact); NaN and ±Inf are not drawn at all
	got := plottedErr([]float64{1e-3, 0, math.NaN(), math.Inf(1), 1e-20, 2e-9})
	want := []float64{1e-3, floorErr, math.NaN(), math.NaN(), floorErr, 2e-9}
	for k := range want {
		if !(got[k] == want[k] || math.IsNaN(got[k]) && math.IsNaN(want[k])) {
			t.Errorf("error %d drawn at %v, want %v", k, got[k], want[k])
		}
	}
	// sqrt at 0.001: central differences with h > 0.001 leave the domain;
	// the report says why the plot has gaps
	r := run13(t, "title: t\nfunctions:\n  - name: f\n    expr: sqrt(x)\n    at: 0.001\n    study: {at: 0.001, from: 1e-1, to: 1e-6, methods: [central]}\n")
	if md := string(Markdown(r)); !strings.Contains(md, "the plot leaves a gap there") {
		t.Error("the step study does not say why undefined errors are left out")
	}
}

func TestMarkdownSpellsNonFiniteOneWay(t *testing.T) {
	for v, want := range map[float64]string{math.Inf(1): "∞", math.Inf(-1): "−∞", math.Copysign(0, -1): "0"} {
		if got := fmtNum(v); got != want {
			t.Errorf("fmtNum(%v) = %q, want %q", v, got, want)
		}
	}
	if got := fmtNum(math.NaN()); got != "undefined" {
		t.Errorf("fmtNum(NaN) = %q, want undefined", got)
	}
	if got := fmtErr(math.Inf(1)); got != "∞" {
		t.Errorf("fmtErr(+Inf) = %q, want ∞", got)
	}
	// sqrt′(0) = +Inf: the Markdown says ∞ (never +Inf), the CSV keeps +Inf
	r := run13(t, "title: t\nfunctions:\n  - name: f\n    expr: sqrt(x)\n    at: {x: 0}\n")
	md, csv := string(Markdown(r)), string(CSV(r))
	if strings.Contains(md, "+Inf") || strings.Contains(md, "NaN") || !strings.Contains(md, "∞") {
		t.Errorf("Markdown spells infinity otherwise:\n%s", md)
	}
	if !strings.Contains(csv, ",+Inf,") {
		t.Errorf("CSV lost Go's +Inf:\n%s", csv)
	}
}

func TestMarkdownEscapesLinksAndUserText(t *testing.T) {
	r := run13(t, "title: A <b>bold</b> title\nabout: x < y & <script>z</script>\nchains:\n  - name: c\n    of: [x*x*2, square]\n    at: [1]\n")
	md := string(Markdown(r))
	for _, raw := range []string{"<b>", "<script>", "1: x*x*2′", "(x*x*2)′(1)"} {
		if strings.Contains(md, raw) {
			t.Errorf("the Markdown holds %q unescaped", raw)
		}
	}
	for _, want := range []string{"# A &lt;b>bold&lt;/b> title", "x &lt; y &amp; &lt;script>", `1: x\*x\*2′`, `(x\*x\*2)′(1)`} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q", want)
		}
	}
}

func TestLaTeXNamesEscapeUnderscores(t *testing.T) {
	// an unknown call's name goes in \operatorname, a long variable's in
	// \mathrm: an unescaped _ there starts a subscript
	c := &expr.Call{Name: "my_fn", Args: []expr.Node{&expr.Ident{Name: "x_1"}}}
	if got, want := LaTeX(c), `\operatorname{my\_fn}\left(\mathrm{x\_1}\right)`; got != want {
		t.Errorf("LaTeX = %s, want %s", got, want)
	}
}

func TestSymbolicDerivativesSimplified(t *testing.T) {
	// d/dx of each, as the report prints it (each also evaluates equal to
	// forward-mode AD: diff's TestSymbolicMatchesAD)
	for src, want := range map[string]string{
		"exp(x) - exp(-x)": `e^{x} + e^{-x}`, // not e^{x} - -e^{-x}
		"(1 - x)^2":        `-2(1 - x)`,      // not -(2(1 - x))
		"x*x*2*3":          `12x`,            // not 6(x + x)
		"x*x":              `2x`,             // not x + x
		"x + x + 3*x":      `5`,
		"x - (y - 1)":      `1`,
	} {
		tree, _ := expr.Parse(src)
		if _, err := expr.Resolve(tree, expr.Scalar, nil); err != nil {
			t.Fatal(err)
		}
		if got := LaTeX(diff.Derive(tree, "x")); got != want {
			t.Errorf("d/dx %s = %s, want %s", src, got, want)
		}
	}
	tree, _ := expr.Parse("x - (y - 1)")
	expr.Resolve(tree, expr.Scalar, nil)
	if got, want := LaTeX(diff.Simplify(tree)), `x - y + 1`; got != want {
		t.Errorf("Simplify(x - (y - 1)) = %s, want %s", got, want)
	}
}
