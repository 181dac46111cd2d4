package load

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/runner-dev/runner/spec"
)

func parse(t *testing.T, src string) *spec.Experiment {
	t.Helper()
	e, err := Parse("x.yaml", []byte(src), DefaultOptions)
	if err != nil {
		t.Fatalf("unexpected error:\n%v\nin:\n%s", err, src)
	}
	return e
}

func TestAtForms(t *testing.T) {
	for _, c := range []struct {
		name, at string
		expr     string
		want     [][]float64 // in sorted variable order
	}{
		{"number", "2", "x^2", [][]float64{{2}}},
		{"list", "[-1, 0, 1.5]", "x^2", [][]float64{{-1}, {0}, {1.5}}},
		{"mapping", "{x: 2}", "x^2", [][]float64{{2}}},
		{"product", "{x: [1, 2], y: 0.5}", "x*y", [][]float64{{1, 0.5}, {2, 0.5}}},
		{"product order", "{y: [1, 2], x: [3, 4]}", "x*y", [][]float64{{3, 1}, {4, 1}, {3, 2}, {4, 2}}},
		{"list of mappings", "[{x: 1, y: 2}, {y: 1, x: 0}]", "x+y", [][]float64{{1, 2}, {0, 1}}},
		{"range step", "{x: {from: -1, to: 1, step: 0.5}}", "x", [][]float64{{-1}, {-0.5}, {0}, {0.5}, {1}}},
		{"range step not reaching", "{x: {from: 0, to: 1, step: 0.4}}", "x", [][]float64{{0}, {0.4}, {0.8}}},
		{"range down", "{x: {from: 1, to: 0, step: -0.5}}", "x", [][]float64{{1}, {0.5}, {0}}},
		{"range count", "{x: {from: 0, to: 1, count: 5}}", "x", [][]float64{{0}, {0.25}, {0.5}, {0.75}, {1}}},
		{"constant value", "{x: pi}", "x", [][]float64{{math.Pi}}},
		{"named set", "grid", "x", [][]float64{{0}, {1}}},
		{"named set of mappings", "pairs", "x+y", [][]float64{{1, 2}}},
	} {
		src := "points:\n  grid: [0, 1]\n  pairs: [{x: 1, y: 2}]\nfunctions:\n  - name: f\n    expr: " + c.expr + "\n    at: " + c.at + "\n"
		e := parse(t, src)
		if got := e.Functions[0].Points; !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: at %s gave %v, want %v", c.name, c.at, got, c.want)
		}
	}
}

// TestRangeNoAccumulation checks that range values are A + i·S, not sums:
// 0.1 added ten times is 0.9999999999999999, but 0 + 10·0.1 is exactly 1.
func TestRangeNoAccumulation(t *testing.T) {
	e := parse(t, "functions:\n  - {name: f, expr: x, at: {x: {from: 0, to: 1, step: 0.1}}}\n")
	pts := e.Functions[0].Points
	step := 0.1 // a variable: Go's constant 3*0.1 would be exactly 0.3
	if len(pts) != 11 || pts[10][0] != 1 || pts[3][0] != 3*step {
		t.Errorf("got %v", pts)
	}
}

func TestDefaultsAndTitle(t *testing.T) {
	e := parse(t, "functions:\n  - {name: f, expr: sigmoid, at: 1}\n")
	if e.Title != "x" || e.Settings != spec.Defaults {
		t.Errorf("title %q settings %+v", e.Title, e.Settings)
	}
	f := e.Functions[0]
	if f.Vars[0] != "x" || f.Src != "sigmoid" {
		t.Errorf("bare registry name: vars %v", f.Vars)
	}
	e = parse(t, "title: T\nnumeric: {method: forward}\ntolerance: {atol: 0.5}\nfunctions:\n  - {name: f, expr: x, at: 1, numeric: {step: 0.1}}\n")
	want := spec.Settings{Numeric: spec.Numeric{Method: "forward", Step: 0.1, StepSet: true}, Tolerance: spec.Tolerance{Rtol: 1e-5, Atol: 0.5, ClaimRtol: 1e-9, ClaimAtol: 1e-12, Mode: spec.ModeBound}}
	if e.Functions[0].Settings != want || e.Settings.Step != 0.001 {
		t.Errorf("item settings %+v, want %+v", e.Functions[0].Settings, want)
	}
}

