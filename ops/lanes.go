package ops

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Operations over an axis. A matrix's lanes along axis a are its columns
// (a = 0: down the rows), its rows (a = 1: across the columns), or all its
// elements in row-major order (no axis). A reduction maps each lane to one
// number, keeping the reduced axis (NumPy's keepdims): 1×n, m×1 or 1×1; a
// lane map (softmax) maps each lane to a lane of the same length.

// All is the axis parameter of a call that names none: the operation runs
// over all the elements. It is NaN, which no written axis can be (an axis
// is 0 or 1), and expr.String stops writing a call's parameters at it.
var All = math.NaN()

// axisArg is the axis argument a, defaulting to def (All: every element).
func axisArg(def float64) Arg {
	return Arg{Name: "a", Kind: Number, Default: def, HasDefault: true, Check: func(v float64) string {
		if v != 0 && v != 1 {
			return fmt.Sprintf("the axis must be 0 (down the rows) or 1 (across the columns), found %s", G(v))
		}
		return ""
	}}
}

// whole is a check that a parameter is a whole number of at least lo.
func whole(lo float64) func(float64) string {
	return func(v float64) string {
		if v != math.Trunc(v) || v < lo || v > 1<<30 {
			return fmt.Sprintf("expected a whole number from %g, found %s", lo, G(v))
		}
		return ""
	}
}

// lanes are the lanes of an r×c matrix along an axis (−1: all elements).
type lanes struct{ r, c, axis int }

func lanesOf(r, c int, a float64) lanes {
	if math.IsNaN(a) {
		return lanes{r, c, -1}
	}
	return lanes{r, c, int(a)}
}

// count is the number of lanes, size the length of each.
func (l lanes) count() int { n, _ := l.dims(); return n }
func (l lanes) size() int  { _, n := l.dims(); return n }

func (l lanes) dims() (count, size int) {
	switch l.axis {
	case 0:
		return l.c, l.r
	case 1:
		return l.r, l.c
	}
	return 1, l.r * l.c
}

// at is the element (i, j) that element k of lane n stands for.
func (l lanes) at(n, k int) (int, int) {
	switch l.axis {
	case 0:
		return k, n
	case 1:
		return n, k
	}
	return k / l.c, k % l.c
}

// reduced is the shape of one number per lane, keeping the reduced axis.
func (l lanes) reduced() [2]int {
	switch l.axis {
	case 0:
		return [2]int{1, l.c}
	case 1:
		return [2]int{l.r, 1}
	}
	return [2]int{1, 1}
}

// Lane is an operation over the lanes of its one input: F sets ys from the
// lane xs (one y for a reduction, else one per x) and reports whether the
// lane is at a kink; D sets dxs, the gradient for xs, from the gradient gs
// that arrives at ys. p are the call's parameters, the axis first.
type Lane struct {
	Reduce bool
	F      func(xs, ys, p []float64) (kink bool)
	D      func(xs, ys, gs, dxs, p []float64)
	// Cost is the work per element (default 1).
	Cost float64
}

// lanewise fills op's shape rule, forward, backward, cost and patch from
// the lane functions l. op.Args must start with the matrix and the axis.
func lanewise(op *Op, l *Lane) *Op {
	op.Shape = func(in [][2]int, p []float64) ([2]int, string) {
		if l.Reduce {
			return lanesOf(in[0][0], in[0][1], p[0]).reduced(), ""
		}
		return in[0], ""
	}
	op.Cost = func(in []Mat, _ Mat) float64 { return max(l.Cost, 1) * in[0].Size() }
	op.Forward = func(c *Ctx, k *Call, in []Mat) Mat {
		a := in[0]
		ls := lanesOf(a.R, a.C, k.Params[0])
		shape := [2]int{a.R, a.C}
		if l.Reduce {
			shape = ls.reduced()
		}
		out := c.New(shape[0], shape[1])
		laneRun(c, l, ls, a, out, k.Params, c.Kink, 0, ls.count())
		return out
	}
	op.Backward = func(c *Ctx, k *Call, in []Mat, out, g Mat, _ []bool) ([]Mat, []Mat) {
		a := in[0]
		ls := lanesOf(a.R, a.C, k.Params[0])
		d := c.New(a.R, a.C)
		n, ny := ls.size(), ls.size()
		if l.Reduce {
			ny = 1
		}
		xs, dxs := make([]float64, n), make([]float64, n)
		ys, gs := make([]float64, ny), make([]float64, ny)
		for ln := 0; ln < ls.count(); ln++ {
			for q := 0; q < n; q++ {
				i, j := ls.at(ln, q)
				xs[q], dxs[q] = a.At(i, j), 0
			}
			for q := 0; q < ny; q++ {
				i, j := ls.at(ln, q)
				if l.Reduce {
					i, j = bidx(out.R, i), bidx(out.C, j)
				}
				ys[q], gs[q] = out.At(i, j), g.At(i, j)
			}
			l.D(xs, ys, gs, dxs, k.Params)
			for q := 0; q < n; q++ {
				i, j := ls.at(ln, q)
				d.Set(i, j, dxs[q])
			}
		}
		return []Mat{d}, nil
	}
	// Only the lanes through the changed row (column) change: with lanes
	// along the rows (axis 1) a changed row is one lane; else in full.
	op.Patch = func(c *Ctx, k *Call, in []Mat, ps []*Patch, out Mat, _ *Saved) *Patch {
		a, pa := in[0], ps[0]
		ls := lanesOf(a.R, a.C, k.Params[0])
		var only int
		switch {
		case ls.axis == 1 && pa.Row >= 0:
			only = pa.Row
		case ls.axis == 0 && pa.Col >= 0:
			only = pa.Col
		default:
			o := c.New(out.R, out.C)
			laneRun(c, l, ls, Materialize(c, a, pa), o, k.Params, func() {}, 0, ls.count())
			return &Patch{Row: -1, Col: -1, Vals: o}
		}
		// the one lane, read under the patch: its values in lane order,
		// which for a lane along a row (column) are the patch's row
		// (column) of the output
		n, ny := ls.size(), ls.size()
		if l.Reduce {
			ny = 1
		}
		xs, ys := c.New(1, n).Data, c.New(1, ny).Data
		for q := range xs {
			i, j := ls.at(only, q)
			xs[q] = At(a, pa, i, j)
		}
		l.F(xs, ys, k.Params)
		if ls.axis == 1 {
			return &Patch{Row: only, Col: -1, Vals: Mat{R: 1, C: ny, Stride: ny, Data: ys}}
		}
		return &Patch{Row: -1, Col: only, Vals: Mat{R: ny, C: 1, Stride: 1, Data: ys}}
	}
	return op
}

