package diff

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/ops"
)

// Explanation is a computation laid out for a reader: its graph and, node by
// node, what the engine computed.
type Explanation struct {
	// Steps are the nodes: for a gradient in the order of the backward walk
	// (the output first, the input matrices last); for a function in the
	// order of evaluation (the variables first).
	Steps []Step
	// Edges go from an input to the node that uses it, by step name.
	Edges [][2]string
	// At is the point a function's explanation is taken at.
	At []float64
}

// Step is one node of a computation.
type Step struct {
	Name   string
	Expr   string // what it computes, from its inputs' names; "" for an input
	Value  *mat.Dense
	Locals []Local
	// Grad is ∂L/∂(this node), the gradient that arrives from above, for a
	// gradient's steps; for a function's steps, Tangents are ∂(node)/∂vᵢ,
	// carried forward, one per variable.
	Grad     *mat.Dense
	Tangents []float64
}

// Local is a node's local derivative with respect to one input: how it is
// applied (Rule) and, where it is a value, the value the engine used.
type Local struct {
	Wrt   string
	Rule  string
	Value *mat.Dense
}

// explainTape lays out a gradient's tape after its backward walk: the same
// values, local derivatives and gradients the engine computed.
func explainTape(t *tape, root *node, name string, wrt []string) *Explanation {
	names := map[*node]string{}
	taken := map[string]bool{name: true}
	for k := range t.leaves {
		taken[k] = true
	}
	fresh := func(base string) string {
		for i := 1; ; i++ {
			n := base
			if i > 1 {
				n = fmt.Sprintf("%s%d", base, i)
			}
			if !taken[n] {
				taken[n] = true
				return n
			}
		}
	}
	for _, w := range wrt {
		if n := t.wrt[w]; n != nil {
			names[n] = w
		}
	}
	for k, n := range t.lets { // an intermediate's node goes by its let: name
		taken[k] = true
		if n.leaf == "" {
			names[n] = k
		}
	}
	label := func(n *node) string {
		if s, ok := names[n]; ok {
			return s
		}
		if n.leaf != "" {
			return n.leaf
		}
		if c, ok := n.expr.(*expr.Num); ok {
			return c.Text
		}
		return "?"
	}
	var steps []*node
	for _, n := range t.nodes {
		if n.leaf != "" || n.ins == nil {
			continue
		}
		steps = append(steps, n)
		if n == root {
			names[n] = name
			continue
		}
		if names[n] != "" {
			continue
		}
		in := make([]string, len(n.ins))
		for k, a := range n.ins {
			in[k] = label(a)
		}
		names[n] = fresh(n.op.Step(in, n.call))
	}
	ex := &Explanation{}
	for i := len(steps) - 1; i >= 0; i-- {
		n := steps[i]
		st := Step{Name: label(n), Value: n.val, Grad: n.grad}
		in := make([]string, len(n.ins))
		for k, a := range n.ins {
			in[k] = label(a)
			if a.leaf != "" || a.ins != nil || names[a] != "" {
				ex.Edges = append(ex.Edges, [2]string{in[k], st.Name})
			}
		}
		local := func(k int) *mat.Dense {
			if k < len(n.locals) {
				return n.locals[k]
			}
			return nil
		}
		if n.op.Show != nil {
			st.Expr = n.op.Show(in, n.call)
		} else {
			st.Expr = n.op.CallName(n.call) + "(" + strings.Join(in, ", ") + ")"
		}
		needs := make([]bool, len(n.ins))
		for k, a := range n.ins {
			needs[k] = a.needs
		}
		for k, rule := range n.op.Rules(in, needs, n.call) {
			if rule != "" {
				st.Locals = append(st.Locals, Local{Wrt: in[k], Rule: rule, Value: local(k)})
			}
		}
		ex.Steps = append(ex.Steps, st)
	}
	for _, w := range wrt {
		if n := t.wrt[w]; n != nil {
			ex.Steps = append(ex.Steps, Step{Name: w, Value: n.val, Grad: n.grad})
		}
	}
	seen := map[string]bool{}
	for _, n := range t.nodes { // the other input matrices: values only
		if n.leaf != "" && !seen[n.leaf] {
			seen[n.leaf] = true
			ex.Steps = append(ex.Steps, Step{Name: n.leaf, Value: n.val})
		}
	}
	return ex
}

