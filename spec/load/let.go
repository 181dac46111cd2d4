package load

import (
	"errors"

	"gopkg.in/yaml.v3"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/ops"
	"github.com/runner-dev/runner/spec"
)

// lets reads a gradient's let: an ordered mapping of names to expressions,
// each in the matrices and the names above it. It returns the
// intermediates, the names each one uses (matrices and earlier lets), and
// the shapes of the matrices and the intermediates together; ok is false
// after an error.
func (l *loader) lets(n *yaml.Node, item string) (out []spec.Let, uses map[string][]string, shapes map[string][2]int, ok bool) {
	shapes = map[string][2]int{}
	for k, m := range l.matrices {
		r, c := m.Value.Dims()
		shapes[k] = [2]int{r, c}
	}
	uses = map[string][]string{}
	if n == nil {
		return nil, uses, shapes, true
	}
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		l.errf(n, "gradient %s: let: expected a mapping of names to expressions, in order (N: X @ W), found %s", item, kindName(n))
		return nil, nil, nil, false
	}
	known := l.matrixSet()
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		name := k.Value
		switch {
		case k.Kind != yaml.ScalarNode || !identRE.MatchString(name):
			l.errf(k, "gradient %s: let: name %q: expected an identifier (a letter or _, then letters, digits or _)", item, name)
			return nil, nil, nil, false
		case l.matrices[name] != nil || l.failed[name]:
			l.errf(k, "gradient %s: let: %q is a declared matrix; an intermediate may not shadow it", item, name)
			return nil, nil, nil, false
		case known[name]:
			l.errf(k, "gradient %s: let: %q is already defined above", item, name)
			return nil, nil, nil, false
		case funcs.LookupWithHelpers(name) != nil || ops.Lookup(name) != nil || funcs.Constants[name] != 0:
			l.errf(k, "gradient %s: let: %q is the name of a function or constant", item, name)
			return nil, nil, nil, false
		}
		what := "gradient " + item + ": let " + name
		src, tree, ok := l.parseExpr(v, what, false)
		if !ok || l.usesFailed(tree) {
			return nil, nil, nil, false
		}
		used, ok := l.resolveIn(v, tree, known)
		if !ok {
			return nil, nil, nil, false
		}
		sh, err := expr.Shape(tree, shapes)
		if err != nil {
			var ee *expr.Error
			errors.As(err, &ee)
			l.errAt(l.exprPos(v, ee.Off), "%s", ee.Msg)
			return nil, nil, nil, false
		}
		known[name], shapes[name], uses[name] = true, sh, used
		out = append(out, spec.Let{Name: name, Pos: l.pos(k), Src: src, Expr: tree, Rows: sh[0], Cols: sh[1]})
	}
	return out, uses, shapes, true
}

// reach is every name that names uses, directly or through intermediates
// (uses: what each intermediate uses), names included.
func reach(names []string, uses map[string][]string) map[string]bool {
	out := map[string]bool{}
	var visit func(string)
	visit = func(s string) {
		if out[s] {
			return
		}
		out[s] = true
		for _, u := range uses[s] {
			visit(u)
		}
	}
	for _, s := range names {
		visit(s)
	}
	return out
}