// laneRun applies l.F to lanes from … to−1 of a, writing into out; its
// scratch lanes are from c.New.
func laneRun(c *Ctx, l *Lane, ls lanes, a, out Mat, p []float64, kink func(), from, to int) {
	n, ny := ls.size(), ls.size()
	if l.Reduce {
		ny = 1
	}
	xs, ys := c.New(1, n).Data, c.New(1, ny).Data
	for ln := from; ln < to; ln++ {
		for q := 0; q < n; q++ {
			xs[q] = a.At(ls.at(ln, q))
		}
		if l.F(xs, ys, p) {
			kink()
		}
		for q := 0; q < ny; q++ {
			i, j := ls.at(ln, q)
			if l.Reduce {
				i, j = bidx(out.R, i), bidx(out.C, j)
			}
			out.Set(i, j, ys[q])
		}
	}
}

// laneSum is Σxs, compensated (see Sum).
func laneSum(xs []float64) float64 {
	var acc Neumaier
	for _, x := range xs {
		acc.Add(x)
	}
	return acc.Sum()
}

// laneMax is the largest of xs (NaN if one is), or 0 when it is infinite,
// the shift that keeps exp(x − m) from overflowing.
func laneShift(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		if math.IsNaN(x) {
			return x
		}
		m = math.Max(m, x)
	}
	if math.IsInf(m, 0) {
		return 0
	}
	return m
}

// extremeLane is max (sign 1) or min (sign −1) of a lane: the value, and
// the gradient split evenly among the elements that tie for it, as
// PyTorch's amax and amin do; a tie is a kink.
func extremeLane(sign float64) *Lane {
	return &Lane{Reduce: true,
		F: func(xs, ys, _ []float64) bool {
			best, ties := sign*xs[0], 1
			for _, x := range xs[1:] {
				switch v := sign * x; {
				case math.IsNaN(v) || math.IsNaN(best):
					best = math.NaN()
				case v > best:
					best, ties = v, 1
				case v == best:
					ties++
				}
			}
			ys[0] = sign * best
			return ties > 1
		},
		D: func(xs, ys, gs, dxs, _ []float64) {
			ties := 0
			for _, x := range xs {
				if x == ys[0] {
					ties++
				}
			}
			for q, x := range xs {
				if x == ys[0] {
					dxs[q] = gs[0] / float64(ties)
				}
			}
		},
	}
}

// sumLane is the sum of a lane, or its mean: ∂/∂xᵢ = 1 (or 1/n).
func sumLane(mean bool) *Lane {
	scale := func(n int) float64 {
		if mean {
			return 1 / float64(n)
		}
		return 1
	}
	return &Lane{Reduce: true,
		F: func(xs, ys, _ []float64) bool {
			ys[0] = laneSum(xs)
			if mean {
				ys[0] /= float64(len(xs))
			}
			return false
		},
		D: func(xs, _, gs, dxs, _ []float64) {
			for q := range dxs {
				dxs[q] = gs[0] * scale(len(xs))
			}
		},
	}
}

// varLane is the variance of a lane, Σ(x − μ)²/(n − ddof), with
// ∂/∂xᵢ = 2(xᵢ − μ)/(n − ddof) (the μ terms sum to zero).
var varLane = &Lane{Reduce: true, Cost: 4,
	F: func(xs, ys, p []float64) bool {
		mu := laneSum(xs) / float64(len(xs))
		var acc Neumaier
		for _, x := range xs {
			acc.Add((x - mu) * (x - mu))
		}
		ys[0] = acc.Sum() / (float64(len(xs)) - p[1])
		return false
	},
	D: func(xs, _, gs, dxs, p []float64) {
		mu := laneSum(xs) / float64(len(xs))
		for q, x := range xs {
			dxs[q] = gs[0] * 2 * (x - mu) / (float64(len(xs)) - p[1])
		}
	},
}

