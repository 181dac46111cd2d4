package reports

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/internal/prose"
	"github.com/runner-dev/runner/method"
)

// MaxExplainDim is the largest number of rows or columns a matrix may have
// to be printed whole in a step table; a larger one is shown by its shape,
// norms and top-left corner.
const MaxExplainDim = 6

// cornerDim is the size of the corner shown for a larger matrix.
const cornerDim = 2

// stepValue writes a node's value for a table cell: a number, a small
// matrix whole (as NumPy prints it, 4 significant digits), or a larger one
// summarised.
func stepValue(m *mat.Dense) string {
	if m == nil {
		return "—"
	}
	r, c := m.Dims()
	if r == 1 && c == 1 {
		return fmtNum(m.At(0, 0))
	}
	if r <= MaxExplainDim && c <= MaxExplainDim {
		return matrixG(m, r, c)
	}
	norm, maxAbs := diff.NormMax(m)
	cr, cc := min(cornerDim, r), min(cornerDim, c)
	return fmt.Sprintf("%d×%d, ‖·‖ = %s, max \\|·\\| = %s, corner %s", r, c, fmtNum(norm), fmtNum(maxAbs), matrixG(m, cr, cc)+"…")
}

// matrixG writes the top-left r×c of m with 4 significant digits.
func matrixG(m *mat.Dense, r, c int) string {
	return matrixRows(m, r, c, func(v float64) string {
		if w, ok := notFinite(v); ok {
			return w
		}
		return strconv.FormatFloat(v+0, 'g', 4, 64)
	})
}

// mermaid writes a computation graph as a Mermaid flowchart, edges in the
// forward direction.
func mermaid(b *bytes.Buffer, ex *diff.Explanation, label func(diff.Step) string) {
	b.WriteString("```mermaid\nflowchart LR\n")
	ids := map[string]string{}
	// inputs first, so the chart reads left to right
	order := make([]diff.Step, 0, len(ex.Steps))
	for _, s := range ex.Steps {
		if s.Expr == "" {
			order = append(order, s)
		}
	}
	for _, s := range ex.Steps {
		if s.Expr != "" {
			order = append(order, s)
		}
	}
	for i, s := range order {
		ids[s.Name] = fmt.Sprintf("n%d", i)
		fmt.Fprintf(b, "  n%d[\"%s\"]\n", i, strings.ReplaceAll(label(s), `"`, "#quot;"))
	}
	for _, e := range ex.Edges {
		if ids[e[0]] != "" && ids[e[1]] != "" {
			fmt.Fprintf(b, "  %s --> %s\n", ids[e[0]], ids[e[1]])
		}
	}
	b.WriteString("```\n\n")
}

func stepLabel(s diff.Step) string {
	if s.Expr == "" {
		if r, c := s.Value.Dims(); r*c > 1 {
			return fmt.Sprintf("%s (%d×%d)", s.Name, r, c)
		}
		return s.Name
	}
	return s.Name + " = " + s.Expr
}

