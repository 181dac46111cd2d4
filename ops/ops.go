// Package ops is the table of matrix operations: each operation is one
// entry (see table.go) that the resolver, the shape rule, the reverse-mode
// tape, the incremental re-evaluation, the explanation and the LaTeX printer
// look up; none of them switches on an operation's name. This file holds the
// entry's type and what entries share: a small matrix view, patches, the
// element-wise machinery with NumPy's broadcasting.
//
// The package depends on the function registry only, so that the parser's
// package can import it; the tape supplies its allocator and its matrix
// product through a Ctx.
package ops

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/runner-dev/runner/funcs"
)

// Kind is what an argument of an operation is.
type Kind int

const (
	// Matrix is a matrix-valued expression, which the gradient flows into.
	Matrix Kind = iota
	// Labels is a label matrix (non-negative integers), never differentiated.
	Labels
	// Number is a numeric parameter: a constant expression such as 1 or pi/2.
	Number
)

// Arg is one argument of an operation. Matrix and Labels arguments come
// first, in call order; Number parameters follow, those with defaults last.
type Arg struct {
	Name       string
	Kind       Kind
	Default    float64
	HasDefault bool
	// Check, for a Number, says what is wrong with a value given for it
	// ("" when nothing is); the resolver reports it at the argument.
	Check func(v float64) string
}

// Call is one use of an operation: the registry function that Apply maps
// over the elements (nil for other operations) and the numeric parameters,
// defaults filled in.
type Call struct {
	Fn     *funcs.Func
	Params []float64
}

// name is the name the call was written with: the registry function's for
// Apply, else the operation's.
func (k *Call) name(op *Op) string {
	if k != nil && k.Fn != nil {
		return k.Fn.Name
	}
	return op.Name
}

// Mat is a row-major matrix view: element (i, j) is Data[i*Stride+j].
type Mat struct {
	R, C, Stride int
	Data         []float64
}

// At is element (i, j).
func (m Mat) At(i, j int) float64 { return m.Data[i*m.Stride+j] }

// Set sets element (i, j) to v.
func (m Mat) Set(i, j int, v float64) { m.Data[i*m.Stride+j] = v }

// Size is the number of elements, as a float64 for cost estimates.
func (m Mat) Size() float64 { return float64(m.R * m.C) }

// New is a zeroed r×c matrix of ordinary memory.
func New(r, c int) Mat { return Mat{R: r, C: c, Stride: c, Data: make([]float64, r*c)} }

// copyOf is a copy of m, transposed when t.
func copyOf(c *Ctx, m Mat, t bool) Mat {
	r, cols := m.R, m.C
	if t {
		r, cols = cols, r
	}
	out := c.New(r, cols)
	for i := 0; i < m.R; i++ {
		for j := 0; j < m.C; j++ {
			if t {
				out.Set(j, i, m.At(i, j))
			} else {
				out.Set(i, j, m.At(i, j))
			}
		}
	}
	return out
}

// Ctx is what the tape lends an operation: memory, its matrix product, and
// where to note what an evaluation met.
type Ctx struct {
	// New is a zeroed r×c matrix.
	New func(r, c int) Mat
	// Mul sets dst = op(a)·op(b), op transposing where ta (tb) is set.
	Mul func(dst, a Mat, ta bool, b Mat, tb bool)
	// Kink notes that a function was evaluated exactly at a kink.
	Kink func()
	// Problem notes a value that is not finite although its inputs were;
	// the first one noted is the one reported.
	Problem func(string)
	// Keep asks Backward for the local derivatives, for the explanation.
	Keep bool
	// Reads, when not nil, says which elements of a patch's output are read
	// by what follows (row-major, of the whole output): a Patch computing the
	// whole output may leave the others out (zero, and no problem noted).
	Reads []bool
	// Side, when not nil, is the side (−1, 0 or 1) that element (i, j) of
	// a registry function's input moves to: where that element is at a
	// kink, Backward takes the function's derivative from that side (for a
	// one-sided derivative of L), else its two-sided value.
	Side func(i, j int) float64
}

// Patch is a value under a perturbation of one input element: the value on
// the tape except in rows × cols, where it is Vals. Row (Col) is one index,
// or −1 for all rows (columns); Vals is 1 or all rows by 1 or all columns.
type Patch struct {
	Row, Col int
	Vals     Mat
}

