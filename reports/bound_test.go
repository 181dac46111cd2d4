package reports

import (
	"strings"
	"testing"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/spec/load"
)

// TestMarkdownSaysWhichTermDecided: the settings table names the mode; at
// Rosenbrock's minimum the note says the bound decided, and by which term;
// in mode fixed, the same point fails; a sum(log(P)) element below h says
// one-sided; the CSV's err_bound follows err_estimate.
func TestMarkdownSaysWhichTermDecided(t *testing.T) {
	src := "functions:\n  - {name: r, expr: (1 - x)^2 + 100*(y - x^2)^2, at: {x: 1, y: 1}}\n" +
		"matrices:\n  P: [[0.0004, 0.5]]\ngradients:\n  - {name: L, expr: sum(log(P)), wrt: [P]}\n"
	run := func(head string) (string, string) {
		e, err := load.Parse("t.yaml", []byte(head+src), load.DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		r := diff.Run(e)
		return string(Markdown(r)), string(CSV(r))
	}
	md, csv := run("")
	for _, want := range []string{
		"+ err_bound (mode bound)",
		"- x=1;y=1, ∂/∂x: ok — within the error bound 0.0024 (truncation)",
		"- P[0,0]: ok — one-sided (points x, x + h, x + 2h)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	if !strings.HasPrefix(csv, "item,kind,point,wrt,value,exact,numeric,abs_error,status,note,order,left,right,err_estimate,err_bound,claimed,claim_error\n") {
		t.Errorf("CSV header: %s", csv[:strings.IndexByte(csv, '\n')])
	}
	md, _ = run("tolerance: {mode: fixed}\n")
	for _, want := range []string{"(mode fixed)", "- x=1;y=1, ∂/∂x: fail — outside tolerance"} {
		if !strings.Contains(md, want) {
			t.Errorf("mode fixed: Markdown lacks %q", want)
		}
	}
}
