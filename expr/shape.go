package expr

import "fmt"

// Shape infers the shape [rows, cols] of a resolved Matrix-mode expression
// from the shapes of its matrices, before anything is computed. Scalars are
// 1×1. Element-wise operators broadcast as NumPy does in two dimensions: a
// 1×1, a 1×n row or an m×1 column stretches to match the other side.
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
	case *Neg:
		return shape(n.X, shapes)
	case *Call:
		a, err := shape(n.Args[0], shapes)
		if err != nil {
			return a, err
		}
		switch n.Name {
		case "sum", "mean":
			return [2]int{1, 1}, nil
		case "transpose":
			return [2]int{a[1], a[0]}, nil
		}
		return a, nil
	case *Binary:
		a, err := shape(n.L, shapes)
		if err != nil {
			return a, err
		}
		b, err := shape(n.R, shapes)
		if err != nil {
			return b, err
		}
		if n.Op == '@' {
			if a[1] != b[0] {
				return a, errorf(n.Off, "%s @ %s: %s and %s do not match (columns of the left must equal rows of the right)",
					String(n.L), String(n.R), dims(a), dims(b))
			}
			return [2]int{a[0], b[1]}, nil
		}
		out, ok := Broadcast(a, b)
		if !ok {
			return a, errorf(n.Off, "%s %c %s: %s and %s do not broadcast (each side's rows and columns must match or be 1)",
				String(n.L), n.Op, String(n.R), dims(a), dims(b))
		}
		return out, nil
	}
	return [2]int{1, 1}, nil
}

// Broadcast is the shape of an element-wise operation on shapes a and b,
// and whether they are compatible.
func Broadcast(a, b [2]int) ([2]int, bool) {
	var out [2]int
	for i := 0; i < 2; i++ {
		switch {
		case a[i] == b[i]:
			out[i] = a[i]
		case a[i] == 1:
			out[i] = b[i]
		case b[i] == 1:
			out[i] = a[i]
		default:
			return out, false
		}
	}
	return out, true
}

func dims(s [2]int) string { return fmt.Sprintf("%d×%d", s[0], s[1]) }
