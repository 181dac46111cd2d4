package expr

import (
	"errors"
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
	for _, c := range []struct {
		src  string
		mode Mode
		col  int
		msg  string
	}{
		{"maximum(X)", Matrix, 1, "maximum takes 2 arguments: maximum(A, B), got 1"},
		{"minimum(X, W, R)", Matrix, 1, "minimum takes 2 arguments: minimum(A, B), got 3"},
		{"maximum(x, y)", Scalar, 1, "maximum works on a matrix: use it in gradients"},
		{"maximun(X, W)", Matrix, 1, `unknown function "maximun" (did you mean "maximum"?)`},
		{"maximum + X", Matrix, 1, "maximum is a function"},
		{"sum(X, W)", Matrix, 1, "sum takes one argument, got 2"},
		{"maximum(X, V)", Matrix, 12, `unknown matrix "V"`},
	} {
		n, err := Parse(c.src)
		if err == nil {
			_, err = Resolve(n, c.mode, mats)
		}
		var ee *Error
		if !errors.As(err, &ee) || ee.Off+1 != c.col || ee.Msg != c.msg && !strings.HasPrefix(ee.Msg, c.msg) {
			t.Errorf("%q: got %v, want col %d %q", c.src, err, c.col, c.msg)
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
