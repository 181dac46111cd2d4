package ops

// The operation table. Adding an operation is one entry in this file plus
// its tests: its arguments, shape rule, forward, backward (the
// vector-Jacobian product for each input), optionally a patch for the
// incremental check (without one the output is recomputed in full), the
// explanation's wording and its LaTeX. An element-wise operation of two
// matrices with broadcasting needs only its value and partial derivatives
// (elementwise; see extremum for maximum and minimum). The resolver, the
// shape rule, the tape, the check, the explanation, the LaTeX printer and
// `runner functions` find the entry by name; none of them names an
// operation.

import (
	"fmt"
	"math"
	"runtime"
	"strings"

	"github.com/runner-dev/runner/internal/fmath"
	"github.com/runner-dev/runner/internal/par"
)

var table = []*Op{
	elementwise(&Op{Name: "+", Level: 1,
		Step:  func([]string, *Call) string { return "A" },
		Rules: perElement(func(in []string) [2]string { return [2]string{"1", "1"} }),
		LaTeX: func(t TeX, _ *Call) string { return t.Arg(0, 1) + " + " + t.Arg(1, 1) },
	}, &Elem{
		F: func(x, y float64) float64 { return x + y },
		D: func(x, y, z float64) (float64, float64) { return 1, 1 },
	}),
	elementwise(&Op{Name: "-", Level: 1,
		Step:  func([]string, *Call) string { return "D" },
		Rules: perElement(func(in []string) [2]string { return [2]string{"1", "−1"} }),
		LaTeX: func(t TeX, _ *Call) string { return t.Arg(0, 1) + " - " + t.Arg(1, 2) },
	}, &Elem{
		F: func(x, y float64) float64 { return x - y },
		D: func(x, y, z float64) (float64, float64) { return 1, -1 },
	}),
	elementwise(&Op{Name: "*", Level: 2,
		Step:  func([]string, *Call) string { return "P" },
		Rules: perElement(func(in []string) [2]string { return [2]string{in[1], in[0]} }),
		LaTeX: func(t TeX, _ *Call) string {
			l, r := t.Arg(0, 2), t.Arg(1, 2)
			switch {
			case r != "" && (r[0] >= '0' && r[0] <= '9' || r[0] == '-'):
				return l + ` \cdot ` + r
			case t.Number(0), t.Letter(0) && t.Letter(1):
				return l + r
			}
			return l + `\,` + r
		},
	}, &Elem{
		F: func(x, y float64) float64 { return x * y },
		D: func(x, y, z float64) (float64, float64) { return y, x },
	}),
	elementwise(&Op{Name: "/", Level: 5, // \frac delimits itself
		Step:  func([]string, *Call) string { return "Q" },
		Rules: perElement(func(in []string) [2]string { return [2]string{"1/" + in[1], "−" + in[0] + "/" + in[1] + "²"} }),
		LaTeX: func(t TeX, _ *Call) string { return `\frac{` + t.Arg(0, 0) + "}{" + t.Arg(1, 0) + "}" },
	}, &Elem{
		F: func(x, y float64) float64 { return x / y },
		D: func(x, y, z float64) (float64, float64) { return 1 / y, -z / y },
		Problem: func(x, y float64) string {
			if y == 0 {
				return fmt.Sprintf("division by zero: %s / 0", G(x))
			}
			return ""
		},
	}),
	elementwise(&Op{Name: "^", Level: 4,
		Step: func([]string, *Call) string { return "U" },
		Rules: perElement(func(in []string) [2]string {
			return [2]string{in[1] + "·" + in[0] + "^(" + in[1] + "−1)", in[0] + "^" + in[1] + "·ln " + in[0]}
		}),
		LaTeX: func(t TeX, _ *Call) string { return t.Power(0, t.Arg(1, 0)) },
	}, &Elem{
		// xʸ with ∂/∂x = y·xʸ⁻¹ and ∂/∂y = xʸ·ln x, x⁰ = 1 for every x
		F: func(x, y float64) float64 {
			if y == 0 {
				return 1
			}
			return fmath.Pow(x, y)
		},
		D: func(x, y, _ float64) (float64, float64) {
			if y == 0 {
				return 0, 1 * math.Log(x) * 1
			}
			dx := y * fmath.Pow(x, y-1) * 1
			dy := y*fmath.Pow(x, y-1)*0 + fmath.Pow(x, y)*math.Log(x)*1
			return dx, dy
		},
		Problem: func(x, y float64) string {
			switch {
			case x < 0:
				return fmt.Sprintf("%s^%s is not a real number", G(x), G(y))
			case x == 0:
				return fmt.Sprintf("0^%s is infinite", G(y))
			}
			return ""
		},
	}),
	{
		Name: "@", Args: []Arg{{Name: "A"}, {Name: "B"}}, Level: 2, Bilinear: true,
		Shape: func(in [][2]int, _ []float64) ([2]int, string) {
			if in[0][1] != in[1][0] {
				return in[0], fmt.Sprintf("%s and %s do not match (columns of the left must equal rows of the right)", Dims(in[0]), Dims(in[1]))
			}
			return [2]int{in[0][0], in[1][1]}, ""
		},
		Cost: func(in []Mat, _ Mat) float64 { return 2 * float64(in[0].R) * float64(in[0].C) * float64(in[1].C) },
		Forward: func(c *Ctx, _ *Call, in []Mat) Mat {
			out := c.New(in[0].R, in[1].C)
			c.Mul(out, in[0], false, in[1], false)
			return out
		},
		// ∂L/∂A = ∂L/∂out·Bᵀ, ∂L/∂B = Aᵀ·∂L/∂out
		Backward: func(c *Ctx, _ *Call, in []Mat, _, g Mat, needs []bool) ([]Mat, []Mat) {
			a, b := in[0], in[1]
			var locals []Mat
			if c.Keep {
				// ∂(AB)/∂A right-multiplies by Bᵀ, ∂(AB)/∂B left-multiplies by Aᵀ
				locals = []Mat{copyOf(c, b, true), copyOf(c, a, true)}
			}
			grads := make([]Mat, 2)
			if needs[0] {
				grads[0] = c.New(a.R, a.C)
				c.Mul(grads[0], g, false, b, true)
			}
			if needs[1] {
				grads[1] = c.New(b.R, b.C)
				c.Mul(grads[1], a, true, g, false)
			}
			return grads, locals
		},
		// one row of the product when only a row of A changed, one column
		// when only a column of B did; else in full (a column of A changed
		// changes every element; an outer-product update of the product
		// would round differently from the product's own chain of fused
		// multiply-adds, and move the reports' last digits)
		Patch: func(c *Ctx, _ *Call, in []Mat, ps []*Patch, out Mat, _ *Saved) *Patch {
			a, b, pa, pb := in[0], in[1], ps[0], ps[1]
			switch {
			case pb == nil && pa.Row >= 0:
				row := c.New(1, a.C)
				for j := 0; j < a.C; j++ {
					row.Set(0, j, At(a, pa, pa.Row, j))
				}
				o := c.New(1, out.C)
				c.Mul(o, row, false, b, false)
				return &Patch{Row: pa.Row, Col: -1, Vals: o}
			case pa == nil && pb.Col >= 0:
				col := c.New(b.R, 1)
				for i := 0; i < b.R; i++ {
					col.Set(i, 0, At(b, pb, i, pb.Col))
				}
				o := c.New(out.R, 1)
				c.Mul(o, a, false, col, false)
				return &Patch{Row: -1, Col: pb.Col, Vals: o}
			}
			o := c.New(out.R, out.C)
			c.Mul(o, Materialize(c, a, pa), false, Materialize(c, b, pb), false)
			return &Patch{Row: -1, Col: -1, Vals: o}
		},
		Step: func([]string, *Call) string { return "N" },
		Show: func(in []string, _ *Call) string { return in[0] + " @ " + in[1] },
		Rules: func(in []string, _ []bool, _ *Call) []string {
			return []string{"right-multiply by " + in[1] + "ᵀ", "left-multiply by " + in[0] + "ᵀ"}
		},
		LaTeX: func(t TeX, _ *Call) string { return t.Arg(0, 2) + " " + t.Arg(1, 2) },
	},
	{
		Name: "neg", Args: []Arg{{Name: "A"}}, Level: 3,
		Shape: same,
		Cost:  func(in []Mat, _ Mat) float64 { return in[0].Size() },
		Forward: func(c *Ctx, _ *Call, in []Mat) Mat {
			return mapAll(c, in[0], func(x float64) float64 { return -1 * x })
		},
		Backward: func(c *Ctx, _ *Call, _ []Mat, _, g Mat, _ []bool) ([]Mat, []Mat) {
			return []Mat{mapAll(c, g, func(x float64) float64 { return -1 * x })}, nil
		},
		Reads: readsSame,
		Patch: func(c *Ctx, _ *Call, _ []Mat, ps []*Patch, _ Mat, _ *Saved) *Patch {
			return mapPatch(c, ps[0], func(x float64, _, _ int) float64 { return -x })
		},
		Step:  func([]string, *Call) string { return "M" },
		Show:  func(in []string, _ *Call) string { return "−" + in[0] },
		Rules: func([]string, []bool, *Call) []string { return []string{"−1"} },
		// −(a·b) needs no brackets: it is (−a)·b
		LaTeX: func(t TeX, _ *Call) string { return "-" + t.Arg(0, 2) },
	},
	reduction(&Op{Name: "sum", Doc: "the sum over axis a: 0 down the rows (1×n), 1 across the columns (m×1); without a, of all elements (1×1)",
		Rules: func(_ []string, _ []bool, k *Call) []string {
			return []string{alongAxis(k, "ones (each element counts once)", "ones: each element gets the gradient of its %s")}
		},
		LaTeX: func(t TeX, k *Call) string {
			if math.IsNaN(k.Params[0]) {
				return `\sum ` + t.Arg(0, 5)
			}
			return texCall(t, "sum", 1, k)
		},
	}, false),
	reduction(&Op{Name: "mean", Doc: "the mean over axis a (as sum); without a, of all elements",
		Rules: func(_ []string, _ []bool, k *Call) []string {
			return []string{alongAxis(k, "1/n for each of the n elements", "1/n: each element gets the gradient of its %s divided by the n elements in it")}
		},
		LaTeX: func(t TeX, k *Call) string {
			if math.IsNaN(k.Params[0]) {
				return `\operatorname{mean}` + t.Paren(t.Arg(0, 0))
			}
			return texCall(t, "mean", 1, k)
		},
	}, true),
	{
		Name: "transpose", Args: []Arg{{Name: "M"}}, Doc: "Mᵀ",
		Shape:   func(in [][2]int, _ []float64) ([2]int, string) { return [2]int{in[0][1], in[0][0]}, "" },
		Cost:    func([]Mat, Mat) float64 { return 0 },
		Forward: func(c *Ctx, _ *Call, in []Mat) Mat { return copyOf(c, in[0], true) },
		Backward: func(c *Ctx, _ *Call, _ []Mat, _, g Mat, _ []bool) ([]Mat, []Mat) {
			return []Mat{copyOf(c, g, true)}, nil
		},
		Patch: func(c *Ctx, _ *Call, _ []Mat, ps []*Patch, _ Mat, _ *Saved) *Patch {
			return &Patch{Row: ps[0].Col, Col: ps[0].Row, Vals: copyOf(c, ps[0].Vals, true)}
		},
		Step:  func(in []string, _ *Call) string { return in[0] + "ᵀ" },
		Rules: func([]string, []bool, *Call) []string { return []string{"transpose the gradient"} },
		LaTeX: func(t TeX, _ *Call) string { return t.Power(0, `\top`) },
	},
	// the gradient goes to the larger (smaller); a tie is a kink and shares
	// it, as PyTorch does
	extremum("maximum", "larger", "Max", `\max`, ">", func(x, y float64) bool { return x > y }),
	extremum("minimum", "smaller", "Min", `\min`, "<", func(x, y float64) bool { return x < y }),
	extremeEntry("max", "largest", "Mx", `\max`, 1),
	extremeEntry("min", "smallest", "Mn", `\min`, -1),
	divides(lanewise(&Op{Name: "var", Args: []Arg{{Name: "M"}, axisArg(All), {Name: "ddof", Kind: Number, HasDefault: true, Check: whole(0)}},
		Doc:  "the variance over axis a (as sum), Σ(x − mean)² / (n − ddof); ddof default 0",
		Step: func([]string, *Call) string { return "V" },
		Show: showCall("var", 1),
		Rules: func(in []string, _ []bool, k *Call) []string {
			return []string{alongAxis(k, "2(x − mean)/(n − ddof) times the gradient, for each element x of "+in[0],
				"2(x − mean)/(n − ddof) times the gradient of its %s, for each element x of "+in[0]+" (the mean of that %[1]s)")}
		},
		LaTeX: func(t TeX, k *Call) string { return texCall(t, "var", 1, k) },
	}, varLane)),
	lanewise(&Op{Name: "logsumexp", Args: []Arg{{Name: "M"}, axisArg(1)},
		Doc:  "ln Σ exp over axis a (default 1), with the largest subtracted inside so that nothing overflows",
		Step: func([]string, *Call) string { return "LSE" },
		Show: showCall("logsumexp", 1),
		Rules: func(in []string, _ []bool, k *Call) []string {
			return []string{alongAxis(k, "softmax("+in[0]+"): each element gets the gradient times its softmax probability",
				"softmax("+in[0]+", "+G(k.Params[0])+"): each element gets the gradient of its %s times its softmax probability")}
		},
		LaTeX: func(t TeX, k *Call) string { return texCall(t, "logsumexp", 1, k) },
	}, logsumexpLane),
	softmaxEntry("softmax", "P", "exp(M − max) / Σ exp(M − max) over axis a (default 1): each row (column) sums to 1; stable",
		"p ⊙ (g − sum(g ⊙ p, %s))", "softmax", softmaxLane),
	softmaxEntry("log_softmax", "LP", "M − logsumexp(M, a) over axis a (default 1); stable",
		"g − p ⊙ sum(g, %s)", `\log\operatorname{softmax}`, logSoftmaxLane),
	{
		Name: "reshape", Args: []Arg{{Name: "M"}, {Name: "r", Kind: Number, Check: whole(1)}, {Name: "c", Kind: Number, Check: whole(1)}},
		Doc: "M's elements in row-major order as an r×c matrix, as NumPy's reshape",
		Shape: func(in [][2]int, p []float64) ([2]int, string) {
			r, c := int(p[0]), int(p[1])
			if r*c != in[0][0]*in[0][1] {
				return in[0], fmt.Sprintf("%s has %d elements, which cannot be reshaped to %d×%d", Dims(in[0]), in[0][0]*in[0][1], r, c)
			}
			return [2]int{r, c}, ""
		},
		Cost:    func([]Mat, Mat) float64 { return 0 },
		Forward: func(c *Ctx, k *Call, in []Mat) Mat { return reshaped(c, in[0], int(k.Params[0]), int(k.Params[1])) },
		Backward: func(c *Ctx, _ *Call, in []Mat, _, g Mat, _ []bool) ([]Mat, []Mat) {
			return []Mat{reshaped(c, g, in[0].R, in[0].C)}, nil
		},
		Step: func([]string, *Call) string { return "R" },
		Show: showCall("reshape", 1),
		Rules: func(in []string, _ []bool, _ *Call) []string {
			return []string{"reshape the gradient back to " + in[0] + "'s shape"}
		},
		LaTeX: func(t TeX, k *Call) string { return texCall(t, "reshape", 1, k) },
	},
	{
		Name: "conv2d", Args: []Arg{{Name: "X"}, {Name: "K"}, {Name: "ph", Kind: Number, HasDefault: true, Check: whole(0)},
			{Name: "pw", Kind: Number, Default: All, HasDefault: true, Check: whole(0)}},
		Doc: "the cross-correlation of X with the kernel K (one channel, stride 1, as PyTorch's conv2d), X padded with ph rows and pw columns of zeros " +
			"on each side (pw defaults to ph, both to 0)",
		Shape: func(in [][2]int, p []float64) ([2]int, string) {
			ph, pw := pads(p)
			r, c := in[0][0]+2*ph-in[1][0]+1, in[0][1]+2*pw-in[1][1]+1
			if r < 1 || c < 1 {
				return in[0], fmt.Sprintf("the kernel %s is larger than the input %s padded to %d×%d", Dims(in[1]), Dims(in[0]), in[0][0]+2*ph, in[0][1]+2*pw)
			}
			return [2]int{r, c}, ""
		},
		Cost:     func(in []Mat, out Mat) float64 { return 2 * out.Size() * in[1].Size() },
		Forward:  func(c *Ctx, k *Call, in []Mat) Mat { return conv(c, in[0], in[1], k.Params) },
		Backward: convBack,
		Step:     func([]string, *Call) string { return "C" },
		Show:     showCall("conv2d", 2),
		Rules: func(in []string, _ []bool, k *Call) []string {
			return []string{"the gradient arriving at " + in[0] + " is G correlated with " + in[1] + " flipped (a full convolution of G with " + in[1] + "), " +
				"padding cut off, G the gradient arriving here",
				"the gradient arriving at " + in[1] + " is " + in[0] + " (padded) correlated with G, G the gradient arriving here"}
		},
		LaTeX: func(t TeX, k *Call) string { return texCall(t, "conv2d", 2, k) },
	},

	// Label operations (labels.go): they take label matrices, which are
	// never differentiated
	pickOp, oneHotOp, embedOp, crossEntropyOp,
}

