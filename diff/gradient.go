package diff

import (
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/internal/fmath"
	"github.com/runner-dev/runner/internal/mem"
	"github.com/runner-dev/runner/internal/par"
	"github.com/runner-dev/runner/internal/prose"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/rng"
	"github.com/runner-dev/runner/spec"
)

const (
	// FullCheckFlops is the most floating-point work (elements × evaluations
	// per derivative × the cost of one element's evaluation of L, see
	// checkCost) spent checking a gradient element by element; beyond it the
	// check is sampled.
	FullCheckFlops = 5e9
	// SampleElements is how many elements of each matrix a sampled check
	// perturbs one at a time.
	SampleElements = 8
	// SampleDirections is how many random directions a sampled check
	// differentiates L along.
	SampleDirections = 2
	// SampleSeed seeds the stream (NumPy's legacy generator) that picks the
	// sampled elements and draws the directions.
	SampleSeed = 1
)

// buildTape evaluates an item on leaves: the intermediates in order, then
// root. Each name in wrt gets a gradient when withGrad: a matrix as a
// leaf of its own, an intermediate as its node, whose gradient is kept
// (retain). An intermediate in override is a leaf of that value instead,
// its own inputs held (the numeric check of ∂L/∂N perturbs N alone). keep
// keeps every step's local derivatives, for the explanation.
func buildTape(leaves map[string]*mat.Dense, lets []spec.Let, wrt []string, root expr.Node, withGrad, keep bool, override map[string]*mat.Dense) (*tape, *node) {
	t := &tape{leaves: leaves, wrt: map[string]*node{}, lets: map[string]*node{}, keep: keep}
	inWrt := map[string]bool{}
	for _, w := range wrt {
		inWrt[w] = true
	}
	isLet := map[string]bool{}
	for _, lt := range lets {
		isLet[lt.Name] = true
	}
	for _, w := range wrt {
		if !isLet[w] {
			t.wrt[w] = &node{val: leaves[w], needs: withGrad}
		}
	}
	for _, lt := range lets {
		var n *node
		if v, ok := override[lt.Name]; ok {
			n = t.add(&node{val: v, leaf: lt.Name})
		} else {
			n = t.forward(lt.Expr)
		}
		if withGrad && inWrt[lt.Name] {
			n.needs, n.retain = true, true
		}
		t.lets[lt.Name] = n
	}
	return t, t.forward(root)
}

