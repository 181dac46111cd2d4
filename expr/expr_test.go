package expr

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// TestPrecedence evaluates constant expressions whose values follow from the
// grammar's precedence and associativity; each want is worked by hand.
func TestPrecedence(t *testing.T) {
	for _, c := range []struct {
		src  string
		want float64
	}{
		{"2^3^2", 512},       // right-associative: 2^(3^2)
		{"2**3**2", 512},     // ** is ^
		{"-2^2", -4},         // -(2^2)
		{"2^-1", 0.5},        // a unary minus may start the exponent
		{"(-2)^2", 4},        //
		{"10-4-3", 3},        // left-associative
		{"64/8/2", 4},        // left-associative
		{"2+3*4", 14},        //
		{"(2+3)*4", 20},      //
		{"2*3^2", 18},        // ^ binds tighter than *
		{"--3", 3},           //
		{"-3*-2", 6},         //
		{".5 + 1e-3", 0.501}, // number forms
		{"6.02E23 / 1E23", 6.02},
		{"2.5*4", 10},
		{"pi", math.Pi},
		{"e", math.E},
		{"sqrt(16) + pow(2, 3)", 12},
		{"leaky_relu(-10)", -2},      // default a = 0.2
		{"leaky_relu(-10, 0.1)", -1}, // explicit parameter
		{"-x", 0},                    // placeholder, skipped below
	} {
		if strings.Contains(c.src, "x") {
			continue
		}
		got, err := Const(c.src)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if math.Abs(got-c.want) > 1e-12*math.Abs(c.want) {
			t.Errorf("%s = %v, want %v", c.src, got, c.want)
		}
	}
}

// TestTreeShape checks how expressions with variables group, by printing
// the tree back fully bracketed by String's precedence rules.
func TestTreeShape(t *testing.T) {
	for src, want := range map[string]string{
		"-x^2":        "-x^2",
		"(-x)^2":      "(-x)^2",
		"a-b-c":       "a - b - c",
		"a-(b-c)":     "a - (b - c)",
		"a/b/c":       "a / b / c",
		"a^b^c":       "a^b^c",
		"(a^b)^c":     "(a^b)^c",
		"X @ W + B":   "X @ W + B",
		"X @ (W + B)": "X @ (W + B)",
		"f(x, 2)":     "f(x, 2)",
	} {
		n, err := Parse(src)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if got := String(n); got != want {
			t.Errorf("String(Parse(%q)) = %q, want %q", src, got, want)
		}
	}
	n, _ := Parse("-x^2")
	if neg, ok := n.(*Neg); !ok || neg.X.(*Binary).Op != '^' {
		t.Errorf("-x^2 should parse as -(x^2), got %#v", n)
	}
	n, _ = Parse("a-b-c")
	if b := n.(*Binary); b.Op != '-' || b.L.(*Binary).Op != '-' {
		t.Errorf("a-b-c should parse as (a-b)-c")
	}
}

// TestErrors checks messages and the column (1-based) each points at.
func TestErrors(t *testing.T) {
	for _, c := range []struct {
		src  string
		mode Mode
		col  int
		msg  string
	}{
		{"sigmiod(x)", Scalar, 1, `unknown function "sigmiod" (did you mean "sigmoid"?)`},
		{"x + sigmoide(y)", Scalar, 5, `unknown function "sigmoide" (did you mean "sigmoid"?)`},
		{"x +", Scalar, 4, "expected a number, a name or '(', found end of expression"},
		{"(x + 1", Scalar, 7, "expected ')' to close the '(' at col 1"},
		{"x + 1)", Scalar, 6, "unmatched ')'"},
		{"2x", Scalar, 2, "write 2*x, not 2x"},
		{"x $ y", Scalar, 3, "unexpected character '$'"},
		{"1e", Scalar, 3, "exponent's digits"},
		{"x y", Scalar, 3, `expected an operator or end of expression, found name "y"`},
		{"pow(x)", Scalar, 1, "pow takes an input and p"},
		{"sigmoid(x, 1)", Scalar, 1, "sigmoid takes an input"},
		{"leaky_relu(x, y)", Scalar, 15, "parameter a must be a number"},
		{"sigmoid + 1", Scalar, 1, "sigmoid is a function"},
		{"sum(x)", Scalar, 1, "sum works on a matrix"},
		{"x @ y", Scalar, 3, "'@' is the matrix product"},
		{"sum(X @ V)", Matrix, 9, `unknown matrix "V"`},
		{"", Scalar, 1, "empty expression"},
		{"f()", Scalar, 3, "f() needs an argument"},
	} {
		n, err := Parse(c.src)
		if err == nil {
			_, err = Resolve(n, c.mode, map[string]bool{"X": true, "W": true})
		}
		var ee *Error
		if !errors.As(err, &ee) {
			t.Errorf("%q: want an error containing %q, got %v", c.src, c.msg, err)
			continue
		}
		if ee.Off+1 != c.col || !strings.Contains(ee.Msg, c.msg) {
			t.Errorf("%q: got col %d %q, want col %d containing %q", c.src, ee.Off+1, ee.Msg, c.col, c.msg)
		}
	}
}