// explainGradient lays out a gradient's computation: the graph, then the
// backward walk node by node, with the values the engine computed. Only
// the nodes on a path from the output to a matrix in wrt are walked, and
// only their local derivatives toward such a path. A table lists them;
// then each node's value, local derivatives and arriving gradient follow
// on a line of their own as small matrices (up to MaxExplainDim a side;
// a larger one by its shape and norms).
func explainGradient(b *bytes.Buffer, g *diff.Gradient) {
	ex := g.Explain
	b.WriteString("### The computation, step by step\n\n")
	mermaid(b, ex, stepLabel)
	onPath := map[string]bool{}
	var wrt []string
	for _, m := range g.Wrt {
		onPath[m.Name] = true
		wrt = append(wrt, m.Name)
	}
	for grew := true; grew; {
		grew = false
		for _, e := range ex.Edges {
			if onPath[e[0]] && !onPath[e[1]] {
				onPath[e[1]], grew = true, true
			}
		}
	}
	fmt.Fprintf(b, "The backward pass, from %s down to %s. Each node passes on the gradient that arrives at it "+
		"(∂%s/∂node) through its local derivatives: an element-wise function multiplies it element by element, "+
		"a product X @ W sends it to X right-multiplied by Wᵀ and to W left-multiplied by Xᵀ. "+
		"These are the engine's own numbers; the last of them are the gradients the tables above report. "+
		"Only the nodes on a path from %s to %s are shown.\n\n", g.Name, prose.List(wrt, "and"), g.Name, g.Name, prose.List(wrt, "or"))
	var steps []diff.Step
	for _, s := range ex.Steps {
		if onPath[s.Name] {
			steps = append(steps, s)
		}
	}
	locals := func(s diff.Step) []diff.Local {
		var out []diff.Local
		for _, l := range s.Locals {
			if onPath[l.Wrt] {
				out = append(out, l)
			}
		}
		return out
	}
	fmt.Fprintf(b, "The nodes of the backward pass, in its order, and how each sends the gradient on:\n\n")
	var rows [][]string
	for _, s := range steps {
		var rules []string
		for _, l := range locals(s) {
			rules = append(rules, fmt.Sprintf("∂%s/∂%s: %s", s.Name, l.Wrt, l.Rule))
		}
		computes := s.Expr
		if computes == "" {
			computes = "input"
		}
		rows = append(rows, []string{s.Name, computes, shape(s.Value), strings.Join(rules, "<br>")})
	}
	table(b, []string{"node", "computes", "shape", "local derivatives"}, nil, rows)
	fmt.Fprintf(b, "Node by node: its value, its local derivatives, and the gradient ∂%s/∂node arriving from above.\n\n", g.Name)
	L := mathName(g.Name)
	for _, s := range steps {
		what := "an input"
		if s.Expr != "" {
			what = "`" + s.Expr + "`"
		}
		fmt.Fprintf(b, "**%s**, %s:\n\n", s.Name, what)
		parts := []string{mathName(s.Name) + " = " + texMatrix(s.Value)}
		matrices := 0
		if isMatrix(s.Value) {
			matrices++
		}
		for _, l := range locals(s) {
			if l.Value != nil {
				parts = append(parts, fmt.Sprintf(`\frac{\partial %s}{\partial %s} = %s`, mathName(s.Name), mathName(l.Wrt), texMatrix(l.Value)))
				if isMatrix(l.Value) {
					matrices++
				}
			}
		}
		if s.Grad != nil {
			parts = append(parts, fmt.Sprintf(`\frac{\partial %s}{\partial %s} = %s`, L, mathName(s.Name), texMatrix(s.Grad)))
			if isMatrix(s.Grad) {
				matrices++
			}
		}
		writeNodeMath(b, parts, matrices)
	}
}

// writeNodeMath writes a node's quantities as display math: on one line,
// comma-separated, while at most one of them is a matrix, else one line each,
// so that a row of matrices does not run off the page.
func writeNodeMath(b *bytes.Buffer, parts []string, matrices int) {
	if matrices <= 1 {
		b.WriteString("$$" + strings.Join(parts, `, \quad `) + "$$\n\n")
		return
	}
	for _, p := range parts {
		b.WriteString("$$" + p + "$$\n\n")
	}
}

// isMatrix reports whether m is shown as more than one number.
func isMatrix(m *mat.Dense) bool {
	if m == nil {
		return false
	}
	r, c := m.Dims()
	return r*c > 1
}

// shape writes a node's shape: 1×1 as "scalar".
func shape(m *mat.Dense) string {
	if m == nil {
		return "—"
	}
	r, c := m.Dims()
	if r == 1 && c == 1 {
		return "scalar"
	}
	return fmt.Sprintf("%d×%d", r, c)
}

// texMatrix writes m for display math: a number, a small matrix whole
// (4 significant digits), or a larger one by its shape and norms.
func texMatrix(m *mat.Dense) string {
	if m == nil {
		return `\text{—}`
	}
	r, c := m.Dims()
	num := func(v float64) string {
		switch {
		case math.IsNaN(v):
			return `\text{undefined}`
		case math.IsInf(v, 1):
			return `\infty`
		case math.IsInf(v, -1):
			return `-\infty`
		}
		s := strconv.FormatFloat(v+0, 'g', 4, 64)
		if mant, exp, ok := strings.Cut(s, "e"); ok {
			n, _ := strconv.Atoi(exp)
			return fmt.Sprintf(`%s \times 10^{%d}`, mant, n)
		}
		return s
	}
	if r == 1 && c == 1 {
		return num(m.At(0, 0))
	}
	if r > MaxExplainDim || c > MaxExplainDim {
		norm, maxAbs := diff.NormMax(m)
		return fmt.Sprintf(`(%d \times %d,\ \lVert\cdot\rVert = %s,\ \max|\cdot| = %s)`, r, c, num(norm), num(maxAbs))
	}
	var rows []string
	for i := range r {
		var cells []string
		for j := range c {
			cells = append(cells, num(m.At(i, j)))
		}
		rows = append(rows, strings.Join(cells, " & "))
	}
	return `\begin{bmatrix}` + strings.Join(rows, ` \\ `) + `\end{bmatrix}`
}

