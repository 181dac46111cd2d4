package claims

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// DiagnosePoints checks a claimed scalar derivative at the points xs
// against the exact one (claimed[k] and exact[k] at xs[k]) and says how a
// wrong claim is wrong: lengths that differ, a claim that is zero, the
// sign, a constant factor, and otherwise the intervals of x where it fails
// ("fails for x in [-3, -0.5] and [2, 3]; right elsewhere"). The Verdict's
// elements are [k,0] for the point xs[k].
func DiagnosePoints(xs []float64, claimed, exact []float64, tol Tolerance) Diagnosis {
	tol = tol.withDefaults()
	if len(claimed) != len(exact) || len(xs) != len(exact) {
		s := fmt.Sprintf("the claim has the wrong length: %s, %s claimed, %s exact",
			plural(len(xs), "point", "points"), plural(len(claimed), "value", "values"), plural(len(exact), "value", "values"))
		return Diagnosis{Kind: KindShape, Summary: s,
			Markdown: "**Wrong length.** " + upperFirst(s) + ".\n",
			Verdict:  Verdict{ClaimedRows: len(claimed), ClaimedCols: 1, ExactRows: len(exact), ExactCols: 1, Reason: s}}
	}
	v := Check(column(claimed), column(exact), tol)
	var d Diagnosis
	ok := false
	if v.OK {
		d, ok = ruleAgrees(&facts{v: v})
	}
	if !ok {
		d, ok = zeroRule(claimed, exact, tol, "point")
	}
	if !ok {
		d, ok = factorRule(claimed, exact, tol, nil, "point")
	}
	if !ok {
		d = regionsDiagnosis(xs, claimed, exact, tol, v)
	}
	d.Verdict = v
	return d
}

// column is xs as an n×1 matrix (nil when xs is empty).
func column(xs []float64) *mat.Dense {
	if len(xs) == 0 {
		return nil
	}
	return mat.NewDense(len(xs), 1, append([]float64(nil), xs...))
}

// failingRegions walks the points in increasing x (NaN x last) and returns
// the maximal runs of consecutive failing points as intervals.
func failingRegions(xs, claimed, exact []float64, tol Tolerance) []Interval {
	order := make([]int, len(xs))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool {
		xa, xb := xs[order[a]], xs[order[b]]
		if math.IsNaN(xa) || math.IsNaN(xb) {
			return !math.IsNaN(xa) && math.IsNaN(xb)
		}
		return xa < xb
	})
	var out []Interval
	open := false
	for _, k := range order {
		if tol.agrees(claimed[k], exact[k]) {
			open = false
			continue
		}
		if !open {
			out = append(out, Interval{Lo: xs[k]})
			open = true
		}
		last := &out[len(out)-1]
		last.Hi = xs[k]
		last.Points++
	}
	return out
}

// regionsDiagnosis words where a scalar claim fails.
func regionsDiagnosis(xs, claimed, exact []float64, tol Tolerance, v Verdict) Diagnosis {
	regions := failingRegions(xs, claimed, exact, tol)
	pieces, allIntervals := make([]string, len(regions)), true
	for k, r := range regions {
		if r.Points == 1 {
			pieces[k], allIntervals = "x = "+fmtNum(r.Lo), false
		} else {
			pieces[k] = fmt.Sprintf("[%s, %s]", fmtNum(r.Lo), fmtNum(r.Hi))
		}
	}
	var where string // "fails for x in [-3, -0.5] and [2, 3]; right elsewhere"
	switch {
	case v.Disagree == v.Total && v.Total == 1:
		where = "fails at x = " + fmtNum(xs[0])
	case v.Disagree == v.Total:
		where = fmt.Sprintf("fails at all %d points", v.Total)
	case allIntervals:
		where = "fails for x in " + joinAnd(pieces) + "; right elsewhere"
	default:
		for k := range pieces {
			if strings.HasPrefix(pieces[k], "[") {
				pieces[k] = "x in " + pieces[k]
			}
		}
		where = "fails at " + joinAnd(pieces) + "; right elsewhere"
	}
	count := countOf(v.Disagree, v.Total, "point") + " disagree"
	if v.NonFinite > 0 {
		count += fmt.Sprintf(", %s NaN or infinite", plural(v.NonFinite, "claimed value is", "claimed values are"))
	}
	worst := v.Worst[0]
	s := fmt.Sprintf("%s (%s; worst x = %s: claimed %s, exact %s)",
		where, count, fmtNum(xs[worst.Row]), fmtNum(worst.Claimed), fmtNum(worst.Exact))
	head, rest, _ := strings.Cut(where, "; ")
	md := fmt.Sprintf("**The claim %s**", head)
	if rest != "" {
		md += "; it is " + rest
	}
	md += fmt.Sprintf(". %s; the worst:\n\n", upperFirst(count))
	label := func(e Element) string { return fmtNum(xs[e.Row]) }
	return Diagnosis{Kind: KindRegions, Regions: regions, Summary: s, Markdown: md + worstTable(v.Worst, "x", label)}
}
