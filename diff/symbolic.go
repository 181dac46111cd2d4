package diff

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/internal/fmath"
)

// Symbolic differentiation, for the formulas in reports. A registry call's
// derivative is its entry's Symbolic formula (funcs.Func.Symbolic), parsed
// once; there is no rule per function here. The trees it returns use the
// expression language's nodes, plus calls of the registry's helpers, which
// experiments may not call: Phi and phi (the standard normal CDF and
// density), H (the Heaviside step: 1 for u > 0, 0 for u < 0) and sgn.

func num(v float64) *expr.Num {
	return &expr.Num{Val: v, Text: strconv.FormatFloat(v, 'g', -1, 64)}
}

// call is name(u), bound to the registry when name is in it (so the tree
// can be evaluated); the display-only names stay unbound.
func call(name string, u expr.Node) *expr.Call {
	c := &expr.Call{Name: name, Args: []expr.Node{u}}
	if f := funcs.Lookup(name); f != nil {
		c.Fn, c.Params = f, f.Fill(nil)
	}
	return c
}

func bin(op byte, l, r expr.Node) *expr.Binary { return &expr.Binary{Op: op, L: l, R: r} }

func isNum(n expr.Node, v float64) bool {
	c, ok := n.(*expr.Num)
	return ok && c.Val == v
}

// symbolic holds each registry function's Symbolic formula, parsed once.
var symbolic struct {
	once  sync.Once
	trees map[string]expr.Node
	errs  map[string]error
}

// symbolicTree is f.Symbolic parsed, with its names checked: x, f's
// parameters, and one-argument calls of registry functions and helpers.
func symbolicTree(f *funcs.Func) (expr.Node, error) {
	symbolic.once.Do(func() {
		symbolic.trees, symbolic.errs = map[string]expr.Node{}, map[string]error{}
		for _, g := range funcs.All() {
			t, err := parseSymbolic(g)
			symbolic.trees[g.Name], symbolic.errs[g.Name] = t, err
		}
	})
	return symbolic.trees[f.Name], symbolic.errs[f.Name]
}

