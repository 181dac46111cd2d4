package diff

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/rng"
)

// jacobianFile is ../testdata/ref/jacobians.json, written by
// gen_jacobians.py beside it: torch.autograd.functional.jacobian and
// hessian in float64, each block flattened row-major on both sides.
type jacobianFile struct {
	Matrices  map[string][][]float64
	Labels    map[string][][]float64
	Jacobians []struct {
		Expr   string
		Wrt    []string
		Value  [][]float64
		Blocks map[string][][]float64
	}
	Hessians []struct {
		Expr   string
		Wrt    []string
		Value  float64
		Blocks map[string][][]float64
	}
}

func jacobianFixture(t *testing.T) (fx jacobianFile, decl string) {
	t.Helper()
	b, err := os.ReadFile("../testdata/ref/jacobians.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"X", "W", "Z"} {
		decl += fmt.Sprintf("  %s: %s\n", k, rows(fx.Matrices[k]))
	}
	decl += fmt.Sprintf("  y: {labels: %s}\n", rows(fx.Labels["y"]))
	return fx, decl
}

// TestJacobiansAgainstTorch: every entry of each Jacobian, zeros included,
// agrees with torch.autograd.functional.jacobian to 1e-12, and every
// numeric check agrees with it.
func TestJacobiansAgainstTorch(t *testing.T) {
	fx, decl := jacobianFixture(t)
	for _, c := range fx.Jacobians {
		e := load(t, "matrices:\n"+decl+"jacobians:\n  - name: J\n    expr: \""+c.Expr+"\"\n    wrt: ["+strings.Join(c.Wrt, ", ")+"]\n")
		j := RunJacobian(e.Jacobians[0], e.Matrices)
		if msg := closeTo(j.Value, c.Value, 1e-15); msg != "" {
			t.Errorf("%s: value %s", c.Expr, msg)
		}
		if len(j.Wrt) != len(c.Wrt) {
			t.Fatalf("%s: %d blocks, want %d", c.Expr, len(j.Wrt), len(c.Wrt))
		}
		for _, b := range j.Wrt {
			if msg := closeTo(b.Exact, c.Blocks[b.Name], 1e-12); msg != "" {
				t.Errorf("%s: ∂J/∂%s%s", c.Expr, b.Name, msg)
			}
			r, cols := b.Exact.Dims()
			if len(b.Entries) != r*cols {
				t.Errorf("%s: %d entries checked, want all %d", c.Expr, len(b.Entries), r*cols)
			}
			for _, en := range b.Entries {
				if en.Status != OK {
					t.Errorf("%s: ∂J[%d,%d]/∂%s: %s (%s)", c.Expr, en.Out.I, en.Out.J, en.Wrt, en.Status, en.Note)
				}
			}
		}
	}
}

// TestHessiansAgainstTorch: with order 2, every ∂²L/∂u∂v (u ≤ v) agrees
// with torch.autograd.functional.hessian to 1e-9 (the exact gradient
// differenced by Richardson extrapolation), and its check against second
// differences of L is ok.
func TestHessiansAgainstTorch(t *testing.T) {
	fx, decl := jacobianFixture(t)
	worst := 0.0
	for _, c := range fx.Hessians {
		e := load(t, "matrices:\n"+decl+"gradients:\n  - name: L\n    expr: \""+c.Expr+"\"\n    wrt: ["+strings.Join(c.Wrt, ", ")+"]\n    order: 2\n")
		g := RunGradient(e.Gradients[0], e.Matrices)
		n := 0
		cols := map[string]int{}
		for _, w := range c.Wrt {
			r, cc := e.MatrixByName(w).Value.Dims()
			n += r * cc
			cols[w] = cc
		}
		if len(g.Second) != n*(n+1)/2 {
			t.Fatalf("%s: %d second derivatives, want %d", c.Expr, len(g.Second), n*(n+1)/2)
		}
		for _, d := range g.Second {
			var an, bn string
			var ai, aj, bi, bj int
			if _, err := fmt.Sscanf(strings.NewReplacer("[", " ", "]", " ", ",", " ").Replace(d.Wrt), "%s %d %d %s %d %d", &an, &ai, &aj, &bn, &bi, &bj); err != nil {
				t.Fatalf("%s: wrt %q: %v", c.Expr, d.Wrt, err)
			}
			want := c.Blocks[an+","+bn][ai*cols[an]+aj][bi*cols[bn]+bj]
			err := math.Abs(d.Exact - want)
			worst = math.Max(worst, err)
			if err > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%s: ∂²L/∂%s = %.17g, torch %.17g", c.Expr, d.Wrt, d.Exact, want)
			}
			if d.Status != OK {
				t.Errorf("%s: ∂²L/∂%s: %s (%s) exact %g numeric %g err %g", c.Expr, d.Wrt, d.Status, d.Note, d.Exact, d.Numeric, d.AbsErr)
			}
		}
	}
	t.Logf("largest difference from torch: %.2g", worst)
}

// TestHessianVectorProducts: past MaxHessianElements the second
// derivatives are vᵀHv along SampleDirections unit directions drawn from
// NumPy's generator seeded SampleSeed + 1. For L = sum((X @ W)²), H is
// 2·(I ⊗ W Wᵀ), so vᵀHv = 2‖V W‖² for the direction V shaped as X.
func TestHessianVectorProducts(t *testing.T) {
	e := load(t, "random: {seed: 4}\nmatrices:\n  X: {randn: [21, 20]}\n  W: {randn: [20, 3]}\n"+
		"gradients:\n  - {name: L, expr: \"sum((X @ W) ^ 2)\", wrt: [X], order: 2}\n")
	g := RunGradient(e.Gradients[0], e.Matrices)
	if len(g.Second) != SampleDirections {
		t.Fatalf("%d second derivatives, want %d directions", len(g.Second), SampleDirections)
	}
	src := rng.New(SampleSeed + 1)
	W := e.MatrixByName("W").Value
	for k, d := range g.Second {
		v := unitNormal(src, 21*20)
		var vw mat.Dense
		vw.Mul(mat.NewDense(21, 20, v), W)
		want := 2 * mat.Norm(&vw, 2) * mat.Norm(&vw, 2)
		if want := fmt.Sprintf("direction %d,direction %d", k+1, k+1); d.Wrt != want {
			t.Errorf("wrt %q, want %q", d.Wrt, want)
		}
		if math.Abs(d.Exact-want) > 1e-9*want || d.Status != OK {
			t.Errorf("%s: vᵀHv = %.17g, want %.17g; %s %s", d.Wrt, d.Exact, want, d.Status, d.Note)
		}
	}
}
