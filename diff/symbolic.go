package diff

import (
	"math"
	"sort"
	"strconv"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
)

// Symbolic differentiation, for the formulas in reports. The trees it
// returns use the expression language's nodes, plus display-only calls that
// the registry lacks: Phi and phi (the standard normal CDF and density), H
// (the Heaviside step: 1 for u > 0, 0 for u < 0) and sgn.

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

// registryDerivative is f'(u) as a tree, for each registry function.
func registryDerivative(c *expr.Call, u expr.Node) expr.Node {
	p := c.Params
	switch c.Name {
	case "identity":
		return num(1)
	case "square":
		return bin('*', num(2), u)
	case "cube":
		return bin('*', num(3), bin('^', u, num(2)))
	case "pow":
		return bin('*', num(p[0]), bin('^', u, num(p[0]-1)))
	case "sqrt":
		return bin('/', num(1), bin('*', num(2), call("sqrt", u)))
	case "exp":
		return call("exp", u)
	case "log":
		return bin('/', num(1), u)
	case "sin":
		return call("cos", u)
	case "cos":
		return &expr.Neg{X: call("sin", u)}
	case "tan":
		return bin('/', num(1), bin('^', call("cos", u), num(2)))
	case "tanh":
		return bin('-', num(1), bin('^', call("tanh", u), num(2)))
	case "sigmoid":
		return bin('*', call("sigmoid", u), bin('-', num(1), call("sigmoid", u)))
	case "relu":
		return call("H", u)
	case "leaky_relu":
		return bin('+', num(p[0]), bin('*', num(1-p[0]), call("H", u)))
	case "elu":
		return bin('+', call("H", u), bin('*', bin('*', num(p[0]), call("exp", u)), bin('-', num(1), call("H", u))))
	case "softplus":
		return call("sigmoid", u)
	case "gelu":
		return bin('+', call("Phi", u), bin('*', u, call("phi", u)))
	case "silu":
		return bin('+', call("sigmoid", u), bin('*', u, bin('*', call("sigmoid", u), bin('-', num(1), call("sigmoid", u)))))
	case "abs":
		return call("sgn", u)
	}
	return nil
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
	switch n := n.(type) {
	case *expr.Ident:
		if n.Name == "x" {
			return u
		}
		return n
	case *expr.Neg:
		return &expr.Neg{X: Substitute(n.X, u)}
	case *expr.Binary:
		return bin(n.Op, Substitute(n.L, u), Substitute(n.R, u))
	case *expr.Call:
		c := *n
		c.Args = make([]expr.Node, len(n.Args))
		for i, a := range n.Args {
			c.Args[i] = Substitute(a, u)
		}
		return &c
	}
	return n
}

// Simplify folds constants and drops what does not change the value: 0·a,
// 1·a, a + 0, a − 0, a/1, a¹, a⁰, −(−a); products are flattened with numbers
// first, then powers of variables, then the rest.
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
				v = math.Pow(lc.Val, rc.Val)
			}
			if !math.IsInf(v, 0) && !math.IsNaN(v) && (n.Op != '/' || v == math.Trunc(v)) {
				return num(v)
			}
		}
		switch n.Op {
		case '+':
			if isNum(l, 0) {
				return r
			}
			if isNum(r, 0) {
				return l
			}
			if neg, ok := r.(*expr.Neg); ok {
				return bin('-', l, neg.X)
			}
		case '-':
			if isNum(r, 0) {
				return l
			}
			if isNum(l, 0) {
				return Simplify(&expr.Neg{X: r})
			}
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
