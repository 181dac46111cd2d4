package load

import (
	"errors"

	"gopkg.in/yaml.v3"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/ops"
	"github.com/runner-dev/runner/spec"
)

// lets reads an item's let: (what names the item, "gradient L"): an
// ordered mapping of names to expressions, each in the matrices and the
// names above it. It returns the intermediates, the names each one uses
// (matrices and earlier lets), and the shapes of the matrices and the
// intermediates together; ok is false after an error.
func (l *loader) lets(n *yaml.Node, what string) (out []spec.Let, uses map[string][]string, shapes map[string][2]int, ok bool) {
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
		l.errf(n, "%s: let: expected a mapping of names to expressions, in order (N: X @ W), found %s", what, kindName(n))
		return nil, nil, nil, false
	}
	known := l.matrixSet()
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		name := k.Value
		switch {
		case k.Kind != yaml.ScalarNode || !identRE.MatchString(name):
			l.errf(k, "%s: let: name %q: expected an identifier (a letter or _, then letters, digits or _)", what, name)
			return nil, nil, nil, false
		case l.matrices[name] != nil || l.failed[name]:
			l.errf(k, "%s: let: %q is a declared matrix; an intermediate may not shadow it", what, name)
			return nil, nil, nil, false
		case known[name]:
			l.errf(k, "%s: let: %q is already defined above", what, name)
			return nil, nil, nil, false
		case funcs.LookupWithHelpers(name) != nil || ops.Lookup(name) != nil || funcs.Constants[name] != 0:
			l.errf(k, "%s: let: %q is the name of a function or constant", what, name)
			return nil, nil, nil, false
		}
		src, tree, ok := l.parseExpr(v, what+": let "+name, false)
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
		if !l.sizeOK(v, tree, shapes, what+": let "+name) {
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

// letExpr reads an item's let: and its expr: (what names the item,
// "jacobian J"): the intermediates, the expression in the matrices and
// the intermediates, its shape and the shapes of every name, and isUsed,
// the names the expression uses directly or through intermediates. An
// intermediate the expression does not use is an error.
func (l *loader) letExpr(letNode, exprNode *yaml.Node, what string) (lets []spec.Let, src string, tree expr.Node, sh [2]int, shapes map[string][2]int, isUsed map[string]bool, ok bool) {
	lets, uses, shapes, ok := l.lets(letNode, what)
	if !ok {
		return nil, "", nil, sh, nil, nil, false
	}
	known := l.matrixSet()
	for _, lt := range lets {
		known[lt.Name] = true
	}
	src, tree, used, sh, ok := l.matrixExpr(exprNode, what, known, shapes)
	if !ok {
		return nil, "", nil, sh, nil, nil, false
	}
	isUsed = reach(used, uses) // matrices and intermediates, directly or through intermediates
	for _, lt := range lets {
		if !isUsed[lt.Name] {
			l.errAt(lt.Pos, "%s: let: %s is not used by %q", what, lt.Name, src)
			return nil, "", nil, sh, nil, nil, false
		}
	}
	return lets, src, tree, sh, shapes, isUsed, true
}
