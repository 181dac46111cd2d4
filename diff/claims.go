package diff

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/claims"
	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/spec"
)

// Claim is the user's claimed value of one derivative row (derivative:,
// claims:), checked against Exact.
type Claim struct {
	Value float64 // the claimed derivative
	Error float64 // claim_error: |Value − Exact|; NaN or +Inf when either is not finite
}

// ScalarClaim is a function's or chain's claimed derivative with respect
// to Wrt, checked at every point.
type ScalarClaim struct {
	Wrt  string
	Src  string    // the claimed expression, as written
	Expr expr.Node // the claimed expression
	// Exact is the exact derivative found symbolically (Function.Derivs).
	Exact     expr.Node
	Tolerance claims.Tolerance
	Diagnosis claims.Diagnosis
}

// MatrixClaim is a gradient's claimed ∂L/∂M for one matrix M.
type MatrixClaim struct {
	// Src is the claimed expression (IsExpr), or where the values came from
	// ("npy data/dW.npy").
	Src       string
	IsExpr    bool
	Value     *mat.Dense
	Tolerance claims.Tolerance
	Diagnosis claims.Diagnosis
}

// OK reports whether the claim agrees with the exact derivative.
func (c *ScalarClaim) OK() bool { return c.Diagnosis.Kind == claims.KindAgrees }

// OK reports whether the claim agrees with the exact gradient, or differs
// only at kinks, where the gradient is not defined and the exact value is a
// convention (the rows there keep the status kink).
func (c *MatrixClaim) OK() bool {
	return c.Diagnosis.Kind == claims.KindAgrees || c.Diagnosis.Kind == claims.KindKinks
}

// claimTolerance is the item's claim_rtol and claim_atol.
func claimTolerance(t spec.Tolerance) claims.Tolerance {
	return claims.Tolerance{Rtol: t.ClaimRtol, Atol: t.ClaimAtol}
}

// claimAgrees is claims.Check's rule for one value: |claimed − exact| ≤
// atol + rtol·|exact|, both finite (zero tolerances mean the defaults).
func claimAgrees(claimed, exact float64, t claims.Tolerance) bool {
	rtol, atol := t.Rtol, t.Atol
	if !(rtol > 0) {
		rtol = claims.DefaultRtol
	}
	if !(atol > 0) {
		atol = claims.DefaultAtol
	}
	return !bad(claimed) && !bad(exact) && math.Abs(claimed-exact) <= atol+rtol*math.Abs(exact)
}

// claimRow sets d's claim and, when it disagrees with the exact value,
// fails the row saying why. At a kink, where the derivative is not defined
// and the exact value is a convention, a claim is not failed: with sides
// (functions and chains, whose one-sided derivatives are known) when it
// equals either one-sided derivative, without (gradients) whatever it is,
// the note saying how it differs. It returns the value the claim is judged
// against: Exact, or the one-sided derivative it matches at a kink.
func claimRow(d *Derivative, claimed float64, problem string, t claims.Tolerance, sides bool) float64 {
	d.Claim = &Claim{Value: claimed, Error: math.Abs(claimed - d.Exact)}
	if claimAgrees(claimed, d.Exact, t) {
		return d.Exact
	}
	if d.Status == Kink && sides {
		for _, side := range []float64{d.Left, d.Right} {
			if claimAgrees(claimed, side, t) {
				return side
			}
		}
	}
	if d.Status == Kink && !sides && !bad(claimed) {
		d.Note += fmt.Sprintf("; claimed %s where the exact value (a convention at the kink) is %s", g(claimed), g(d.Exact))
		return d.Exact
	}
	why := fmt.Sprintf("the claim is wrong: claimed %s, exact %s", g(claimed), g(d.Exact))
	if problem != "" {
		why += " (the claim: " + problem + ")"
	}
	if d.Status == Fail && d.Note != "" {
		why = d.Note + "; " + why
	}
	d.Status, d.Note = Fail, why
	return d.Exact
}

// checkScalarClaims checks a function's or chain's claimed derivatives at
// every point of out, failing the rows where a claim is wrong, and says
// how each is wrong.
func checkScalarClaims(out *Function, cs []spec.Claim, s spec.Settings) {
	t := claimTolerance(s.Tolerance)
	for _, c := range cs {
		idx := 0
		for i, v := range out.Vars {
			if v == c.Wrt {
				idx = i
			}
		}
		sf := newScalarFn(c.Expr, out.Vars)
		n := len(out.Points)
		xs, claimed, exact := make([]float64, n), make([]float64, n), make([]float64, n)
		for k := range out.Points {
			p := &out.Points[k]
			v, problem := sf.value(p.At)
			xs[k], claimed[k] = p.At[idx], v
			exact[k] = claimRow(&p.Partials[idx], v, problem, t, true)
		}
		sc := ScalarClaim{Wrt: c.Wrt, Src: c.Src, Expr: c.Expr, Tolerance: t}
		if idx < len(out.Derivs) {
			sc.Exact = out.Derivs[idx]
		}
		if len(out.Vars) == 1 {
			sc.Diagnosis = claims.DiagnosePoints(xs, claimed, exact, t)
		} else {
			sc.Diagnosis = pointsNamed(claims.Diagnose(column(claimed), column(exact), t, claims.Context{}), out)
		}
		out.Claims = append(out.Claims, sc)
	}
}

