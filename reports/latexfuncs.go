package reports

import (
	"strconv"
	"strings"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
)

// A function's LaTeX form is data in its registry entry (funcs.Func.LaTeX,
// a template); this file writes calls by those templates.

// operator is f's operator name when f's LaTeX template is "OP(#1)", as
// \sin(#1), and "" otherwise.
func operator(f *funcs.Func) string {
	op, ok := strings.CutSuffix(f.LaTeX, "(#1)")
	if !ok || strings.ContainsAny(op, "#[") {
		return ""
	}
	return op
}

// fill writes the call n of f by f's LaTeX template (see funcs.Func.LaTeX).
func fill(f *funcs.Func, n *expr.Call) string {
	p := f.Fill(n.Params)
	if exp, ok := strings.CutPrefix(f.LaTeX, "#1^{"); ok {
		return power(n.Args[0], expand(f, strings.TrimSuffix(exp, "}"), n.Args[0], p))
	}
	return expand(f, f.LaTeX, n.Args[0], p)
}

// expand writes template t with u for #1 and p's values for #2, #3, …
func expand(f *funcs.Func, t string, u expr.Node, p []float64) string {
	var b strings.Builder
	for t != "" {
		switch {
		case strings.HasPrefix(t, "(#1)"):
			b.WriteString(paren(latex(u, 0)))
			t = t[4:]
		case strings.HasPrefix(t, "#1"):
			b.WriteString(latex(u, 0))
			t = t[2:]
		case t[0] == '#' && len(t) > 1 && t[1] >= '2' && t[1] <= '9':
			b.WriteString(numText(p[t[1]-'2'], ""))
			t = t[2:]
		case t[0] == '[':
			opt, rest, _ := strings.Cut(t[1:], "]")
			for i, par := range f.Params {
				if strings.Contains(opt, "#"+strconv.Itoa(i+2)) && !(par.HasDefault && p[i] == par.Default) {
					b.WriteString(expand(f, opt, u, p))
					break
				}
			}
			t = rest
		default:
			b.WriteByte(t[0])
			t = t[1:]
		}
	}
	return b.String()
}