func parseSymbolic(f *funcs.Func) (expr.Node, error) {
	if f.Symbolic == "" {
		return nil, fmt.Errorf("%s has no Symbolic derivative", f.Name)
	}
	t, err := expr.Parse(f.Symbolic)
	if err != nil {
		return nil, fmt.Errorf("%s's Symbolic %q: %v", f.Name, f.Symbolic, err)
	}
	expr.Walk(t, func(n expr.Node) {
		switch n := n.(type) {
		case *expr.Ident:
			if n.Name != "x" && paramIndex(f, n.Name) < 0 && err == nil {
				err = fmt.Errorf("%s's Symbolic %q: col %d: %s is neither x nor a parameter", f.Name, f.Symbolic, n.Off+1, n.Name)
			}
		case *expr.Call:
			if (funcs.LookupWithHelpers(n.Name) == nil || len(n.Args) != 1) && err == nil {
				err = fmt.Errorf("%s's Symbolic %q: col %d: %s is not a one-argument registry function or helper", f.Name, f.Symbolic, n.Off+1, n.Name)
			}
			*n = *call(n.Name, n.Args[0]) // bound as derive's own calls are
		}
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func paramIndex(f *funcs.Func, name string) int {
	for i, p := range f.Params {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// registryDerivative is f'(u) as a tree, for the registry call c = f(u; p):
// f's Symbolic formula with u for x and p's values for the parameters.
func registryDerivative(c *expr.Call, u expr.Node) expr.Node {
	f := funcs.Lookup(c.Name)
	if f == nil {
		return nil
	}
	t, err := symbolicTree(f)
	if err != nil {
		panic(err) // TestRegistryComplete keeps every entry parsing
	}
	p := f.Fill(c.Params)
	return replace(t, func(name string) expr.Node {
		if name == "x" {
			return u
		}
		return num(p[paramIndex(f, name)])
	})
}

// Derive is ∂n/∂v as a tree, simplified, for a resolved Scalar-mode
// expression n.
func Derive(n expr.Node, v string) expr.Node { return Simplify(derive(n, v)) }

func derive(n expr.Node, v string) expr.Node {
	switch n := n.(type) {
	case *expr.Num:
		return num(0)
	case *expr.Ident:
		if n.Name == v {
			return num(1)
		}
		return num(0)
	case *expr.Neg:
		return &expr.Neg{X: derive(n.X, v)}
	case *expr.Call:
		u := n.Args[0]
		return bin('*', registryDerivative(n, u), derive(u, v))
	case *expr.Binary:
		dl, dr := derive(n.L, v), derive(n.R, v)
		switch n.Op {
		case '+', '-':
			return bin(n.Op, dl, dr)
		case '*':
			return bin('+', bin('*', dl, n.R), bin('*', n.L, dr))
		case '/':
			return bin('/', bin('-', bin('*', dl, n.R), bin('*', n.L, dr)), bin('^', n.R, num(2)))
		case '^':
			if c, ok := n.R.(*expr.Num); ok {
				return bin('*', bin('*', num(c.Val), bin('^', n.L, num(c.Val-1))), dl)
			}
			// d(aᵇ) = aᵇ·(b′·ln a + b·a′/a)
			return bin('*', n, bin('+', bin('*', dr, call("log", n.L)), bin('/', bin('*', n.R, dl), n.L)))
		}
	}
	return n
}

// Substitute replaces every x in n by u (copies; n is not changed).
func Substitute(n expr.Node, u expr.Node) expr.Node {
	return replace(n, func(name string) expr.Node {
		if name == "x" {
			return u
		}
		return nil
	})
}

// replace copies n with each variable v replaced by by(v), or kept where
// by(v) is nil.
func replace(n expr.Node, by func(string) expr.Node) expr.Node {
	switch n := n.(type) {
	case *expr.Ident:
		if r := by(n.Name); r != nil {
			return r
		}
		return n
	case *expr.Neg:
		return &expr.Neg{X: replace(n.X, by)}
	case *expr.Binary:
		return bin(n.Op, replace(n.L, by), replace(n.R, by))
	case *expr.Call:
		c := *n
		c.Args = make([]expr.Node, len(n.Args))
		for i, a := range n.Args {
			c.Args[i] = replace(a, by)
		}
		return &c
	}
	return n
}

// Simplify folds constants and drops what does not change the value: 0·a,
// 1·a, a + 0, a − 0, a/1, a¹, a⁰, −(−a); products are flattened with numbers
// first and folded into one, equal factors made a power (x·x = x²), then
// powers of variables, then the rest; sums are flattened, like terms added
// (x + x = 2x) and signs pulled out (a − −b = a + b).
func Simplify(n expr.Node) expr.Node {
	switch n := n.(type) {
	case *expr.Neg:
		x := Simplify(n.X)
		switch x := x.(type) {
		case *expr.Num:
			return num(-x.Val)
		case *expr.Neg:
			return x.X
		}
		return &expr.Neg{X: x}
	case *expr.Call:
		c := *n
		c.Args = []expr.Node{Simplify(n.Args[0])}
		return &c
	case *expr.Binary:
		l, r := Simplify(n.L), Simplify(n.R)
		lc, lok := l.(*expr.Num)
		rc, rok := r.(*expr.Num)
		if lok && rok && lc.Text != "pi" && lc.Text != "e" && rc.Text != "pi" && rc.Text != "e" {
			var v float64
			switch n.Op {
			case '+':
				v = lc.Val + rc.Val
			case '-':
				v = lc.Val - rc.Val
			case '*':
				v = lc.Val * rc.Val
			case '/':
				v = lc.Val / rc.Val
			case '^':
				v = fmath.Pow(lc.Val, rc.Val)
			}
			if !math.IsInf(v, 0) && !math.IsNaN(v) && (n.Op != '/' || v == math.Trunc(v)) {
				return num(v)
			}
		}
		switch n.Op {
		case '+', '-':
			return sum(bin(n.Op, l, r))
		case '*':
			return product(l, r)
		case '/':
			if isNum(r, 1) {
				return l
			}
			if isNum(l, 0) {
				return num(0)
			}
		case '^':
			if isNum(r, 1) {
				return l
			}
			if isNum(r, 0) {
				return num(1)
			}
		}
		return bin(n.Op, l, r)
	}
	return n
}

// product flattens l·r into its factors, multiplies the numbers together,
// pulls out minus signs, and orders the rest: powers of variables before
// other factors.
func product(l, r expr.Node) expr.Node {
	var factors []expr.Node
	var flatten func(n expr.Node)
	coef := 1.0
	flatten = func(n expr.Node) {
		switch n := n.(type) {
		case *expr.Binary:
			if n.Op == '*' {
				flatten(n.L)
				flatten(n.R)
				return
			}
		case *expr.Num:
			if n.Text != "pi" && n.Text != "e" {
				coef *= n.Val
				return
			}
		case *expr.Neg:
			coef = -coef
			flatten(n.X)
			return
		}
		factors = append(factors, n)
	}
	flatten(l)
	flatten(r)
	if coef == 0 {
		return num(0)
	}
	rank := func(n expr.Node) int {
		switch n := n.(type) {
		case *expr.Num:
			return 0
		case *expr.Ident:
			return 1
		case *expr.Binary:
			if _, ok := n.L.(*expr.Ident); ok && n.Op == '^' {
				return 1
			}
		}
		return 2
	}
	// equal factors become one power: σ(u)·σ(u) = σ(u)²
	var merged []expr.Node
	count := map[string]int{}
	first := map[string]expr.Node{}
	for _, f := range factors {
		k := expr.String(f)
		if count[k] == 0 {
			first[k] = f
			merged = append(merged, f)
		}
		count[k]++
	}
	factors = factors[:0]
	for _, f := range merged {
		if c := count[expr.String(f)]; c > 1 {
			f = bin('^', f, num(float64(c)))
		}
		factors = append(factors, f)
	}
	sort.SliceStable(factors, func(i, j int) bool { return rank(factors[i]) < rank(factors[j]) })
	var out expr.Node
	if math.Abs(coef) != 1 || len(factors) == 0 {
		out = num(math.Abs(coef))
	}
	for _, f := range factors {
		if out == nil {
			out = f
		} else {
			out = bin('*', out, f)
		}
	}
	if coef < 0 {
		return &expr.Neg{X: out}
	}
	return out
}

// sum flattens the sum or difference n into its terms, each a numeric
// coefficient times the rest; adds the coefficients of like terms (equal
// rests) and the numbers, in order of first appearance; and writes each
// term's sign as + or −: x + x = 2x, a − (−b) = a + b, 1 + x + 1 = 2 + x.
func sum(n expr.Node) expr.Node {
	type term struct {
		coef float64
		rest expr.Node // nil for a number
	}
	var terms []term
	at := map[string]int{}
	var add func(n expr.Node, sign float64)
	add = func(n expr.Node, sign float64) {
		switch m := n.(type) {
		case *expr.Binary:
			if m.Op == '+' || m.Op == '-' {
				add(m.L, sign)
				if m.Op == '-' {
					sign = -sign
				}
				add(m.R, sign)
				return
			}
		case *expr.Neg:
			add(m.X, -sign)
			return
		}
		c, rest := coefficient(n)
		key := "#"
		if rest != nil {
			key = expr.String(rest)
		}
		if k, ok := at[key]; ok {
			terms[k].coef += sign * c
			return
		}
		at[key] = len(terms)
		terms = append(terms, term{sign * c, rest})
	}
	add(n, 1)
	var out expr.Node
	for _, t := range terms {
		if t.coef == 0 {
			continue
		}
		var abs expr.Node = num(math.Abs(t.coef))
		if t.rest != nil {
			abs = product(num(math.Abs(t.coef)), t.rest)
		}
		switch {
		case out == nil && t.coef < 0 && t.rest == nil:
			out = num(t.coef)
		case out == nil && t.coef < 0:
			out = &expr.Neg{X: abs}
		case out == nil:
			out = abs
		case t.coef < 0:
			out = bin('-', out, abs)
		default:
			out = bin('+', out, abs)
		}
	}
	if out == nil {
		return num(0)
	}
	return out
}

// coefficient splits a simplified term into its numeric coefficient and
// the rest (nil for a number): 6·x·y is 6 and x·y, −x is −1 and x.
func coefficient(n expr.Node) (float64, expr.Node) {
	switch m := n.(type) {
	case *expr.Num:
		if m.Text != "pi" && m.Text != "e" {
			return m.Val, nil
		}
	case *expr.Neg:
		c, rest := coefficient(m.X)
		return -c, rest
	case *expr.Binary:
		if c, ok := m.L.(*expr.Num); ok && m.Op == '*' && c.Text != "pi" && c.Text != "e" {
			return c.Val, m.R
		}
	}
	return 1, n
}