// explainFunction traces a function at one point by forward mode, node by
// node, with the same dual-number operations the engine uses: each node's
// value, its local derivatives and its derivative with respect to each
// variable, carried forward.
func explainFunction(tree expr.Node, vars []string, at []float64, name string) *Explanation {
	ex := &Explanation{At: at}
	index := map[string]int{}
	for i, v := range vars {
		index[v] = i
		ex.Steps = append(ex.Steps, Step{Name: v, Value: scalar(at[i]), Tangents: unit(len(vars), i)})
	}
	counter := 0
	isStep := map[string]bool{}
	for _, v := range vars {
		isStep[v] = true
	}
	var walk func(n expr.Node, root bool) (string, []dual)
	walk = func(n expr.Node, root bool) (string, []dual) {
		ds := make([]dual, len(vars))
		switch n := n.(type) {
		case *expr.Num:
			for i := range ds {
				ds[i] = dual{n.Val, 0}
			}
			return n.Text, ds
		case *expr.Ident:
			for i := range ds {
				ds[i] = dual{at[index[n.Name]], 0}
			}
			ds[index[n.Name]].d = 1
			return n.Name, ds
		}
		var ins []string
		var st Step
		switch n := n.(type) {
		case *expr.Neg:
			a, ad := walk(n.X, false)
			ins = []string{a}
			for i := range ds {
				ds[i] = ad[i].neg()
			}
			st.Expr = "−" + a
			st.Locals = []Local{{Wrt: a, Value: scalar(-1)}}
		case *expr.Call:
			a, ad := walk(n.Args[0], false)
			ins = []string{a}
			for i := range ds {
				ds[i] = ad[i].call(n.Fn, n.Params, 0)
			}
			st.Expr = expr.String(&expr.Call{Name: n.Name, Args: []expr.Node{&expr.Ident{Name: a}}, Fn: n.Fn, Params: n.Params})
			st.Locals = []Local{{Wrt: a, Rule: n.Name + "′(" + a + ")", Value: scalar(n.Fn.D(ad[0].v, n.Params))}}
		case *expr.Binary:
			a, ad := walk(n.L, false)
			b, bd := walk(n.R, false)
			ins = []string{a, b}
			for i := range ds {
				switch n.Op {
				case '+':
					ds[i] = ad[i].add(bd[i])
				case '-':
					ds[i] = ad[i].sub(bd[i])
				case '*':
					ds[i] = ad[i].mul(bd[i])
				case '/':
					ds[i] = ad[i].div(bd[i])
				case '^':
					if c, ok := n.R.(*expr.Num); ok {
						ds[i] = ad[i].powc(c.Val)
					} else {
						ds[i] = ad[i].pow(bd[i])
					}
				}
			}
			st.Expr = a + " " + string(n.Op) + " " + b
			da, db := ops.Operator(n.Op).Elem.D(ad[0].v, bd[0].v, ds[0].v)
			st.Locals = []Local{{Wrt: a, Value: scalar(da)}, {Wrt: b, Value: scalar(db)}}
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
		st.Value = scalar(ds[0].v)
		for i := range ds {
			st.Tangents = append(st.Tangents, ds[i].d)
		}
		for _, in := range ins {
			if isStep[in] {
				ex.Edges = append(ex.Edges, [2]string{in, st.Name})
			}
		}
		isStep[st.Name] = true
		ex.Steps = append(ex.Steps, st)
		return st.Name, ds
	}
	walk(tree, true)
	return ex
}

func scalar(v float64) *mat.Dense { return mat.NewDense(1, 1, []float64{v}) }

func unit(n, i int) []float64 {
	u := make([]float64, n)
	u[i] = 1
	return u
}