// TestToleranceMode: mode bound is the default, fixed is version 1's rule,
// an item's own mode wins, and any other word is an error at its column.
func TestToleranceMode(t *testing.T) {
	e := parse(t, "tolerance: {mode: fixed}\nfunctions:\n  - {name: f, expr: x, at: 1}\n  - {name: g, expr: x, at: 1, tolerance: {mode: bound}}\n")
	if !e.Functions[0].Settings.Fixed() || e.Functions[0].Settings.Rtol != 1e-5 {
		t.Errorf("file mode fixed: item settings %+v", e.Functions[0].Settings)
	}
	if e.Functions[1].Settings.Mode != spec.ModeBound {
		t.Errorf("item mode bound: %+v", e.Functions[1].Settings)
	}
	if spec.Defaults.Mode != spec.ModeBound {
		t.Errorf("default mode %q, want bound", spec.Defaults.Mode)
	}
	_, err := Parse("x.yaml", []byte("tolerance: {mode: loose}\nfunctions:\n  - {name: f, expr: x, at: 1}\n"), DefaultOptions)
	if err == nil || !strings.Contains(err.Error(), "x.yaml:1:19: tolerance.mode: expected bound or fixed") {
		t.Errorf("bad mode: %v", err)
	}
}

func TestChainLinks(t *testing.T) {
	// The contract's own example: YAML splits a flow list at every comma,
	// including the one inside leaky_relu(x, 0.2); the loader rejoins it.
	e := parse(t, "chains:\n  - name: c\n    of: [leaky_relu(x,  0.2), x^2 + 1, sigmoid]\n    at: [0.5]\n")
	var got []string
	for _, l := range e.Chains[0].Links {
		got = append(got, l.Src)
	}
	if want := []string{"leaky_relu(x,  0.2)", "x^2 + 1", "sigmoid"}; !reflect.DeepEqual(got, want) || e.Chains[0].Points[0] != 0.5 {
		t.Errorf("links %q, want %q", got, want)
	}
	// and an error inside the rejoined link still points at its column
	_, err := Parse("x.yaml", []byte("chains:\n  - name: c\n    of: [pow(x, 2, 3), sigmiod]\n    at: 1\n"), DefaultOptions)
	if err == nil || !strings.Contains(err.Error(), "x.yaml:3:10: pow takes") || !strings.Contains(err.Error(), "x.yaml:3:24: unknown function") {
		t.Errorf("got %v", err)
	}
}

func TestMatrices(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "m.csv"), []byte("1, 2,3\n4,5,6\n"), 0o644)
	for _, n := range []string{"m_f8_c.npy", "m_f8_fortran.npy", "m_f4.npy", "v_f8_1d.npy", "m_f8_big.npy"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ref", n))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, n), b, 0o644)
	}
	src := `random: {seed: 190204}
matrices:
  A: [[1, 2], [3, 4]]
  R: [1, 2, 3]
  N: {randn: [1, 3]}
  Z: {zeros: [2, 3]}
  O: {ones: [1, 2]}
  F: {full: [2, 1], value: 0.5}
  I: {eye: 2}
  U: {uniform: [1, 2], low: -1, high: 1}
  C: {csv: m.csv}
  P: {npy: m_f8_c.npy}
  Q: {npy: m_f8_fortran.npy}
  S: {npy: m_f4.npy}
  V: {npy: v_f8_1d.npy}
  G: {npy: m_f8_big.npy}
gradients:
  - {name: L, expr: sum(A)}
`
	path := filepath.Join(dir, "m.yaml")
	os.WriteFile(path, []byte(src), 0o644)
	e, err := Load(path, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]float64{}
	for _, m := range e.Matrices {
		r, c := m.Value.Dims()
		got[m.Name] = append([]float64{float64(r), float64(c)}, m.Value.RawMatrix().Data...)
	}
	// the .npy files hold [[1.5, -2.25, 3], [4, 5.5, -6.125]] (gen_numpy.py),
	// exact in float32 too; N is the seed's first draws (NOTES.md).
	m23 := []float64{2, 3, 1.5, -2.25, 3, 4, 5.5, -6.125}
	want := map[string][]float64{
		"A": {2, 2, 1, 2, 3, 4}, "R": {1, 3, 1, 2, 3},
		"N": {1, 3, -1.5775281559147785, -0.6664228010084432, 0.6391040609558614},
		"Z": {2, 3, 0, 0, 0, 0, 0, 0}, "O": {1, 2, 1, 1}, "F": {2, 1, 0.5, 0.5}, "I": {2, 2, 1, 0, 0, 1},
		"C": {2, 3, 1, 2, 3, 4, 5, 6},
		"P": m23, "Q": m23, "S": m23, "G": m23, "V": {1, 3, 0.1, 0.2, 0.3},
	}
	for k, w := range want {
		if !reflect.DeepEqual(got[k], w) {
			t.Errorf("matrix %s = %v, want %v", k, got[k], w)
		}
	}
	if u := got["U"]; len(u) != 4 || u[2] < -1 || u[2] >= 1 {
		t.Errorf("U = %v", u)
	}
}

