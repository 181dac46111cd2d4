package diff

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/internal/prose"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/spec"
)

// Jacobian is a Jacobian's results: the expression's value and, for each
// matrix it is taken with respect to, every ∂out[i,j]/∂M[k,l].
type Jacobian struct {
	Name     string
	Src      string
	Settings spec.Settings
	Value    *mat.Dense
	Wrt      []JacobianBlock
	// Check says in words what was checked numerically.
	Check string
}

// JacobianBlock is the Jacobian with respect to one matrix M: Exact is
// (rows·cols of the output)×(rows·cols of M), row-major on both sides, so
// that Exact[i·c + j, k·n + l] = ∂out[i,j]/∂M[k,l]; Entries are the same
// values with their numeric checks, output element by output element.
type JacobianBlock struct {
	Name    string
	Input   *mat.Dense
	Exact   *mat.Dense
	Entries []JacobianEntry
}

// JacobianEntry is one ∂out[Out]/∂M[In] (Derivative.Wrt "M[k,l]").
type JacobianEntry struct {
	Out, In Index
	Derivative
}

// RunJacobian computes every ∂out[i,j]/∂M[k,l] exactly, by one reverse
// pass per output element (the gradient arriving at the output is 1 at
// [i,j] and 0 elsewhere), and numerically, perturbing each element of each
// M with the rest held and differencing the whole output. M may be an
// intermediate (let:): its Jacobian is the total derivative through its
// uses, and its numeric check moves it with its own inputs held.
func RunJacobian(j *spec.Jacobian, matrices []*spec.Matrix) *Jacobian {
	s := j.Settings
	leaves := map[string]*mat.Dense{}
	for _, m := range matrices {
		leaves[m.Name] = m.Value
	}
	eval := func(withGrad bool, override map[string]*mat.Dense) (*tape, *node) {
		return buildTape(leaves, j.Let, j.Wrt, j.Expr, withGrad, false, override)
	}
	base, root := eval(false, nil)
	out := &Jacobian{Name: j.Name, Src: j.Src, Settings: s, Value: mat.DenseCopyOf(root.val)}
	r, c := root.val.Dims()
	for _, w := range j.Wrt {
		in := leaves[w]
		if j.LetByName(w) != nil { // an intermediate: its value
			in = base.lets[w].val
		}
		mr, mc := in.Dims()
		out.Wrt = append(out.Wrt, JacobianBlock{Name: w, Input: in, Exact: mat.NewDense(r*c, mr*mc, nil)})
	}
	for i := 0; i < r; i++ {
		for k := 0; k < c; k++ {
			t, rt := eval(true, nil)
			seed := mat.NewDense(r, c, nil)
			seed.Set(i, k, 1)
			t.backwardFrom(rt, seed)
			for b, w := range j.Wrt {
				n := t.wrt[w]
				if ln, ok := t.lets[w]; ok {
					n = ln
				}
				if g := n.grad; g != nil {
					mr, mc := g.Dims()
					for p := 0; p < mr; p++ {
						for q := 0; q < mc; q++ {
							out.Wrt[b].Exact.Set(i*c+k, p*mc+q, g.At(p, q))
						}
					}
				}
			}
		}
	}
	for b := range out.Wrt {
		blk := &out.Wrt[b]
		mr, mc := blk.Input.Dims()
		numeric := make([]func(i, k int) (float64, float64, method.Bound), mr*mc)
		for p := range numeric {
			numeric[p] = jacobianColumn(j, blk, j.LetByName(blk.Name) != nil, leaves, p/mc, p%mc, eval)
		}
		for o := 0; o < r*c; o++ { // output element by output element, as the CSV lists them
			for p := range numeric {
				d := newDerivative(fmt.Sprintf("%s[%d,%d]", blk.Name, p/mc, p%mc), blk.Exact.At(o, p))
				d.Numeric, d.ErrEst, d.Bound = numeric[p](o/c, o%c)
				judgeGradient(&d, s, base.tr.kink, base.tr.problem, "")
				blk.Entries = append(blk.Entries, JacobianEntry{Out: Index{o / c, o % c}, In: Index{p / mc, p % mc}, Derivative: d})
			}
		}
	}
	names := make([]string, len(j.Wrt))
	copy(names, j.Wrt)
	if !method.Get(s.Method).Numeric() {
		out.Check = "no numeric check (method none): exact values only"
	} else {
		out.Check = fmt.Sprintf("every entry: each element of %s perturbed one at a time with the rest held, the whole output differenced (%s differences with h = %g)",
			prose.List(names, "and"), s.Method, s.Step)
		if len(j.Let) > 0 {
			out.Check += "; an intermediate's element is perturbed with the intermediate's own inputs held"
		}
	}
	return out
}

// jacobianColumn is the numeric derivative of every output element with
// respect to element [p,q] of blk's input (a matrix, or an intermediate,
// moved with its own inputs held), as a function of the output element:
// the output is evaluated once per step of the difference formula, not
// once per element.
func jacobianColumn(j *spec.Jacobian, blk *JacobianBlock, intermediate bool, leaves map[string]*mat.Dense, p, q int, eval func(bool, map[string]*mat.Dense) (*tape, *node)) func(i, k int) (float64, float64, method.Bound) {
	s := j.Settings
	orig := blk.Input
	moved := mat.DenseCopyOf(orig)
	x0 := orig.At(p, q)
	cache := map[float64]*mat.Dense{}
	at := func(v float64) *mat.Dense {
		if o, ok := cache[v]; ok {
			return o
		}
		moved.Set(p, q, v)
		var rt *node
		if intermediate {
			_, rt = eval(false, map[string]*mat.Dense{blk.Name: moved})
		} else {
			leaves[blk.Name] = moved
			_, rt = eval(false, nil)
			leaves[blk.Name] = orig
		}
		cache[v] = mat.DenseCopyOf(rt.val)
		return cache[v]
	}
	m := method.Get(s.Method)
	return func(i, k int) (float64, float64, method.Bound) {
		f := func(v float64) float64 { return at(v).At(i, k) }
		d, est := m.First(f, nil, x0, s.Step)
		if !m.Numeric() {
			return d, est, method.NoBound
		}
		return d, est, m.FirstBound(f, nil, nil, x0, s.Step, d)
	}
}
