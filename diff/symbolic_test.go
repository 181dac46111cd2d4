package diff

import (
	"math"
	"testing"

	"github.com/runner-dev/runner/expr"
)

// evalTree evaluates a derivative tree, including its display-only calls.
func evalTree(n expr.Node, vars map[string]float64) float64 {
	switch n := n.(type) {
	case *expr.Num:
		return n.Val
	case *expr.Ident:
		return vars[n.Name]
	case *expr.Neg:
		return -evalTree(n.X, vars)
	case *expr.Binary:
		l, r := evalTree(n.L, vars), evalTree(n.R, vars)
		switch n.Op {
		case '+':
			return l + r
		case '-':
			return l - r
		case '*':
			return l * r
		case '/':
			return l / r
		case '^':
			return math.Pow(l, r)
		}
	case *expr.Call:
		u := evalTree(n.Args[0], vars)
		switch n.Name {
		case "H":
			if u > 0 {
				return 1
			}
			return 0
		case "sgn":
			return math.Copysign(1, u)
		case "Phi":
			return 0.5 * math.Erfc(-u/math.Sqrt2)
		case "phi":
			return math.Exp(-u*u/2) / math.Sqrt(2*math.Pi)
		}
		return n.Fn.F(u, n.Params)
	}
	panic("unknown node")
}

// TestSymbolicMatchesAD: every symbolic derivative, evaluated, equals the
// forward-mode derivative at several points (two independent routes to the
// same number: rules on trees against dual numbers).
func TestSymbolicMatchesAD(t *testing.T) {
	exprs := []string{
		"x^2", "sigmoid(x^2)", "square(sigmoid(leaky_relu(x)))", "x * y^2 + sin(x)", "sigmoid(x + y)",
		"exp(x) / (1 + x^2)", "x^y", "tanh(x) * cos(y) - log(x)", "gelu(x) + silu(y)", "softplus(x * y)",
		"elu(x, 0.5) + relu(y) + abs(x - y)", "sqrt(x) * pow(y, 3) / tan(x)", "-(x - y)^3", "2^x", "cube(x) - identity(y)",
		// issue 13's simplifications: signs, products, like terms
		"exp(x) - exp(-x)", "(1 - x)^2", "x*x*2*3 + x + x", "x - (y - 1) + y*y - 3*y*y", "0.1*x + 0.2*x - x*y*x",
	}
	for _, src := range exprs {
		tree, err := expr.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		vars, err := expr.Resolve(tree, expr.Scalar, nil)
		if err != nil {
			t.Fatal(err)
		}
		sf := newScalarFn(tree, vars)
		for vi, v := range vars {
			d := Derive(tree, v)
			for _, p := range [][]float64{{0.7, 1.3}, {1.9, -0.4}, {0.3, 2.2}} {
				at := p[:len(vars)]
				want, _, _ := sf.partial(at, vi, 0)
				m := map[string]float64{}
				for k, name := range vars {
					m[name] = at[k]
				}
				if got := evalTree(d, m); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
					t.Errorf("d/d%s %s at %v: symbolic %s = %.17g, AD %.17g", v, src, at, expr.String(d), got, want)
				}
			}
		}
	}
}

func TestSimplify(t *testing.T) {
	for src, want := range map[string]string{
		"0 * x + 1 * y":               "y",
		"x^1 + x^0":                   "x + 1",
		"-(-x)":                       "x",
		"x * 2 * 3":                   "6 * x",
		"sigmoid(x) * x * sigmoid(x)": "x * sigmoid(x)^2",
		"x - 0":                       "x",
		"0 - x":                       "-x",
		"x / 1":                       "x",
	} {
		tree, _ := expr.Parse(src)
		expr.Resolve(tree, expr.Scalar, nil)
		if got := expr.String(Simplify(tree)); got != want {
			t.Errorf("Simplify(%s) = %s, want %s", src, got, want)
		}
	}
}
