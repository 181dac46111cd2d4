// Package expr parses the experiment file's expression language into a tree
// and binds its names to the function registry.
//
//	expr   := term (('+' | '-') term)*
//	term   := unary (('*' | '/' | '@') unary)*
//	unary  := '-' unary | power
//	power  := atom (('^' | '**') unary)?        right-associative
//	atom   := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
//
// Every node keeps the byte offset of the text it came from, so that an error
// can point at the character that caused it.
package expr

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/ops"
)

// MaxDepth is how deeply an expression may nest (parentheses, calls, unary
// minus and powers together) before the parser refuses it.
const MaxDepth = 200

// Error is a problem at byte offset Off of the expression's text.
type Error struct {
	Off int
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("col %d: %s", e.Off+1, e.Msg) }

func errorf(off int, format string, args ...any) *Error {
	return &Error{Off: off, Msg: fmt.Sprintf(format, args...)}
}

// Node is a node of the expression tree.
type Node interface {
	// Pos is the byte offset of the node's text in the expression.
	Pos() int
}

// Num is a number literal or a named constant (pi, e).
type Num struct {
	Val  float64
	Text string // as written: "2.5", "pi"
	Off  int
}

// Ident is a variable (in functions and chains) or a matrix (in gradients).
type Ident struct {
	Name string
	Off  int
}

// Neg is −X.
type Neg struct {
	X   Node
	Off int
}

// Binary is L Op R for Op one of + - * / @ ^. Off is the operator's offset.
type Binary struct {
	Op   byte
	L, R Node
	Off  int
}

// Call is Name(Args...). After Resolve, Op is its entry in the operation
// table, Args are its matrix inputs and Params its numeric parameters with
// defaults filled in; a registry call has Fn set, one input, and Op
// ops.Apply().
type Call struct {
	Name   string
	Args   []Node
	Off    int
	Fn     *funcs.Func
	Op     *ops.Op
	Params []float64
}

func (n *Num) Pos() int    { return n.Off }
func (n *Ident) Pos() int  { return n.Off }
func (n *Neg) Pos() int    { return n.Off }
func (n *Binary) Pos() int { return n.Off }
func (n *Call) Pos() int   { return n.Off }

// String writes the tree back as an expression, fully parenthesised only
// where precedence needs it.
func String(n Node) string {
	var b strings.Builder
	write(&b, n, 0)
	return b.String()
}

func prec(n Node) int {
	switch n := n.(type) {
	case *Binary:
		switch n.Op {
		case '+', '-':
			return 1
		case '*', '/', '@':
			return 2
		case '^':
			return 4
		}
	case *Neg:
		return 3
	}
	return 5
}

func write(b *strings.Builder, n Node, outer int) {
	p := prec(n)
	if p < outer {
		b.WriteByte('(')
		defer b.WriteByte(')')
	}
	switch n := n.(type) {
	case *Num:
		b.WriteString(n.Text)
	case *Ident:
		b.WriteString(n.Name)
	case *Neg:
		b.WriteByte('-')
		write(b, n.X, 3)
	case *Binary:
		l, r := p, p+1 // left-associative
		if n.Op == '^' {
			l, r = p+1, 3 // right-associative; a unary minus may follow
		}
		write(b, n.L, l)
		if n.Op == '^' {
			b.WriteByte('^')
		} else {
			fmt.Fprintf(b, " %c ", n.Op)
		}
		write(b, n.R, r)
	case *Call:
		b.WriteString(n.Name)
		b.WriteByte('(')
		for i, a := range n.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			write(b, a, 0)
		}
		if n.Op != nil || n.Fn != nil && len(n.Args) == 1 { // resolved: the parameters with defaults
			for _, v := range n.Params {
				if math.IsNaN(v) { // an operation's parameter not given (ops.All)
					break
				}
				b.WriteString(", ")
				b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
			}
		}
		b.WriteByte(')')
	}
}

// Walk calls fn for n and every node below it, parents first.
func Walk(n Node, fn func(Node)) {
	fn(n)
	switch n := n.(type) {
	case *Neg:
		Walk(n.X, fn)
	case *Binary:
		Walk(n.L, fn)
		Walk(n.R, fn)
	case *Call:
		for _, a := range n.Args {
			Walk(a, fn)
		}
	}
}

// Operation is the table entry of a resolved operation node (unary minus,
// a binary operator or a call), its call (registry function and
// parameters) and its inputs; nil for a number or a name.
func Operation(n Node) (*ops.Op, *ops.Call, []Node) {
	switch n := n.(type) {
	case *Neg:
		return ops.Neg(), &ops.Call{}, []Node{n.X}
	case *Binary:
		return ops.Operator(n.Op), &ops.Call{}, []Node{n.L, n.R}
	case *Call:
		return n.Op, &ops.Call{Fn: n.Fn, Params: n.Params}, n.Args
	}
	return nil, nil, nil
}
