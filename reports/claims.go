package reports

import (
	"bytes"
	"fmt"
	"math"

	"github.com/runner-dev/runner/claims"
	"github.com/runner-dev/runner/diff"
)

// claimCell is a row's claimed value for the Markdown, empty where nothing
// was claimed.
func claimCell(d diff.Derivative) string {
	if d.Claim == nil {
		return ""
	}
	return fmtNum(d.Claim.Value)
}

// claimRule is the agreement a claim is held to, in words.
func claimRule(t claims.Tolerance) string {
	if !(t.Rtol > 0) {
		t.Rtol = claims.DefaultRtol
	}
	if !(t.Atol > 0) {
		t.Atol = claims.DefaultAtol
	}
	return fmt.Sprintf("|claimed − exact| ≤ %g + %g·|exact|", t.Atol, t.Rtol)
}

// scalarClaims writes, for each claimed derivative of a function or chain,
// the claim, the verdict and how a wrong claim is wrong, with the exact
// derivative beside a wrong one, and the plot of a wrong one that has no
// curve plot to be drawn on (ScalarClaimPlot).
func scalarClaims(b *bytes.Buffer, results string, f *diff.Function) {
	for i, c := range f.Claims {
		name := "∂" + f.Name + "/∂" + c.Wrt
		if len(f.Vars) == 1 {
			name = f.Name + "′(" + c.Wrt + ")"
		}
		verdict := "right"
		if !c.OK() {
			verdict = "wrong"
		}
		fmt.Fprintf(b, "### Your derivative %s: %s\n\n", name, verdict)
		fmt.Fprintf(b, "Claimed: `%s`, checked at every point against the exact derivative (%s).\n\n", c.Src, escape(claimRule(c.Tolerance)))
		fmt.Fprintf(b, "$$\\text{claimed} = %s$$\n\n", LaTeX(c.Expr))
		b.WriteString(c.Diagnosis.Markdown + "\n")
		if !c.OK() && c.Exact != nil {
			fmt.Fprintf(b, "The exact derivative, found symbolically:\n\n$$%s = %s$$\n\n", exactName(f, c.Wrt), LaTeX(c.Exact))
		}
		if hasScalarClaimPlot(f, &f.Claims[i]) {
			fmt.Fprintf(b, "![your %s against the exact one at each point](%s)\n\n", claimName(f, c.Wrt), ClaimPlotFile(results, f.Name, c.Wrt))
		}
	}
}

// exactName is f'(x) for one variable, ∂f/∂x for several, in LaTeX.
func exactName(f *diff.Function, wrt string) string {
	if len(f.Vars) == 1 {
		return mathName(f.Name) + "'(" + wrt + ")"
	}
	return fmt.Sprintf("\\frac{\\partial %s}{\\partial %s}", mathName(f.Name), wrt)
}

// matrixClaim writes a gradient's claim for one matrix: the claimed
// values beside the exact ones above (when small enough to print), the
// verdict and how a wrong claim is wrong, and its picture (file) when it
// has one (ClaimHeatmap). d names the gradient, "∂L/∂W".
func matrixClaim(b *bytes.Buffer, d string, m diff.MatrixGradient, file string) {
	c := m.Claim
	if c == nil {
		return
	}
	verdict := "right"
	switch {
	case c.Diagnosis.Kind == claims.KindKinks:
		verdict = "right except at kinks"
	case !c.OK():
		verdict = "wrong"
	}
	fmt.Fprintf(b, "#### Your %s: %s\n\n", d, verdict)
	from := "`" + c.Src + "`"
	if !c.IsExpr {
		from = escape(c.Src)
	}
	fmt.Fprintf(b, "Claimed: %s, checked at every element against the exact gradient (%s).\n\n", from, escape(claimRule(c.Tolerance)))
	if !c.Diagnosis.Verdict.ShapeMismatch() && !Large(c.Value) {
		matrixTable(b, d+" claimed", c.Value, func(i, j int) string { return fmtNum(c.Value.At(i, j)) })
		if !c.OK() {
			matrixTable(b, "claim error", c.Value, func(i, j int) string {
				return fmtErr(math.Abs(c.Value.At(i, j) - m.Exact.At(i, j)))
			})
		}
	}
	if hasClaimPicture(&m) {
		fmt.Fprintf(b, "![your %s compared with the exact one, as heat maps](%s)\n\n", d, file)
	}
	b.WriteString(c.Diagnosis.Markdown + "\n")
}

// claimProblems are the one-line diagnoses of an item's wrong claims, as
// "∂L/∂W: claimed = 10 × exact (every element); …".
func claimProblems(it diff.Item) []string {
	var out []string
	if f := it.Function; f != nil {
		for _, c := range f.Claims {
			if !c.OK() {
				out = append(out, fmt.Sprintf("∂%s/∂%s claimed %s: %s", f.Name, c.Wrt, c.Src, c.Diagnosis.Summary))
			}
		}
	}
	if g := it.Gradient; g != nil {
		for _, m := range g.Wrt {
			if c := m.Claim; c != nil && !c.OK() {
				out = append(out, fmt.Sprintf("∂%s/∂%s claimed: %s", g.Name, m.Name, c.Diagnosis.Summary))
			}
		}
	}
	return out
}
