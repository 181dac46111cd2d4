package diff

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/internal/mem"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/ops"
	"github.com/runner-dev/runner/rng"
	"github.com/runner-dev/runner/spec"
)

// directions checks ⟨∂L/∂M, V⟩ against d/dt L(M + t·V) at t = 0 along
// unit directions V, each in one input matrix M, the matrices in turn:
// max(SampleDirections, number of input matrices) directions, so that every
// input matrix has one. V is standard normal draws from src scaled to unit
// Frobenius length, so that h is the length of the step whatever the
// matrix's size.
//
// L along the line is evaluated on the tape the gradient was taken on
// (line): only what depends on M is recomputed, and a product with M as
// one factor, (M + t·V)·W = M·W + t·(V·W), takes one product, V·W, for all
// the evaluations of the difference formula, instead of one each. Where
// the tape holds something line cannot recompute, L is evaluated afresh
// with M + t·V in M's place (value).
func directions(src *rng.Source, g *Gradient, t *tape, root *node, leaves map[string]*mat.Dense, value func() float64, s spec.Settings, kink bool, problem string, numProblem *string) []Direction {
	// along the input matrices: an intermediate moved with its inputs
	// held is checked by its elements only
	var mats []MatrixGradient
	for _, mg := range g.Wrt {
		if !mg.Intermediate {
			mats = append(mats, mg)
		}
	}
	if len(mats) == 0 {
		return nil
	}
	note := func(p string) {
		if *numProblem == "" {
			*numProblem = p
		}
	}
	var out []Direction
	for k := 0; k < max(SampleDirections, len(mats)); k++ {
		mg := mats[k%len(mats)]
		base := leaves[mg.Name]
		r, c := base.Dims()
		v := mem.Dense(r, c)
		vd := v.RawMatrix().Data
		src.NormFill(vd)
		norm2 := 0.0
		for _, x := range vd {
			norm2 += x * x
		}
		scale := 1 / math.Sqrt(norm2)
		var dot ops.Neumaier // ⟨∂L/∂M, V⟩, compensated
		raw := mg.Exact.RawMatrix()
		for i := 0; i < r; i++ {
			for j, gv := range raw.Data[i*raw.Stride : i*raw.Stride+c] {
				vd[i*c+j] *= scale
				dot.Add(gv * vd[i*c+j])
			}
		}
		dd := newDerivative(fmt.Sprintf("direction %d", k+1), dot.Sum())
		along := func(tt float64) float64 {
			moved := mem.Dense(r, c)
			moveAlong(moved, base, tt, v)
			leaves[mg.Name] = moved
			defer func() { leaves[mg.Name] = base }()
			return value()
		}
		if ln := newLine(t, root, t.wrt[mg.Name], v, note); ln != nil {
			along = ln.at
		}
		m := method.Get(s.Method)
		dd.Numeric, dd.ErrEst = m.First(along, nil, 0, s.Step)
		dd.Bound = m.FirstBound(along, nil, nil, 0, s.Step, dd.Numeric)
		judgeGradient(&dd, s, kink, problem, *numProblem)
		out = append(out, Direction{dd})
	}
	return out
}

// moveAlong sets dst = base + t·v, element by element, t·v rounded before
// the sum (never fused).
func moveAlong(dst, base *mat.Dense, t float64, v *mat.Dense) {
	d, b, w := dst.RawMatrix(), base.RawMatrix(), v.RawMatrix()
	for i := 0; i < d.Rows; i++ {
		dr, br, wr := d.Data[i*d.Stride:i*d.Stride+d.Cols], b.Data[i*b.Stride:i*b.Stride+d.Cols], w.Data[i*w.Stride:i*w.Stride+d.Cols]
		for j := range dr {
			dr[j] = br[j] + float64(t*wr[j])
		}
	}
}

