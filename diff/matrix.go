package diff

import (
	"sync"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/internal/gemm"
	"github.com/runner-dev/runner/internal/mem"
	"github.com/runner-dev/runner/ops"
)

// node is one value of a matrix expression on the tape. Each operation, as
// it builds its output, records back: how to send the gradient that arrives
// at the output (grad) on to its inputs' grads (reverse-mode automatic
// differentiation).
type node struct {
	val   *mat.Dense
	grad  *mat.Dense // ∂L/∂val, allocated when a gradient first arrives
	needs bool       // whether val depends on a matrix the gradient is taken for
	// retain: grad is read after the backward walk (an intermediate the
	// gradient is taken for), so back gets a copy of it to write into
	retain bool
	back   func(g *mat.Dense)
	flops  float64 // the operation's cost, for planning the numeric check

	// for explaining the computation: what the node computes from which
	// inputs, and (when the tape keeps them) the local derivatives the
	// backward walk used, one per input (nil where none was needed)
	expr   expr.Node
	ins    []*node
	locals []*mat.Dense
	leaf   string // the matrix's name, for a leaf

	// the operation that computes the node (nil for a leaf or a number), its
	// call, and what it keeps for incremental re-evaluation
	op    *ops.Op
	call  *ops.Call
	saved ops.Saved

	// kinked: the operation met a kink; sides, when set, is the side each
	// element of its input moves to, for a one-sided backward walk (see
	// gradkink.go)
	kinked bool
	sides  *mat.Dense
}

// tape records nodes in the order they are built, so inputs come before
// outputs; the backward walk goes through it in reverse.
type tape struct {
	nodes  []*node
	leaves map[string]*mat.Dense
	wrt    map[string]*node
	lets   map[string]*node // the named intermediates (let:), built before L
	tr     trace
	keep   bool // keep each node's local derivatives, for the explanation

	readsOnce sync.Once
	reads     map[*node][]bool // see readMasks
}

func (t *tape) add(n *node) *node {
	t.nodes = append(t.nodes, n)
	return n
}

// accumulate adds g into n's gradient. Every backward step hands over a
// matrix of its own, so the first one is kept as it is, with no copy.
func (n *node) accumulate(g *mat.Dense) {
	if n.grad == nil {
		n.grad = g
		return
	}
	n.grad.Add(n.grad, g)
}

// forward evaluates the expression on the tape's leaves and returns its
// root node.
func (t *tape) forward(e expr.Node) *node {
	n := t.build(e)
	if n.expr == nil {
		n.expr = e
	}
	return n
}

func (t *tape) build(e expr.Node) *node {
	switch e := e.(type) {
	case *expr.Num:
		return t.add(&node{val: mat.NewDense(1, 1, []float64{e.Val})})
	case *expr.Ident:
		if n, ok := t.lets[e.Name]; ok {
			return n
		}
		if n, ok := t.wrt[e.Name]; ok {
			return n
		}
		return t.add(&node{val: t.leaves[e.Name], leaf: e.Name})
	}
	op, k, args := expr.Operation(e)
	if op == nil {
		panic("diff: unresolved expression node")
	}
	out := &node{op: op, call: k, ins: make([]*node, len(args))}
	in := make([]ops.Mat, len(args))
	needs := make([]bool, len(args))
	for i, a := range args {
		out.ins[i] = t.forward(a)
		in[i], needs[i] = view(out.ins[i].val), out.ins[i].needs
		out.needs = out.needs || needs[i]
	}
	c := t.ctx()
	c.Kink = func() { t.tr.kink, out.kinked = true, true }
	c.Side = func(i, j int) float64 {
		if out.sides == nil {
			return 0
		}
		return out.sides.At(i, j)
	}
	o := op.Forward(c, k, in)
	out.val = dense(o)
	out.flops = op.Cost(in, o)
	out.back = func(g *mat.Dense) {
		grads, locals := op.Backward(c, k, in, o, view(g), needs)
		if c.Keep {
			out.locals = make([]*mat.Dense, len(locals))
			for i, l := range locals {
				out.locals[i] = dense(l)
			}
		}
		for i, gr := range grads {
			if gr.Data != nil {
				out.ins[i].accumulate(dense(gr))
			}
		}
	}
	return t.add(out)
}

// ctx is what the tape lends an operation: aligned memory, the matrix
// product, and its trace.
func (t *tape) ctx() *ops.Ctx {
	return &ops.Ctx{
		New:     func(r, c int) ops.Mat { return ops.Mat{R: r, C: c, Stride: c, Data: mem.Floats(r * c)} },
		Mul:     mulMat,
		Kink:    func() { t.tr.kink = true },
		Problem: t.tr.note,
		Keep:    t.keep,
	}
}

// mulMat is dst = op(a)·op(b) by mul.
func mulMat(dst, a ops.Mat, ta bool, b ops.Mat, tb bool) {
	if blas == nil { // mul's own GEMM, called as mul calls it, without the views
		// op(a) is dst.R×k, op(b) k×dst.C
		m, n, k := dst.R, dst.C, a.C
		if ta {
			k = a.R
		}
		if a.R*a.C != m*k || b.R*b.C != k*n {
			panic(mat.ErrShape)
		}
		gemm.Mul(ta, tb, m, n, k, a.Data, a.Stride, b.Data, b.Stride, dst.Data, dst.Stride)
		return
	}
	var am, bm mat.Matrix = dense(a), dense(b)
	if ta {
		am = am.T()
	}
	if tb {
		bm = bm.T()
	}
	mul(dense(dst), am, bm)
}

// view is m's storage as the operation table's matrix.
func view(m *mat.Dense) ops.Mat {
	raw := m.RawMatrix()
	return ops.Mat{R: raw.Rows, C: raw.Cols, Stride: raw.Stride, Data: raw.Data}
}

// dense is m's storage as a gonum matrix (nil for none).
func dense(m ops.Mat) *mat.Dense {
	if m.Data == nil {
		return nil
	}
	var d mat.Dense
	d.SetRawMatrix(blas64.General{Rows: m.R, Cols: m.C, Stride: m.Stride, Data: m.Data})
	return &d
}

func size(m *mat.Dense) float64 { r, c := m.Dims(); return float64(r * c) }

// Sum is the sum of m's elements by Neumaier's compensated summation (see
// ops.Sum).
func Sum(m *mat.Dense) float64 { return ops.Sum(view(m)) }

// backward sends ∂L/∂L = 1 from root down the tape.
func (t *tape) backward(root *node) { t.backwardFrom(root, mat.NewDense(1, 1, []float64{1})) }

// backwardFrom sends seed, as the gradient arriving at root, down the tape.
func (t *tape) backwardFrom(root *node, seed *mat.Dense) {
	root.grad = seed
	for i := len(t.nodes) - 1; i >= 0; i-- {
		n := t.nodes[i]
		if n.grad != nil && n.back != nil && n.needs {
			g := n.grad
			if n.retain { // a backward step may write into what it is given
				g = mat.DenseCopyOf(g)
			}
			n.back(g)
		}
	}
}
