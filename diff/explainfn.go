package diff

import (
	"fmt"

	"github.com/runner-dev/runner/expr"
)

// local is an operation node's local derivative with respect to its operand
// k (0 or 1): its operation (the one compile applies) at its operands'
// values a and b, with operand k seeded.
func local(n expr.Node, k int, a, b float64) float64 {
	x, y := dual{a, 0}, dual{b, 0}
	if k == 0 {
		x.d = 1
	} else {
		y.d = 1
	}
	return operation[dual](n)(x, y).d
}

// explainFunction lays out a function at one point, node by node, as the
// engine computes it: the compiled dual-number program runs once per
// variable, seeding that variable, with a watcher that records each node's
// result. A node's value and its tangents (its derivative with respect to
// each variable) are those results; its local derivatives are its operation
// applied to its operands' values, seeded one at a time.
func explainFunction(tree expr.Node, vars []string, at []float64, name string) *Explanation {
	index := map[string]int{}
	for i, v := range vars {
		index[v] = i
	}
	passes := max(1, len(vars))
	seen := map[expr.Node][]dual{} // seen[n][i]: node n in the pass that seeds variable i
	pass := 0
	watch := func(n expr.Node, out dual) {
		if seen[n] == nil {
			seen[n] = make([]dual, passes)
		}
		seen[n][pass] = out
	}
	prog := compile(tree, index, mkDual, watch)
	v := make([]dual, len(vars))
	var tr trace
	for pass = 0; pass < passes; pass++ {
		for k, x := range at {
			v[k] = dual{x, 0}
		}
		if pass < len(v) {
			v[pass].d = 1
		}
		tr.reset()
		prog(v, &tr)
	}
	value := func(n expr.Node) float64 { return seen[n][0].v }

	ex := &Explanation{At: at}
	isStep := map[string]bool{}
	for i, v := range vars {
		ex.Steps = append(ex.Steps, Step{Name: v, Value: scalar(at[i]), Tangents: unit(len(vars), i)})
		isStep[v] = true
	}
	counter := 0
	var walk func(n expr.Node, root bool) string
	walk = func(n expr.Node, root bool) string {
		switch n := n.(type) {
		case *expr.Num:
			return n.Text
		case *expr.Ident:
			return n.Name
		}
		var ins []string
		var st Step
		switch n := n.(type) {
		case *expr.Neg:
			a := walk(n.X, false)
			ins = []string{a}
			st.Expr = "−" + a
			st.Locals = []Local{{Wrt: a, Value: scalar(local(n, 0, value(n.X), 0))}}
		case *expr.Call:
			a := walk(n.Args[0], false)
			ins = []string{a}
			st.Expr = expr.String(&expr.Call{Name: n.Name, Args: []expr.Node{&expr.Ident{Name: a}}, Fn: n.Fn, Params: n.Params})
			st.Locals = []Local{{Wrt: a, Rule: n.Name + "′(" + a + ")", Value: scalar(local(n, 0, value(n.Args[0]), 0))}}
		case *expr.Binary:
			a := walk(n.L, false)
			b := walk(n.R, false)
			ins = []string{a, b}
			st.Expr = a + " " + string(n.Op) + " " + b
			x, y := value(n.L), value(n.R)
			st.Locals = []Local{{Wrt: a, Value: scalar(local(n, 0, x, y))}, {Wrt: b, Value: scalar(local(n, 1, x, y))}}
			if _, ok := n.R.(*expr.Num); ok {
				st.Locals = st.Locals[:1]
			}
			if _, ok := n.L.(*expr.Num); ok {
				st.Locals = st.Locals[len(st.Locals)-1:]
			}
		}
		counter++
		st.Name = fmt.Sprintf("u%d", counter)
		if root {
			st.Name = name
		}
		st.Value = scalar(value(n))
		for i := range vars {
			st.Tangents = append(st.Tangents, seen[n][i].d)
		}
		for _, in := range ins {
			if isStep[in] {
				ex.Edges = append(ex.Edges, [2]string{in, st.Name})
			}
		}
		isStep[st.Name] = true
		ex.Steps = append(ex.Steps, st)
		return st.Name
	}
	walk(tree, true)
	return ex
}