// RunGradient computes L and ∂L/∂M for each M in g.Wrt by reverse mode, and
// checks them numerically: every element when that is cheap enough
// (FullCheckFlops), otherwise SampleElements elements of each matrix and
// SampleDirections directional derivatives.
func RunGradient(g *spec.Gradient, matrices []*spec.Matrix) *Gradient {
	s := g.Settings
	// The inputs are never changed: a check that must change a matrix's
	// elements (a sweep, or an element check that cannot be done
	// incrementally) changes a copy of its own, made when first needed.
	leaves := map[string]*mat.Dense{}
	inputs := map[string]*mat.Dense{}
	for _, m := range matrices {
		inputs[m.Name] = m.Value
		leaves[m.Name] = m.Value
	}
	owned := map[string]bool{}
	own := func(name string) *mat.Dense {
		if !owned[name] {
			leaves[name], owned[name] = mat.DenseCopyOf(leaves[name]), true
		}
		return leaves[name]
	}
	eval := func(withGrad bool, override map[string]*mat.Dense) (*tape, *node) {
		return buildTape(leaves, g.Let, g.Wrt, g.Expr, withGrad, withGrad && g.Explain, override)
	}
	t, root := eval(true, nil)
	t.backward(root)
	out := &Gradient{Name: g.Name, Src: g.Src, Settings: s, Value: root.val.At(0, 0), FullGradients: g.FullGradients}
	if g.Explain {
		// the values, local derivatives and gradients of this very walk (the
		// checks below change no matrix the tape holds)
		out.Explain = explainTape(t, root, g.Name, g.Wrt)
	}
	kink := t.tr.kink
	flops := 0.0
	for _, n := range t.nodes {
		flops += n.flops
	}
	problem := t.tr.problem
	numProblem := "" // the first problem any numeric evaluation met
	// L evaluated afresh (with the intermediates in override held)
	evalWith := func(override map[string]*mat.Dense) float64 {
		t, r := eval(false, override)
		if numProblem == "" {
			numProblem = t.tr.problem
		}
		return r.val.At(0, 0)
	}
	value := func() float64 { return evalWith(nil) }

	total := 0
	wrtNode := func(w string) *node {
		if n, ok := t.lets[w]; ok {
			return n
		}
		return t.wrt[w]
	}
	values := map[string]*mat.Dense{} // each wrt matrix's or intermediate's value
	for _, w := range g.Wrt {
		n := wrtNode(w)
		values[w] = n.val
		grad := n.grad
		if grad == nil {
			r, c := n.val.Dims()
			grad = mem.Dense(r, c)
		}
		norm, maxAbs := NormMax(grad)
		mg := MatrixGradient{Name: w, Input: inputs[w], Exact: grad, Norm: norm, MaxAbs: maxAbs}
		if g.LetByName(w) != nil {
			mg.Input, mg.Intermediate = n.val, true
		}
		out.Wrt = append(out.Wrt, mg)
		total += int(size(n.val))
	}
	if sw := g.Sweep; sw != nil {
		out.Sweep = sweep(sw, own(sw.Matrix), out, value)
		numProblem = "" // what the sweep met is not the numeric check's
	}
	m := method.Get(s.Method)
	if !m.Numeric() {
		out.Check = "no numeric check (method none): exact values only"
		out.Reference = compareReference(g.Reference, out, matrices)
		return out
	}
	evals := float64(m.Evaluations())
	work := 0.0 // the work of checking every element
	for _, w := range g.Wrt {
		n := wrtNode(w)
		work += size(n.val) * evals * t.checkCost(n, flops)
	}
	out.Sampled = work > FullCheckFlops
	src := rng.New(SampleSeed)
	// where every kink L meets is a registry function's, each element
	// learns whether it moves a kinked element, and from which side
	sided := kink && t.kinksOneSided()
	for k := range out.Wrt {
		mg := &out.Wrt[k]
		var idx []Index
		if out.Sampled {
			idx = sampleIndices(src, values[mg.Name])
		} else {
			mg.Full = true
			r, c := values[mg.Name].Dims()
			for i := 0; i < r; i++ {
				for j := 0; j < c; j++ {
					idx = append(idx, Index{i, j})
				}
			}
		}
		// whether L's change is followed incrementally (the same for every
		// element: it depends on the operations on the tape)
		_, _, inc := t.patches(wrtNode(mg.Name), 0, 0, values[mg.Name].At(0, 0))
		// check is one element's numeric derivative and status; np is the
		// first problem its evaluations met (each element's note is its own)
		check := func(ix Index, np *string) Element {
			*np = ""
			x0 := values[mg.Name].At(ix.I, ix.J)
			d := newDerivative(fmt.Sprintf("%s[%d,%d]", mg.Name, ix.I, ix.J), mg.Exact.At(ix.I, ix.J))
			// L's change as the element moves from x0 to v: only what the
			// element changes is recomputed (incremental.go); a difference
			// formula's weights sum to zero, so the derivative of the change
			// is the derivative of L. Its round-off is that of the values
			// it is the difference of: the changed terms of L's sum at v
			// (deltaScale), or L(v) where L is evaluated in full; what the
			// value at x0 carries is common to every point of the stencil
			// and cancels.
			// The values of each evaluation's patches live in an arena,
			// reused by the next; L's change is from the tape's values,
			// which are the patches' at x0 (delta).
			sc := scratches.Get().(*scratch)
			defer scratches.Put(sc)
			defer sc.mem.Reset()
			incremental := inc
			scales := map[float64]float64{} // the round-off scale at each v evaluated
			met := ""                       // the first problem this element's evaluations met
			change := func(v float64) float64 {
				var c float64
				if incremental {
					sc.mem.Reset()
					ps, p, _ := t.patchesIn(sc, true, wrtNode(mg.Name), ix.I, ix.J, v)
					if met == "" {
						met = p
					}
					c, scales[v] = delta(root, ps, nil), deltaScale(root, ps)
				} else if mg.Intermediate { // N alone moves, as a leaf
					moved := mat.DenseCopyOf(values[mg.Name])
					moved.Set(ix.I, ix.J, v)
					tv, r := eval(false, map[string]*mat.Dense{mg.Name: moved})
					if *np == "" {
						*np = tv.tr.problem
					}
					lv := r.val.At(0, 0)
					c, scales[v] = lv-out.Value, math.Abs(lv)
				} else {
					leaf := own(mg.Name)
					leaf.Set(ix.I, ix.J, v)
					tv, r := eval(false, nil)
					leaf.Set(ix.I, ix.J, x0)
					if met == "" {
						met = tv.tr.problem
					}
					lv := r.val.At(0, 0)
					c, scales[v] = lv-out.Value, math.Abs(lv)
				}
				if *np == "" {
					*np = met
				}
				return c
			}
			scale := func(v float64) float64 {
				if sc, ok := scales[v]; ok {
					return sc
				}
				change(v)
				return scales[v]
			}
			d.Numeric, d.ErrEst = m.First(change, nil, x0, s.Step)
			first := met
			d.Bound = m.FirstBound(change, scale, nil, x0, s.Step, d.Numeric)
			if first != "" || bad(d.Numeric) || bad(d.Bound.Value()) {
				guarded := func(v float64) float64 {
					met = ""
					c := change(v)
					if met != "" {
						return math.NaN()
					}
					return c
				}
				if ed, eb, side, step, ok := m.Edge(guarded, scale, x0, s.Step, 1); ok {
					d.Numeric, d.ErrEst, d.Bound, d.Note = ed, math.NaN(), eb, m.EdgeNote(side, step)
				}
			}
			t.judgeElement(&d, eval, wrtNode(mg.Name), mg.Name, ix.I, ix.J, x0, s, sided, incremental, problem, *np)
			return Element{Index: ix, Derivative: d}
		}
		// Where L's change is followed incrementally and no kink needs a
		// one-sided walk, an element's check only reads the tape (what an
		// operation saves between patches is computed once, ops.Saved): the
		// elements are checked in parallel, each into its own place.
		mg.Elements = make([]Element, len(idx))
		if inc && !sided && len(idx) > 1 {
			probs := make([]string, len(idx))
			blocks := min(len(idx), 4*runtime.GOMAXPROCS(0))
			par.For(blocks, func(b int) {
				for e := b * len(idx) / blocks; e < (b+1)*len(idx)/blocks; e++ {
					mg.Elements[e] = check(idx[e], &probs[e])
				}
			})
			numProblem = probs[len(idx)-1]
		} else {
			for e, ix := range idx {
				mg.Elements[e] = check(ix, &numProblem)
			}
		}
	}
	if out.Sampled {
		out.Directions = directions(src, out, t, root, leaves, value, s, kink, problem, &numProblem)
	}
	if g.Order == 2 {
		hessian(g, out, leaves, kink, problem)
	}
	out.Check = describeCheck(out, s)
	out.Reference = compareReference(g.Reference, out, matrices)
	return out
}

