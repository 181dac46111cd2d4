package expr

import (
	"strings"
	"testing"
)

// TestOperationCalls: calls of the operation table's entries are checked
// against their entries (argument count, matrix mode), resolved, and their
// shapes come from the entries' shape rules.
func TestOperationCalls(t *testing.T) {
	mats := map[string]bool{"X": true, "W": true, "R": true, "C": true}
	shapes := map[string][2]int{"X": {3, 4}, "W": {3, 2}, "R": {1, 4}, "C": {3, 1}}
	for _, c := range []struct {
		src  string
		want [2]int
	}{
		{"maximum(X, R)", [2]int{3, 4}},
		{"minimum(R, C)", [2]int{3, 4}},
		{"maximum(X, 0)", [2]int{3, 4}},
		{"sum(minimum(X, C))", [2]int{1, 1}},
		{"transpose(maximum(W, C))", [2]int{2, 3}},
		{"sum(X, 0)", [2]int{1, 4}},
		{"mean(X, 1)", [2]int{3, 1}},
		{"max(X)", [2]int{1, 1}},
		{"min(W, 0)", [2]int{1, 2}},
		{"var(X, 0, 1)", [2]int{1, 4}},
		{"logsumexp(X, 1)", [2]int{3, 1}},
		{"softmax(X, 0)", [2]int{3, 4}},
		{"log_softmax(X, 1)", [2]int{3, 4}},
		{"reshape(X, 2, 6)", [2]int{2, 6}},
		{"conv2d(X, W, 1)", [2]int{3, 5}},
		{"conv2d(X, W, 0, 2)", [2]int{1, 7}},
	} {
		n, err := Parse(c.src)
		if err == nil {
			_, err = Resolve(n, Matrix, mats)
		}
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		if got, err := Shape(n, shapes); err != nil || got != c.want {
			t.Errorf("%s: shape %v (%v), want %v", c.src, got, err, c.want)
		}
		if s := String(n); s != c.src {
			t.Errorf("%s written back as %s", c.src, s)
		}
	}
	checkErrors(t, mats, strings.HasPrefix, []errorCase{
		{"maximum(X)", Matrix, 1, "maximum takes 2 arguments: maximum(A, B), got 1"},
		{"minimum(X, W, R)", Matrix, 1, "minimum takes 2 arguments: minimum(A, B), got 3"},
		{"maximum(x, y)", Scalar, 1, "maximum works on a matrix: use it in gradients"},
		{"maximun(X, W)", Matrix, 1, `unknown function "maximun" (did you mean "maximum"?)`},
		{"maximum + X", Matrix, 1, "maximum is a function"},
		{"sum(X, W)", Matrix, 8, `sum's parameter a must be a number: "W" is not a number`},
		{"sum(X, 2)", Matrix, 8, "sum's parameter a: the axis must be 0 (down the rows) or 1 (across the columns), found 2"},
		{"softmax(X, 0.5)", Matrix, 12, "softmax's parameter a: the axis must be 0"},
		{"mean(X, 0, 1)", Matrix, 1, "mean takes 1 to 2 arguments: mean(M, a), got 3"},
		{"var(X, 1, -1)", Matrix, 11, "var's parameter ddof: expected a whole number from 0, found -1"},
		{"reshape(X, 2)", Matrix, 1, "reshape takes 3 arguments: reshape(M, r, c), got 2"},
		{"reshape(X, 2.5, 2)", Matrix, 12, "reshape's parameter r: expected a whole number from 1"},
		{"conv2d(X, W, -1)", Matrix, 14, "conv2d's parameter ph: expected a whole number from 0"},
		{"conv2d(X)", Matrix, 1, "conv2d takes 2 to 4 arguments: conv2d(X, K, ph, pw), got 1"},
		{"softmax(x)", Scalar, 1, "softmax works on a matrix: use it in gradients"},
		{"maximum(X, V)", Matrix, 12, `unknown matrix "V"`},
	})
	// written back with defaults: softmax's axis 1, conv2d's ph 0; an
	// axis not given is left out (var(X) runs over all elements)
	for src, want := range map[string]string{"softmax(X)": "softmax(X, 1)", "conv2d(X, W)": "conv2d(X, W, 0)", "var(X)": "var(X)", "sum(X, pi/pi - 1)": "sum(X, 0)"} {
		n, _ := Parse(src)
		if _, err := Resolve(n, Matrix, mats); err != nil {
			t.Fatal(err)
		}
		if s := String(n); s != want {
			t.Errorf("%s written back as %s, want %s", src, s, want)
		}
	}
	for src, msg := range map[string]string{
		"reshape(X, 5, 2)": "reshape(X, 5, 2): 3×4 has 12 elements, which cannot be reshaped to 5×2",
		"conv2d(W, X)":     "conv2d(W, X, 0): the kernel 3×4 is larger than the input 3×2 padded to 3×2",
		"var(R, 1, 4)":     "var(R, 1, 4): the variance of 4 elements with ddof 4 divides by zero or less (n − ddof must be at least 1)",
	} {
		n, _ := Parse(src)
		if _, err := Resolve(n, Matrix, mats); err != nil {
			t.Fatal(err)
		}
		if _, err := Shape(n, shapes); err == nil || err.Error() != "col 1: "+msg {
			t.Errorf("%s: got %v, want %q", src, err, msg)
		}
	}
	n, _ := Parse("maximum(X, W)")
	if _, err := Resolve(n, Matrix, mats); err != nil {
		t.Fatal(err)
	}
	if _, err := Shape(n, shapes); err == nil || err.Error() != "col 1: maximum(X, W): 3×4 and 3×2 do not broadcast (each side's rows and columns must match or be 1)" {
		t.Errorf("maximum(X, W): got %v", err)
	}
}

// TestCostAndLargest: the budget's view of an expression, from the table's
// shape and cost rules: X 4×1 @ W 1×5 costs 2·m·k·n = 2·4·1·5 = 40 flops,
// then sum reads its 20 elements; the largest value is the 4×5 product (20
// elements, more than either input), and a matrix alone costs nothing.
func TestCostAndLargest(t *testing.T) {
	shapes := map[string][2]int{"X": {4, 1}, "W": {1, 5}}
	mats := map[string]bool{"X": true, "W": true}
	parse := func(src string) Node {
		n, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Resolve(n, Matrix, mats); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := Cost(parse("sum(X @ W)"), shapes); got != 40+20 {
		t.Errorf("Cost(sum(X @ W)) = %v, want 60", got)
	}
	if got := Cost(parse("X"), shapes); got != 0 {
		t.Errorf("Cost(X) = %v, want 0", got)
	}
	if big, n := Largest(parse("sum(X @ W)"), shapes); n != 20 || String(big) != "X @ W" {
		t.Errorf("Largest = %s with %v, want X @ W with 20", String(big), n)
	}
}