// apply is a registry function f(x; p) element by element:
// out = f(A), ∂L/∂A = ∂L/∂out ⊙ f′(A). Large matrices are done in blocks of
// rows in parallel.
var apply = &Op{
	Name: "apply", Args: []Arg{{Name: "x"}},
	Shape: same,
	Cost:  func(in []Mat, _ Mat) float64 { return 20 * in[0].Size() },
	Forward: func(c *Ctx, k *Call, in []Mat) Mat {
		f, p, a := k.Fn, k.Params, in[0]
		o := c.New(a.R, a.C)
		blocks := rowBlocks(a.R, a.C)
		kinks := make([]bool, blocks)
		problems := make([]string, blocks)
		par.For(blocks, func(b int) {
			for i := b * a.R / blocks; i < (b+1)*a.R/blocks; i++ {
				for j := 0; j < a.C; j++ {
					x := a.Data[i*a.Stride+j]
					if f.Kinks != nil && f.IsKink(x, p) {
						kinks[b] = true
					}
					y := f.F(x, p)
					o.Data[i*o.Stride+j] = y
					if Bad(y) && problems[b] == "" && !Bad(x) {
						problems[b] = fmt.Sprintf("%s (element [%d,%d])", CallProblem(f, x, p), i, j)
					}
				}
			}
		})
		for b := range blocks {
			if kinks[b] {
				c.Kink()
			}
			if problems[b] != "" {
				c.Problem(problems[b])
			}
		}
		return o
	},
	Backward: func(c *Ctx, k *Call, in []Mat, _, g Mat, _ []bool) ([]Mat, []Mat) {
		f, p, a := k.Fn, k.Params, in[0]
		// g is this node's own and is not read again unless the tape keeps
		// its steps for the explanation: then the result goes in a new matrix
		d, local := g, Mat{}
		if c.Keep {
			d, local = c.New(a.R, a.C), c.New(a.R, a.C)
		}
		blocks := rowBlocks(a.R, a.C)
		par.For(blocks, func(b int) {
			for i := b * a.R / blocks; i < (b+1)*a.R/blocks; i++ {
				for j := 0; j < a.C; j++ {
					x := a.Data[i*a.Stride+j]
					fd := f.D(x, p)
					if c.Side != nil && f.IsKink(x, p) {
						if s := c.Side(i, j); s != 0 {
							fd = f.D(math.Nextafter(x, s*math.Inf(1)), p)
						}
					}
					if local.Data != nil {
						local.Set(i, j, fd)
					}
					d.Data[i*d.Stride+j] = g.Data[i*g.Stride+j] * fd
				}
			}
		})
		return []Mat{d}, []Mat{local}
	},
	Reads: readsSame,
	Patch: func(c *Ctx, k *Call, _ []Mat, ps []*Patch, _ Mat, _ *Saved) *Patch {
		f, p := k.Fn, k.Params
		return mapPatch(c, ps[0], func(x float64, i, j int) float64 {
			y := f.F(x, p)
			if Bad(y) && !Bad(x) {
				c.Problem(fmt.Sprintf("%s (element [%d,%d])", CallProblem(f, x, p), i, j))
			}
			return y
		})
	},
	Step: func(_ []string, k *Call) string { return strings.ToUpper(k.Fn.Name[:1]) },
	Show: func(in []string, k *Call) string { return k.Fn.Name + "(" + in[0] + ")" },
	Rules: func(in []string, _ []bool, k *Call) []string {
		return []string{k.Fn.Name + "′(" + in[0] + ") = " + inTermsOf(k.Fn.Deriv, in[0]) + ", element by element"}
	},
}

