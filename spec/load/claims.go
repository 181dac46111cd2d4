package load

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/spec"
)

// claimForms are the matrix forms a gradient's claim may take: values, not
// draws (a draw would take numbers from the file's random stream and so
// change every matrix declared after it).
var claimForms = []string{"csv", "npy", "zeros", "ones", "full", "eye"}

// scalarClaims reads a function's or chain's derivative: one expression
// (one variable), or a mapping of variable to expression. Every variable an
// expression uses must be one of vars. ok is false when an error was
// reported.
func (l *loader) scalarClaims(n *yaml.Node, what string, vars []string) ([]spec.Claim, bool) {
	if n == nil {
		return nil, true
	}
	n = deref(n)
	var keys, vals []*yaml.Node
	switch {
	case n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			keys, vals = append(keys, deref(n.Content[i])), append(vals, deref(n.Content[i+1]))
		}
		if len(keys) == 0 {
			l.errf(n, "%s: derivative: expected an expression, or one per variable such as {%s: …}", what, vars[0])
			return nil, false
		}
	case len(vars) == 1:
		keys, vals = []*yaml.Node{nil}, []*yaml.Node{n}
	default:
		l.errf(n, "%s: derivative: the function has %d variables (%s): give one derivative per variable, as {%s: …, %s: …}",
			what, len(vars), strings.Join(vars, ", "), vars[0], vars[1])
		return nil, false
	}
	byVar := map[string]spec.Claim{} // a key given twice is refused with the YAML (strict.go)
	good := true
	for k, v := range vals {
		wrt, key := vars[0], v
		if keys[k] != nil {
			key = keys[k]
			wrt = key.Value
			if !contains(vars, wrt) {
				l.errf(key, "%s: derivative: %s", what, unknownName("variable", wrt, vars))
				good = false
				continue
			}
		}
		c, ok := l.scalarClaim(v, what+": derivative", wrt, vars)
		if !ok {
			good = false
			continue
		}
		c.Pos = l.pos(key)
		byVar[wrt] = c
	}
	if !good {
		return nil, false
	}
	var out []spec.Claim
	for _, v := range vars {
		if c, ok := byVar[v]; ok {
			out = append(out, c)
		}
	}
	return out, true
}

// scalarClaim reads one claimed derivative with respect to wrt: an
// expression in vars.
func (l *loader) scalarClaim(n *yaml.Node, what, wrt string, vars []string) (spec.Claim, bool) {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		n = &yaml.Node{Kind: n.Kind, Tag: "!!str", Value: n.Value, Line: n.Line, Column: n.Column, Style: n.Style}
	}
	src, tree, ok := l.parseExpr(n, what, false)
	if !ok {
		return spec.Claim{}, false
	}
	used, ok := l.resolve(n, tree, expr.Scalar)
	if !ok {
		return spec.Claim{}, false
	}
	for _, u := range used {
		if !contains(vars, u) {
			l.errAt(l.exprPos(n, identOffset(tree, u)), "%s: %s", what, unknownName("variable", u, vars))
			return spec.Claim{}, false
		}
	}
	return spec.Claim{Wrt: wrt, Src: src, Expr: tree}, true
}

// gradientClaims reads a gradient's claims: a mapping of matrix name to an
// expression in the file's matrices or to the values themselves (literal
// rows or a claimForms mapping). used are the matrices the item's
// expression uses.
//
// A claim may also be for one of the item's let: intermediates, and a
// claim's expression may use them: known are the names in scope (matrices
// and intermediates) and shapes their shapes.
func (l *loader) gradientClaims(n *yaml.Node, g *spec.Gradient, used, known map[string]bool, shapes map[string][2]int) ([]spec.Claim, bool) {
	what := "gradient " + g.Name + ": claims"
	n = deref(n)
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		l.errf(n, "%s: expected a mapping of matrix names to claimed gradients, such as {W: X @ transpose(D)} or {W: {npy: dW.npy}}; found %s", what, kindName(n))
		return nil, false
	}
	var names []string
	for k := range used {
		names = append(names, k)
	}
	var out []spec.Claim // a key given twice is refused with the YAML (strict.go)
	good := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		name := k.Value
		switch {
		case l.matrices[name] == nil && !l.failed[name] && g.LetByName(name) == nil:
			l.errf(k, "%s: %s", what, unknownName("matrix or intermediate", name, names))
			good = false
			continue
		case l.failed[name]:
			good = false // its error is already reported
			continue
		case l.matrices[name] != nil && l.matrices[name].Labels:
			l.errf(k, "%s: %s is a label matrix (whole numbers that choose classes or rows), which is never differentiated, so it has no gradient to claim", what, name)
			good = false
			continue
		case !used[name]:
			l.errf(k, "%s: %q does not use %s, so its gradient is zero", what, g.Src, name)
			good = false
			continue
		}
		c, ok := l.matrixClaim(v, what+": "+name, known, shapes)
		if !ok {
			good = false
			continue
		}
		c.Wrt, c.Pos = name, l.pos(k)
		out = append(out, c)
	}
	return out, good
}

