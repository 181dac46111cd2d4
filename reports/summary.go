package reports

import (
	"bytes"
	"fmt"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/spec"
)

// CSVStep is the k of a function's or chain's csv: the CSV holds every
// k-th point (and every point not ok); 1 holds them all. For csv: summary k
// is the smallest that makes the every-k-th points' rows at most
// spec.MaxSummaryRows.
func CSVStep(f *diff.Function) int {
	switch {
	case f.CSVEvery > 0:
		return f.CSVEvery
	case f.CSVEvery != spec.CSVSummary || f.Len() == 0:
		return 1
	}
	p0 := f.Point(0)
	perPoint := len(p0.Partials) + len(p0.Second)
	rows := f.Len() * max(1, perPoint)
	return max(1, (rows+spec.MaxSummaryRows-1)/spec.MaxSummaryRows)
}

// csvKept is f with only the points its CSV holds (CSVStep): every k-th,
// from the first, and every point with a derivative that is not ok. It is
// f itself when the CSV holds every point. held counts the every-k-th
// points, more those held for their status.
func csvKept(f *diff.Function) (kept *diff.Function, held, more int) {
	k := CSVStep(f)
	if k == 1 {
		return f, f.Len(), 0
	}
	kept = f.Only(func(i int, p diff.Point) bool {
		switch {
		case i%k == 0:
			held++
		case notOK(p):
			more++
		default:
			return false
		}
		return true
	})
	return kept, held, more
}

// notOK says whether any derivative at p is not ok.
func notOK(p diff.Point) bool {
	for _, d := range p.Partials {
		if d.Status != diff.OK {
			return true
		}
	}
	for _, d := range p.Second {
		if d.Status != diff.OK {
			return true
		}
	}
	return false
}

// csvSummaryLine says, under a function's or chain's table, which of its
// points the CSV holds when it does not hold them all.
func csvSummaryLine(b *bytes.Buffer, f *diff.Function) {
	k := CSVStep(f)
	if k == 1 {
		return
	}
	_, held, more := csvKept(f)
	how := fmt.Sprintf("csv: {every: %d}", k)
	if f.CSVEvery == spec.CSVSummary {
		how = "csv: summary"
	}
	fmt.Fprintf(b, "The CSV holds %d of the %d points (%s): every %s point from the first, and every point with a derivative that is not ok (%d more).\n\n",
		held+more, f.Len(), how, ordinal(k), more)
}

// ordinal is k as "2nd", "3rd", "100th".
func ordinal(k int) string {
	suffix := "th"
	switch {
	case k%100 >= 11 && k%100 <= 13:
	case k%10 == 1:
		suffix = "st"
	case k%10 == 2:
		suffix = "nd"
	case k%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprint(k) + suffix
}
