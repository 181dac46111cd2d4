package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/runner-dev/runner/diff"
)

// Problems says, one line each, what is wrong with an item: every
// wrong claim with its diagnosis ("∂L/∂W claimed: claimed = 10 × exact
// …"), then every derivative outside tolerance, the worst (largest |numeric − exact|, a
// value that is not finite first) first, such as "at x=1, ∂/∂x: exact 3,
// numeric 3.31 (outside tolerance)" (for a gradient, the element or
// direction instead of the point), then every printed reference value that
// disagrees. It is empty when the item passed.
func Problems(it diff.Item) []string {
	var fails []Row
	Rows(it, func(r Row) {
		if r.Status == diff.Fail {
			fails = append(fails, r)
		}
	})
	sort.SliceStable(fails, func(i, j int) bool { return badness(fails[i].AbsErr) > badness(fails[j].AbsErr) })
	bad := claimProblems(it)
	for _, r := range fails {
		if r.Claim != nil {
			bad = append(bad, fmt.Sprintf("%s: %s", r.Where(), r.Note))
			continue
		}
		bad = append(bad, fmt.Sprintf("%s: exact %g, numeric %g (%s)", r.Where(), r.Exact, r.Numeric, r.Note))
	}
	if g := it.Gradient; g != nil && g.Reference != nil {
		for _, row := range g.Reference.Rows {
			if !row.Agrees {
				bad = append(bad, fmt.Sprintf("%s differs from %s by %.2g", row.What, g.Reference.Source, row.MaxDiff))
			}
		}
	}
	return bad
}

// badness orders errors for Problems: a value that is not finite is worse
// than any number.
func badness(absErr float64) float64 {
	if math.IsNaN(absErr) {
		return math.Inf(1)
	}
	return absErr
}

// Where names a row's derivative: "at x=1, ∂/∂x", "at x=1;y=2, ∂²/∂x∂y" for
// a function or chain, "X[0,1]" or a direction for a gradient.
func (r Row) Where() string {
	switch r.Kind {
	case "gradient":
		return r.Wrt
	case "jacobian":
		return "∂" + r.Item + r.Point + "/∂" + r.Wrt
	}
	d := "∂/∂" + r.Wrt
	if r.Order == 2 {
		x, y, _ := strings.Cut(r.Wrt, ",")
		d = "∂²/∂" + x + "∂" + y
		if x == y {
			d = "∂²/∂" + x + "²"
		}
	}
	return "at " + PointLabel(r.Vars, r.At) + ", " + d
}

// ItemName is the name of a function, chain or gradient.
func ItemName(it diff.Item) string {
	if it.Gradient != nil {
		return it.Gradient.Name
	}
	if it.Jacobian != nil {
		return it.Jacobian.Name
	}
	return it.Function.Name
}

// ItemKind is "function", "chain", "gradient" or "jacobian".
func ItemKind(it diff.Item) string {
	if it.Gradient != nil {
		return "gradient"
	}
	if it.Jacobian != nil {
		return "jacobian"
	}
	return it.Function.Kind
}

// ItemStatus is an item's verdict: fail when a derivative is outside
// tolerance or a reference value disagrees, else kink when a derivative is
// at a kink, else ok.
func ItemStatus(it diff.Item) diff.Status {
	c := (&diff.Results{Items: []diff.Item{it}}).Count()
	switch {
	case c.Failed():
		return diff.Fail
	case c.Kink > 0:
		return diff.Kink
	}
	return diff.OK
}
