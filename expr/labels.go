package expr

import (
	"fmt"
	"strings"

	"github.com/runner-dev/runner/ops"
)

// LabelUse is one place where an operation takes a label matrix: the
// matrix's name, where the call is, and the bound its labels must stay
// below with what that bound is (ops.Op.Range).
type LabelUse struct {
	Name  string
	Call  string
	Off   int
	Bound int
	Why   string
}

// Labels checks the label matrices of a resolved Matrix-mode expression
// whose shapes are known: every argument an operation takes as labels must
// be the name of a label matrix (labels is the set of them), and a label
// matrix may appear nowhere else. It returns each use of a label matrix
// with the bound its labels must stay below.
func Labels(n Node, labels map[string]bool, shapes map[string][2]int) ([]LabelUse, error) {
	var uses []LabelUse
	if err := labelsIn(n, false, labels, shapes, &uses); err != nil {
		return nil, err
	}
	return uses, nil
}

func labelsIn(n Node, wanted bool, labels map[string]bool, shapes map[string][2]int, uses *[]LabelUse) *Error {
	if id, ok := n.(*Ident); ok && labels[id.Name] && !wanted {
		return errorf(id.Off, "%s is a label matrix (whole numbers, never differentiated): it may appear only where a call takes labels (%s)", id.Name, labelOps())
	}
	op, k, args := Operation(n)
	if op == nil {
		return nil
	}
	var in [][2]int
	for i, a := range args {
		want := i < len(op.Args) && op.Args[i].Kind == ops.Labels
		if want {
			id, ok := a.(*Ident)
			if !ok || !labels[id.Name] {
				return errorf(a.Pos(), "%s's argument %s must be a label matrix (declared as {labels: …}, an integer .npy or {csv: …, labels: true}), found %s", op.Name, op.Args[i].Name, describe(a, labels))
			}
		}
		if err := labelsIn(a, want, labels, shapes, uses); err != nil {
			return err
		}
		if op.Range != nil {
			s, err := Shape(a, shapes)
			if err != nil {
				return err.(*Error)
			}
			in = append(in, s)
		}
	}
	if op.Range == nil {
		return nil
	}
	for i, a := range args {
		if i < len(op.Args) && op.Args[i].Kind == ops.Labels {
			bound, why := op.Range(in, k.Params, i)
			*uses = append(*uses, LabelUse{Name: a.(*Ident).Name, Call: String(n), Off: n.Pos(), Bound: bound, Why: why})
		}
	}
	return nil
}

func describe(a Node, labels map[string]bool) string {
	if id, ok := a.(*Ident); ok {
		return fmt.Sprintf("%s, a matrix of numbers", id.Name)
	}
	return fmt.Sprintf("the expression %s", String(a))
}

// labelOps names the operations that take labels.
func labelOps() string {
	var names []string
	for _, op := range ops.Named() {
		for _, a := range op.Args {
			if a.Kind == ops.Labels {
				names = append(names, op.Name)
				break
			}
		}
	}
	return strings.Join(names, ", ")
}