func TestNpyRefused(t *testing.T) {
	// an integer .npy is a label matrix, which sum(X) may not take
	for file, msg := range map[string]string{"m_i8.npy": "X is a label matrix", "t_f8_3d.npy": "3 dimensions"} {
		dir := t.TempDir()
		b, _ := os.ReadFile(filepath.Join("..", "..", "testdata", "ref", file))
		os.WriteFile(filepath.Join(dir, file), b, 0o644)
		os.WriteFile(filepath.Join(dir, "bad.npy"), []byte("not an npy file"), 0o644)
		path := filepath.Join(dir, "x.yaml")
		os.WriteFile(path, []byte("matrices:\n  X: {npy: "+file+"}\n  Y: {npy: bad.npy}\ngradients:\n  - {name: L, expr: sum(X)}\n"), 0o644)
		_, err := Load(path, DefaultOptions)
		if err == nil || !strings.Contains(err.Error(), msg) || !strings.Contains(err.Error(), "bad.npy is not a valid .npy file") {
			t.Errorf("%s: got %v", file, err)
		}
	}
}

// TestLabelMatrices: the three ways to give labels (literal, an integer
// .npy, a CSV with labels: true) are read as label matrices of whole
// numbers, and a gradient's default wrt leaves them out.
func TestLabelMatrices(t *testing.T) {
	dir := t.TempDir()
	b, _ := os.ReadFile(filepath.Join("..", "..", "testdata", "ref", "m_i8.npy")) // [[1, 2], [3, 4]], int64
	os.WriteFile(filepath.Join(dir, "i.npy"), b, 0o644)
	os.WriteFile(filepath.Join(dir, "y.csv"), []byte("2\n0\n"), 0o644)
	src := `matrices:
  Z: [[1, 2, 3], [4, 5, 6]]
  y: {labels: [[2], [0]]}
  I: {npy: i.npy}
  c: {csv: y.csv, labels: true}
  C: {randn: [5, 3]}
gradients:
  - {name: L, expr: 'cross_entropy(Z, y) + sum(pick(Z, c)) + sum(embed(C, I))'}
`
	path := filepath.Join(dir, "l.yaml")
	os.WriteFile(path, []byte(src), 0o644)
	e, err := Load(path, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]float64{"Z": nil, "C": nil, "y": {2, 0}, "I": {1, 2, 3, 4}, "c": {2, 0}}
	for _, m := range e.Matrices {
		w, ok := want[m.Name]
		if !ok {
			t.Fatalf("unexpected matrix %s", m.Name)
		}
		if m.Labels != (w != nil) {
			t.Errorf("%s: Labels = %v", m.Name, m.Labels)
		}
		if w != nil && !reflect.DeepEqual(m.Value.RawMatrix().Data, w) {
			t.Errorf("%s = %v, want %v", m.Name, m.Value.RawMatrix().Data, w)
		}
	}
	if got := e.Gradients[0].Wrt; !reflect.DeepEqual(got, []string{"Z", "C"}) {
		t.Errorf("default wrt %v, want [Z C]: labels are never differentiated", got)
	}
}

// TestBinomialMatchesNumPy: {binomial: [r, c], p: P} matrices, declared
// between randn and rand matrices on the file's one stream, hold exactly
// NumPy's np.random.binomial(1, P, (r, c)) draws, and the normal and uniform
// draws around them are NumPy's too (../../testdata/ref/binomial.json,
// written by gen_binomial.py beside it, for 5 seeds and 12 values of P
// from 0 to 1).
func TestBinomialMatchesNumPy(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ref", "binomial.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Streams []struct {
			Seed  uint32
			Calls [][]any
		}
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	for _, st := range fx.Streams {
		var src strings.Builder
		fmt.Fprintf(&src, "random: {seed: %d}\nmatrices:\n", st.Seed)
		for k, call := range st.Calls {
			shape := call[1].([]any)
			form := fmt.Sprintf("{%s: [%v, %v]}", call[0], shape[0], shape[1])
			if call[0] == "binomial" {
				form = fmt.Sprintf("{binomial: [%v, %v], p: %s}", shape[0], shape[1], strconv.FormatFloat(call[3].(float64), 'g', -1, 64))
			}
			fmt.Fprintf(&src, "  M%d: %s\n", k, form)
		}
		src.WriteString("gradients:\n  - {name: L, expr: sum(M0)}\n")
		e, err := Parse("b.yaml", []byte(src.String()), DefaultOptions)
		if err != nil {
			t.Fatalf("seed %d: %v", st.Seed, err)
		}
		for k, call := range st.Calls {
			got := e.Matrices[k].Value.RawMatrix().Data
			for i, w := range call[2].([]any) {
				if got[i] != w.(float64) {
					t.Errorf("seed %d, call %d (%s %v): element %d = %v, NumPy %v", st.Seed, k, call[0], call[3:], i, got[i], w)
				}
			}
		}
	}
}
