package reports

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/spec/load"
)

// csvPoints runs src and returns, per item, the x of each CSV row (in
// order) and the rows' orders, with the Markdown.
func csvPoints(t *testing.T, src string) (map[string][]float64, map[string][]string, string) {
	t.Helper()
	e, err := load.Parse("s.yaml", []byte(src), load.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	r := diff.Run(e)
	rows, err := csv.NewReader(strings.NewReader(string(CSV(r)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	xs, orders := map[string][]float64{}, map[string][]string{}
	for _, row := range rows[1:] {
		x, err := strconv.ParseFloat(strings.TrimPrefix(row[2], "x="), 64)
		if err != nil {
			t.Fatalf("row %v: %v", row, err)
		}
		xs[row[0]] = append(xs[row[0]], x)
		orders[row[0]] = append(orders[row[0]], row[10])
	}
	return xs, orders, string(Markdown(r))
}

// TestCSVSummary: with csv: summary the CSV of a 25,001-point function
// holds every 3rd point (the smallest k that keeps the rows to 10,000) and
// the one point with a kink that is not among them; with order 2 (two rows
// a point) every 6th; {every: K} every K-th; a chain as a function; an item
// without csv: every point. The Markdown says which.
func TestCSVSummary(t *testing.T) {
	src := `functions:
  - {name: f, expr: abs(x - 7), at: grid, csv: summary}
  - {name: g, expr: x^2, at: grid, csv: {every: 1000}}
  - {name: h, expr: x^3, at: grid, csv: summary, order: 2}
  - {name: all, expr: x^2, at: small}
chains:
  - {name: c, of: [square, sigmoid], at: grid, csv: summary}
points:
  grid: {x: {from: 0, to: 25000, step: 1}}
  small: {x: {from: 0, to: 99, step: 1}}
`
	xs, orders, md := csvPoints(t, src)
	every := func(k, n int, extra ...float64) []float64 {
		var out []float64
		for i := 0; i < n; i++ {
			if i%k == 0 {
				out = append(out, float64(i))
			}
			for _, e := range extra {
				if float64(i) == e && i%k != 0 {
					out = append(out, e)
				}
			}
		}
		return out
	}
	for _, c := range []struct {
		item string
		want []float64
		line string
	}{
		{"f", every(3, 25001, 7), "The CSV holds 8335 of the 25001 points (csv: summary): every 3rd point from the first, and every point with a derivative that is not ok (1 more)."},
		{"g", every(1000, 25001), "The CSV holds 26 of the 25001 points (csv: {every: 1000}): every 1000th point from the first, and every point with a derivative that is not ok (0 more)."},
		{"c", every(3, 25001), "The CSV holds 8334 of the 25001 points (csv: summary)"},
		{"all", every(1, 100), ""},
	} {
		got := xs[c.item]
		if len(got) != len(c.want) {
			t.Errorf("%s: %d rows, want %d", c.item, len(got), len(c.want))
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: row %d is x=%v, want x=%v", c.item, i+1, got[i], c.want[i])
				break
			}
		}
		if c.line != "" && !strings.Contains(md, c.line) {
			t.Errorf("%s: the Markdown lacks %q", c.item, c.line)
		}
	}
	if n := len(xs["f"]); n > 10_001 {
		t.Errorf("f: %d rows", n)
	}
	// order 2: a first and a second derivative a point, every 6th point
	h := xs["h"]
	if len(h) != 2*len(every(6, 25001)) || len(h) > 10_000 {
		t.Errorf("h: %d rows, want %d", len(h), 2*len(every(6, 25001)))
	}
	for i := 0; i+1 < len(h); i += 2 {
		if h[i] != float64(6*(i/2)) || h[i+1] != h[i] || orders["h"][i] != "1" || orders["h"][i+1] != "2" {
			t.Errorf("h: rows %d, %d are x=%v order %s, x=%v order %s", i+1, i+2, h[i], orders["h"][i], h[i+1], orders["h"][i+1])
			break
		}
	}
	if strings.Count(md, "The CSV holds") != 4 {
		t.Errorf("the Markdown says %d times which points the CSV holds, want 4", strings.Count(md, "The CSV holds"))
	}
}

// TestCSVSummaryOfColumns: a chain long enough to be held as columns (2¹⁷
// points or more, diff/columns.go) is summarised too: its summarised CSV
// is every 1000th line of its full CSV, byte for byte.
func TestCSVSummaryOfColumns(t *testing.T) {
	const n = 1 << 17
	run := func(extra string) []string {
		e, err := load.Parse("t.yaml", []byte(fmt.Sprintf("chains:\n  - {name: c, of: [square, sigmoid], at: {x: {from: 0, to: %d, step: 1}}, explain: false%s}\n", n-1, extra)), load.DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSuffix(string(CSV(diff.Run(e))), "\n"), "\n")
	}
	full, kept := run(""), run(", csv: {every: 1000}")
	if len(full) != n+1 {
		t.Fatalf("the full CSV has %d lines, want %d", len(full), n+1)
	}
	var want []string
	want = append(want, full[0])
	for i := 1; i < len(full); i += 1000 {
		want = append(want, full[i])
	}
	if len(kept) != len(want) {
		t.Fatalf("the summarised CSV has %d lines, want %d", len(kept), len(want))
	}
	for i := range want {
		if kept[i] != want[i] {
			t.Fatalf("line %d: %q, want %q", i, kept[i], want[i])
		}
	}
}