// softmaxOf sets ps to the softmax of xs, with the largest subtracted
// first so that no exponential overflows, and returns the shift m and the
// sum s of exp(x − m).
func softmaxOf(xs, ps []float64) (m, s float64) {
	m = laneShift(xs)
	var acc Neumaier
	for q, x := range xs {
		ps[q] = math.Exp(x - m)
		acc.Add(ps[q])
	}
	s = acc.Sum()
	for q := range ps {
		ps[q] /= s
	}
	return m, s
}

// logsumexpLane is m + ln Σexp(x − m), with ∂/∂xᵢ = softmax(x)ᵢ.
var logsumexpLane = &Lane{Reduce: true, Cost: 20,
	F: func(xs, ys, _ []float64) bool {
		m, s := softmaxOf(xs, make([]float64, len(xs)))
		ys[0] = m + math.Log(s)
		return false
	},
	D: func(xs, _, gs, dxs, _ []float64) {
		softmaxOf(xs, dxs)
		for q := range dxs {
			dxs[q] *= gs[0]
		}
	},
}

// softmaxLane is p = exp(x − m)/Σexp(x − m), with the vector-Jacobian
// product p ⊙ (g − Σ g ⊙ p).
var softmaxLane = &Lane{Cost: 20,
	F: func(xs, ys, _ []float64) bool {
		softmaxOf(xs, ys)
		return false
	},
	D: func(_, ys, gs, dxs, _ []float64) {
		var dot Neumaier
		for q, y := range ys {
			dot.Add(gs[q] * y)
		}
		s := dot.Sum()
		for q, y := range ys {
			dxs[q] = y * (gs[q] - s)
		}
	},
}

// logSoftmaxLane is x − m − ln Σexp(x − m), with the vector-Jacobian
// product g − softmax(x)·Σg.
var logSoftmaxLane = &Lane{Cost: 20,
	F: func(xs, ys, _ []float64) bool {
		m, s := softmaxOf(xs, ys)
		ls := math.Log(s)
		for q, x := range xs {
			ys[q] = x - m - ls
		}
		return false
	},
	D: func(xs, _, gs, dxs, _ []float64) {
		softmaxOf(xs, dxs)
		g := laneSum(gs)
		for q := range dxs {
			dxs[q] = gs[q] - dxs[q]*g
		}
	},
}

// alongAxis is an operation's rule in words: all when it runs over every
// element, else axisFmt with the lane's name (column for axis 0, row for 1).
func alongAxis(k *Call, all, axisFmt string) string {
	switch a := k.Params[0]; {
	case math.IsNaN(a):
		return all
	case a == 0:
		return fmt.Sprintf(axisFmt, "column")
	}
	return fmt.Sprintf(axisFmt, "row")
}

// extremeRules are the explanation's words for max and min over an axis.
func extremeRules(what string) func([]string, []bool, *Call) []string {
	return func(in []string, _ []bool, k *Call) []string {
		return []string{alongAxis(k, "the gradient goes to the "+what+" element of "+in[0]+" (split evenly where several tie), 0 elsewhere",
			"the gradient of each %s goes to its "+what+" element (split evenly where several tie), 0 elsewhere")}
	}
}

// divides adds to var's shape rule that n − ddof must be positive.
func divides(op *Op) *Op {
	shape := op.Shape
	op.Shape = func(in [][2]int, p []float64) ([2]int, string) {
		n := lanesOf(in[0][0], in[0][1], p[0]).size()
		if float64(n)-p[1] <= 0 {
			return in[0], fmt.Sprintf("the variance of %d elements with ddof %s divides by zero or less (n − ddof must be at least 1)", n, G(p[1]))
		}
		return shape(in, p)
	}
	return op
}

// params writes a call's parameters up to the first one not given (All).
func params(k *Call) []string {
	var out []string
	for _, v := range k.Params {
		if math.IsNaN(v) {
			break
		}
		out = append(out, strconv.FormatFloat(v, 'g', -1, 64))
	}
	return out
}

// showCall writes the node of an operation with the given number of
// inputs as name(inputs, parameters).
func showCall(name string, inputs int) func([]string, *Call) string {
	return func(in []string, k *Call) string {
		return name + "(" + strings.Join(append(append([]string{}, in[:inputs]...), params(k)...), ", ") + ")"
	}
}

// texCall writes an operation as name(inputs, parameters) in LaTeX; a name
// that is not a LaTeX command is set upright.
func texCall(t TeX, name string, inputs int, k *Call) string {
	if !strings.HasPrefix(name, `\`) {
		name = `\operatorname{` + strings.ReplaceAll(name, "_", `\_`) + "}"
	}
	var args []string
	for i := 0; i < inputs; i++ {
		args = append(args, t.Arg(i, 0))
	}
	return name + t.Paren(strings.Join(append(args, params(k)...), ", "))
}