// Index is the element of the whole matrix that the patch's element (i, j)
// stands for.
func (p *Patch) Index(i, j int) (int, int) {
	if p.Row >= 0 {
		i = p.Row
	}
	if p.Col >= 0 {
		j = p.Col
	}
	return i, j
}

// At is element (i, j) of m under p (nil: unchanged).
func At(m Mat, p *Patch, i, j int) float64 {
	if p != nil && (p.Row < 0 || i == p.Row) && (p.Col < 0 || j == p.Col) {
		if p.Row >= 0 {
			i = 0
		}
		if p.Col >= 0 {
			j = 0
		}
		return p.Vals.At(i, j)
	}
	return m.At(i, j)
}

// BAt is element (i, j) of m under p, broadcast to a larger shape as an
// element-wise operation reads it.
func BAt(m Mat, p *Patch, i, j int) float64 { return At(m, p, bidx(m.R, i), bidx(m.C, j)) }

// Materialize is m's whole value under p, in memory from c.New where it is
// not p's own.
func Materialize(c *Ctx, m Mat, p *Patch) Mat {
	if p == nil {
		return m
	}
	if p.Row < 0 && p.Col < 0 {
		return p.Vals
	}
	out := c.New(m.R, m.C)
	for i := 0; i < m.R; i++ {
		for j := 0; j < m.C; j++ {
			out.Set(i, j, At(m, p, i, j))
		}
	}
	return out
}

// Arena hands out zeroed matrices from memory it keeps: Reset makes all of
// it free again, so that the many short-lived values of repeated patches
// (the element checks' five evaluations each) are not garbage to collect.
// The zero Arena is empty and ready; one Arena serves one goroutine.
type Arena struct {
	buf  []float64 // the memory handed out from, from off on
	off  int
	used int // what all the buffers since the last Reset held, for the next one
}

// New is a zeroed r×c matrix from a's memory, valid until a.Reset.
func (a *Arena) New(r, c int) Mat {
	n := r * c
	if a.off+n > len(a.buf) {
		// a fresh buffer; the old one stays with the matrices already
		// handed out, and the next Reset makes one buffer of the total
		a.used += a.off
		a.buf, a.off = make([]float64, max(2*len(a.buf), n, 1024)), 0
	}
	d := a.buf[a.off : a.off+n : a.off+n]
	a.off += n
	clear(d)
	return Mat{R: r, C: c, Stride: c, Data: d}
}

// Reset frees everything a handed out: the matrices from New must no longer
// be used.
func (a *Arena) Reset() {
	if a.used > 0 { // one buffer large enough for all of it next time
		a.buf = make([]float64, 2*(a.used+a.off))
		a.used = 0
	}
	a.off = 0
}

// Saved is a number an operation may keep between patches of the same
// tape, such as its input's sum. Patches of one tape may run at once (the
// element checks of a gradient), so it is computed once, by Get.
type Saved struct {
	once  sync.Once
	value float64
}

// Get is the saved number, computed by f the first time it is asked for.
func (s *Saved) Get(f func() float64) float64 {
	s.once.Do(func() { s.value = f() })
	return s.value
}

// TeX is what an operation's LaTeX is written with: its arguments, already
// written, and the printer's conventions.
type TeX interface {
	// Arg is argument k, bracketed when its precedence is below outer
	// (1 sums, 2 products, 3 negation, 4 powers, 5 atoms).
	Arg(k, outer int) string
	// Power is argument k raised to exp.
	Power(k int, exp string) string
	// Paren brackets s, with \left( \right) where s is tall.
	Paren(s string) string
	// Number reports whether argument k is a plain number, Letter whether
	// it is a one-letter name.
	Number(k int) bool
	Letter(k int) bool
}