// line is L along the line through a tape's leaf, leaf + t·V, the rest of
// the leaves held: the tape's nodes that depend on the leaf are recomputed
// in order from their inputs' values at t, except those that move along a
// line themselves (tangent): the leaf, and a bilinear operation (a product)
// with one input on a line and the others held, whose value at t is its
// value on the tape plus t times its tangent.
type line struct {
	t          *tape
	leaf, root *node
	moving     map[*node]bool
	tangent    map[*node]*mat.Dense
	read       map[*node]bool // values at t that are read: inputs of recomputed nodes, and the root
	c          *ops.Ctx
	// the matrices of one evaluation, handed out again, in the same order,
	// to the next (each evaluation needs the same shapes in the same order):
	// no fresh memory, and so no page faults, after the first
	pool []ops.Mat
	next int
}

// newLine prepares L along leaf + t·v; nil when a node that depends on the
// leaf is not computed by an operation (the caller then evaluates L
// afresh). note receives the problems (overflow, a domain) met.
func newLine(t *tape, root *node, leaf *node, v *mat.Dense, note func(string)) *line {
	if leaf == nil {
		return nil
	}
	l := &line{t: t, leaf: leaf, root: root, moving: map[*node]bool{leaf: true}, tangent: map[*node]*mat.Dense{leaf: v},
		read: map[*node]bool{root: true}}
	l.c = &ops.Ctx{New: l.new, Mul: mulMat, Kink: func() {}, Problem: note}
	for _, n := range t.nodes {
		moving, count := 0, 0 // an input on the move, and how many are
		for i, a := range n.ins {
			if l.moving[a] {
				moving, count = i, count+1
			}
		}
		if count == 0 {
			continue
		}
		if n.op == nil {
			return nil
		}
		l.moving[n] = true
		if tg := l.tangent[n.ins[moving]]; count == 1 && n.op.Bilinear && tg != nil {
			in := l.inputs(n, nil)
			in[moving] = view(tg)
			l.tangent[n] = dense(n.op.Forward(&ops.Ctx{New: ops.New, Mul: mulMat, Kink: func() {}, Problem: note}, n.call, in))
			continue
		}
		for _, a := range n.ins {
			l.read[a] = true
		}
	}
	return l
}

// new is a zeroed r×c matrix: the pool's next one when it has that shape.
func (l *line) new(r, c int) ops.Mat {
	k := l.next
	l.next++
	if k < len(l.pool) && l.pool[k].R == r && l.pool[k].C == c {
		clear(l.pool[k].Data)
		return l.pool[k]
	}
	m := view(mem.Dense(r, c))
	if k < len(l.pool) {
		l.pool[k] = m
	} else {
		l.pool = append(l.pool, m)
	}
	return m
}

// inputs are n's inputs' values: from vals where they moved, else the
// tape's.
func (l *line) inputs(n *node, vals map[*node]*mat.Dense) []ops.Mat {
	in := make([]ops.Mat, len(n.ins))
	for i, a := range n.ins {
		if m, ok := vals[a]; ok {
			in[i] = view(m)
		} else {
			in[i] = view(a.val)
		}
	}
	return in
}

// at is L at t on the line.
func (l *line) at(t float64) float64 {
	l.next = 0
	vals := map[*node]*mat.Dense{}
	onLine := func(n *node) {
		if !l.read[n] {
			return // only products read it, through its tangent
		}
		r, c := n.val.Dims()
		m := dense(l.new(r, c))
		moveAlong(m, n.val, t, l.tangent[n])
		vals[n] = m
	}
	onLine(l.leaf)
	for _, n := range l.t.nodes {
		switch {
		case !l.moving[n]:
		case l.tangent[n] != nil:
			onLine(n)
		default:
			vals[n] = dense(n.op.Forward(l.c, n.call, l.inputs(n, vals)))
		}
	}
	if m, ok := vals[l.root]; ok {
		return m.At(0, 0)
	}
	return l.root.val.At(0, 0)
}
