package expr

import "github.com/runner-dev/runner/ops"

// Shape infers the shape [rows, cols] of a resolved Matrix-mode expression
// from the shapes of its matrices, before anything is computed, by each
// operation's shape rule in the operation table. Scalars are 1×1.
// Element-wise operators broadcast as NumPy does in two dimensions: a 1×1, a
// 1×n row or an m×1 column stretches to match the other side.
func Shape(n Node, shapes map[string][2]int) ([2]int, error) {
	s, err := shape(n, shapes, nil)
	if err != nil {
		return s, err
	}
	return s, nil
}

// Largest is the node of a shape-checked expression n whose value holds
// the most elements, and that count (as a float64: r·c of a node can pass
// any int), so that a budget can refuse an expression before anything is
// allocated (conv2d's padding, one_hot's k, a product's sides can make an
// intermediate far larger than the inputs).
func Largest(n Node, shapes map[string][2]int) (Node, float64) {
	var big Node
	most := -1.0
	shape(n, shapes, func(m Node, s [2]int, _ [][2]int) {
		if size := float64(s[0]) * float64(s[1]); size > most {
			big, most = m, size
		}
	})
	return big, most
}

// Cost is the floating-point work of one evaluation of a shape-checked
// expression n: the sum of each operation's Cost in the table, from the
// shapes alone.
func Cost(n Node, shapes map[string][2]int) float64 {
	total := 0.0
	dims := func(s [2]int) ops.Mat { return ops.Mat{R: s[0], C: s[1], Stride: s[1]} }
	shape(n, shapes, func(m Node, out [2]int, in [][2]int) {
		if in == nil {
			return // a matrix: nothing computed
		}
		op, _, _ := Operation(m)
		args := make([]ops.Mat, len(in))
		for i, s := range in {
			args[i] = dims(s)
		}
		total += op.Cost(args, dims(out))
	})
	return total
}

// shape is n's shape; seen, when not nil, is told every node's shape and,
// for an operation, its arguments' shapes (nil for a matrix).
func shape(n Node, shapes map[string][2]int, seen func(Node, [2]int, [][2]int)) ([2]int, *Error) {
	switch m := n.(type) {
	case *Num:
		return [2]int{1, 1}, nil
	case *Ident:
		if seen != nil {
			seen(n, shapes[m.Name], nil)
		}
		return shapes[m.Name], nil
	}
	op, k, args := Operation(n)
	in := make([][2]int, len(args))
	for i, a := range args {
		s, err := shape(a, shapes, seen)
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
	if seen != nil {
		seen(n, out, in)
	}
	return out, nil
}

// Broadcast is the shape of an element-wise operation on shapes a and b,
// and whether they are compatible.
func Broadcast(a, b [2]int) ([2]int, bool) { return ops.Broadcast(a, b) }