// Op is one operation. Adding one is one entry in table.go plus its tests.
type Op struct {
	// Name is the call's name ("sum"), or the operator's symbol ("+").
	Name string
	// Args are the arguments, inputs first (see Arg).
	Args []Arg
	// Doc is what the operation computes, for `runner functions`.
	Doc string

	// Shape is the output's shape from the inputs' shapes and the
	// parameters, or a message saying why the shapes do not fit.
	Shape func(in [][2]int, p []float64) ([2]int, string)
	// Forward computes the value.
	Forward func(c *Ctx, k *Call, in []Mat) Mat
	// Backward is the vector-Jacobian product: given ∂L/∂out = g, the
	// gradient for each input whose needs is set (a zero Mat for none), and,
	// when c.Keep, the local derivatives the explanation shows (one per
	// input, a zero Mat where none is shown). Backward may write into g.
	Backward func(c *Ctx, k *Call, in []Mat, out, g Mat, needs []bool) (grads, locals []Mat)
	// Cost is the floating-point work of Forward, for planning the check.
	Cost func(in []Mat, out Mat) float64
	// Patch is the output after the inputs changed as ps says (nil for an
	// input that did not change): only the rows or columns that change.
	// nil means the output is recomputed in full.
	Patch func(c *Ctx, k *Call, in []Mat, ps []*Patch, out Mat, s *Saved) *Patch
	// Reads, for an operation each of whose output elements reads one
	// element of each input, is the element of input k that output element
	// (i, j) reads; nil means every output element may read every element
	// of its inputs. A walk of patches uses it to compute only the elements
	// that what follows reads (Ctx.Reads).
	Reads func(in []Mat, k, i, j int) (int, int)
	// Change, for an operation whose 1×1 output is linear in its one input,
	// is the output's change given the changed elements' differences (so
	// that L's change is summed from the changes, never from L itself).
	Change func(k *Call, in Mat, diffs Mat) float64
	// Elem is set for element-wise binary operations: their value and
	// partial derivatives, element by element.
	Elem *Elem
	// Bilinear is set for an operation linear in each input separately (a
	// product): with one input A moving along a line A + t·Ȧ and the others
	// held, the output moves along the line out + t·Forward(…, Ȧ, …), which
	// the directional check uses to evaluate L along a direction with one
	// product in all.
	Bilinear bool

	// Step names the operation's node in the explanation's graph, from
	// its inputs' names ("N" for a product).
	Step func(in []string, k *Call) string
	// Show is what the node computes, in its inputs' names; nil writes
	// name(in0, in1, …).
	Show func(in []string, k *Call) string
	// Rules say, for each input, what the backward step does with the
	// gradient that arrives ("right-multiply by Wᵀ"), in words a learner
	// follows; "" leaves the input out.
	Rules func(in []string, needs []bool, k *Call) []string

	// Range, for an operation that takes labels, is the bound each label
	// of input k must stay below, from the inputs' shapes and the
	// parameters, and what that bound is ("the 4 columns of Z"); the loader
	// checks the label matrices against it before anything is computed.
	Range func(in [][2]int, p []float64, k int) (int, string)

	// Level is the LaTeX's precedence (see TeX.Arg); 0 means 5.
	Level int
	// LaTeX writes the operation; nil leaves it to the registry's
	// conventions (Apply).
	LaTeX func(t TeX, k *Call) string
}

// Inputs is the number of Matrix and Labels arguments.
func (op *Op) Inputs() int {
	n := 0
	for _, a := range op.Args {
		if a.Kind != Number {
			n++
		}
	}
	return n
}

// Signature is how the operation is called: "maximum(A, B)".
func (op *Op) Signature() string {
	names := make([]string, len(op.Args))
	for i, a := range op.Args {
		names[i] = a.Name
	}
	return op.Name + "(" + strings.Join(names, ", ") + ")"
}

// Fill checks a call's argument count and returns its parameters with
// defaults for those not given; msg says what is wrong when the count is.
func (op *Op) Fill(nargs int, given []float64) (params []float64, msg string) {
	min, max := 0, len(op.Args)
	for _, a := range op.Args {
		if a.Kind != Number || !a.HasDefault {
			min++
		}
	}
	if nargs < min || nargs > max {
		if len(op.Args) == 1 {
			return nil, fmt.Sprintf("%s takes one argument, got %d", op.Name, nargs)
		}
		return nil, fmt.Sprintf("%s takes %s: %s, got %d", op.Name, count(min, max), op.Signature(), nargs)
	}
	for _, a := range op.Args[op.Inputs():] {
		if len(given) > 0 {
			params, given = append(params, given[0]), given[1:]
		} else {
			params = append(params, a.Default)
		}
	}
	return params, ""
}

func count(min, max int) string {
	if min == max {
		return strconv.Itoa(min) + " arguments"
	}
	return fmt.Sprintf("%d to %d arguments", min, max)
}

// CallName is the name under which op was called in k.
func (op *Op) CallName(k *Call) string { return k.name(op) }

var byName = map[string]*Op{}

func init() {
	for _, op := range table {
		byName[op.Name] = op
	}
}

