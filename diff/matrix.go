package diff

import (
	"fmt"
	"math"
	"runtime"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/internal/mem"
	"github.com/runner-dev/runner/internal/par"
)

// node is one value of a matrix expression on the tape. Each operation, as
// it builds its output, records back: how to send the gradient that arrives
// at the output (grad) on to its inputs' grads (reverse-mode automatic
// differentiation).
type node struct {
	val   *mat.Dense
	grad  *mat.Dense // ∂L/∂val, allocated when a gradient first arrives
	needs bool       // whether val depends on a matrix the gradient is taken for
	back  func(g *mat.Dense)
	flops float64 // the operation's cost, for planning the numeric check

	// for explaining the computation: what the node computes from which
	// inputs, and (when the tape keeps them) the local derivatives the
	// backward walk used, one per input (nil where none was needed)
	expr   expr.Node
	ins    []*node
	locals []*mat.Dense
	leaf   string // the matrix's name, for a leaf

	// a sum's input's total on the tape, kept for incremental re-evaluation
	sum     float64
	haveSum bool
}

// tape records nodes in the order they are built, so inputs come before
// outputs; the backward walk goes through it in reverse.
type tape struct {
	nodes  []*node
	leaves map[string]*mat.Dense
	wrt    map[string]*node
	tr     trace
	keep   bool // keep each node's local derivatives, for the explanation
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
		if n, ok := t.wrt[e.Name]; ok {
			return n
		}
		return t.add(&node{val: t.leaves[e.Name], leaf: e.Name})
	case *expr.Neg:
		a := t.forward(e.X)
		out := &node{needs: a.needs}
		r, c := a.val.Dims()
		out.val = mem.Dense(r, c)
		out.val.Scale(-1, a.val)
		out.back = func(g *mat.Dense) {
			ng := mat.DenseCopyOf(g)
			ng.Scale(-1, ng)
			a.accumulate(ng)
		}
		out.flops = size(a.val)
		out.ins = []*node{a}
		return t.add(out)
	case *expr.Call:
		a := t.forward(e.Args[0])
		var out *node
		switch e.Name {
		case "sum", "mean":
			out = reduce(a, e.Name == "mean", t.keep)
		case "transpose":
			out = &node{needs: a.needs, val: mat.DenseCopyOf(a.val.T())}
			out.back = func(g *mat.Dense) { a.accumulate(mat.DenseCopyOf(g.T())) }
		default:
			out = t.apply(e.Fn, e.Params, a)
		}
		out.ins = []*node{a}
		return t.add(out)
	case *expr.Binary:
		a, b := t.forward(e.L), t.forward(e.R)
		var out *node
		if e.Op == '@' {
			out = matmul(a, b, t.keep)
		} else {
			out = elementwise(e.Op, a, b, &t.tr, t.keep)
		}
		out.ins = []*node{a, b}
		return t.add(out)
	}
	panic("diff: unresolved expression node")
}

func size(m *mat.Dense) float64 { r, c := m.Dims(); return float64(r * c) }

// apply is f element by element: out = f(A), ∂L/∂A = ∂L/∂out ⊙ f'(A).
// Large matrices are done in blocks of rows in parallel.
func (t *tape) apply(f *funcs.Func, p []float64, a *node) *node {
	in := a.val.RawMatrix()
	r, c := a.val.Dims()
	out := &node{needs: a.needs, val: mem.Dense(r, c)}
	o := out.val.RawMatrix()
	blocks := rowBlocks(r, c)
	kinks := make([]bool, blocks)
	problems := make([]string, blocks)
	par.For(blocks, func(k int) {
		for i := k * r / blocks; i < (k+1)*r/blocks; i++ {
			for j := 0; j < c; j++ {
				x := in.Data[i*in.Stride+j]
				if f.Kinks != nil && f.IsKink(x, p) {
					kinks[k] = true
				}
				y := f.F(x, p)
				o.Data[i*o.Stride+j] = y
				if bad(y) && problems[k] == "" && !bad(x) {
					problems[k] = fmt.Sprintf("%s (element [%d,%d])", callProblem(f, x, p), i, j)
				}
			}
		}
	})
	for k := range blocks {
		t.tr.kink = t.tr.kink || kinks[k]
		if t.tr.problem == "" {
			t.tr.problem = problems[k]
		}
	}
	out.back = func(g *mat.Dense) {
		gr := g.RawMatrix()
		// g is this node's own and is not read again unless the tape keeps
		// its steps for the explanation: then the result goes in a new matrix
		d := g
		var local *mat.Dense
		if t.keep {
			d = mem.Dense(r, c)
			local = mem.Dense(r, c)
		}
		dr := d.RawMatrix()
		par.For(blocks, func(k int) {
			for i := k * r / blocks; i < (k+1)*r/blocks; i++ {
				for j := 0; j < c; j++ {
					fd := f.D(in.Data[i*in.Stride+j], p)
					if local != nil {
						local.Set(i, j, fd)
					}
					dr.Data[i*dr.Stride+j] = gr.Data[i*gr.Stride+j] * fd
				}
			}
		})
		out.locals = []*mat.Dense{local}
		a.accumulate(d)
	}
	out.flops = 20 * size(a.val)
	return out
}