// reduction is ΣA (or its mean): a 1×1 value, ∂L/∂A = ∂L/∂out · ones
// (divided by the count for the mean).
//
// Over an axis it is the lane operation sumLane (see lanes.go).
func reduction(op *Op, mean bool) *Op {
	op.Args = []Arg{{Name: "M"}, axisArg(All)}
	lane := lanewise(&Op{}, sumLane(mean))
	op.Shape = lane.Shape
	op.Show = showCall(op.Name, 1)
	op.Cost = func(in []Mat, _ Mat) float64 { return in[0].Size() }
	op.Forward = func(c *Ctx, k *Call, in []Mat) Mat {
		if !math.IsNaN(k.Params[0]) {
			return lane.Forward(c, k, in)
		}
		s := Sum(in[0])
		if mean {
			s /= in[0].Size()
		}
		out := New(1, 1)
		out.Set(0, 0, s)
		return out
	}
	op.Backward = func(c *Ctx, k *Call, in []Mat, out, g Mat, needs []bool) ([]Mat, []Mat) {
		if !math.IsNaN(k.Params[0]) {
			return lane.Backward(c, k, in, out, g, needs)
		}
		v := g.At(0, 0)
		if mean {
			v /= in[0].Size()
		}
		d := c.New(in[0].R, in[0].C)
		for i := range d.Data {
			d.Data[i] = v
		}
		var locals []Mat
		if c.Keep {
			local := c.New(in[0].R, in[0].C) // ones, or 1/n for the mean
			s := 1 / g.At(0, 0)
			for i := range local.Data {
				local.Data[i] = s * d.Data[i]
			}
			locals = []Mat{local}
		}
		return []Mat{d}, locals
	}
	// the tape's sum plus the sum of (new − old) over the changed elements,
	// both compensated
	op.Patch = func(c *Ctx, k *Call, in []Mat, ps []*Patch, out Mat, saved *Saved) *Patch {
		if !math.IsNaN(k.Params[0]) {
			return lane.Patch(c, k, in, ps, out, saved)
		}
		a, pa := in[0], ps[0]
		var s float64
		if pa.Row < 0 && pa.Col < 0 {
			s = Sum(pa.Vals)
		} else {
			diffs := c.New(pa.Vals.R, pa.Vals.C)
			for i := 0; i < diffs.R; i++ {
				for j := 0; j < diffs.C; j++ {
					ii, jj := pa.Index(i, j)
					diffs.Set(i, j, pa.Vals.At(i, j)-a.At(ii, jj))
				}
			}
			s = saved.Get(func() float64 { return Sum(a) }) + Sum(diffs)
		}
		if mean {
			s /= a.Size()
		}
		o := c.New(1, 1)
		o.Set(0, 0, s)
		return &Patch{Row: -1, Col: -1, Vals: o}
	}
	op.Change = func(_ *Call, in Mat, diffs Mat) float64 {
		d := Sum(diffs)
		if mean {
			d /= in.Size()
		}
		return d
	}
	op.Step = func([]string, *Call) string { return "M" }
	return op
}

