package reports

import (
	"fmt"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/spec"
)

// FileResult is one experiment file's outcome in a run: its results, or the
// errors that make it invalid.
type FileResult struct {
	Path    string
	Errors  spec.Errors // why the file is invalid; Results is nil then
	Results *diff.Results
	// Pos is each item's place in the file, by name.
	Pos map[string]spec.Pos
}

// Status is "invalid" (the file has errors), "fail" (a derivative outside
// tolerance or a reference value that disagrees) or "ok".
func (f *FileResult) Status() string {
	switch {
	case f.Results == nil:
		return "invalid"
	case f.Results.Count().Failed():
		return "fail"
	}
	return "ok"
}

// Totals tally a run: its files, the invalid ones, and every derivative by
// status.
type Totals struct {
	Files, Invalid int
	diff.Counts
}

// Tally adds up files.
func Tally(files []*FileResult) Totals {
	t := Totals{Files: len(files)}
	for _, f := range files {
		if f.Results == nil {
			t.Invalid++
			continue
		}
		c := f.Results.Count()
		t.Total += c.Total
		t.OK += c.OK
		t.Fail += c.Fail
		t.Kink += c.Kink
		t.Exact += c.Exact
		t.RefMismatch += c.RefMismatch
		t.ClaimMismatch += c.ClaimMismatch
	}
	return t
}

// String is the run's grand total line: "7 files, 149 derivatives: 148 ok,
// 1 at kinks", naming invalid files, failures and disagreeing reference
// values when there are any.
func (t Totals) String() string {
	s := fmt.Sprintf("%d %s", t.Files, plural(t.Files, "file", "files"))
	if t.Invalid > 0 {
		s += fmt.Sprintf(" (%d invalid)", t.Invalid)
	}
	return s + ", " + CountsText(t.Counts, ": ")
}

// CountsText says what c counts: "27 derivatives" + sep + "26 ok, 1 failed,
// 1 at kinks, 1 reference values disagree", naming only the statuses that
// occur beyond ok; derivatives with no numeric check are "exact only"
// ("3000 derivatives" + sep + "exact only" when all are).
func CountsText(c diff.Counts, sep string) string {
	return countsText(c, sep) + refText(c)
}

// countsText is CountsText without the reference values and the claims.
func countsText(c diff.Counts, sep string) string {
	s := fmt.Sprintf("%d %s%s", c.Total, plural(c.Total, "derivative", "derivatives"), sep)
	switch {
	case c.Exact > 0 && c.Exact == c.Total:
		return s + "exact only"
	case c.Exact > 0:
		s += fmt.Sprintf("%d ok, %d exact only", c.OK, c.Exact)
	default:
		s += fmt.Sprintf("%d ok", c.OK)
	}
	if c.Fail > 0 {
		s += fmt.Sprintf(", %d failed", c.Fail)
	}
	if c.Kink > 0 {
		s += fmt.Sprintf(", %d at kinks", c.Kink)
	}
	return s
}

// refText is what CountsText adds for disagreeing reference values and
// wrong claims.
func refText(c diff.Counts) string {
	s := ""
	if c.RefMismatch > 0 {
		s += fmt.Sprintf(", %d reference values disagree", c.RefMismatch)
	}
	if c.ClaimMismatch > 0 {
		s += fmt.Sprintf(", %d %s wrong", c.ClaimMismatch, plural(c.ClaimMismatch, "claim", "claims"))
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
