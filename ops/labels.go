package ops

// The operations that take label matrices (non-negative integers: class
// indices, rows of a table): pick, one_hot, embed and cross_entropy. Each
// is one entry of the table (table.go, "Label operations"); labels are
// never differentiated, so Backward sends nothing to them.

import (
	"fmt"
	"math"
)

// label is element (i, j) of a label matrix as an index.
func label(m Mat, i, j int) int { return int(m.At(i, j)) }

// labelColumn is "" when y (shape ys) is an n×1 column of labels for the n
// rows of the matrix called what (shape ms), else why not.
func labelColumn(op, what string, ms, ys [2]int) string {
	if ys[1] != 1 || ys[0] != ms[0] {
		return fmt.Sprintf("the labels y are %s; %s needs one label per row of %s: %d×1", Dims(ys), op, what, ms[0])
	}
	return ""
}

// columnsOf is the Range of an operation whose labels index the columns of
// its first input.
func columnsOf(in [][2]int, _ []float64, _ int) (int, string) {
	return in[0][1], fmt.Sprintf("the %d columns of its first argument", in[0][1])
}

// pickOp is M[i, y[i]] for each row i: the n×1 column of the elements the
// labels choose. ∂L/∂M is ∂L/∂out[i] at [i, y[i]] and 0 elsewhere.
var pickOp = &Op{
	Name: "pick", Args: []Arg{{Name: "M"}, {Name: "y", Kind: Labels}},
	Doc: "the n×1 column M[i, y[i]]: in each row of M, the element its label y[i] chooses",
	Shape: func(in [][2]int, _ []float64) ([2]int, string) {
		if msg := labelColumn("pick(M, y)", "M", in[0], in[1]); msg != "" {
			return in[0], msg
		}
		return [2]int{in[0][0], 1}, ""
	},
	Range: columnsOf,
	Cost:  func(in []Mat, _ Mat) float64 { return float64(in[0].R) },
	Forward: func(c *Ctx, _ *Call, in []Mat) Mat {
		m, y := in[0], in[1]
		out := c.New(m.R, 1)
		for i := 0; i < m.R; i++ {
			out.Set(i, 0, m.At(i, label(y, i, 0)))
		}
		return out
	},
	Reads: func(in []Mat, k, i, _ int) (int, int) {
		if k == 0 {
			return i, label(in[1], i, 0)
		}
		return i, 0
	},
	// the whole column, whatever changed (a mean of it then sums it as the
	// full evaluation does), read from M under its patch
	Patch: func(c *Ctx, _ *Call, in []Mat, ps []*Patch, _ Mat, _ *Saved) *Patch {
		m, y := in[0], in[1]
		out := c.New(m.R, 1)
		for i := 0; i < m.R; i++ {
			out.Set(i, 0, At(m, ps[0], i, label(y, i, 0)))
		}
		return &Patch{Row: -1, Col: -1, Vals: out}
	},
	Backward: func(c *Ctx, _ *Call, in []Mat, _, g Mat, needs []bool) ([]Mat, []Mat) {
		m, y := in[0], in[1]
		var grad, local Mat
		if needs[0] {
			grad = c.New(m.R, m.C)
			for i := 0; i < m.R; i++ {
				grad.Set(i, label(y, i, 0), g.At(i, 0))
			}
		}
		if c.Keep {
			local = oneHot(c, y, m.C)
		}
		return []Mat{grad, {}}, []Mat{local, {}}
	},
	Step: func([]string, *Call) string { return "Pk" },
	Rules: func(in []string, needs []bool, _ *Call) []string {
		if !needs[0] {
			return []string{"", ""}
		}
		return []string{"one_hot(" + in[1] + "): row i's gradient goes to the element " + in[1] + "[i] chose, the rest of " + in[0] + " gets 0", ""}
	},
	LaTeX: func(t TeX, _ *Call) string { return `\operatorname{pick}` + t.Paren(t.Arg(0, 0)+", "+t.Arg(1, 0)) },
}

// oneHot is the n×k matrix with 1 at [i, y[i]].
func oneHot(c *Ctx, y Mat, k int) Mat {
	out := c.New(y.R, k)
	for i := 0; i < y.R; i++ {
		out.Set(i, label(y, i, 0), 1)
	}
	return out
}