// extremeEntry is max (sign 1) or min (sign −1) over axis a, or of all the
// elements; the gradient goes to the winner, split evenly among ties.
func extremeEntry(name, what, step, tex string, sign float64) *Op {
	return lanewise(&Op{Name: name, Args: []Arg{{Name: "M"}, axisArg(All)},
		Doc:   "the " + what + " element over axis a (as sum; a tie is a kink)",
		Step:  func([]string, *Call) string { return step },
		Show:  showCall(name, 1),
		Rules: extremeRules(what),
		LaTeX: func(t TeX, k *Call) string { return texCall(t, tex, 1, k) },
	}, extremeLane(sign))
}

// softmaxEntry is softmax or log_softmax over axis a (default 1): rule is
// the gradient arriving at the input, in terms of p = softmax(M, a) and the
// arriving gradient g, with %s for the axis.
func softmaxEntry(name, step, doc, rule, tex string, l *Lane) *Op {
	return lanewise(&Op{Name: name, Args: []Arg{{Name: "M"}, axisArg(1)}, Doc: doc,
		Step: func([]string, *Call) string { return step },
		Show: showCall(name, 1),
		Rules: func(in []string, _ []bool, k *Call) []string {
			a := G(k.Params[0])
			return []string{"the gradient arriving at " + in[0] + " is " + fmt.Sprintf(rule, a) + ", where p = softmax(" + in[0] + ", " + a +
				") and g is the gradient arriving here"}
		},
		LaTeX: func(t TeX, k *Call) string { return texCall(t, tex, 1, k) },
	}, l)
}

