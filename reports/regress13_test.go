package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/runner-dev/runner/diff"
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
	// and f″ = 12 by h²·f⁗/12 = 0.02; both rows fail and both are listed
	r := run13(t, "title: t\nnumeric: {method: central, step: 0.1}\nfunctions:\n  - name: f\n    expr: x^4\n    at: {x: 1}\n    order: 2\n")
	bad := Problems(r.Items[0])
	joined := strings.Join(bad, "\n")
	if len(bad) != 2 || !strings.Contains(joined, "at x=1, ∂²/∂x²: exact 12") || !strings.Contains(joined, "at x=1, ∂/∂x: exact 4") {
		t.Errorf("failure lines:\n%s\nwant both the first and the second derivative", joined)
	}
}
