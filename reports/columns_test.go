package reports

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/spec/load"
)

// TestChainColumnsSameBytes: a long chain's results held as columns
// (diff.ColumnsMinPoints) give the same bytes in every report (Markdown,
// CSV, plots, JSON, JUnit) and the same counts as the same results held
// point by point: with kinks (leaky_relu and relu at 0), failures with
// notes (log of negative numbers, sqrt at its domain's edge), method none,
// five-point and Richardson differences, the links explained, and
// more rows than a table shows.
func TestChainColumnsSameBytes(t *testing.T) {
	src := []byte(`chains:
  - {name: a, of: [leaky_relu, square, sigmoid], at: {x: {from: -3, to: 3, count: 2001}}, explain: true}
  - {name: b, of: [relu, exp], at: {x: {from: -2, to: 2, count: 801}}, numeric: {method: none}}
  - {name: c, of: [log, tanh], at: {x: {from: -1, to: 1, count: 1000}}}
  - {name: d, of: [sin], at: [0.5, 1, 2]}
  - {name: e, of: [tanh, softplus], at: {x: {from: -4, to: 4, count: 600}}, numeric: {method: five-point}}
  - {name: f, of: [sqrt, log], at: {x: {from: 0, to: 2, count: 700}}, numeric: {method: richardson}}
`)
	run := func(columnsFrom int) (*diff.Results, map[string][]byte) {
		old := diff.ColumnsMinPoints
		diff.ColumnsMinPoints = columnsFrom
		defer func() { diff.ColumnsMinPoints = old }()
		e, err := load.Parse(filepath.Join(t.TempDir(), "cols.yaml"), src, load.DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		r := diff.Run(e)
		out := map[string][]byte{}
		for _, f := range Render(r) {
			out[f.Name] = f.Bytes()
		}
		var j, x bytes.Buffer
		files := []*FileResult{{Path: "cols.yaml", Results: r}}
		if err := WriteJSON(&j, files); err != nil {
			t.Fatal(err)
		}
		if err := WriteJUnit(&x, files); err != nil {
			t.Fatal(err)
		}
		out["json"], out["junit"] = j.Bytes(), x.Bytes()
		return r, out
	}
	held, want := run(1 << 30)
	cols, got := run(500)
	for k, it := range cols.Items {
		f := it.Function
		if long := f.Len() >= 500; long != (f.Points == nil) {
			t.Errorf("chain %s of %d points: held as columns %v", f.Name, f.Len(), f.Points == nil)
		}
		if held.Items[k].Function.Points == nil {
			t.Errorf("chain %s held as columns below the threshold", f.Name)
		}
	}
	if a, b := held.Count(), cols.Count(); a != b || a.Kink == 0 || a.Fail == 0 {
		t.Errorf("counts: points %+v, columns %+v (want kinks and failures in both)", a, b)
	}
	if len(got) != len(want) {
		t.Errorf("files: %d with columns, %d without", len(got), len(want))
	}
	for name, w := range want {
		if g := got[name]; !bytes.Equal(g, w) {
			t.Errorf("%s differs with columns: %s", name, firstLineDiff(w, g))
		}
	}
}

func firstLineDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(la) && i < len(lb); i++ {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Sprintf("line %d: %q, want %q", i+1, lb[i], la[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(lb), len(la))
}
