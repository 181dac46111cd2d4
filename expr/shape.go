package expr

import "github.com/runner-dev/runner/ops"

// Shape infers the shape [rows, cols] of a resolved Matrix-mode expression
// from the shapes of its matrices, before anything is computed, by each
// operation's shape rule in the operation table. Scalars are 1×1.
// Element-wise operators broadcast as NumPy does in two dimensions: a 1×1, a
// 1×n row or an m×1 column stretches to match the other side.
func Shape(n Node, shapes map[string][2]int) ([2]int, error) {
	s, err := shape(n, shapes)
	if err != nil {
		return s, err
	}
	return s, nil
}

func shape(n Node, shapes map[string][2]int) ([2]int, *Error) {
	switch n := n.(type) {
	case *Num:
		return [2]int{1, 1}, nil
	case *Ident:
		return shapes[n.Name], nil
	}
	op, k, args := Operation(n)
	in := make([][2]int, len(args))
	for i, a := range args {
		s, err := shape(a, shapes)
		if err != nil {
			return s, err
		}
		in[i] = s
	}
	out, msg := op.Shape(in, k.Params)
	if msg != "" {
		what := String(n)
		if b, ok := n.(*Binary); ok {
			what = String(b.L) + " " + string(b.Op) + " " + String(b.R)
		}
		return out, errorf(n.Pos(), "%s: %s", what, msg)
	}
	return out, nil
}

// Broadcast is the shape of an element-wise operation on shapes a and b,
// and whether they are compatible.
func Broadcast(a, b [2]int) ([2]int, bool) { return ops.Broadcast(a, b) }
