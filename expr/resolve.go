package expr

import (
	"fmt"
	"sort"
	"strings"

	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/internal/fmath"
	"github.com/runner-dev/runner/ops"
)

// Mode says what the names of an expression may stand for.
type Mode int

const (
	// Scalar: names are variables, constants or registry functions
	// (functions and chains).
	Scalar Mode = iota
	// Matrix: names are the declared matrices, constants or functions,
	// including the operations of the operation table, such as sum, mean
	// and transpose (gradients).
	Matrix
)

// Resolve binds every call in n to the registry, evaluates each call's
// numeric parameters, and returns the names n uses as variables (Scalar mode)
// or matrices (Matrix mode), sorted. In Matrix mode every name must be in
// matrices. n is changed in place.
func Resolve(n Node, mode Mode, matrices map[string]bool) ([]string, error) {
	used := map[string]bool{}
	if err := resolve(n, mode, matrices, used); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(used))
	for k := range used {
		names = append(names, k)
	}
	sort.Strings(names)
	return names, nil
}

func resolve(n Node, mode Mode, matrices map[string]bool, used map[string]bool) *Error {
	switch n := n.(type) {
	case *Num:
	case *Ident:
		if funcs.Lookup(n.Name) != nil || ops.Lookup(n.Name) != nil {
			return errorf(n.Off, "%s is a function: call it with an argument, as %s(x)", n.Name, n.Name)
		}
		if mode == Matrix && !matrices[n.Name] {
			known := make([]string, 0, len(matrices))
			for k := range matrices {
				known = append(known, k)
			}
			sort.Strings(known)
			msg := fmt.Sprintf("unknown matrix %q", n.Name)
			if s := funcs.Closest(n.Name, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else if len(known) > 0 {
				msg += fmt.Sprintf(" (declared under matrices: %s)", strings.Join(known, ", "))
			} else {
				msg += " (declare it under matrices:)"
			}
			return errorf(n.Off, "%s", msg)
		}
		used[n.Name] = true
	case *Neg:
		return resolve(n.X, mode, matrices, used)
	case *Binary:
		if n.Op == '@' && mode == Scalar {
			return errorf(n.Off, "'@' is the matrix product: it belongs in gradients, not in scalar functions")
		}
		if err := resolve(n.L, mode, matrices, used); err != nil {
			return err
		}
		return resolve(n.R, mode, matrices, used)
	case *Call:
		if op := ops.Lookup(n.Name); op != nil {
			if mode == Scalar {
				return errorf(n.Off, "%s works on a matrix: use it in gradients", n.Name)
			}
			return resolveOp(n, op, mode, matrices, used)
		}
		f := funcs.Lookup(n.Name)
		if f == nil {
			msg := fmt.Sprintf("unknown function %q", n.Name)
			if s := funcs.Suggest(n.Name, ops.Names()...); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return errorf(n.Off, "%s", msg)
		}
		if len(n.Args) < f.MinArgs() || len(n.Args) > f.MaxArgs() {
			return errorf(n.Off, "%s takes %s, got %d", f.Name, argCount(f), len(n.Args))
		}
		given := make([]float64, 0, len(n.Args)-1)
		for i, a := range n.Args[1:] {
			v, err := constValue(a)
			if err != nil {
				return errorf(a.Pos(), "%s's parameter %s must be a number: %s", f.Name, f.Params[i].Name, err.Msg)
			}
			given = append(given, v)
		}
		n.Fn = f
		n.Op = ops.Apply()
		n.Params = f.Fill(given)
		n.Args = n.Args[:1]
		return resolve(n.Args[0], mode, matrices, used)
	}
	return nil
}

// resolveOp checks a call of a table operation against its entry: the
// number of arguments, and that its parameters are numbers; it resolves the
// inputs and fills the parameters' defaults.
func resolveOp(n *Call, op *ops.Op, mode Mode, matrices map[string]bool, used map[string]bool) *Error {
	inputs := op.Inputs()
	var given []float64
	for i, a := range n.Args {
		if i < inputs {
			continue
		}
		v, err := constValue(a)
		if err != nil {
			if i < len(op.Args) {
				return errorf(a.Pos(), "%s's parameter %s must be a number: %s", op.Name, op.Args[i].Name, err.Msg)
			}
			break // too many arguments: said below
		}
		given = append(given, v)
	}
	params, msg := op.Fill(len(n.Args), given)
	if msg != "" {
		return errorf(n.Off, "%s", msg)
	}
	n.Op, n.Params, n.Args = op, params, n.Args[:inputs]
	for _, a := range n.Args {
		if err := resolve(a, mode, matrices, used); err != nil {
			return err
		}
	}
	return nil
}

func argCount(f *funcs.Func) string {
	s := "an input"
	for _, p := range f.Params {
		if p.HasDefault {
			s += fmt.Sprintf(" and optionally %s (default %g)", p.Name, p.Default)
		} else {
			s += " and " + p.Name
		}
	}
	return fmt.Sprintf("%s: %s(x%s)", s, f.Name, paramList(f))
}

func paramList(f *funcs.Func) string {
	s := ""
	for _, p := range f.Params {
		s += ", " + p.Name
	}
	return s
}

// constValue evaluates an expression made only of numbers, arithmetic and
// registry calls with constant inputs.
func constValue(n Node) (float64, *Error) {
	switch n := n.(type) {
	case *Num:
		return n.Val, nil
	case *Ident:
		return 0, errorf(n.Off, "%q is not a number", n.Name)
	case *Neg:
		v, err := constValue(n.X)
		return -v, err
	case *Binary:
		l, err := constValue(n.L)
		if err != nil {
			return 0, err
		}
		r, err := constValue(n.R)
		if err != nil {
			return 0, err
		}
		switch n.Op {
		case '+':
			return l + r, nil
		case '-':
			return l - r, nil
		case '*':
			return l * r, nil
		case '/':
			return l / r, nil
		case '^':
			return fmath.Pow(l, r), nil
		}
		return 0, errorf(n.Off, "'%c' needs matrices", n.Op)
	case *Call:
		if err := resolve(n, Scalar, nil, map[string]bool{}); err != nil {
			return 0, err
		}
		x, err := constValue(n.Args[0])
		if err != nil {
			return 0, err
		}
		return n.Fn.F(x, n.Params), nil
	}
	return 0, errorf(n.Pos(), "not a number")
}

// Const evaluates src as a constant expression: numbers, pi, e, arithmetic
// and registry calls, e.g. "pi/2" or "sqrt(2)".
func Const(src string) (float64, error) {
	tree, err := Parse(src)
	if err != nil {
		return 0, err
	}
	v, cerr := constValue(tree)
	if cerr != nil {
		return 0, cerr
	}
	return v, nil
}
