package diff

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/ops"
	"github.com/runner-dev/runner/rng"
)

// TestLineMatchesFull: L along a line through one input matrix, leaf +
// t·V, evaluated on the tape (line.at: a product with the leaf as one
// factor moves by t times one product computed once), equals L computed
// from scratch with leaf + t·V in the leaf's place, to rounding, for every
// expression of the incremental check's larger shapes and each matrix; and
// where the leaf is one factor of a product, evaluating L at t computes no
// product at all.
func TestLineMatchesFull(t *testing.T) {
	big := "random: {seed: 3}\nmatrices:\n  X: {randn: [7, 5]}\n  W: {randn: [5, 6]}\n  B: {randn: [1, 6]}\n  Y: {rand: [7, 6]}\ngradients:\n"
	for _, c := range []struct {
		src      string
		products map[string]int // products computed per evaluation, per leaf moved
	}{
		{"sum(sigmoid(X @ W))", map[string]int{"X": 0, "W": 0}},
		{"mean((tanh(X @ W + B) - Y)^2)", map[string]int{"X": 0, "W": 0, "B": 0}},
		{"sum(X @ W @ transpose(W))", map[string]int{"X": 0, "W": 1}},
		{"sum(transpose(X) @ X)", map[string]int{"X": 1}},
		{"sum(softmax(X @ W) * Y) + sum(log_softmax(X @ W, 0) * Y)", map[string]int{"X": 0, "W": 0}},
		{"sum(var(X @ W, 0, 1) * B) + sum(mean(transpose(X @ W), 0) * sum(Y, 1))", map[string]int{"X": 0, "W": 0, "B": 0}},
	} {
		g, leaves, tp, root := walkedTape(t, big+"  - name: L\n    expr: \""+c.src+"\"\n", nil)
		s := rng.New(4)
		for _, w := range g.Wrt {
			base := leaves[w]
			r, cc := base.Dims()
			v := mat.NewDense(r, cc, nil)
			s.NormFill(v.RawMatrix().Data)
			problem := ""
			l := newLine(tp, root, tp.wrt[w], v, func(p string) { problem = p })
			if l == nil {
				t.Fatalf("%s: no line along %s", c.src, w)
			}
			products := 0
			mul := l.c.Mul
			l.c.Mul = func(dst, a ops.Mat, ta bool, b ops.Mat, tb bool) { products++; mul(dst, a, ta, b, tb) }
			for _, at := range []float64{1e-3, -1e-3, 0.5, -2} {
				products = 0
				got := l.at(at)
				if want, ok := c.products[w]; ok && products != want {
					t.Errorf("%s along %s: %d products at t = %g, want %d", c.src, w, products, at, want)
				}
				moved := mat.NewDense(r, cc, nil)
				moveAlong(moved, base, at, v)
				leaves[w] = moved
				ft := &tape{leaves: leaves, wrt: map[string]*node{}}
				want := ft.forward(g.Expr).val.At(0, 0)
				leaves[w] = base
				if math.Abs(got-want) > 1e-13*math.Max(1, math.Abs(want)) {
					t.Errorf("%s along %s at t = %g: on the tape %.17g, from scratch %.17g", c.src, w, at, got, want)
				}
			}
			if l.at(0) != root.val.At(0, 0) {
				t.Errorf("%s along %s: L at t = 0 is %v, the tape's %v", c.src, w, l.at(0), root.val.At(0, 0))
			}
			if problem != "" {
				t.Errorf("%s along %s: problem %q", c.src, w, problem)
			}
		}
	}
}