func TestDeepNesting(t *testing.T) {
	src := strings.Repeat("(", 5000) + "x" + strings.Repeat(")", 5000)
	if _, err := Parse(src); err == nil || !strings.Contains(err.Error(), "nested more than") {
		t.Errorf("deep nesting: got %v", err)
	}
	if _, err := Parse(strings.Repeat("-", 5000) + "x"); err == nil {
		t.Errorf("deep unary minus: no error")
	}
	if _, err := Parse(strings.Repeat("sigmoid(", 150) + "x" + strings.Repeat(")", 150)); err != nil {
		t.Errorf("150 nested calls should parse: %v", err)
	}
}

func TestShape(t *testing.T) {
	shapes := map[string][2]int{"X": {3, 3}, "W": {3, 2}, "B": {1, 2}, "C": {3, 1}, "V": {2, 3}}
	for _, c := range []struct {
		src  string
		want [2]int
		err  string
		col  int
	}{
		{"X @ W", [2]int{3, 2}, "", 0},
		{"X @ W + B", [2]int{3, 2}, "", 0}, // a row broadcasts over rows
		{"X @ W * C", [2]int{3, 2}, "", 0}, // a column broadcasts over columns
		{"sum(sigmoid(X @ W))", [2]int{1, 1}, "", 0},
		{"transpose(W) @ X", [2]int{2, 3}, "", 0},
		{"X @ V", [2]int{}, "X @ V: 3×3 and 2×3 do not match", 3},
		{"X + W", [2]int{}, "X + W: 3×3 and 3×2 do not broadcast", 3},
		{"2 * X @ W - V", [2]int{}, "do not broadcast", 11},
	} {
		n, err := Parse(c.src)
		if err == nil {
			_, err = Resolve(n, Matrix, map[string]bool{"X": true, "W": true, "B": true, "C": true, "V": true})
		}
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		got, err := Shape(n, shapes)
		if c.err != "" {
			var ee *Error
			if !errors.As(err, &ee) || !strings.Contains(ee.Msg, c.err) || ee.Off+1 != c.col {
				t.Errorf("%s: got %v, want col %d %q", c.src, err, c.col, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: shape %v (%v), want %v", c.src, got, err, c.want)
		}
	}
}

// TestMaxNodes: an expression of MaxNodes nodes parses; one more is refused
// at the token past the limit, with the count, before any tree is built.
func TestMaxNodes(t *testing.T) {
	terms := func(n int) string { return strings.TrimSuffix(strings.Repeat("x+", n), "+") }
	if _, err := Parse(terms((MaxNodes + 1) / 2)); err != nil { // n terms are 2n-1 nodes
		t.Errorf("%d nodes: %v", MaxNodes, err)
	}
	_, err := Parse("(" + terms(MaxNodes/2+1) + ")")
	ee, ok := err.(*Error)
	if !ok || ee.Msg != "the expression has 10001 numbers, names and operators, more than the limit of 10000" || ee.Off != 1+2*(MaxNodes/2) {
		t.Errorf("past the limit: %v", err)
	}
}
