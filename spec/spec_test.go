package spec

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func parse(t *testing.T, src string) *Experiment {
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
	if e.Title != "x" || e.Settings != Defaults {
		t.Errorf("title %q settings %+v", e.Title, e.Settings)
	}
	f := e.Functions[0]
	if f.Vars[0] != "x" || f.Src != "sigmoid" {
		t.Errorf("bare registry name: vars %v", f.Vars)
	}
	e = parse(t, "title: T\nnumeric: {method: forward}\ntolerance: {atol: 0.5}\nfunctions:\n  - {name: f, expr: x, at: 1, numeric: {step: 0.1}}\n")
	want := Settings{Numeric{"forward", 0.1}, Tolerance{1e-5, 0.5}}
	if e.Functions[0].Settings != want || e.Settings.Step != 0.001 {
		t.Errorf("item settings %+v, want %+v", e.Functions[0].Settings, want)
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
		b, err := os.ReadFile(filepath.Join("..", "testdata", "ref", n))
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

// TestErrors checks that each bad input is refused at the right place with
// a message that says what was expected.
func TestErrors(t *testing.T) {
	for _, c := range []struct {
		name, src string
		line      int    // 0: the error names the file only
		marker    string // the error's column is where marker starts on that line ("": any column)
		msg       string
	}{
		{"unknown function", "functions:\n  - name: f\n    expr: sigmiod(x)\n    at: 1\n", 3, "sigmiod", `unknown function "sigmiod" (did you mean "sigmoid"?)`},
		{"quoted expr column", "functions:\n  - name: f\n    expr: \"x + sigmiod(x)\"\n    at: 1\n", 3, "sigmiod", `unknown function "sigmiod"`},
		{"block expr column", "functions:\n  - name: f\n    expr: |\n      x + sigmiod(x)\n    at: 1\n", 4, "sigmiod", `unknown function "sigmiod"`},
		{"yaml tab", "functions:\n  - name: f\n\texpr: x\n", 3, "\t", "invalid YAML: found a tab character"},
		{"yaml unclosed", "title: t\nfunctions: [1, 2\nchains: []\n", 2, "functions", "invalid YAML: did not find expected ',' or ']'"},
		{"yaml syntax", "title: a: b\nfunctions: []\n", 1, "title", "invalid YAML: mapping values are not allowed in this context"},
		{"empty", "", 0, "", "the file is empty"},
		{"comment only", "# nothing\n", 0, "", "the file is empty"},
		{"not a mapping", "- 1\n", 1, "- 1", "expected a mapping"},
		{"unknown key", "functoins: []\n", 1, "functoins", `unknown key "functoins" in the experiment file (did you mean "functions"?)`},
		{"unknown item key", "functions:\n  - {name: f, expr: x, at: 1, tol: 1}\n", 2, "tol:", `unknown key "tol"`},
		{"nothing to compute", "title: t\n", 1, "title", "nothing to compute"},
		{"missing at", "functions:\n  - {name: f, expr: x}\n", 2, "{name", "missing key at"},
		{"bad name", "functions:\n  - {name: 1f, expr: x, at: 1}\n", 2, "1f", "expected an identifier"},
		{"duplicate name", "functions:\n  - {name: f, expr: x, at: 1}\n  - {name: f, expr: x, at: 2}\n", 3, "f, expr: x, at: 2", `"f" is already used at line 2`},
		{"unused variable", "functions:\n  - {name: f, expr: x, at: {x: 1, y: 2}}\n", 2, "y: 2", `"y" is given but not used`},
		{"missing variable", "functions:\n  - {name: f, expr: x + y, at: {x: 1}}\n", 2, "{x: 1}", `"y" has no value`},
		{"number for two vars", "functions:\n  - {name: f, expr: x + y, at: 1}\n", 2, "1}", "expected a mapping of each variable"},
		{"step zero", "functions:\n  - {name: f, expr: x, at: {x: {from: 0, to: 1, step: 0}}}\n", 2, "0}}}", "non-zero step"},
		{"step wrong sign", "functions:\n  - {name: f, expr: x, at: {x: {from: 0, to: 1, step: -1}}}\n", 2, "-1}", "needs the sign of to − from"},
		{"count 1", "functions:\n  - {name: f, expr: x, at: {x: {from: 0, to: 1, count: 1}}}\n", 2, "1}}}", "from 2 to"},
		{"inf bound", "functions:\n  - {name: f, expr: x, at: {x: {from: 0, to: .inf, step: 1}}}\n", 2, ".inf", "finite number"},
		{"too many points", "functions:\n  - {name: f, expr: x, at: {x: {from: 0, to: 1, step: 1e-9}}}\n", 2, "{from", "more than the limit"},
		{"unknown set", "functions:\n  - {name: f, expr: x, at: gird}\npoints:\n  grid: [1]\n", 2, "gird", `no point set called "gird" under points: (did you mean "grid"?)`},
		{"bad method", "numeric: {method: centre}\nfunctions:\n  - {name: f, expr: x, at: 1}\n", 1, "centre", `unknown numeric.method "centre" (did you mean "central"?)`},
		{"negative step", "numeric: {step: -1}\nfunctions:\n  - {name: f, expr: x, at: 1}\n", 1, "-1", "positive step"},
		{"chain link var", "chains:\n  - {name: c, of: [square, y + 1], at: 1}\n", 2, "y + 1", `found the variable "y"`},
		{"shape mismatch", "matrices:\n  X: {randn: [3, 3]}\n  W: {randn: [2, 3]}\ngradients:\n  - name: L\n    expr: sum(X @ W)\n", 6, "@", "X @ W: 3×3 and 2×3 do not match"},
		{"not scalar", "matrices:\n  X: {randn: [3, 3]}\ngradients:\n  - name: L\n    expr: sigmoid(X)\n", 5, "sigmoid", "a gradient needs a scalar"},
		{"unknown matrix", "matrices:\n  X: [1]\ngradients:\n  - {name: L, expr: sum(Y)}\n", 4, "Y)", `unknown matrix "Y"`},
		{"ragged rows", "matrices:\n  X: [[1, 2], [3]]\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "[3]", "this row has 1 values, the first row has 2"},
		{"non-numeric row", "matrices:\n  X: [[1, a]]\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "a]", "expected a number"},
		{"too large", "matrices:\n  X: {zeros: [100000, 100000]}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "[100000", "more than the limit of"},
		{"missing csv", "matrices:\n  X: {csv: nope.csv}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "nope", "cannot read nope.csv"},
		{"wrt unused", "matrices:\n  X: [1]\n  W: [1]\ngradients:\n  - {name: L, expr: sum(X), wrt: [W]}\n", 5, "W]", "does not use W"},
		{"two forms", "matrices:\n  X: {zeros: [1, 1], ones: [1, 1]}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "{zeros", "not both"},
		{"anchors", "a: &a [1, 1]\n", 1, "a:", `unknown key "a"`},
	} {
		_, err := Parse("x.yaml", []byte(c.src), DefaultOptions)
		var es Errors
		if !errors.As(err, &es) {
			t.Errorf("%s: want an error at line %d, got %v", c.name, c.line, err)
			continue
		}
		e := es[0]
		col := 0
		if c.marker != "" {
			col = strings.Index(strings.Split(c.src, "\n")[c.line-1], c.marker) + 1
		}
		if e.Pos.Line != c.line || c.marker != "" && e.Pos.Col != col || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("%s: got\n  %v\nwant line %d col %d: …%s…", c.name, e, c.line, col, c.msg)
		}
	}
}

func TestNpyRefused(t *testing.T) {
	for file, msg := range map[string]string{"m_i8.npy": "expected float64", "t_f8_3d.npy": "3 dimensions"} {
		dir := t.TempDir()
		b, _ := os.ReadFile(filepath.Join("..", "testdata", "ref", file))
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
