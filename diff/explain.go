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

var opNames = map[byte]string{'@': "N", '+': "A", '-': "D", '*': "P", '/': "Q", '^': "U"}

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
	var ops []*node
	for _, n := range t.nodes {
		if n.leaf != "" || n.ins == nil {
			continue
		}
		ops = append(ops, n)
		if n == root {
			names[n] = name
			continue
		}
		switch e := n.expr.(type) {
		case *expr.Binary:
			names[n] = fresh(opNames[e.Op])
		case *expr.Call:
			switch e.Name {
			case "transpose":
				names[n] = fresh(label(n.ins[0]) + "ᵀ")
			case "sum", "mean":
				names[n] = fresh("M")
			default:
				names[n] = fresh(strings.ToUpper(e.Name[:1]))
			}
		case *expr.Neg:
			names[n] = fresh("M")
		}
	}
	ex := &Explanation{}
	for i := len(ops) - 1; i >= 0; i-- {
		n := ops[i]
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
		switch e := n.expr.(type) {
		case *expr.Binary:
			st.Expr = in[0] + " " + string(e.Op) + " " + in[1]
			if e.Op == '@' {
				st.Locals = []Local{
					{Wrt: in[0], Rule: "right-multiply by " + in[1] + "ᵀ", Value: local(0)},
					{Wrt: in[1], Rule: "left-multiply by " + in[0] + "ᵀ", Value: local(1)},
				}
			} else {
				rules := map[byte][2]string{'+': {"1", "1"}, '-': {"1", "−1"}, '*': {in[1], in[0]},
					'/': {"1/" + in[1], "−" + in[0] + "/" + in[1] + "²"}, '^': {in[1] + "·" + in[0] + "^(" + in[1] + "−1)", in[0] + "^" + in[1] + "·ln " + in[0]}}
				for k := 0; k < 2; k++ {
					if n.ins[k].needs {
						st.Locals = append(st.Locals, Local{Wrt: in[k], Rule: rules[e.Op][k] + ", element by element", Value: local(k)})
					}
				}
			}
		case *expr.Call:
			st.Expr = e.Name + "(" + in[0] + ")"
			switch e.Name {
			case "sum":
				st.Locals = []Local{{Wrt: in[0], Rule: "ones (each element counts once)", Value: local(0)}}
			case "mean":
				st.Locals = []Local{{Wrt: in[0], Rule: "1/n for each of the n elements", Value: local(0)}}
			case "transpose":
				st.Locals = []Local{{Wrt: in[0], Rule: "transpose the gradient"}}
			default:
				st.Locals = []Local{{Wrt: in[0], Rule: e.Name + "′(" + in[0] + ") = " + inTermsOf(e.Fn.Deriv, in[0]) + ", element by element", Value: local(0)}}
			}
		case *expr.Neg:
			st.Expr = "−" + in[0]
			st.Locals = []Local{{Wrt: in[0], Rule: "−1"}}
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

// inTermsOf writes a registry derivative's formula, given in x, in terms of the
// input's name: σ(x)(1 − σ(x)) becomes σ(N)(1 − σ(N)).
func inTermsOf(formula, name string) string {
	r := []rune(formula)
	var b strings.Builder
	letter := func(i int) bool {
		return i >= 0 && i < len(r) && (r[i] >= 'a' && r[i] <= 'z' || r[i] >= 'A' && r[i] <= 'Z')
	}
	for i, c := range r {
		if c == 'x' && !letter(i-1) && !letter(i+1) {
			b.WriteString(name)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func scalar(v float64) *mat.Dense { return mat.NewDense(1, 1, []float64{v}) }

func unit(n, i int) []float64 {
	u := make([]float64, n)
	u[i] = 1
	return u
}