// perElement is the explanation's rules of an element-wise binary
// operation from its two partial derivatives written in the inputs' names;
// an input the gradient is not taken through is left out.
func perElement(partials func(in []string) [2]string) func([]string, []bool, *Call) []string {
	return func(in []string, needs []bool, _ *Call) []string {
		p := partials(in)
		out := make([]string, 2)
		for k := range out {
			if needs[k] {
				out[k] = p[k] + ", element by element"
			}
		}
		return out
	}
}

// extremum is maximum or minimum: A where wins(A, B), else B, element by
// element with broadcasting; the gradient goes to the winner, half to each
// at a tie, which is a kink.
func extremum(name, what, step, tex, cmp string, wins func(x, y float64) bool) *Op {
	return elementwise(&Op{Name: name, Doc: "the " + what + " of A and B, element by element, with broadcasting (a tie is a kink)",
		Step: func([]string, *Call) string { return step },
		Rules: perElement(func(in []string) [2]string {
			return [2]string{winner(in[0], cmp, in[1]), winner(in[1], cmp, in[0])}
		}),
		LaTeX: func(t TeX, _ *Call) string { return tex + t.Paren(t.Arg(0, 0)+", "+t.Arg(1, 0)) },
	}, &Elem{
		F:    func(x, y float64) float64 { return pick(x, y, wins(x, y)) },
		D:    func(x, y, _ float64) (float64, float64) { return share(wins(x, y), wins(y, x)) },
		Kink: func(x, y float64) bool { return x == y },
	})
}

