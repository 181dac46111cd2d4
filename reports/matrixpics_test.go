package reports

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestHessianPictureMatrix: the matrix a Hessian picture draws is the
// Hessian, checked against formulas worked out by hand. For
// L = sum(A ∘ A ∘ B): ∂²L/∂A_ij² = 2B_ij, ∂²L/∂A_ij∂B_ij = 2A_ij, all
// else 0. For h = x·y² + z·sin x: ∂²h/∂x² = −z·sin x, ∂²h/∂x∂y = 2y,
// ∂²h/∂x∂z = cos x, ∂²h/∂y² = 2x, the rest 0.
func TestHessianPictureMatrix(t *testing.T) {
	r := run13(t, `title: t
functions:
  - name: h
    expr: x * y^2 + sin(x) * z
    at: [{x: 1, y: 2, z: -1}, {x: 3, y: 1, z: 1}]
    order: 2
matrices:
  A: [[1, -2], [0.5, 3]]
  B: [[2, 0.5], [-1, 1.5]]
gradients:
  - name: L
    expr: sum(A * A * B)
    wrt: [A, B]
    order: 2
`)
	f, g := r.Items[0].Function, r.Items[1].Gradient
	x, y, z := 1.0, 2.0, -1.0
	want := [][]float64{{-z * math.Sin(x), 2 * y, math.Cos(x)}, {2 * y, 2 * x, 0}, {math.Cos(x), 0, 0}}
	h := functionHessian(f)
	if h == nil {
		t.Fatal("no Hessian for a function of three variables with order 2")
	}
	if strings.Join(h.names, " ") != "x y z" || h.at != "x=1;y=2;z=-1" {
		t.Errorf("names %q at %q", h.names, h.at)
	}
	for i := range 3 {
		for j := range 3 {
			if got := h.exact.At(i, j); math.Abs(got-want[i][j]) > 1e-9 {
				t.Errorf("h: H[%d,%d] = %g, want %g", i, j, got, want[i][j])
			}
			if e := h.errs.At(i, j); !(e >= 0 && e < 1e-5) {
				t.Errorf("h: error [%d,%d] = %g", i, j, e)
			}
		}
	}
	gh := gradientHessian(g)
	if gh == nil {
		t.Fatal("no Hessian for a gradient with order 2")
	}
	names := "A[0,0] A[0,1] A[1,0] A[1,1] B[0,0] B[0,1] B[1,0] B[1,1]"
	if strings.Join(gh.names, " ") != names {
		t.Fatalf("names %q, want %q", gh.names, names)
	}
	a := []float64{1, -2, 0.5, 3}
	b := []float64{2, 0.5, -1, 1.5}
	for u := range 8 {
		for v := range 8 {
			w := 0.0
			switch {
			case u < 4 && v == u:
				w = 2 * b[u]
			case u < 4 && v == u+4:
				w = 2 * a[u]
			case v < 4 && u == v+4:
				w = 2 * a[v]
			}
			if got := gh.exact.At(u, v); math.Abs(got-w) > 1e-8 {
				t.Errorf("L: H[%s,%s] = %g, want %g", gh.names[u], gh.names[v], got, w)
			}
		}
	}
	svg, ok, err := GradientHessianHeatmap(g)
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	for _, n := range gh.names {
		if !strings.Contains(string(svg), ">"+n+"<") {
			t.Errorf("the picture does not name %s on its axes", n)
		}
	}
}

// TestHessianPictureOnlyWhenWhole: no Hessian picture for a function of
// one variable, a chain, or a gradient whose second derivatives were taken
// along directions (more than diff.MaxHessianElements elements); past
// MaxNamedHessian elements the axes are numbered, not named.
func TestHessianPictureOnlyWhenWhole(t *testing.T) {
	r := run13(t, `title: t
functions:
  - name: f
    expr: sin(x)
    at: [0.5, 1]
    order: 2
chains:
  - name: c
    of: [square, sin]
    at: [0.5, 1]
    order: 2
random: {seed: 1}
matrices:
  V: {randn: [21, 20]}
  S: {randn: [4, 5]}
gradients:
  - name: Big
    expr: sum(tanh(V))
    order: 2
  - name: Mid
    expr: sum(tanh(S))
    order: 2
`)
	for _, it := range r.Items[:2] {
		if _, ok, _ := FunctionHessianHeatmap(it.Function); ok {
			t.Errorf("%s: a Hessian picture of one variable", it.Function.Name)
		}
	}
	if _, ok, _ := GradientHessianHeatmap(r.Items[2].Gradient); ok {
		t.Error("Big: a Hessian picture from directions")
	}
	svg, ok, err := GradientHessianHeatmap(r.Items[3].Gradient)
	if !ok || err != nil {
		t.Fatal("Mid: no picture", err)
	}
	if strings.Contains(string(svg), ">S[0,1]<") || !strings.Contains(svgText(svg), "numbered row by row") {
		t.Error("Mid: 20 elements named on the axes, or the title does not say how they are numbered")
	}
	md := string(Markdown(r))
	if strings.Contains(md, "t.Big.hessian.svg") || strings.Contains(md, "t.f.hessian.svg") || !strings.Contains(md, "t.Mid.hessian.svg") {
		t.Error("the report links a Hessian picture that is not drawn, or not one that is")
	}
}

