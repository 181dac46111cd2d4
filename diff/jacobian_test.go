package diff

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
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

// closeTo reports the first element of got that differs from want by more
// than tol·max(1, max |want|), or "".
func closeTo(got *mat.Dense, want [][]float64, tol float64) string {
	r, c := got.Dims()
	if r != len(want) || c != len(want[0]) {
		return fmt.Sprintf("%d×%d, torch %d×%d", r, c, len(want), len(want[0]))
	}
	scale := 1.0
	for _, row := range want {
		for _, v := range row {
			scale = math.Max(scale, math.Abs(v))
		}
	}
	for i, row := range want {
		for j, v := range row {
			if math.Abs(got.At(i, j)-v) > tol*scale {
				return fmt.Sprintf("[%d,%d] = %.17g, torch %.17g", i, j, got.At(i, j), v)
			}
		}
	}
	return ""
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
