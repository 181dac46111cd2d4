package reports

import (
	"fmt"

	"github.com/runner-dev/runner/diff"
)

// Problems says, one line each, what is wrong with an item: every
// derivative outside tolerance ("at x=1, ∂/∂x: exact 3, numeric 3.31
// (outside tolerance)"; for a gradient, the element or direction instead of
// the point) and every printed reference value that disagrees. It is empty
// when the item passed.
func Problems(it diff.Item) []string {
	var bad []string
	if f := it.Function; f != nil {
		for _, p := range f.Points {
			for _, d := range p.Partials {
				if d.Status == diff.Fail {
					bad = append(bad, fmt.Sprintf("at %s, ∂/∂%s: exact %g, numeric %g (%s)", PointLabel(f.Vars, p.At), d.Wrt, d.Exact, d.Numeric, d.Note))
				}
			}
		}
	}
	if g := it.Gradient; g != nil {
		gradientRows(g, func(r Row) {
			if r.Status == diff.Fail {
				bad = append(bad, fmt.Sprintf("%s: exact %g, numeric %g (%s)", r.Wrt, r.Exact, r.Numeric, r.Note))
			}
		})
		if g.Reference != nil {
			for _, row := range g.Reference.Rows {
				if !row.Agrees {
					bad = append(bad, fmt.Sprintf("%s differs from %s by %.2g", row.What, g.Reference.Source, row.MaxDiff))
				}
			}
		}
	}
	return bad
}

// ItemName is the name of a function, chain or gradient.
func ItemName(it diff.Item) string {
	if it.Gradient != nil {
		return it.Gradient.Name
	}
	return it.Function.Name
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
