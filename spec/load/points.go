package load

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
)

func (l *loader) pointSets(n *yaml.Node) {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		l.errf(n, "points: expected a mapping of set names to points, found %s", kindName(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if !identRE.MatchString(k.Value) {
			l.errf(k, "point set name %q: expected an identifier (a letter or _, then letters, digits or _)", k.Value)
			continue
		}
		l.sets[k.Value] = v
	}
}

// points reads an `at:` value for an item whose variables are vars (sorted),
// returning each point's values in vars order.
func (l *loader) points(n *yaml.Node, vars []string, what, src string, depth int) ([][]float64, bool) {
	n = deref(n)
	one := len(vars) == 1
	needMapping := func() {
		l.errf(n, "%s uses %s: at: expected a mapping of each variable to its values, e.g. {%s: 1, %s: 2}",
			what, strings.Join(vars, " and "), vars[0], vars[1])
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!int" || n.Tag == "!!float" {
			if !one {
				needMapping()
				return nil, false
			}
			v, ok := l.num(n, what+": at")
			return [][]float64{{v}}, ok
		}
		if n.Tag == "!!str" && identRE.MatchString(n.Value) {
			set, ok := l.sets[n.Value]
			if !ok {
				msg := fmt.Sprintf("%s: at: no point set called %q under points:", what, n.Value)
				names := make([]string, 0, len(l.sets))
				for k := range l.sets {
					names = append(names, k)
				}
				if s := funcs.Closest(n.Value, names); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				l.errf(n, "%s", msg)
				return nil, false
			}
			if depth > 0 {
				l.errf(n, "%s: a point set cannot name another point set", what)
				return nil, false
			}
			return l.points(set, vars, what, src, depth+1)
		}
		l.errf(n, "%s: at: expected a number, a list, a mapping or the name of a point set, found %s", what, kindName(n))
		return nil, false
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			l.errf(n, "%s: at: the list of points is empty", what)
			return nil, false
		}
		first := deref(n.Content[0])
		if first.Kind == yaml.MappingNode {
			var pts [][]float64
			good := true
			for _, c := range n.Content {
				c = deref(c)
				if c.Kind != yaml.MappingNode {
					l.errf(c, "%s: at: expected a mapping like the first point, found %s", what, kindName(c))
					good = false
					continue
				}
				p, ok := l.pointMapping(c, vars, what, false)
				if ok {
					pts = append(pts, p[0])
				}
				good = good && ok
			}
			return pts, good && l.limit(n, len(pts), what)
		}
		if !one {
			needMapping()
			return nil, false
		}
		vals, ok := l.values(n, what+": at")
		if !ok {
			return nil, false
		}
		if !l.limit(n, len(vals), what) {
			return nil, false
		}
		pts := make([][]float64, len(vals))
		for i, v := range vals {
			pts[i] = []float64{v}
		}
		return pts, true
	case yaml.MappingNode:
		return l.pointMapping(n, vars, what, true)
	}
	l.errf(n, "%s: at: expected a number, a list, a mapping or the name of a point set, found %s", what, kindName(n))
	return nil, false
}

// pointMapping reads {var: values, …}; with product, each value may be a
// list or a range and the points are their cartesian product (the first key
// outermost); without, each value is one number.
func (l *loader) pointMapping(n *yaml.Node, vars []string, what string, product bool) ([][]float64, bool) {
	index := map[string]int{}
	for i, v := range vars {
		index[v] = i
	}
	type axis struct {
		idx  int
		vals []float64
	}
	var axes []axis
	given := map[string]bool{}
	good := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		idx, ok := index[k.Value]
		if !ok {
			l.errf(k, "%s: at: the variable %q is given but not used (the expression uses %s)", what, k.Value, strings.Join(vars, ", "))
			good = false
			continue
		}
		given[k.Value] = true
		var vals []float64
		if product {
			vals, ok = l.values(v, what+": at: "+k.Value)
		} else {
			var x float64
			x, ok = l.pointValue(v, what+": at: "+k.Value)
			vals = []float64{x}
		}
		if !ok {
			good = false
			continue
		}
		axes = append(axes, axis{idx, vals})
	}
	for _, v := range vars {
		if !given[v] {
			l.errf(n, "%s: at: the variable %q has no value", what, v)
			good = false
		}
	}
	if !good {
		return nil, false
	}
	total := 1.0
	for _, a := range axes {
		total *= float64(len(a.vals))
	}
	if !l.limit(n, int(math.Min(total, math.MaxInt32)), what) {
		return nil, false
	}
	if values := total * float64(len(vars)); values > float64(l.opts.MaxDerivatives) {
		// checked here, before the points are allocated, as well as once the
		// item's order is known
		l.errf(n, "%s: %.0f points × %d variables = %.0f derivative values at least, more than the limit of %d (raise it with --max-derivatives)", what, total, len(vars), values, l.opts.MaxDerivatives)
		return nil, false
	}
	nv := len(vars)
	pts := make([][]float64, 0, int(total))
	flat := make([]float64, int(total)*nv) // one allocation, sliced per point
	cur := make([]float64, nv)
	var rec func(int)
	rec = func(d int) {
		if d == len(axes) {
			k := len(pts)
			p := flat[k*nv : (k+1)*nv : (k+1)*nv]
			copy(p, cur)
			pts = append(pts, p)
			return
		}
		for _, v := range axes[d].vals {
			cur[axes[d].idx] = v
			rec(d + 1)
		}
	}
	rec(0)
	return pts, true
}