// oneHotOp is the n×k matrix with 1 at [i, y[i]] and 0 elsewhere; it
// depends on labels only, so no gradient passes through it.
var oneHotOp = &Op{
	Name: "one_hot", Args: []Arg{{Name: "y", Kind: Labels}, {Name: "k", Kind: Number}},
	Doc: "the n×k matrix with 1 at [i, y[i]] and 0 elsewhere (y an n×1 label matrix, k the number of classes)",
	Shape: func(in [][2]int, p []float64) ([2]int, string) {
		k := p[0]
		switch {
		case in[0][1] != 1:
			return in[0], fmt.Sprintf("the labels y are %s; one_hot(y, k) needs a column of labels, n×1", Dims(in[0]))
		case k != math.Trunc(k) || k < 1 || k > 1<<24:
			return in[0], fmt.Sprintf("k = %s: one_hot(y, k) needs the number of classes, a whole number from 1 to %d", G(k), 1<<24)
		}
		return [2]int{in[0][0], int(k)}, ""
	},
	Range: func(_ [][2]int, p []float64, _ int) (int, string) {
		return int(p[0]), fmt.Sprintf("k = %d classes", int(p[0]))
	},
	Cost:    func(_ []Mat, out Mat) float64 { return out.Size() },
	Forward: func(c *Ctx, k *Call, in []Mat) Mat { return oneHot(c, in[0], int(k.Params[0])) },
	Backward: func(*Ctx, *Call, []Mat, Mat, Mat, []bool) ([]Mat, []Mat) {
		return []Mat{{}}, []Mat{{}}
	},
	Step:  func([]string, *Call) string { return "OH" },
	Show:  func(in []string, k *Call) string { return fmt.Sprintf("one_hot(%s, %d)", in[0], int(k.Params[0])) },
	Rules: func([]string, []bool, *Call) []string { return []string{""} },
	LaTeX: func(t TeX, k *Call) string {
		return `\operatorname{onehot}` + t.Paren(fmt.Sprintf("%s, %d", t.Arg(0, 0), int(k.Params[0])))
	},
}

// embedOp looks rows of the table C up: row i of the output is the rows
// C[I[i,0]], …, C[I[i,b−1]] side by side (PyTorch's C[I].view(n, −1)).
// ∂L/∂C adds each output block's gradient into the row it was copied from.
var embedOp = &Op{
	Name: "embed", Args: []Arg{{Name: "C"}, {Name: "I", Kind: Labels}},
	Doc: "the rows of C that the n×b labels I name, each row of the result the b rows C[I[i,j]] side by side: n×(b·cols C)",
	Shape: func(in [][2]int, _ []float64) ([2]int, string) {
		return [2]int{in[1][0], in[1][1] * in[0][1]}, ""
	},
	Range: func(in [][2]int, _ []float64, _ int) (int, string) {
		return in[0][0], fmt.Sprintf("the %d rows of the table, its first argument", in[0][0])
	},
	Cost: func(_ []Mat, out Mat) float64 { return out.Size() },
	Forward: func(c *Ctx, _ *Call, in []Mat) Mat {
		t, ix := in[0], in[1]
		out := c.New(ix.R, ix.C*t.C)
		for i := 0; i < ix.R; i++ {
			for j := 0; j < ix.C; j++ {
				r := label(ix, i, j)
				for l := 0; l < t.C; l++ {
					out.Set(i, j*t.C+l, t.At(r, l))
				}
			}
		}
		return out
	},
	Backward: func(c *Ctx, _ *Call, in []Mat, _, g Mat, needs []bool) ([]Mat, []Mat) {
		t, ix := in[0], in[1]
		var grad Mat
		if needs[0] {
			grad = c.New(t.R, t.C)
			for i := 0; i < ix.R; i++ {
				for j := 0; j < ix.C; j++ {
					r := label(ix, i, j)
					for l := 0; l < t.C; l++ {
						grad.Set(r, l, grad.At(r, l)+g.At(i, j*t.C+l))
					}
				}
			}
		}
		return []Mat{grad, {}}, []Mat{{}, {}}
	},
	Step: func([]string, *Call) string { return "E" },
	Rules: func(in []string, needs []bool, _ *Call) []string {
		if !needs[0] {
			return []string{"", ""}
		}
		return []string{"each block of the gradient is added into the row of " + in[0] + " it was copied from (rows used twice get both, rows never used get 0)", ""}
	},
	LaTeX: func(t TeX, _ *Call) string { return t.Arg(0, 5) + `_{[` + t.Arg(1, 0) + `]}` },
}