// column is xs as an n×1 matrix.
func column(xs []float64) *mat.Dense {
	if len(xs) == 0 {
		return nil
	}
	return mat.NewDense(len(xs), 1, xs)
}

// checkGradientClaims evaluates each claimed gradient of g, checks it
// against the exact one (every element, whatever the numeric check
// sampled), fails the rows of the elements that disagree, and says how
// each claim is wrong, naming the item's matrices' dimensions.
func checkGradientClaims(out *Gradient, g *spec.Gradient, matrices []*spec.Matrix) {
	if len(g.Claims) == 0 {
		return
	}
	t := claimTolerance(g.Settings.Tolerance)
	leaves := map[string]*mat.Dense{}
	used := map[string]bool{}
	expr.Walk(g.Expr, func(n expr.Node) {
		if id, ok := n.(*expr.Ident); ok {
			used[id.Name] = true
		}
	})
	var dims []claims.Dim
	for _, m := range matrices {
		leaves[m.Name] = m.Value
		if used[m.Name] {
			r, c := m.Value.Dims()
			dims = append(dims, claims.Dim{Name: "the rows of " + m.Name, Size: r}, claims.Dim{Name: "the columns of " + m.Name, Size: c})
		}
	}
	// the intermediates' values, so that a claim's expression may use them
	for _, lt := range g.Let {
		tp := &tape{leaves: leaves, wrt: map[string]*node{}}
		leaves[lt.Name] = tp.forward(lt.Expr).val
	}
	for _, c := range g.Claims {
		var mg *MatrixGradient
		for k := range out.Wrt {
			if out.Wrt[k].Name == c.Wrt {
				mg = &out.Wrt[k]
			}
		}
		if mg == nil {
			continue // the loader puts every claimed matrix in Wrt
		}
		mc := &MatrixClaim{Src: c.Src, IsExpr: c.Expr != nil, Value: c.Value, Tolerance: t}
		problem := ""
		if c.Expr != nil {
			tp := &tape{leaves: leaves, wrt: map[string]*node{}}
			mc.Value = mat.DenseCopyOf(tp.forward(c.Expr).val)
			problem = tp.tr.problem
		}
		kinks := map[Index]bool{}
		for _, e := range mg.Elements {
			if e.Status == Kink {
				kinks[e.Index] = true
			}
		}
		ctx := claims.Context{Dims: dims}
		if len(kinks) > 0 {
			ctx.Kinks = func(i, j int) bool { return kinks[Index{i, j}] }
		}
		mc.Diagnosis = claims.Diagnose(mc.Value, mg.Exact, t, ctx)
		v := mc.Diagnosis.Verdict
		for k := range mg.Elements {
			e := &mg.Elements[k]
			if v.ShapeMismatch() {
				e.Claim = &Claim{Value: math.NaN(), Error: math.NaN()}
				note := v.Reason
				if e.Status == Fail && e.Note != "" {
					note = e.Note + "; " + note
				}
				e.Status, e.Note = Fail, note
				continue
			}
			claimRow(&e.Derivative, mc.Value.At(e.I, e.J), problem, t, false)
		}
		mg.Claim = mc
	}
}

// Row sets the claim of element [i,j] on d, a row of a gradient listed
// without a numeric check (method none): the claimed value, claim_error
// and status.
func (c *MatrixClaim) Row(d *Derivative, i, j int) {
	v := c.Diagnosis.Verdict
	if v.ShapeMismatch() {
		d.Claim = &Claim{Value: math.NaN(), Error: math.NaN()}
		d.Status, d.Note = Fail, v.Reason
		return
	}
	claimRow(d, c.Value.At(i, j), "", c.Tolerance, false)
}

// ClaimCells are the CSV's claimed and claim_error cells: NaN (empty) where
// nothing was claimed, or where a claim of the wrong shape has no element
// here.
func (d Derivative) ClaimCells() (claimed, claimError float64) {
	if d.Claim == nil {
		return math.NaN(), math.NaN()
	}
	return d.Claim.Value, d.Claim.Error
}

// pointsNamed rewrites a diagnosis of a several-variable function's claim,
// made over an n×1 column with one element per point, so that each element
// [k,0] it names reads as its point, "x=1;y=2".
func pointsNamed(d claims.Diagnosis, out *Function) claims.Diagnosis {
	for _, e := range d.Verdict.Worst {
		at := out.Points[e.Row].At
		label := make([]string, len(out.Vars))
		for i, v := range out.Vars {
			label[i] = v + "=" + strconv.FormatFloat(at[i], 'g', -1, 64)
		}
		old, by := fmt.Sprintf("[%d,0]", e.Row), strings.Join(label, ";")
		d.Summary, d.Markdown = strings.ReplaceAll(d.Summary, old, by), strings.ReplaceAll(d.Markdown, old, by)
	}
	d.Markdown = strings.Replace(d.Markdown, "| element | claimed |", "| point | claimed |", 1)
	return d
}
