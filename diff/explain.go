package diff

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/expr"
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
		names[t.wrt[w]] = w
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
		n := t.wrt[w]
		ex.Steps = append(ex.Steps, Step{Name: w, Value: n.val, Grad: n.grad})
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

func scalar(v float64) *mat.Dense { return mat.NewDense(1, 1, []float64{v}) }

func unit(n, i int) []float64 {
	u := make([]float64, n)
	u[i] = 1
	return u
}