// crossEntropyOp is −(1/n)·Σᵢ log softmax(Zᵢ)[y[i]], the mean over the n
// rows of logsumexp(Zᵢ) − Z[i, y[i]], each row's logsumexp taken with its
// maximum subtracted so that logits of ±1000 neither overflow nor lose
// the row. ∂L/∂Z = ∂L/∂out · (softmax(Z) − one_hot(y)) / n.
var crossEntropyOp = &Op{
	Name: "cross_entropy", Args: []Arg{{Name: "Z"}, {Name: "y", Kind: Labels}},
	Doc: "−mean(pick(log_softmax(Z, 1), y)): the mean softmax cross-entropy of the logits Z (n×k) with the labels y (n×1), computed stably",
	Shape: func(in [][2]int, _ []float64) ([2]int, string) {
		if msg := labelColumn("cross_entropy(Z, y)", "Z", in[0], in[1]); msg != "" {
			return in[0], msg
		}
		return [2]int{1, 1}, ""
	},
	Range: columnsOf,
	Cost:  func(in []Mat, _ Mat) float64 { return 20 * in[0].Size() },
	Forward: func(c *Ctx, _ *Call, in []Mat) Mat {
		z, y := in[0], in[1]
		var acc Neumaier
		for i := 0; i < z.R; i++ {
			acc.Add(logSumExpRow(z, i) - z.At(i, label(y, i, 0)))
		}
		v := acc.Sum() / float64(z.R)
		if Bad(v) {
			c.Problem(fmt.Sprintf("cross_entropy is %s: the logits are not all finite", G(v)))
		}
		out := New(1, 1)
		out.Set(0, 0, v)
		return out
	},
	Backward: func(c *Ctx, _ *Call, in []Mat, _, g Mat, needs []bool) ([]Mat, []Mat) {
		z, y := in[0], in[1]
		// (softmax(Z) − one_hot(y)) / n, the local derivative
		d := c.New(z.R, z.C)
		n := float64(z.R)
		for i := 0; i < z.R; i++ {
			lse := logSumExpRow(z, i)
			for j := 0; j < z.C; j++ {
				d.Set(i, j, math.Exp(z.At(i, j)-lse))
			}
			k := label(y, i, 0)
			d.Set(i, k, d.At(i, k)-1)
			for j := 0; j < z.C; j++ {
				d.Set(i, j, d.At(i, j)/n)
			}
		}
		var local Mat
		if c.Keep {
			local = copyOf(c, d, false)
		}
		gv := g.At(0, 0)
		for i := range d.Data {
			d.Data[i] *= gv
		}
		if !needs[0] {
			d = Mat{}
		}
		return []Mat{d, {}}, []Mat{local, {}}
	},
	Step: func([]string, *Call) string { return "CE" },
	Rules: func(in []string, needs []bool, _ *Call) []string {
		if !needs[0] {
			return []string{"", ""}
		}
		z, y := in[0], in[1]
		return []string{"the gradient arriving at " + z + " is (softmax(" + z + ") − one_hot(" + y + ")) / n times the one arriving here, " +
			"n the rows of " + z + ": each row's probabilities, less 1 at its label's place", ""}
	},
	LaTeX: func(t TeX, _ *Call) string { return `\operatorname{CE}` + t.Paren(t.Arg(0, 0)+", "+t.Arg(1, 0)) },
}

// logSumExpRow is log Σⱼ exp(Z[i,j]), with the row's maximum m taken out:
// m + log Σⱼ exp(Z[i,j] − m), which neither overflows nor underflows to
// −∞ when the logits are large.
func logSumExpRow(z Mat, i int) float64 {
	m := math.Inf(-1)
	for j := 0; j < z.C; j++ {
		m = math.Max(m, z.At(i, j))
	}
	if math.IsInf(m, 0) {
		return m
	}
	var s Neumaier
	for j := 0; j < z.C; j++ {
		s.Add(math.Exp(z.At(i, j) - m))
	}
	return m + math.Log(s.Sum())
}