func judgeGradient(d *Derivative, s spec.Settings, kink bool, problem, numProblem string) {
	judge(d, s.Tolerance, false, method.Get(s.Method), problem, numProblem)
	if kink && d.Status == Fail {
		d.Status, d.Note = Kink, "a function in L is evaluated at a kink, where L is not differentiable"
	}
}

// sampleIndices picks SampleElements distinct elements of m: the first, the
// last, and the rest drawn uniformly, returned in row-major order.
func sampleIndices(src *rng.Source, m *mat.Dense) []Index {
	r, c := m.Dims()
	n := r * c
	chosen := map[int]bool{0: true, n - 1: true}
	for len(chosen) < min(SampleElements, n) {
		chosen[int(src.Float64()*float64(n))] = true
	}
	flat := make([]int, 0, len(chosen))
	for k := range chosen {
		flat = append(flat, k)
	}
	sort.Ints(flat)
	out := make([]Index, len(flat))
	for i, k := range flat {
		out[i] = Index{k / c, k % c}
	}
	return out
}

func describeCheck(g *Gradient, s spec.Settings) string {
	how := fmt.Sprintf("%s differences with h = %g", s.Method, s.Step)
	if !g.Sampled {
		names := make([]string, len(g.Wrt))
		for i, m := range g.Wrt {
			names[i] = m.Name
		}
		return fmt.Sprintf("every element of %s, perturbed one at a time with the rest held (%s)", prose.List(names, "and"), how)
	}
	var parts []string
	for _, m := range g.Wrt {
		r, c := m.Input.Dims()
		parts = append(parts, fmt.Sprintf("%d of the %d elements of %s", len(m.Elements), r*c, m.Name))
	}
	along := ""
	for _, m := range g.Wrt {
		if m.Intermediate {
			along = " over the input matrices"
		}
	}
	return fmt.Sprintf("a sample, as checking every element would take too long: %s (the first, the last, and others drawn "+
		"with NumPy's generator seeded %d), each perturbed one at a time with the rest held; and %d directional derivatives "+
		"∇L·V along unit directions V%s, each in one input matrix, the matrices in turn (standard normal draws from the same stream, scaled to length 1) (%s)",
		strings.Join(parts, ", "), SampleSeed, len(g.Directions), along, how)
}