// winner is the rule of maximum (cmp ">") and minimum ("<") for input a.
func winner(a, cmp, b string) string {
	return "1 where " + a + " " + cmp + " " + b + " (the gradient goes to the winner), ½ where they tie, 0 elsewhere"
}

// pick is x where first wins, else y; NaN when either is NaN.
func pick(x, y float64, first bool) float64 {
	switch {
	case math.IsNaN(x) || math.IsNaN(y):
		return math.NaN()
	case first:
		return x
	}
	return y
}

// share is the partials of maximum or minimum: all to the winner, half
// each at a tie (or where an input is NaN).
func share(first, second bool) (float64, float64) {
	switch {
	case first:
		return 1, 0
	case second:
		return 0, 1
	}
	return 0.5, 0.5
}

func same(in [][2]int, _ []float64) ([2]int, string) { return in[0], "" }

// mapAll is f of every element of m, in a new matrix.
func mapAll(c *Ctx, m Mat, f func(float64) float64) Mat {
	out := c.New(m.R, m.C)
	for i := 0; i < m.R; i++ {
		for j := 0; j < m.C; j++ {
			out.Set(i, j, f(m.At(i, j)))
		}
	}
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

// inTermsOf writes a registry derivative's formula, given in x, in terms of
// the input's name: σ(x)(1 − σ(x)) becomes σ(N)(1 − σ(N)).
func inTermsOf(formula, name string) string {
	r := []rune(formula)
	var b strings.Builder
	letter := func(i int) bool {
		return i >= 0 && i < len(r) && (r[i] >= 'a' && r[i] <= 'z' || r[i] >= 'A' && r[i] <= 'Z')
	}
	for i, c := range r {
		if c == 'x' && !letter(i-1) && !letter(i+1) {
			b.WriteString(name)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
