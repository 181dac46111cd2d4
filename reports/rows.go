package reports

import (
	"fmt"
	"math"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/method"
)

// Row is one derivative value as the CSV and the JSON list it: an item's
// derivative with respect to Wrt at a point (functions and chains: Vars at
// At; gradients: no point), of order 1 or 2.
type Row struct {
	Item, Kind string
	Vars       []string
	At         []float64
	Value      float64
	Order      int
	diff.Derivative
	// Point is a Jacobian row's output element, "[i,j]" ("" otherwise).
	Point string
}

// functionRows calls yield with each of f's rows, point by point: first
// derivatives, then second.
func functionRows(f *diff.Function, yield func(Row)) {
	for k := range f.Len() {
		p := f.Point(k)
		for _, d := range p.Partials {
			yield(Row{Item: f.Name, Kind: f.Kind, Vars: f.Vars, At: p.At, Value: p.Value, Order: 1, Derivative: d})
		}
		for _, d := range p.Second {
			yield(Row{Item: f.Name, Kind: f.Kind, Vars: f.Vars, At: p.At, Value: p.Value, Order: 2, Derivative: d})
		}
	}
}

// gradientRows calls yield with each of g's rows: the elements checked,
// matrix by matrix, then the directional checks. With method none, there
// being no numeric check, every element of a matrix of at most
// MaxCSVElements is listed with its exact value.
func gradientRows(g *diff.Gradient, yield func(Row)) {
	row := func(d diff.Derivative) {
		yield(Row{Item: g.Name, Kind: "gradient", Value: g.Value, Order: 1, Derivative: d})
	}
	for _, m := range g.Wrt {
		if !method.Get(g.Settings.Method).Numeric() {
			if rows, cols := m.Exact.Dims(); rows*cols <= MaxCSVElements {
				for i := 0; i < rows; i++ {
					for j := 0; j < cols; j++ {
						d := diff.Derivative{Wrt: elementName(m.Name, i, j),
							Exact: m.Exact.At(i, j), Numeric: math.NaN(), AbsErr: math.NaN(), Status: diff.OK,
							Left: math.NaN(), Right: math.NaN(), ErrEst: math.NaN(), Bound: method.NoBound}
						if m.Claim != nil {
							m.Claim.Row(&d, i, j)
						}
						row(d)
					}
				}
			}
			continue
		}
		for _, e := range m.Elements {
			row(e.Derivative)
		}
	}
	for _, d := range g.Directions {
		row(d.Derivative)
	}
	for _, d := range g.Second {
		yield(Row{Item: g.Name, Kind: "gradient", Value: g.Value, Order: 2, Derivative: d})
	}
}

// Rows calls yield with every row of an item, in the CSV's order.
func Rows(it diff.Item, yield func(Row)) {
	if it.Function != nil {
		functionRows(it.Function, yield)
	}
	if it.Gradient != nil {
		gradientRows(it.Gradient, yield)
	}
	if it.Jacobian != nil {
		jacobianRows(it.Jacobian, yield)
	}
}

// jacobianRows calls yield with each of j's entries, matrix by matrix,
// output element by output element.
func jacobianRows(j *diff.Jacobian, yield func(Row)) {
	for _, b := range j.Wrt {
		for _, e := range b.Entries {
			yield(Row{Item: j.Name, Kind: "jacobian", Point: fmt.Sprintf("[%d,%d]", e.Out.I, e.Out.J),
				Value: j.Value.At(e.Out.I, e.Out.J), Order: 1, Derivative: e.Derivative})
		}
	}
}