// TestClaimPictures: a wrong claim is drawn beside the exact gradient with
// |claimed − exact|; a right one by |claimed − exact| alone; one of the
// wrong shape not at all. The claimed function derivative is drawn at its
// points on the function's plot, −cos x for the claim −cos x.
func TestClaimPictures(t *testing.T) {
	r := run13(t, `title: t
functions:
  - name: c
    expr: sin(x)
    derivative: -cos(x)
    at: {x: {from: -3, to: 3, step: 0.5}}
  - name: p
    expr: x * sin(y)
    derivative: {x: sin(y), y: x * sin(y)}
    at: {x: [1, 2], y: [0, 0.5, 1, 1.5]}
matrices:
  A: [[1, -2], [0.5, 0]]
  B: [[1, 0.5, -1], [0, 2, 1]]
gradients:
  - name: L
    expr: sum(tanh(A @ B))
    wrt: [A, B]
    claims:
      A: 2 * (1 - tanh(A @ B)^2) @ transpose(B)
      B: transpose(A) @ (1 - tanh(A @ B)^2)
  - name: T
    expr: sum(tanh(A @ B))
    wrt: [B]
    claims:
      B: transpose(transpose(A) @ (1 - tanh(A @ B)^2))
`)
	f, pf, g, tr := r.Items[0].Function, r.Items[1].Function, r.Items[2].Gradient, r.Items[3].Gradient
	pts, wrong := claimedSeries(f)
	if !wrong || len(pts) != 13 {
		t.Fatalf("claimed series: %d points, wrong %v", len(pts), wrong)
	}
	if !sort.SliceIsSorted(pts, func(a, b int) bool { return pts[a].X < pts[b].X }) {
		t.Error("claimed series not by x")
	}
	for _, p := range pts {
		if math.Abs(p.Y+math.Cos(p.X)) > 1e-15 {
			t.Errorf("claimed at %g: %g, want −cos = %g", p.X, p.Y, -math.Cos(p.X))
		}
	}
	curve, err := CurvePlot(f)
	if err != nil || !strings.Contains(svgText(curve), "your derivative (crosses) leaves the dashed curve") {
		t.Error("the curve plot does not say the claim leaves the exact curve", err)
	}
	// p: ∂p/∂x claimed right (no plot), ∂p/∂y wrong (x·sin y for x·cos y)
	if _, ok, _ := ScalarClaimPlot(pf, &pf.Claims[0]); ok {
		t.Error("p: a right claim plotted by itself")
	}
	if _, ok, _ := ScalarClaimPlot(f, &f.Claims[0]); ok {
		t.Error("c: a claim plotted by itself as well as on the curve")
	}
	ae := claimedAgainstExact(pf, &pf.Claims[1])
	if len(ae) != 8 {
		t.Fatalf("p: %d points against exact, want 8", len(ae))
	}
	for k, pt := range ae {
		at := pf.Points[k].At
		if ex, cl := at[0]*math.Cos(at[1]), at[0]*math.Sin(at[1]); math.Abs(pt.X-ex) > 1e-12 || math.Abs(pt.Y-cl) > 1e-12 {
			t.Errorf("p at %v: (%g, %g), want (x cos y, x sin y) = (%g, %g)", at, pt.X, pt.Y, ex, cl)
		}
	}
	if _, ok, err := ScalarClaimPlot(pf, &pf.Claims[1]); !ok || err != nil {
		t.Error("p: the wrong claim ∂p/∂y is not plotted", err)
	}
	wrongSVG, ok, err := ClaimHeatmap(g, &g.Wrt[0])
	if !ok || err != nil {
		t.Fatal("A: no picture of a wrong claim", err)
	}
	rightSVG, ok, err := ClaimHeatmap(g, &g.Wrt[1])
	if !ok || err != nil {
		t.Fatal("B: no picture of a right claim", err)
	}
	for _, want := range []string{"yours (claimed)", "∂L/∂A, exact", "|claimed − exact|, log scale"} {
		if !strings.Contains(string(wrongSVG), want) {
			t.Errorf("A (wrong): no %q", want)
		}
	}
	if strings.Contains(string(rightSVG), "yours (claimed)") || !strings.Contains(svgText(rightSVG), "agrees with the exact gradient at every element") {
		t.Error("B (right): not drawn as its errors alone")
	}
	if _, ok, _ := ClaimHeatmap(tr, &tr.Wrt[0]); ok {
		t.Error("T: a claim of the wrong shape drawn as a heat map")
	}
	md := string(Markdown(r))
	if !strings.Contains(md, "(t.p.claim_y.svg)") || strings.Contains(md, "t.p.claim_x.svg") || strings.Contains(md, "t.c.claim_x.svg") {
		t.Error("the report's function claim plot links do not match the plots drawn")
	}
	if !strings.Contains(md, "(t.L.claim_A.svg)") || !strings.Contains(md, "(t.L.claim_B.svg)") || strings.Contains(md, "t.T.claim_B.svg") {
		t.Error("the report's claim picture links do not match the pictures drawn")
	}
}

// TestEveryPictureLinked: every SVG the golden inputs write is linked
// from its report, and every SVG a report links is written.
func TestEveryPictureLinked(t *testing.T) {
	files := renderAll(t)
	written := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f.Name, ".svg") {
			written[f.Name] = true
		}
	}
	linked := map[string]bool{}
	link := regexp.MustCompile(`\]\(([^)\s]+\.svg)\)`)
	for _, f := range files {
		if strings.HasSuffix(f.Name, ".md") {
			for _, m := range link.FindAllStringSubmatch(string(f.Bytes()), -1) {
				linked[m[1]] = true
			}
		}
	}
	for n := range written {
		if !linked[n] {
			t.Errorf("%s is written but no report links it", n)
		}
	}
	for n := range linked {
		if !written[n] {
			t.Errorf("%s is linked but not written", n)
		}
	}
}

// svgText is the text an SVG draws, its pieces joined by spaces (a
// wrapped title reads as one line).
func svgText(svg []byte) string {
	var parts []string
	for _, m := range regexp.MustCompile(`>([^<>]+)</text>`).FindAllSubmatch(svg, -1) {
		parts = append(parts, string(m[1]))
	}
	return strings.Join(parts, " ")
}
