package reports

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npy"
	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/claims"
	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/spec/load"
)

// runFile writes src (and data files) to a folder of their own, loads it
// and runs it: the whole pipeline up to the reports.
func runFile(t *testing.T, src string, data map[string]string) *diff.Results {
	t.Helper()
	dir := t.TempDir()
	for name, body := range data {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := load.Load(p, load.DefaultOptions)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return diff.Run(e)
}

// npyBytes is m as a float64 .npy file.
func npyBytes(t *testing.T, m *mat.Dense) string {
	t.Helper()
	var b strings.Builder
	if err := npy.Write(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// claimOf is the diagnosis of the first claim of the first item of r.
func claimOf(r *diff.Results) claims.Diagnosis {
	it := r.Items[0]
	if f := it.Function; f != nil {
		for _, c := range f.Claims {
			if !c.OK() {
				return c.Diagnosis
			}
		}
		return f.Claims[0].Diagnosis
	}
	for _, m := range it.Gradient.Wrt {
		if m.Claim != nil {
			return m.Claim.Diagnosis
		}
	}
	return claims.Diagnosis{}
}

const (
	// dL/dX = C (2×3)
	gradC = "matrices:\n  X: [[0.5, -1, 2], [1.5, 0.25, -0.75]]\n  C: [[1, 2, 3], [4, 5, 6]]\n" +
		"gradients:\n  - name: L\n    expr: sum(X * C)\n    wrt: [X]\n    claims:\n      X: %s\n"
	// dL/dX = S (2×2, not symmetric)
	gradS = "matrices:\n  X: [[0.5, -1], [1.5, 0.25]]\n  S: [[1, 2], [3, 4]]\n" +
		"gradients:\n  - name: L\n    expr: sum(X * S)\n    wrt: [X]\n    claims:\n      X: %s\n"
	// dL/db = [[2, 2, 2]]: b broadcast over the 2 rows of X
	gradB = "matrices:\n  X: [[0.5, -1, 2], [1.5, 0.25, -0.75]]\n  b: [[0.1, 0.2, 0.3]]\n" +
		"gradients:\n  - name: L\n    expr: sum(X * X + b)\n    wrt: [b]\n    claims:\n      b: %s\n"
	// relu at K[0,0] = 0 is a kink
	gradK = "matrices:\n  K: [[0, 1], [-1, 2]]\n" +
		"gradients:\n  - name: L\n    expr: sum(relu(K))\n    claims:\n      K: %s\n"
	fnSig = "points:\n  grid: {x: {from: -3, to: 3, step: 0.5}}\n" +
		"functions:\n  - name: sig\n    expr: sigmoid(x)\n    derivative: %s\n    at: grid\n"
	fnSin = "functions:\n  - name: s\n    expr: sin(x)\n    derivative: %s\n    at: [0.1, 0.5, 1, 2]\n"
	fnTwo = "functions:\n  - name: g\n    expr: x * y^2\n    derivative: %s\n    at: {x: [1, 2], y: [0.5, 3]}\n"
	chain = "chains:\n  - name: c\n    of: [square, sigmoid]\n    derivative: %s\n    at: [-2, -1, 0.5, 1, 2]\n"
)

// TestClaimRulesThroughPipeline: every diagnosis rule fires on a wrong
// claim read from a file, checked by diff and written by the reports (its
// Markdown paragraph in the report, its summary in Problems), and the
// right claim for the same item passes with no diagnosis but "agrees".
// The exact gradients are known in closed form: ∂sum(X⊙C)/∂X = C,
// ∂sum(X⊙X + b)/∂b = (rows of X)·1, relu′ = H, σ′ = σ(1 − σ).
func TestClaimRulesThroughPipeline(t *testing.T) {
	nan := mat.NewDense(2, 3, []float64{1, 2, math.NaN(), 4, 5, 6})
	for _, c := range []struct {
		name, tmpl, wrong, right string
		data                     map[string]string
		kind                     claims.Kind
		says                     string // in the Markdown and the summary
	}{
		{"shape", gradC, "[[1, 2], [4, 5]]", "C", nil, claims.KindShape, "2×2"},
		{"transpose, other shape", gradC, "transpose(C)", "C", nil, claims.KindTranspose, "transpose"},
		{"transpose, square", gradS, "transpose(S)", "S", nil, claims.KindTranspose, "transpose"},
		{"summed", gradC, "[[5, 7, 9]]", "C", nil, claims.KindSummed, "summed over its 2 rows"},
		{"broadcast", gradB, "[[2, 2, 2], [2, 2, 2]]", "[[2, 2, 2]]", nil, claims.KindBroadcast, "repeats the exact row"},
		{"unsummed", gradB, "[[1, 1, 1], [1, 1, 1]]", "'2 + 0 * b'", nil, claims.KindUnsummed, "forgot to sum"},
		{"non-finite npy", gradC, "{npy: nan.npy}", "{csv: c.csv}", map[string]string{"nan.npy": npyBytes(t, nan), "c.csv": "1,2,3\n4,5,6\n"}, claims.KindNonFinite, "NaN or infinite"},
		{"zero", gradC, "{zeros: [2, 3]}", "C + 0", nil, claims.KindZero, "is 0 at every element"},
		{"sign", gradC, "-C", "C", nil, claims.KindSign, "sign is flipped"},
		{"factor, named dimension", gradC, "3 * C", "C", nil, claims.KindFactor, "3 = the columns of X"},
		{"kinks", gradK, "[[1, 1], [0, 1]]", "[[0, 1], [0, 1]]", nil, claims.KindKinks, "at kinks"},
		{"elements", gradC, "[[1, 2, 3], [4, 5, 7]]", "[[1, 2, 3], [4, 5, 6]]", nil, claims.KindElements, "1 of 6 elements"},
		{"points: regions", fnSig, "sigmoid(x) * (1 - sigmoid(x)) + relu(x)", "sigmoid(x) * (1 - sigmoid(x))", nil, claims.KindRegions, "fails for x in [0.5, 3]"},
		{"points: sign", fnSig, "-exp(-x) / (1 + exp(-x))^2", "exp(-x) / (1 + exp(-x))^2", nil, claims.KindSign, "sign is flipped"},
		{"points: factor", fnSin, "2 * cos(x)", "cos(x)", nil, claims.KindFactor, "claimed = 2 × exact"},
		{"points: zero", fnSin, "0", "cos(x)", nil, claims.KindZero, "is 0 at every point"},
		{"two variables: factor", fnTwo, "'{x: y^2, y: x*y}'", "'{x: y^2, y: 2*x*y}'", nil, claims.KindFactor, "exact / 2"},
		{"two variables: elements", fnTwo, "'{x: y^2, y: 2*x*y + relu(x - 1.5)}'", "'{x: y^2, y: 2*x*y}'", nil, claims.KindElements, "| x=2;y=3 |"},
		{"chain: regions", chain, "2*x * sigmoid(x^2) * (1 - sigmoid(x^2)) + relu(x - 0.75)", "2*x * sigmoid(x^2) * (1 - sigmoid(x^2))", nil, claims.KindRegions, "fails for x in [1, 2]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := func(claim string) string {
				if strings.HasPrefix(claim, "'{") { // a mapping, written as one
					claim = strings.Trim(claim, "'")
				}
				return strings.Replace(c.tmpl, "%s", claim, 1)
			}
			r := runFile(t, src(c.wrong), c.data)
			d := claimOf(r)
			if d.Kind != c.kind {
				t.Fatalf("kind %q, want %q: %s", d.Kind, c.kind, d.Summary)
			}
			if !strings.Contains(d.Summary, c.says) && !strings.Contains(d.Markdown, c.says) {
				t.Errorf("the diagnosis does not say %q:\n%s\n%s", c.says, d.Summary, d.Markdown)
			}
			md := string(Markdown(r))
			if !strings.Contains(md, d.Markdown) {
				t.Errorf("the report lacks the diagnosis %q", d.Markdown)
			}
			failed := r.Count().Failed()
			if c.kind == claims.KindKinks {
				if failed || !strings.Contains(md, "right except at kinks") {
					t.Errorf("a claim wrong only at a kink fails the run (%v) or is not reported as such", failed)
				}
			} else {
				if !failed || r.Count().ClaimMismatch != 1 {
					t.Errorf("a wrong claim did not fail the run: %+v", r.Count())
				}
				if p := Problems(r.Items[0]); len(p) == 0 || !strings.Contains(p[0], d.Summary) {
					t.Errorf("the first problem is not the diagnosis %q: %q", d.Summary, p)
				}
			}
			r = runFile(t, src(c.right), c.data)
			if d := claimOf(r); d.Kind != claims.KindAgrees {
				t.Errorf("the right claim %s: %s", c.right, d.Summary)
			}
			if r.Count().Failed() {
				t.Errorf("the right claim %s fails the run: %+v", c.right, r.Count())
			}
		})
	}
}

// TestLinregBookClaims: the seed book's hand gradients for linear
// regression with a mean squared loss (testdata/claims/linreg-mean.yaml)
// are 10× the exact ones; the diagnosis names the factor and the batch
// size, and the corrected claims pass. The exact gradients are also
// compared with PyTorch's autograd (testdata/ref/claims.json, written by
// testdata/ref/gen_claims.py on the same inputs).
func TestLinregBookClaims(t *testing.T) {
	e, err := load.Load("../testdata/claims/linreg-mean.yaml", load.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	r := diff.Run(e)
	g := r.Items[0].Gradient
	var ref struct {
		Cases []struct {
			Name  string
			Exact map[string][][]float64
		}
	}
	readJSON(t, "../testdata/ref/claims.json", &ref)
	for _, m := range g.Wrt {
		want := ref.Cases[0].Exact[m.Name]
		for i := range want {
			for j, w := range want[i] {
				if got := m.Exact.At(i, j); math.Abs(got-w) > 1e-12*math.Abs(w) {
					t.Errorf("∂L/∂%s[%d,%d] = %v, torch %v", m.Name, i, j, got, w)
				}
			}
		}
		d := m.Claim.Diagnosis
		if d.Kind != claims.KindFactor || d.Factor != 10 || len(d.Dims) == 0 || d.Dims[0] != "the rows of X" || d.Inverse {
			t.Errorf("∂L/∂%s: %+v", m.Name, d)
		}
		if !strings.Contains(d.Summary, "claimed = 10 × exact") || !strings.Contains(d.Summary, "10 = the rows of X") {
			t.Errorf("∂L/∂%s: summary %q", m.Name, d.Summary)
		}
	}
	if c := r.Count(); c.ClaimMismatch != 2 || c.Fail != 4 {
		t.Errorf("counts %+v, want 2 wrong claims failing all 4 rows", c)
	}
	e, err = load.Load("../testdata/claims/linreg-mean-fixed.yaml", load.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if c := diff.Run(e).Count(); c.Failed() || c.OK != 4 {
		t.Errorf("the corrected claims: %+v", c)
	}
}

// TestWrongSigmoidShowsExact: a wrong scalar claim's report shows the
// symbolic exact derivative beside it, and the CSV's claimed and
// claim_error cells hold the claim.
func TestWrongSigmoidShowsExact(t *testing.T) {
	e, err := load.Load("../testdata/claims/wrong-sigmoid.yaml", load.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	r := diff.Run(e)
	md := string(Markdown(r))
	for _, want := range []string{
		"### Your derivative sig′(x): wrong",
		"**The sign is flipped:** claimed = −exact at every point.",
		`$$\mathrm{sig}'(x) = \sigma(x)\,\left(1 - \sigma(x)\right)$$`,
		"| x | sig | exact | numeric | claimed | abs error | status |",
	} {
		if !strings.Contains(md, strings.Join(strings.Fields(want), " ")) && !strings.Contains(squeeze(md), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("the report lacks %q", want)
		}
	}
	lines := strings.Split(string(CSV(r)), "\n")
	// x = 0: σ′(0) = 1/4, claimed −1/4, claim_error 1/2
	var row string
	for _, l := range lines {
		if strings.HasPrefix(l, "sig,function,x=0,") {
			row = l
		}
	}
	if !strings.HasSuffix(row, ",-0.25,0.5") || !strings.Contains(row, ",fail,") {
		t.Errorf("the row at x = 0: %q", row)
	}
}

// squeeze collapses runs of spaces (tables pad their cells).
func squeeze(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		b.WriteString(strings.Join(strings.Fields(line), " ") + "\n")
	}
	return b.String()
}

// TestClaimCellsAndShapes: claimed and claim_error are the two last CSV
// columns, empty on rows with no claim; a claim of the wrong shape fails
// every row of its matrix naming both shapes and leaves its cells empty;
// a right .npy claim and a claim under method none (rows listed without a
// numeric check) pass.
func TestClaimCellsAndShapes(t *testing.T) {
	cols := CSVColumns[len(CSVColumns)-2:]
	if cols[0] != "claimed" || cols[1] != "claim_error" {
		t.Fatalf("the last columns are %q", cols)
	}
	src := "matrices:\n  X: [[0.5, -1, 2], [1.5, 0.25, -0.75]]\n  C: [[1, 2, 3], [4, 5, 6]]\n" +
		"gradients:\n  - name: L\n    expr: sum(X * C)\n    claims:\n      X: [[1, 2], [3, 4]]\n"
	r := runFile(t, src, nil)
	for _, l := range strings.Split(strings.TrimSpace(string(CSV(r))), "\n")[1:] {
		f := strings.Split(l, ",")
		switch {
		case strings.HasPrefix(l, `L,gradient,,"X[`):
			if !strings.Contains(l, `,fail,"the claim has the wrong shape: claimed is 2×2, exact is 2×3",`) || !strings.HasSuffix(l, ",,") {
				t.Errorf("a row of the wrong-shaped claim: %q", l)
			}
		case strings.HasPrefix(l, `L,gradient,,"C[`):
			if !strings.HasSuffix(l, ",,") || f[len(f)-9] != "ok" {
				t.Errorf("a row with no claim: %q", l)
			}
		}
	}
	c := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})
	for _, tail := range []string{"    claims:\n      X: {npy: c.npy}\n", "    numeric: {method: none}\n    claims:\n      X: {npy: c.npy}\n"} {
		src := "matrices:\n  X: [[0.5, -1, 2], [1.5, 0.25, -0.75]]\n  C: [[1, 2, 3], [4, 5, 6]]\n" +
			"gradients:\n  - name: L\n    expr: sum(X * C)\n    wrt: [C]\n" + tail
		r := runFile(t, src, map[string]string{"c.npy": npyBytes(t, c)})
		if r.Count().Failed() {
			t.Errorf("%s: a right claim fails: %+v", tail, r.Count())
		}
		out := string(CSV(r))
		if !strings.Contains(out, `L,gradient,,"X[1,2]",`) || !strings.Contains(out, ",6,0\n") {
			t.Errorf("%s: the claimed row of X[1,2]:\n%s", tail, out)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}