// rowBlocks is how many blocks of rows an r×c matrix's element-by-element
// work is split into: one below 2¹⁶ elements, else a few per processor.
func rowBlocks(r, c int) int {
	if r*c < 1<<16 {
		return 1
	}
	return min(r, 4*runtime.GOMAXPROCS(0))
}

// Sum is the sum of m's elements by Neumaier's compensated summation, whose
// error is about one rounding of the result however many elements there are
// (plain summation's grows with √n): finite differences of a large sum
// subtract two nearly equal values, so its rounding matters.
func Sum(m *mat.Dense) float64 {
	raw := m.RawMatrix()
	r, c := m.Dims()
	var acc neumaier
	for i := 0; i < r; i++ {
		for _, x := range raw.Data[i*raw.Stride : i*raw.Stride+c] {
			acc.add(x)
		}
	}
	return acc.sum()
}

// neumaier is a running sum with Neumaier's compensation: s, and comp the
// rounding errors of the additions so far.
type neumaier struct{ s, comp float64 }

func (a *neumaier) add(x float64) {
	t := a.s + x
	if math.Abs(a.s) >= math.Abs(x) {
		a.comp += (a.s - t) + x
	} else {
		a.comp += (x - t) + a.s
	}
	a.s = t
}

func (a neumaier) sum() float64 { return a.s + a.comp }

// reduce is ΣA (or its mean): ∂L/∂A = ∂L/∂out · ones (divided by the count
// for the mean).
func reduce(a *node, mean, keep bool) *node {
	s := Sum(a.val)
	n := size(a.val)
	if mean {
		s /= n
	}
	out := &node{needs: a.needs, val: mat.NewDense(1, 1, []float64{s}), flops: n}
	out.back = func(g *mat.Dense) {
		v := g.At(0, 0)
		if mean {
			v /= n
		}
		r, c := a.val.Dims()
		d := mem.Dense(r, c)
		raw := d.RawMatrix().Data
		for i := range raw {
			raw[i] = v
		}
		if keep {
			local := mem.Dense(r, c)
			local.Scale(1/g.At(0, 0), d) // ones, or 1/n for the mean
			out.locals = []*mat.Dense{local}
		}
		a.accumulate(d)
	}
	return out
}

// matmul is A·B: ∂L/∂A = ∂L/∂out·Bᵀ, ∂L/∂B = Aᵀ·∂L/∂out.
func matmul(a, b *node, keep bool) *node {
	ar, ac := a.val.Dims()
	_, bc := b.val.Dims()
	out := &node{needs: a.needs || b.needs, val: mem.Dense(ar, bc)}
	mul(out.val, a.val, b.val)
	out.flops = 2 * float64(ar) * float64(ac) * float64(bc)
	out.back = func(g *mat.Dense) {
		if keep {
			// the local derivatives: ∂(AB)/∂A right-multiplies by Bᵀ, and
			// ∂(AB)/∂B left-multiplies by Aᵀ
			out.locals = []*mat.Dense{mat.DenseCopyOf(b.val.T()), mat.DenseCopyOf(a.val.T())}
		}
		if a.needs {
			d := mem.Dense(ar, ac)
			mul(d, g, b.val.T())
			a.accumulate(d)
		}
		if b.needs {
			d := mem.Dense(ac, bc)
			mul(d, a.val.T(), g)
			b.accumulate(d)
		}
	}
	return out
}

