package diff

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
)

// labelsFixture reads ../testdata/ref/labels.json (written by
// gen_labels.py beside it, PyTorch float64 autograd): cases of pick,
// one_hot, embed and cross_entropy, and the matrices: section declaring
// its matrices and its label matrices ({labels: …}).
func labelsFixture(t *testing.T) (fx torchFile, decl string) {
	t.Helper()
	fx, decl = fixture(t, "../testdata/ref/labels.json", []string{"Z", "X", "W", "C", "V", "B"})
	var raw struct{ Labels map[string][][]float64 }
	b, _ := os.ReadFile("../testdata/ref/labels.json")
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	var names []string
	for k := range raw.Labels {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		decl += fmt.Sprintf("  %s: {labels: %s}\n", k, rows(raw.Labels[k]))
	}
	return fx, decl
}

// TestLabelOpsAgainstTorch compares L and every gradient, zeros included,
// with PyTorch: pick as gather, one_hot, embed as C[I].view(n, -1) (rows
// used twice add up, a row never used gets 0) and cross_entropy, whose
// logits reach ±1000 and, scaled, ±10⁶ (a softmax without the maximum
// taken out gives NaN there). The labels are never in wrt, and the numeric
// check of every element agrees.
func TestLabelOpsAgainstTorch(t *testing.T) {
	fx, decl := labelsFixture(t)
	for _, c := range fx.Cases {
		g := runTorchCase(t, decl, c)
		if len(g.Wrt) != len(c.Grads) {
			var got []string
			for _, mg := range g.Wrt {
				got = append(got, mg.Name)
			}
			t.Fatalf("%s: gradients for %v, torch has %d (labels must not be among them)", c.Expr, got, len(c.Grads))
		}
		for _, mg := range g.Wrt {
			want, ok := c.Grads[mg.Name]
			if !ok {
				t.Fatalf("%s: a gradient for %s, which torch does not take", c.Expr, mg.Name)
			}
			agreesWithTorch(t, c.Expr, mg, want)
		}
	}
}

// TestCrossEntropyExplained: the explanation's backward step for
// cross_entropy says, in words, what reaches the logits, and shows the
// local derivative (softmax(Z) − one_hot(y))/n: each row sums to 0 and is
// −(1 − p)/n at the label.
func TestCrossEntropyExplained(t *testing.T) {
	st := explainedStep(t, "matrices:\n  Z: [[1, 2, 3], [0, 0, 0]]\n  y: {labels: [[2], [1]]}\n"+
		"gradients:\n  - {name: L, expr: \"cross_entropy(Z, y)\", explain: true}\n", "cross_entropy(Z, y)")
	if len(st.Locals) != 1 || st.Locals[0].Wrt != "Z" {
		t.Fatalf("locals %+v: want one, for Z (none for the labels)", st.Locals)
	}
	if rule := st.Locals[0].Rule; !strings.Contains(rule, "the gradient arriving at Z is (softmax(Z) − one_hot(y)) / n") {
		t.Errorf("rule %q", rule)
	}
	v := st.Locals[0].Value
	p := 1 / (1 + math.Exp(-1) + math.Exp(-2)) // softmax([1, 2, 3])[2]
	if got := v.At(0, 2); math.Abs(got-(p-1)/2) > 1e-15 {
		t.Errorf("local [0,2] = %g, want %g", got, (p-1)/2)
	}
	if got := v.At(1, 1); math.Abs(got-(1.0/3-1)/2) > 1e-15 {
		t.Errorf("local [1,1] = %g, want %g", got, (1.0/3-1)/2)
	}
}
