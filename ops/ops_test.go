package ops

import (
	"reflect"
	"testing"
)

// TestFill: a call's argument count is checked against the entry's
// arguments, and parameters not given take their defaults (here a
// var(M, a, ddof) whose axis is required).
func TestFill(t *testing.T) {
	op := &Op{Name: "var", Args: []Arg{{Name: "M"}, {Name: "a", Kind: Number}, {Name: "ddof", Kind: Number, HasDefault: true}}}
	for _, c := range []struct {
		nargs int
		given []float64
		want  []float64
		msg   string
	}{
		{2, []float64{1}, []float64{1, 0}, ""},
		{3, []float64{0, 1}, []float64{0, 1}, ""},
		{1, nil, nil, "var takes 2 to 3 arguments: var(M, a, ddof), got 1"},
		{4, []float64{0, 1, 2}, nil, "var takes 2 to 3 arguments: var(M, a, ddof), got 4"},
	} {
		got, msg := op.Fill(c.nargs, c.given)
		if msg != c.msg || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%d arguments %v: got %v %q, want %v %q", c.nargs, c.given, got, msg, c.want, c.msg)
		}
	}
}

// TestTableIsConsistent: every entry has what the resolver, the tape, the
// explanation and the printer look up, and names are unique.
func TestTableIsConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, op := range append(table, apply) {
		if seen[op.Name] {
			t.Errorf("%s: two entries", op.Name)
		}
		seen[op.Name] = true
		if op.Shape == nil || op.Forward == nil || op.Backward == nil || op.Cost == nil || op.Step == nil || op.Rules == nil {
			t.Errorf("%s: an entry needs Shape, Forward, Backward, Cost, Step and Rules", op.Name)
		}
		if op != apply && op.LaTeX == nil {
			t.Errorf("%s: no LaTeX", op.Name)
		}
		if op != apply && isName(op.Name) && (op.Doc == "" || Lookup(op.Name) != op) {
			t.Errorf("%s: a named operation needs a Doc and must be found by Lookup", op.Name)
		}
	}
	for _, sym := range []byte("+-*/^@") {
		if Operator(sym) == nil {
			t.Errorf("no entry for operator %c", sym)
		}
	}
	if Lookup("+") != nil || Lookup("neg") != nil || Lookup("apply") != nil {
		t.Errorf("operators, unary minus and apply are not named operations")
	}
}
