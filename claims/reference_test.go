package claims

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// refCase is one model of ../testdata/ref/claims.json, written by
// gen_claims.py: inputs, PyTorch autograd's gradients ("exact", float64)
// and the seed book's hand gradients written in NumPy ("claims").
type refCase struct {
	Name     string                 `json:"name"`
	Matrices map[string][][]float64 `json:"matrices"`
	Exact    map[string][][]float64 `json:"exact"`
	Claims   map[string][][]float64 `json:"claims"`
}

func readRef(t *testing.T) map[string]refCase {
	t.Helper()
	b, err := os.ReadFile("../testdata/ref/claims.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []refCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	out := map[string]refCase{}
	for _, c := range f.Cases {
		out[c.Name] = c
	}
	return out
}

func fromRows(rows [][]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// TestSeedLinearRegression is issue 14's motivating case: for
// L = mean((X @ W + b − Y)²) over a batch of 10, the seed book's hand
// gradients 2·Xᵀ(XW + b − Y) and 2·Σ(XW + b − Y) are 10× the true ones.
// The exact gradient is computed here by the closed form
// 2/n·Xᵀ(XW + b − Y) and checked against PyTorch autograd first.
func TestSeedLinearRegression(t *testing.T) {
	ref := readRef(t)["linreg"]
	X, W, b, Y := fromRows(ref.Matrices["X"]), fromRows(ref.Matrices["W"]), fromRows(ref.Matrices["b"]), fromRows(ref.Matrices["Y"])
	n, _ := X.Dims()
	if n != 10 {
		t.Fatalf("batch %d, want 10", n)
	}
	var r mat.Dense // residual XW + b − Y, b broadcast over the rows
	r.Mul(X, W)
	for i := 0; i < n; i++ {
		r.Set(i, 0, r.At(i, 0)+b.At(0, 0)-Y.At(i, 0))
	}
	var xtr mat.Dense
	xtr.Mul(X.T(), &r)
	exactW, exactB := scaled(2/float64(n), &xtr), scaled(2/float64(n), sumAxis(&r, 0))
	bookW, bookB := scaled(2, &xtr), scaled(2, sumAxis(&r, 0))

	for name, c := range map[string]struct{ got, want *mat.Dense }{
		"closed-form dW vs torch": {exactW, fromRows(ref.Exact["W"])},
		"closed-form db vs torch": {exactB, fromRows(ref.Exact["b"])},
		"book's dW, Go vs NumPy":  {bookW, fromRows(ref.Claims["W"])},
		"book's db, Go vs NumPy":  {bookB, fromRows(ref.Claims["b"])},
	} {
		if v := Check(c.got, c.want, Tolerance{}); !v.OK {
			t.Errorf("%s: %s", name, v.Reason)
		}
	}

	ctx := Context{Dims: []Dim{{"the rows of X", 10}, {"the columns of X", 3}, {"the rows of W", 3}}}
	for _, wrt := range []string{"W", "b"} {
		d := Diagnose(fromRows(ref.Claims[wrt]), fromRows(ref.Exact[wrt]), Tolerance{}, ctx)
		if d.Kind != KindFactor || d.Factor != 10 || d.Inverse || len(d.Dims) != 1 || d.Dims[0] != "the rows of X" {
			t.Errorf("d%s: %s factor %v inverse %v dims %q, want factor 10 = the rows of X", wrt, d.Kind, d.Factor, d.Inverse, d.Dims)
		}
		for _, p := range []string{"claimed = 10 × exact", "10 = the rows of X: the gradient of a sum where the loss takes a mean?"} {
			if !strings.Contains(d.Summary, p) || !strings.Contains(d.Markdown, p) {
				t.Errorf("d%s: %q / %q lacks %q", wrt, d.Summary, d.Markdown, p)
			}
		}
		if d.Verdict.OK || d.Verdict.Disagree != d.Verdict.Total {
			t.Errorf("d%s: verdict %+v, want every element wrong", wrt, d.Verdict)
		}
	}
	// the corrected claims (the closed form) pass, with their own diagnosis
	if d := Diagnose(exactW, fromRows(ref.Exact["W"]), Tolerance{}, ctx); d.Kind != KindAgrees {
		t.Errorf("corrected dW: %s %q", d.Kind, d.Summary)
	}
}

// TestSeedTwoLayer: the book's manual backward pass for a two-layer
// network, batch 5, sums where the loss takes a mean: every hand gradient
// is 5× PyTorch's.
func TestSeedTwoLayer(t *testing.T) {
	ref := readRef(t)["twolayer"]
	ctx := Context{Dims: []Dim{{"the rows of X", 5}, {"the columns of X", 3}, {"the columns of W1", 4}, {"the columns of Y", 2}}}
	for _, wrt := range []string{"W1", "b1", "W2", "b2"} {
		d := Diagnose(fromRows(ref.Claims[wrt]), fromRows(ref.Exact[wrt]), Tolerance{}, ctx)
		if d.Kind != KindFactor || d.Factor != 5 || len(d.Dims) != 1 || d.Dims[0] != "the rows of X" {
			t.Errorf("d%s: %s %q, want factor 5 = the rows of X", wrt, d.Kind, d.Summary)
		}
		// divided by the batch, the book's gradient is right
		if v := Check(scaled(0.2, fromRows(ref.Claims[wrt])), fromRows(ref.Exact[wrt]), Tolerance{}); !v.OK {
			t.Errorf("d%s / 5: %s", wrt, v.Reason)
		}
	}
}