// Lookup is the named operation (sum, maximum, …), or nil. Operators and
// the registry's functions are not named operations.
func Lookup(name string) *Op {
	op := byName[name]
	if op == nil || !isName(name) {
		return nil
	}
	return op
}

// Operator is the entry of the binary operator sym (+ - * / ^ @).
func Operator(sym byte) *Op { return byName[string(sym)] }

// Neg is the entry of unary minus.
func Neg() *Op { return byName["neg"] }

// Apply is the entry of a registry function applied element by element.
func Apply() *Op { return apply }

func isName(s string) bool { return s != "" && s[0] >= 'a' && s[0] <= 'z' && s != "neg" }

// Named are the named operations, sorted by name.
func Named() []*Op {
	var out []*Op
	for _, op := range table {
		if isName(op.Name) {
			out = append(out, op)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names are the named operations' names, sorted.
func Names() []string {
	var out []string
	for _, op := range Named() {
		out = append(out, op.Name)
	}
	return out
}

// Sum is the sum of m's elements by Neumaier's compensated summation, whose
// error is about one rounding of the result however many elements there are
// (plain summation's grows with √n): finite differences of a large sum
// subtract two nearly equal values, so its rounding matters.
func Sum(m Mat) float64 {
	var acc Neumaier
	for i := 0; i < m.R; i++ {
		for _, x := range m.Data[i*m.Stride : i*m.Stride+m.C] {
			acc.Add(x)
		}
	}
	return acc.Sum()
}

// Neumaier is a running sum with Neumaier's compensation: s, and comp the
// rounding errors of the additions so far.
type Neumaier struct{ s, comp float64 }

// Add adds x.
func (a *Neumaier) Add(x float64) {
	t := a.s + x
	if math.Abs(a.s) >= math.Abs(x) {
		a.comp += (a.s - t) + x
	} else {
		a.comp += (x - t) + a.s
	}
	a.s = t
}

// Sum is the compensated total.
func (a Neumaier) Sum() float64 { return a.s + a.comp }

// Bad reports whether x is not a finite number: x − x is 0 for every
// finite x, NaN for ±Inf and NaN.
func Bad(x float64) bool { return x-x != 0 }

// G formats a number for a problem's description.
func G(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

// CallProblem says why f(x; p) is not a finite number.
func CallProblem(f *funcs.Func, x float64, p []float64) string {
	call := G(x)
	for _, v := range p {
		call += ", " + G(v)
	}
	if f.In != nil && !f.In(x, p) {
		return fmt.Sprintf("%s(%s) is undefined: outside its domain %s", f.Name, call, f.Domain)
	}
	return fmt.Sprintf("%s(%s) overflows", f.Name, call)
}

// Elem is an element-wise binary operation: F its value, D its partial
// derivatives ∂z/∂x and ∂z/∂y given z = F(x, y); Kink (optional) whether
// (x, y) is a point where it is not differentiable; Problem (optional) why
// F is not finite where x and y are ("" for the default overflow message).
type Elem struct {
	F       func(x, y float64) float64
	D       func(x, y, z float64) (float64, float64)
	Kink    func(x, y float64) bool
	Problem func(x, y float64) string
}

// elementwise builds an operation whose every output element is F of the
// elements of A and B at the same place, with NumPy's broadcasting of 1×1,
// 1×n and m×1 operands: a broadcast dimension's index is 0, and the
// backward pass adds each output element's contribution at those same
// indices, which sums the gradient over the broadcast dimensions.
func elementwise(op *Op, e *Elem) *Op {
	op.Elem = e
	if op.Args == nil {
		op.Args = []Arg{{Name: "A"}, {Name: "B"}}
	}
	op.Shape = func(in [][2]int, _ []float64) ([2]int, string) {
		out, ok := Broadcast(in[0], in[1])
		if !ok {
			return in[0], fmt.Sprintf("%s and %s do not broadcast (each side's rows and columns must match or be 1)", Dims(in[0]), Dims(in[1]))
		}
		return out, ""
	}
	op.Cost = func(_ []Mat, out Mat) float64 { return 2 * out.Size() }
	op.Forward = func(c *Ctx, _ *Call, in []Mat) Mat {
		A, B := in[0], in[1]
		shape, _ := Broadcast([2]int{A.R, A.C}, [2]int{B.R, B.C})
		O := c.New(shape[0], shape[1])
		for i := 0; i < O.R; i++ {
			for j := 0; j < O.C; j++ {
				x, y := bat(A, i, j), bat(B, i, j)
				z := e.F(x, y)
				O.Data[i*O.Stride+j] = z
				if e.Kink != nil && e.Kink(x, y) {
					c.Kink()
				}
				if Bad(z) && !Bad(x) && !Bad(y) {
					c.Problem(fmt.Sprintf("%s (element [%d,%d])", e.problem(op.Name, x, y), i, j))
				}
			}
		}
		return O
	}
	op.Backward = func(c *Ctx, _ *Call, in []Mat, O, G Mat, needs []bool) ([]Mat, []Mat) {
		A, B := in[0], in[1]
		// the partials at output element (i, j); at a kink, with c.Side
		// the side A − B moves to there, from that side
		d := func(i, j int) (float64, float64) {
			x, y := bat(A, i, j), bat(B, i, j)
			if e.Kink != nil && c.Side != nil && e.Kink(x, y) {
				if s := c.Side(i, j); s != 0 {
					x = math.Nextafter(x, s*math.Inf(1))
				}
			}
			return e.D(x, y, O.At(i, j))
		}
		var locals []Mat
		if c.Keep {
			// the local partials ∂out/∂A and ∂out/∂B, element by element on
			// the output's shape, as the backward walk uses them
			la, lb := c.New(O.R, O.C), c.New(O.R, O.C)
			for i := 0; i < O.R; i++ {
				for j := 0; j < O.C; j++ {
					da, db := d(i, j)
					la.Set(i, j, da)
					lb.Set(i, j, db)
				}
			}
			locals = []Mat{la, lb}
		}
		gs := zeros(c, needs, in)
		ga, gb := gs[0], gs[1]
		for i := 0; i < O.R; i++ {
			for j := 0; j < O.C; j++ {
				gv := G.At(i, j)
				da, db := d(i, j)
				if ga.Data != nil {
					ia, ja := bidx(A.R, i), bidx(A.C, j)
					ga.Set(ia, ja, ga.At(ia, ja)+gv*da)
				}
				if gb.Data != nil {
					ib, jb := bidx(B.R, i), bidx(B.C, j)
					gb.Set(ib, jb, gb.At(ib, jb)+gv*db)
				}
			}
		}
		return []Mat{ga, gb}, locals
	}
	op.Reads = func(in []Mat, k, i, j int) (int, int) { return bidx(in[k].R, i), bidx(in[k].C, j) }
	op.Patch = func(c *Ctx, _ *Call, in []Mat, ps []*Patch, O Mat, _ *Saved) *Patch {
		return elementwisePatch(c, op.Name, e, in[0], ps[0], in[1], ps[1], O.R, O.C)
	}
	if op.Show == nil && !isName(op.Name) { // an operator: A + B
		op.Show = func(in []string, _ *Call) string { return in[0] + " " + op.Name + " " + in[1] }
	}
	return op
}

func (e *Elem) problem(name string, x, y float64) string {
	if e.Problem != nil {
		if s := e.Problem(x, y); s != "" {
			return s
		}
	}
	if len(name) == 1 {
		return fmt.Sprintf("%s %s %s overflows", G(x), name, G(y))
	}
	return fmt.Sprintf("%s(%s, %s) overflows", name, G(x), G(y))
}

// OpProblem says why x op y is not a finite number, for the operator op.
func OpProblem(op byte, x, y float64) string {
	return Operator(op).Elem.problem(string(op), x, y)
}

// zeros are a zero matrix of each input's shape whose needs is set, for a
// backward step to add into, and a zero Mat (no data) for the others.
func zeros(c *Ctx, needs []bool, in []Mat) []Mat {
	out := make([]Mat, len(in))
	for i, m := range in {
		if needs[i] {
			out[i] = c.New(m.R, m.C)
		}
	}
	return out
}

// steps are the row and column steps through m's data of m broadcast to
// a larger shape: 0 along a dimension of 1.
func steps(m Mat) (rs, cs int) {
	rs, cs = m.Stride, 1
	if m.R == 1 {
		rs = 0
	}
	if m.C == 1 {
		cs = 0
	}
	return rs, cs
}

// bat is element (i, j) of m broadcast to a larger shape.
func bat(m Mat, i, j int) float64 { return m.Data[bidx(m.R, i)*m.Stride+bidx(m.C, j)] }

func bidx(n, i int) int {
	if n == 1 {
		return 0
	}
	return i
}

// elementwisePatch is A op B (broadcast) after a change, over the rows and
// columns where either operand changed.
func elementwisePatch(c *Ctx, name string, e *Elem, A Mat, pa *Patch, B Mat, pb *Patch, r, cols int) *Patch {
	// where each operand's change lands in the output: −2 nowhere, −1 all
	reach := func(p *Patch, idx, n, out int) int {
		switch {
		case p == nil:
			return -2
		case n == 1 && out > 1: // broadcast: one element reaches them all
			return -1
		}
		return idx
	}
	unify := func(x, y int) int {
		switch {
		case x == -2:
			return y
		case y == -2 || x == y:
			return x
		}
		return -1
	}
	rowA, colA, rowB, colB := -2, -2, -2, -2
	if pa != nil {
		rowA, colA = reach(pa, pa.Row, A.R, r), reach(pa, pa.Col, A.C, cols)
	}
	if pb != nil {
		rowB, colB = reach(pb, pb.Row, B.R, r), reach(pb, pb.Col, B.C, cols)
	}
	row, col := unify(rowA, rowB), unify(colA, colB)
	nr, nc := 1, 1
	if row < 0 {
		nr = r
	}
	if col < 0 {
		nc = cols
	}
	out := &Patch{Row: row, Col: col, Vals: c.New(nr, nc)}
	if row < 0 && col < 0 { // every element: read the operands whole
		A, B = Materialize(c, A, pa), Materialize(c, B, pb)
		// element (i, j) of a broadcast operand is at i·rs + j·cs
		ra, ca := steps(A)
		rb, cb := steps(B)
		for i := 0; i < nr; i++ {
			dst := out.Vals.Data[i*out.Vals.Stride : i*out.Vals.Stride+nc]
			as, bs := A.Data[i*ra:], B.Data[i*rb:]
			var reads []bool
			if c.Reads != nil {
				reads = c.Reads[i*nc : (i+1)*nc]
			}
			for j := range dst {
				if reads != nil && !reads[j] {
					continue
				}
				x, y := as[j*ca], bs[j*cb]
				z := e.F(x, y)
				if Bad(z) && !Bad(x) && !Bad(y) {
					c.Problem(fmt.Sprintf("%s (element [%d,%d])", e.problem(name, x, y), i, j))
				}
				dst[j] = z
			}
		}
		return out
	}
	for i := 0; i < nr; i++ {
		for j := 0; j < nc; j++ {
			ii, jj := out.Index(i, j)
			x, y := At(A, pa, bidx(A.R, ii), bidx(A.C, jj)), At(B, pb, bidx(B.R, ii), bidx(B.C, jj))
			z := e.F(x, y)
			if Bad(z) && !Bad(x) && !Bad(y) {
				c.Problem(fmt.Sprintf("%s (element [%d,%d])", e.problem(name, x, y), ii, jj))
			}
			out.Vals.Set(i, j, z)
		}
	}
	return out
}

// readsSame is the Reads of an operation whose output element (i, j) reads
// element (i, j) of its input.
func readsSame(_ []Mat, _, i, j int) (int, int) { return i, j }

// mapPatch applies f to the changed elements of a.
func mapPatch(c *Ctx, pa *Patch, f func(x float64, i, j int) float64) *Patch {
	v := pa.Vals
	out := &Patch{Row: pa.Row, Col: pa.Col, Vals: c.New(v.R, v.C)}
	var reads []bool // what is read of a whole output (Ctx.Reads)
	if pa.Row < 0 && pa.Col < 0 {
		reads = c.Reads
	}
	for i := 0; i < v.R; i++ {
		ii := i
		if pa.Row >= 0 {
			ii = pa.Row
		}
		src, dst := v.Data[i*v.Stride:i*v.Stride+v.C], out.Vals.Data[i*out.Vals.Stride:i*out.Vals.Stride+v.C]
		for j, x := range src {
			if reads != nil && !reads[i*v.C+j] {
				continue
			}
			jj := j
			if pa.Col >= 0 {
				jj = pa.Col
			}
			dst[j] = f(x, ii, jj)
		}
	}
	return out
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

// Dims writes a shape as rows×columns.
func Dims(s [2]int) string { return fmt.Sprintf("%d×%d", s[0], s[1]) }