// explainFunction lays out a function at its first point by forward mode:
// each node's value, its local derivatives, and its derivative with respect
// to each variable carried forward.
func explainFunction(b *bytes.Buffer, f *diff.Function) {
	ex := f.Explain
	fmt.Fprintf(b, "### The computation at %s, step by step\n\n", pointProse(f.Vars, ex.At))
	mermaid(b, ex, stepLabel)
	b.WriteString("Forward mode: each node carries its value and its derivative with respect to each variable, " +
		"the chain rule applied one node at a time (a node's derivative is the sum over its inputs of the local derivative " +
		"times that input's derivative). The last row holds the exact partial derivatives in the table above.\n\n")
	header := []string{"node", "computes", "value", "local derivatives"}
	for _, v := range f.Vars {
		header = append(header, "∂/∂"+v)
	}
	var rows [][]string
	for _, s := range ex.Steps {
		var locals []string
		for _, l := range s.Locals {
			locals = append(locals, fmt.Sprintf("∂%s/∂%s = %s", s.Name, l.Wrt, stepValue(l.Value)))
		}
		computes := s.Expr
		if computes == "" {
			computes = "input"
		}
		row := []string{s.Name, computes, stepValue(s.Value), strings.Join(locals, "<br>")}
		for _, t := range s.Tangents {
			row = append(row, fmtNum(t))
		}
		rows = append(rows, row)
	}
	table(b, header, nil, rows)
}

// MaxExplainedPoints is how many of a chain's points get the chain rule
// written out with their numbers.
const MaxExplainedPoints = 3

// explainChain writes the chain rule with the numbers plugged in, exact and
// numeric side by side as the seed does, at the chain's first points.
func explainChain(b *bytes.Buffer, f *diff.Function) {
	b.WriteString("### The chain rule, step by step\n\n")
	ex := &diff.Explanation{}
	prev := "x"
	ex.Steps = append(ex.Steps, diff.Step{Name: "x", Value: mat.NewDense(1, 1, nil)})
	for i, l := range f.Links {
		name := fmt.Sprintf("u%d", i+1)
		if i == len(f.Links)-1 {
			name = f.Name
		}
		ex.Steps = append(ex.Steps, diff.Step{Name: name, Expr: linkCall(l, prev)})
		ex.Edges = append(ex.Edges, [2]string{prev, name})
		prev = name
	}
	mermaid(b, ex, func(s diff.Step) string {
		if s.Expr == "" {
			return s.Name
		}
		return s.Name + " = " + s.Expr
	})
	b.WriteString("Each link's derivative is taken at its own input, and the factors multiply, the last link's first:\n\n")
	for k := range f.Len() {
		if k == MaxExplainedPoints {
			fmt.Fprintf(b, "- … and so on for the other %d points.\n", f.Len()-k)
			break
		}
		p, links := f.Point(k), f.LinksAt(k)
		var names, exact, numeric []string
		for i := len(links) - 1; i >= 0; i-- {
			l := links[i]
			names = append(names, fmt.Sprintf("%s′(%s)", linkName(f.Links[i]), fmtNum(l.In)))
			exact = append(exact, factor(l.Exact))
			numeric = append(numeric, factor(l.Numeric))
		}
		d := p.Partials[0]
		fmt.Fprintf(b, "- %s′(%s) = %s = %s = **%s** (exact)", f.Name, fmtNum(p.At[0]), strings.Join(names, " · "), strings.Join(exact, " · "), fmtNum(d.Exact))
		if method.Get(f.Settings.Method).Numeric() {
			fmt.Fprintf(b, "; numeric, as the seed: %s = **%s**", strings.Join(numeric, " · "), fmtNum(d.Numeric))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

// factor writes v as a factor of a product: a negative one in parentheses,
// so "0.24 · (-1.2) · 0.2", not "0.24 · -1.2 · 0.2".
func factor(v float64) string {
	s := fmtNum(v)
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−") {
		return "(" + s + ")"
	}
	return s
}

// pointProse writes a point for prose: "x = 2", or "(x, y) = (-1, -0.5)"
// for several variables (the CSV's "x=-1;y=-0.5" is PointLabel).
func pointProse(vars []string, at []float64) string {
	vals := make([]string, len(vars))
	for i := range vars {
		vals[i] = fmtNum(at[i])
	}
	if len(vars) == 1 {
		return vars[0] + " = " + vals[0]
	}
	return "(" + strings.Join(vars, ", ") + ") = (" + strings.Join(vals, ", ") + ")"
}

// linkCall writes a link applied to its input: square(u1), or u1^2 + 1 for
// the link x^2 + 1, by substituting in the link's syntax tree.
func linkCall(link, in string) string {
	if isName(link) {
		return link + "(" + in + ")"
	}
	tree, err := expr.Parse(link)
	if err != nil {
		return link
	}
	return expr.String(diff.Substitute(tree, &expr.Ident{Name: in}))
}

func linkName(link string) string {
	if isName(link) {
		return inlineText(link)
	}
	return "(" + inlineText(link) + ")"
}

func isName(s string) bool {
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}
