package spec

import (
	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/expr"
)

// Claim is a derivative stated by the user (a hand derivation, a manual
// backward pass, another program's output), to be checked against the
// exact one (experiment-format.md, "Your derivatives, checked").
//
// For a function it is ∂f/∂Wrt as an expression in the function's
// variables; for a chain, df/dx as an expression in x (Wrt "x"); for a
// gradient, ∂L/∂Wrt for the matrix Wrt, either an expression in the item's
// matrices (Expr) or the values themselves (Value, from literal rows, csv:
// or npy:).
type Claim struct {
	Wrt string
	Pos Pos
	// Src is the expression as written (Expr not nil), or how Value was
	// given: "npy data/dW.npy", "literal 2×3".
	Src   string
	Expr  expr.Node
	Value *mat.Dense
}
