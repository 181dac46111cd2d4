package diff

import (
	"fmt"

	"github.com/runner-dev/runner/expr"
)

// observed is what watching the compiled evaluation saw at one operation
// node: its operation and operands, and its result in each seeded pass.
type observed struct {
	op   func(a, b dual) dual
	a, b dual
	out  []dual // out[i]: the pass that seeds variable i
}

// local is the node's local derivative with respect to its operand k (0 or
// 1): its own operation applied to its operands' values with that operand
// seeded.
func (o *observed) local(k int) float64 {
	a, b := dual{o.a.v, 0}, dual{o.b.v, 0}
	if k == 0 {
		a.d = 1
	} else {
		b.d = 1
	}
	return o.op(a, b).d
}

// explainFunction lays out a function at one point, node by node, as the
// engine computes it: the compiled dual-number program runs once per
// variable, seeding that variable, with a watcher that records each
// operation's operands and result. A node's value and its tangents (its
// derivative with respect to each variable) are those results; its local
// derivatives are its own operation applied to seeded operands.
func explainFunction(tree expr.Node, vars []string, at []float64, name string) *Explanation {
	index := map[string]int{}
	for i, v := range vars {
		index[v] = i
	}
	passes := max(1, len(vars))
	seen := map[expr.Node]*observed{}
	pass := 0
	watch := func(n expr.Node, op func(a, b dual) dual, a, b, out dual) {
		o := seen[n]
		if o == nil {
			o = &observed{op: op, a: a, b: b, out: make([]dual, passes)}
			seen[n] = o
		}
		o.out[pass] = out
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
		o := seen[n]
		var ins []string
		var st Step
		switch n := n.(type) {
		case *expr.Neg:
			a := walk(n.X, false)
			ins = []string{a}
			st.Expr = "−" + a
			st.Locals = []Local{{Wrt: a, Value: scalar(o.local(0))}}
		case *expr.Call:
			a := walk(n.Args[0], false)
			ins = []string{a}
			st.Expr = expr.String(&expr.Call{Name: n.Name, Args: []expr.Node{&expr.Ident{Name: a}}, Fn: n.Fn, Params: n.Params})
			st.Locals = []Local{{Wrt: a, Rule: n.Name + "′(" + a + ")", Value: scalar(o.local(0))}}
		case *expr.Binary:
			a := walk(n.L, false)
			b := walk(n.R, false)
			ins = []string{a, b}
			st.Expr = a + " " + string(n.Op) + " " + b
			st.Locals = []Local{{Wrt: a, Value: scalar(o.local(0))}, {Wrt: b, Value: scalar(o.local(1))}}
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
		st.Value = scalar(o.out[0].v)
		for i := range vars {
			st.Tangents = append(st.Tangents, o.out[i].d)
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
