package reports

import (
	"strconv"
	"strings"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
)

// LaTeX writes an expression tree as LaTeX for a code host's math blocks,
// with conventional symbols: each function's form (σ for sigmoid, e^{u} for
// exp, ln, √, |u|, ReLU, LeakyReLU_a, Φ and φ for the normal CDF and density,
// H for the Heaviside step) is its LaTeX template in package funcs.
func LaTeX(n expr.Node) string { return latex(n, 0) }

// precedence levels: 1 sums, 2 products, 3 negation, 4 powers, 5 atoms
func level(n expr.Node) int {
	switch n := n.(type) {
	case *expr.Num:
		if n.Val < 0 {
			return 3
		}
		return 5
	case *expr.Call:
		if f := funcs.LookupWithHelpers(n.Name); f != nil && strings.HasPrefix(f.LaTeX, "#1^") {
			return 4
		}
	}
	if op, _, _ := expr.Operation(n); op != nil && op.Level != 0 {
		return op.Level
	}
	return 5
}

// paren brackets s, with \left( \right) only where s holds something tall.
func paren(s string) string {
	if strings.ContainsAny(s, `\^_{`) {
		return `\left(` + s + `\right)`
	}
	return "(" + s + ")"
}

func latex(n expr.Node, outer int) string {
	s := latexBare(n)
	if level(n) < outer {
		return paren(s)
	}
	return s
}

func numText(v float64, text string) string {
	switch text {
	case "pi":
		return `\pi`
	case "e":
		return "e"
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if mant, exp, ok := strings.Cut(s, "e"); ok {
		k, _ := strconv.Atoi(exp)
		if mant == "1" {
			return "10^{" + strconv.Itoa(k) + "}"
		}
		return mant + `\times 10^{` + strconv.Itoa(k) + "}"
	}
	return s
}

func latexBare(n expr.Node) string {
	switch n := n.(type) {
	case *expr.Num:
		return numText(n.Val, n.Text)
	case *expr.Ident:
		if len(n.Name) > 1 {
			return `\mathrm{` + texName(n.Name) + "}"
		}
		return n.Name
	}
	if op, k, args := expr.Operation(n); op != nil && op.LaTeX != nil {
		return op.LaTeX(tex(args), k)
	}
	if n, ok := n.(*expr.Call); ok {
		u := n.Args[0]
		if f := funcs.LookupWithHelpers(n.Name); f != nil {
			return fill(f, n)
		}
		return `\operatorname{` + texName(n.Name) + "}" + paren(latex(u, 0))
	}
	return ""
}

// texName is a name as LaTeX text: _ escaped, which would else start a
// subscript (leaky_relu inside \operatorname or \mathrm).
func texName(s string) string { return strings.ReplaceAll(s, "_", `\_`) }

// tex is an operation's arguments, for its LaTeX.
type tex []expr.Node

func (t tex) Arg(k, outer int) string        { return latex(t[k], outer) }
func (t tex) Power(k int, exp string) string { return power(t[k], exp) }
func (t tex) Paren(s string) string          { return paren(s) }
func (t tex) Number(k int) bool              { return isNumber(t[k]) }
func (t tex) Letter(k int) bool              { return isLetter(t[k]) }

func isLetter(n expr.Node) bool {
	id, ok := n.(*expr.Ident)
	return ok && len(id.Name) == 1
}

func isNumber(n expr.Node) bool {
	c, ok := n.(*expr.Num)
	return ok && c.Text != "pi" && c.Text != "e"
}

// power writes base^{exp}, bracketing a base that is not a single symbol;
// a named function's power goes on its name: \cos^{2}(x).
func power(base expr.Node, exp string) string {
	if c, ok := base.(*expr.Call); ok {
		if f := funcs.LookupWithHelpers(c.Name); f != nil && operator(f) != "" && !f.PowerOutside {
			return operator(f) + "^{" + exp + "}" + paren(latex(c.Args[0], 0))
		}
	}
	b := latex(base, 5)
	if isLetter(base) {
		return b + "^{" + exp + "}"
	}
	if _, ok := base.(*expr.Num); ok || level(base) < 5 || strings.HasPrefix(b, "e^") {
		if !strings.HasPrefix(b, `\left(`) && !strings.HasPrefix(b, "(") {
			b = paren(b)
		}
	}
	return "{" + b + "}^{" + exp + "}"
}
