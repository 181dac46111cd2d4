package reports

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/ops"
)

// Functions is the function registry as a Markdown table, generated from
// the registry itself: name, value, derivative, parameters with their
// defaults, domain and kinks; then the matrix functions.
func Functions() []byte {
	var b bytes.Buffer
	b.WriteString("# Functions\n\nEvery function applies to a number, and to a matrix element by element. " +
		"A call's first argument is its input; the rest are numeric parameters, e.g. leaky_relu(x, 0.1).\n\n")
	var rows [][]string
	for _, f := range funcs.All() {
		var params []string
		call := f.Name + "(x"
		for _, p := range f.Params {
			call += ", " + p.Name
			if p.HasDefault {
				params = append(params, p.Name+" = "+strconv.FormatFloat(p.Default, 'g', -1, 64))
			} else {
				params = append(params, p.Name+" (required)")
			}
		}
		call += ")"
		domain := f.Domain
		if domain == "" {
			domain = "every x"
		}
		rows = append(rows, []string{"`" + call + "`", f.Doc, f.Deriv, strings.Join(params, ", "), domain, f.KinkDoc})
	}
	table(&b, []string{"function", "value", "derivative", "parameters", "domain", "kinks"}, nil, rows)
	b.WriteString("## Matrix functions (gradients only)\n\n")
	rows = nil
	for _, op := range ops.Named() {
		rows = append(rows, []string{"`" + op.Signature() + "`", op.Doc})
	}
	table(&b, []string{"function", "value"}, nil, rows)
	b.WriteString("Constants: `pi`, `e`. Operators: `+ - * / ^` (also `**`) element by element with NumPy's broadcasting, `@` the matrix product.\n")
	return b.Bytes()
}