// matrixClaim reads one claimed gradient: an expression in the file's
// matrices, literal rows, or a claimForms mapping.
func (l *loader) matrixClaim(n *yaml.Node, what string, known map[string]bool, shapes map[string][2]int) (spec.Claim, bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!int" || n.Tag == "!!float" {
			n = &yaml.Node{Kind: n.Kind, Tag: "!!str", Value: n.Value, Line: n.Line, Column: n.Column, Style: n.Style}
		}
		src, tree, ok := l.parseExpr(n, what, false)
		if !ok || l.usesFailed(tree) {
			return spec.Claim{}, false
		}
		if _, ok := l.resolveIn(n, tree, known); !ok {
			return spec.Claim{}, false
		}
		if _, err := expr.Shape(tree, shapes); err != nil {
			ee := err.(*expr.Error)
			l.errAt(l.exprPos(n, ee.Off), "%s", ee.Msg)
			return spec.Claim{}, false
		}
		if !l.sizeOK(n, tree, shapes, what) {
			return spec.Claim{}, false
		}
		return spec.Claim{Src: src, Expr: tree}, true
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := deref(n.Content[i]).Value
			for _, r := range []string{"randn", "rand", "uniform"} {
				if k == r {
					l.errf(n.Content[i], "%s: a claim holds your own values: give an expression, literal rows, %s; not a random draw (%s)",
						what, strings.Join(claimForms, ", "), k)
					return spec.Claim{}, false
				}
			}
		}
	}
	l.claimData = true
	m := l.matrixAs("claim", what, n, nil)
	l.claimData = false
	if m == nil {
		return spec.Claim{}, false
	}
	return spec.Claim{Src: m.Source, Value: m.Value}, true
}

// shapes are the declared matrices' shapes, for expr.Shape.
func (l *loader) shapes() map[string][2]int {
	out := map[string][2]int{}
	for k, m := range l.matrices {
		r, c := m.Value.Dims()
		out[k] = [2]int{r, c}
	}
	return out
}

// joinWrt adds the claimed matrices and intermediates to wrt, keeping the
// declaration order of the file's matrices, then the let order.
func joinWrt(wrt []string, cs []spec.Claim, matrices []*spec.Matrix, lets []spec.Let) []string {
	in := map[string]bool{}
	for _, w := range wrt {
		in[w] = true
	}
	for _, c := range cs {
		in[c.Wrt] = true
	}
	var out []string
	for _, m := range matrices {
		if in[m.Name] {
			out = append(out, m.Name)
		}
	}
	for _, lt := range lets {
		if in[lt.Name] {
			out = append(out, lt.Name)
		}
	}
	return out
}

// unknownName is `unknown variable "z" (did you mean "x"?)`, or with the
// known names listed when none is close.
func unknownName(kind, name string, known []string) string {
	msg := fmt.Sprintf("unknown %s %q", kind, name)
	if s := funcs.Closest(name, known); s != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", s)
	}
	if len(known) == 0 {
		return msg
	}
	sorted := append([]string(nil), known...)
	sort.Strings(sorted)
	return msg + fmt.Sprintf(" (expected one of %s)", strings.Join(sorted, ", "))
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
