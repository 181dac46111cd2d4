package load

import (
	"gopkg.in/yaml.v3"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/spec"
)

// evalsPerDerivative is how many evaluations of an expression one numeric
// derivative may take, at most: a stencil of up to four points, at h and at
// 2h for the error bound (Richardson's four levels fold into the same).
const evalsPerDerivative = 8

// nodes counts the nodes of a parsed expression.
func nodes(n expr.Node) int {
	c := 0
	expr.Walk(n, func(expr.Node) { c++ })
	return c
}

// derivativesPerPoint is how many derivative values a point of a function
// of vars variables gives: vars first derivatives, and for order 2 the
// vars·(vars+1)/2 second ones with i ≤ j.
func derivativesPerPoint(vars, order int) float64 {
	d := float64(vars)
	if order == 2 {
		d += float64(vars) * float64(vars+1) / 2
	}
	return d
}

// scalarBudget checks, before anything is computed, that an item of a
// scalar expression of size nodes, with points points of vars variables,
// keeps within the derivative and cost limits; at is where an error
// points. It returns false (with the error reported) when it does not.
func (l *loader) scalarBudget(at *yaml.Node, what string, it spec.Item, points, vars, size int) bool {
	per := derivativesPerPoint(vars, it.Order)
	derivs := float64(points) * per
	if derivs > float64(l.opts.MaxDerivatives) {
		l.errf(at, "%s: %d points × %.0f derivatives each = %.0f derivative values, more than the limit of %d (raise it with --max-derivatives)", what, points, per, derivs, l.opts.MaxDerivatives)
		return false
	}
	cost := derivs * float64(size) * evalsPerDerivative
	if st := it.Study; st != nil {
		steps := float64(len(st.Steps()))
		cost += steps * float64(len(st.Methods)) * float64(size) * evalsPerDerivative
	}
	if cost > l.opts.MaxCost {
		l.errf(at, "%s: an estimated %.3g floating-point operations (%.0f derivative values × %d nodes × %d evaluations), more than the limit of %.3g (raise it with --max-cost)", what, cost, derivs, size, evalsPerDerivative, l.opts.MaxCost)
		return false
	}
	return true
}

// gradientBudget checks a gradient's estimated cost: the forward pass (its
// intermediates and its expression, each operation's cost as the table
// states it, expr.Cost), the
// backward pass (about twice the forward) and the numeric check (at most
// about one more forward pass's worth, as the check samples large
// matrices), plus one forward pass per sweep point.
func (l *loader) gradientBudget(at *yaml.Node, g *spec.Gradient, shapes map[string][2]int) bool {
	f := expr.Cost(g.Expr, shapes)
	for _, lt := range g.Let {
		f += expr.Cost(lt.Expr, shapes)
	}
	passes := 4.0
	if g.Sweep != nil {
		passes += float64(g.Sweep.Count)
	}
	if cost := passes * f; cost > l.opts.MaxCost {
		l.errf(at, "gradient %s: an estimated %.3g floating-point operations (%.3g a forward pass × %.0f passes), more than the limit of %.3g (raise it with --max-cost)", g.Name, cost, f, passes, l.opts.MaxCost)
		return false
	}
	return true
}

// sizeOK refuses an expression one of whose values (the inputs, every
// intermediate, the result) would hold more than the element limit, before
// anything is allocated, naming the node and its shape.
func (l *loader) sizeOK(n *yaml.Node, tree expr.Node, shapes map[string][2]int, what string) bool {
	big, most := expr.Largest(tree, shapes)
	if big == nil || most <= float64(l.opts.MaxElements) {
		return true
	}
	l.errAt(l.exprPos(n, big.Pos()), "%s: %s would hold %.4g elements, more than the limit of %d for one matrix (raise it with --max-elements)",
		what, sanitize(expr.String(big)), most, l.opts.MaxElements)
	return false
}