// compareReference sets printed values beside computed ones. A printed value
// rounded to d decimals agrees when |computed − printed| ≤ ½·10⁻ᵈ (plus
// 1e-12 for the rounding of the printed value itself).
func compareReference(ref *spec.Reference, g *Gradient, matrices []*spec.Matrix) *Reference {
	if ref == nil {
		return nil
	}
	out := &Reference{Source: ref.Source, Decimals: ref.Decimals}
	tol := 0.5*fmath.Pow(10, -float64(ref.Decimals)) + 1e-12
	row := func(what string, printed, computed *mat.Dense) {
		diff := 0.0
		r, c := printed.Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				diff = math.Max(diff, math.Abs(printed.At(i, j)-computed.At(i, j)))
			}
		}
		out.Rows = append(out.Rows, ReferenceRow{What: what, Printed: printed, Computed: computed, MaxDiff: diff, Agrees: diff <= tol})
	}
	for _, in := range ref.Inputs {
		for _, m := range matrices {
			if m.Name == in.Name {
				row(in.Name, in.Value, m.Value)
			}
		}
	}
	if ref.Value != nil {
		row(g.Name, mat.NewDense(1, 1, []float64{*ref.Value}), mat.NewDense(1, 1, []float64{g.Value}))
	}
	for _, gr := range ref.Gradient {
		for _, mg := range g.Wrt {
			if mg.Name == gr.Name {
				row("∂"+g.Name+"/∂"+gr.Name, gr.Value, mg.Exact)
			}
		}
	}
	return out
}

// Run computes every item of an experiment, in file order: functions, then
// chains, then gradients, then Jacobians.
func Run(e *spec.Experiment) *Results {
	r := &Results{Name: e.Name, Title: e.Title, About: e.About, Settings: e.Settings, Seed: e.Seed, Matrices: e.Matrices}
	for _, f := range e.Functions {
		out := RunFunction(f)
		out.CSVEvery = f.CSVEvery
		checkScalarClaims(out, f.Claims, f.Settings)
		r.Items = append(r.Items, Item{Function: out})
	}
	for _, c := range e.Chains {
		out := RunChain(c)
		out.CSVEvery = c.CSVEvery
		checkScalarClaims(out, c.Claims, c.Settings)
		r.Items = append(r.Items, Item{Function: out})
	}
	for _, g := range e.Gradients {
		out := RunGradient(g, e.Matrices)
		checkGradientClaims(out, g, e.Matrices)
		r.Items = append(r.Items, Item{Gradient: out})
	}
	for _, j := range e.Jacobians {
		r.Items = append(r.Items, Item{Jacobian: RunJacobian(j, e.Matrices)})
	}
	return r
}

// sweep evaluates L as one element of leaf runs through sw's range, the rest
// held, and the tangent line ∂L/∂M[i,j] gives at the element's value.
func sweep(sw *spec.Sweep, leaf *mat.Dense, g *Gradient, value func() float64) *Sweep {
	x0 := leaf.At(sw.I, sw.J)
	out := &Sweep{Matrix: sw.Matrix, I: sw.I, J: sw.J, X0: x0, L0: g.Value}
	for _, m := range g.Wrt {
		if m.Name == sw.Matrix {
			out.Slope = m.Exact.At(sw.I, sw.J)
		}
	}
	for k := 0; k < sw.Count; k++ {
		t := sw.From + float64(k)*(sw.To-sw.From)/float64(sw.Count-1)
		if k == sw.Count-1 {
			t = sw.To
		}
		leaf.Set(sw.I, sw.J, t)
		out.T, out.L = append(out.T, t), append(out.L, value())
	}
	leaf.Set(sw.I, sw.J, x0)
	return out
}