func (l *loader) limit(n *yaml.Node, count int, what string) bool {
	if count > l.opts.MaxPoints {
		l.errf(n, "%s: %d points is more than the limit of %d (raise it with --max-points)", what, count, l.opts.MaxPoints)
		return false
	}
	return true
}

// values reads one variable's values: a number, a list of numbers, or a
// range {from, to, step} / {from, to, count}.
func (l *loader) values(n *yaml.Node, what string) ([]float64, bool) {
	n = deref(n)
	switch n.Kind {
	case yaml.ScalarNode:
		v, ok := l.pointValue(n, what)
		return []float64{v}, ok
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			l.errf(n, "%s: the list is empty", what)
			return nil, false
		}
		vals := make([]float64, 0, len(n.Content))
		good := true
		for _, c := range n.Content {
			v, ok := l.pointValue(c, what)
			good = good && ok
			vals = append(vals, v)
		}
		return vals, good
	case yaml.MappingNode:
		return l.rangeValues(n, what)
	}
	l.errf(n, "%s: expected a number, a list or a range, found %s", what, kindName(n))
	return nil, false
}

// rangeValues computes a range: {from: A, to: B, step: S} gives A + i·S for
// i = 0, 1, … while A + i·S ≤ B (within rounding, so B itself is included when
// reached); {from: A, to: B, count: N} gives N evenly spaced values with both
// ends included.
func (l *loader) rangeValues(n *yaml.Node, what string) ([]float64, bool) {
	f, _, ok := l.fields(n, what+" (a range)", "from", "to", "step", "count")
	if !ok {
		return nil, false
	}
	if f["from"] == nil || f["to"] == nil || (f["step"] == nil) == (f["count"] == nil) {
		l.errf(n, "%s: a range is {from: A, to: B, step: S} or {from: A, to: B, count: N}", what)
		return nil, false
	}
	a, ok1 := l.pointValue(f["from"], what+": from")
	b, ok2 := l.pointValue(f["to"], what+": to")
	if !ok1 || !ok2 {
		return nil, false
	}
	if c := f["count"]; c != nil {
		cnt, ok := l.int(c, what+": count", 2, int64(l.opts.MaxPoints))
		if !ok {
			return nil, false
		}
		vals := make([]float64, cnt)
		for i := range vals {
			vals[i] = a + float64(i)*(b-a)/float64(cnt-1)
		}
		vals[cnt-1] = b
		return vals, true
	}
	s, ok := l.num(f["step"], what+": step")
	if !ok {
		return nil, false
	}
	if s == 0 {
		l.errf(f["step"], "%s: step: expected a non-zero step", what)
		return nil, false
	}
	k := (b - a) / s
	if k < 0 {
		l.errf(f["step"], "%s: step %g goes away from %g: from %g, the step needs the sign of to − from", what, s, b, a)
		return nil, false
	}
	cnt := math.Floor(k+1e-9*math.Max(1, k)) + 1
	if cnt > float64(l.opts.MaxPoints) {
		l.errf(n, "%s: this range has %.0f values, more than the limit of %d (raise it with --max-points)", what, cnt, l.opts.MaxPoints)
		return nil, false
	}
	vals := make([]float64, int(cnt))
	for i := range vals {
		vals[i] = a + float64(i)*s
	}
	return vals, true
}

// pointValue reads a number, or a constant expression such as pi/2.
func (l *loader) pointValue(n *yaml.Node, what string) (float64, bool) {
	n = deref(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		v, err := expr.Const(n.Value)
		if err != nil {
			var ee *expr.Error
			if errors.As(err, &ee) {
				l.errAt(l.exprPos(n, ee.Off), "%s: expected a number or a constant expression such as pi/2: %s", what, ee.Msg)
			}
			return 0, false
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			l.errf(n, "%s: %q is not a finite number", what, n.Value)
			return 0, false
		}
		return v, true
	}
	return l.num(n, what)
}