// elementwise is A op B with NumPy's broadcasting of 1×1, 1×n and m×1
// operands. Each output element reads A[ia, ja] and B[ib, jb], where a
// broadcast dimension's index is 0; the backward pass adds each output
// element's contribution at those same indices, which sums the gradient over
// the broadcast dimensions.
func elementwise(op byte, a, b *node, tr *trace, keep bool) *node {
	ar, ac := a.val.Dims()
	br, bc := b.val.Dims()
	shape, _ := expr.Broadcast([2]int{ar, ac}, [2]int{br, bc})
	r, c := shape[0], shape[1]
	out := &node{needs: a.needs || b.needs, val: mem.Dense(r, c), flops: 2 * float64(r*c)}
	A, B, O := a.val.RawMatrix(), b.val.RawMatrix(), out.val.RawMatrix()
	at := func(m blas64.General, rows, cols, i, j int) float64 {
		if rows == 1 {
			i = 0
		}
		if cols == 1 {
			j = 0
		}
		return m.Data[i*m.Stride+j]
	}
	f := opFunc(op)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			x, y := at(A, ar, ac, i, j), at(B, br, bc, i, j)
			z := f(x, y)
			O.Data[i*O.Stride+j] = z
			if bad(z) && tr.problem == "" && !bad(x) && !bad(y) {
				tr.problem = fmt.Sprintf("%s (element [%d,%d])", opProblem(op, x, y), i, j)
			}
		}
	}
	out.back = func(g *mat.Dense) {
		G := g.RawMatrix()
		var ga, gb *mat.Dense
		if a.needs {
			ga = mem.Dense(ar, ac)
		}
		if b.needs {
			gb = mem.Dense(br, bc)
		}
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				x, y := at(A, ar, ac, i, j), at(B, br, bc, i, j)
				gv := G.Data[i*G.Stride+j]
				da, db := opPartials(op, x, y, O.Data[i*O.Stride+j])
				if ga != nil {
					ia, ja := bidx(ar, i), bidx(ac, j)
					ga.Set(ia, ja, ga.At(ia, ja)+gv*da)
				}
				if gb != nil {
					ib, jb := bidx(br, i), bidx(bc, j)
					gb.Set(ib, jb, gb.At(ib, jb)+gv*db)
				}
			}
		}
		if ga != nil {
			a.accumulate(ga)
		}
		if gb != nil {
			b.accumulate(gb)
		}
	}
	if keep {
		// the local partials ∂out/∂A and ∂out/∂B, element by element on the
		// output's shape, as the backward walk uses them
		back := out.back
		out.back = func(g *mat.Dense) {
			la, lb := mem.Dense(r, c), mem.Dense(r, c)
			for i := 0; i < r; i++ {
				for j := 0; j < c; j++ {
					da, db := opPartials(op, at(A, ar, ac, i, j), at(B, br, bc, i, j), O.Data[i*O.Stride+j])
					la.Set(i, j, da)
					lb.Set(i, j, db)
				}
			}
			out.locals = []*mat.Dense{la, lb}
			back(g)
		}
	}
	return out
}

func bidx(n, i int) int {
	if n == 1 {
		return 0
	}
	return i
}

func opFunc(op byte) func(x, y float64) float64 {
	switch op {
	case '+':
		return func(x, y float64) float64 { return x + y }
	case '-':
		return func(x, y float64) float64 { return x - y }
	case '*':
		return func(x, y float64) float64 { return x * y }
	case '/':
		return func(x, y float64) float64 { return x / y }
	case '^':
		return func(x, y float64) float64 { return powConst(dual{x, 0}, y).v }
	}
	panic("diff: unknown operator")
}

// opPartials are ∂(x op y)/∂x and ∂(x op y)/∂y, given z = x op y.
func opPartials(op byte, x, y, z float64) (float64, float64) {
	switch op {
	case '+':
		return 1, 1
	case '-':
		return 1, -1
	case '*':
		return y, x
	case '/':
		return 1 / y, -z / y
	case '^':
		dx := powConst(dual{x, 1}, y).d
		dy := pow(dual{x, 0}, dual{y, 1}).d
		return dx, dy
	}
	panic("diff: unknown operator")
}

// backward sends ∂L/∂L = 1 from root down the tape.
func (t *tape) backward(root *node) {
	root.grad = mat.NewDense(1, 1, []float64{1})
	for i := len(t.nodes) - 1; i >= 0; i-- {
		n := t.nodes[i]
		if n.grad != nil && n.back != nil && n.needs {
			n.back(n.grad)
		}
	}
}
