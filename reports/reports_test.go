package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/internal/testkit"
	"github.com/runner-dev/runner/spec/load"
)

// TestGolden runs each testdata/*.yaml and compares every file the runner
// would write with testdata/golden/, byte for byte. The golden files are
// the runner's own output (go test ./reports -update), read and checked by a
// person when they change.
func TestGolden(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/*.yaml")
	if len(inputs) == 0 {
		t.Fatal("no inputs")
	}
	for _, in := range inputs {
		e, err := load.Load(in, load.DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range Render(diff.Run(e)) {
			testkit.Golden(t, filepath.Join("testdata", "golden", f.Name), f.Bytes(), "go test ./reports -update")
		}
	}
}

// TestDeterministic renders the same results twice, and from two separate
// runs, and asks for the same bytes.
func TestDeterministic(t *testing.T) {
	e, err := load.Load("testdata/matrix.yaml", load.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	a, b := Render(diff.Run(e)), Render(diff.Run(e))
	for i := range a {
		if !bytes.Equal(a[i].Bytes(), b[i].Bytes()) {
			t.Errorf("%s differs between runs", a[i].Name)
		}
	}
}

func TestCSVColumnsAndRows(t *testing.T) {
	e, err := load.Load("testdata/two-vars.yaml", load.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(CSV(diff.Run(e)))), "\n")
	if lines[0] != "item,kind,point,wrt,value,exact,numeric,abs_error,status,note,order,left,right,err_estimate,err_bound,claimed,claim_error" {
		t.Errorf("header %q", lines[0])
	}
	// s at two points and g at two points, two partials each: 8 rows
	if len(lines) != 9 || !strings.HasPrefix(lines[1], "s,function,x=1;y=2,x,0.9525741268224334,") {
		t.Errorf("rows:\n%s", strings.Join(lines, "\n"))
	}
}

// TestWriteAtomic fails a write part way and checks that the old report is
// still there, whole, and that no temporary file is left behind.
func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.md")
	if err := WriteAtomic(path, []byte("old report\n")); err != nil {
		t.Fatal(err)
	}
	saved := writeAll
	defer func() { writeAll = saved }()
	writeAll = func(f *os.File, data []byte) (int, error) {
		n, _ := f.Write(data[:len(data)/2])
		return n, errors.New("disk full")
	}
	if err := WriteAtomic(path, []byte("a new report that will not fit\n")); err == nil {
		t.Fatal("expected the failed write to be reported")
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old report\n" {
		t.Errorf("report is now %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	writeAll = saved
	if err := WriteAtomic(path, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new\n" {
		t.Errorf("report is %q", got)
	}
}

// TestLaTeX: the issue's own example, d/dx σ(x²) = 2x·σ(x²)(1 − σ(x²)), and
// conventional symbols for the registry.
func TestLaTeX(t *testing.T) {
	for src, want := range map[string]string{
		"sigmoid(x^2)":        `\sigma\left(x^{2}\right)`,
		"exp(-x) / sqrt(x)":   `\frac{e^{-x}}{\sqrt{x}}`,
		"leaky_relu(x, 0.1)":  `\operatorname{LeakyReLU}_{0.1}(x)`,
		"abs(x - 1) + log(x)": `\left|x - 1\right| + \ln(x)`,
		"cos(x)^2 * 1e-05":    `10^{-5}\cos^{2}(x)`,
		"pi * x * y":          `\pi\,x\,y`,
	} {
		tree, _ := expr.Parse(src)
		if _, err := expr.Resolve(tree, expr.Scalar, nil); err != nil {
			t.Fatal(err)
		}
		if got := LaTeX(diff.Simplify(tree)); got != want {
			t.Errorf("LaTeX(%s) = %s, want %s", src, got, want)
		}
	}
	// the printer brackets the right of a difference (the simplifier
	// would write x - y + 1)
	tree, _ := expr.Parse("x - (y - 1)")
	expr.Resolve(tree, expr.Scalar, nil)
	if got, want := LaTeX(tree), `x - (y - 1)`; got != want {
		t.Errorf("LaTeX(x - (y - 1)) = %s, want %s", got, want)
	}
	tree, _ = expr.Parse("sigmoid(x^2)")
	expr.Resolve(tree, expr.Scalar, nil)
	if got, want := LaTeX(diff.Derive(tree, "x")), `2x\,\sigma\left(x^{2}\right)\,\left(1 - \sigma\left(x^{2}\right)\right)`; got != want {
		t.Errorf("d/dx σ(x²) = %s, want %s", got, want)
	}
}

// TestMatrixLaTeX: the operation table's entries write the matrix
// operations.
func TestMatrixLaTeX(t *testing.T) {
	for src, want := range map[string]string{
		"sum(maximum(X @ W, B) * Y)":    `\sum \left(\max(X W, B)\,Y\right)`,
		"mean(minimum(X, 0.5) ^ 2)":     `\operatorname{mean}\left({\min(X, 0.5)}^{2}\right)`,
		"sum(transpose(W) @ X)":         `\sum \left(W^{\top} X\right)`,
		"maximum(X, Y) - minimum(X, Y)": `\max(X, Y) - \min(X, Y)`,
		"sum(softmax(X) * Y)":           `\sum \left(\operatorname{softmax}(X, 1)\,Y\right)`,
		"sum(X, 0) + mean(X, 1)":        `\operatorname{sum}(X, 0) + \operatorname{mean}(X, 1)`,
		"max(X) - min(X, 0)":            `\max(X) - \min(X, 0)`,
		"var(X, 0, 1)":                  `\operatorname{var}(X, 0, 1)`,
		"logsumexp(X)":                  `\operatorname{logsumexp}(X, 1)`,
		"log_softmax(X, 0)":             `\log\operatorname{softmax}(X, 0)`,
		"reshape(X, 2, 3)":              `\operatorname{reshape}(X, 2, 3)`,
		"sum(conv2d(X, W, 1))":          `\sum \operatorname{conv2d}(X, W, 1)`,
		"sum(clip(X, -1, 1))":           `\sum \operatorname{clip}_{-1,\,1}(X)`,
		"sign(X) * log1p(X)":            `\operatorname{sgn}(X)\,\ln\left(1 + X\right)`,
		"2 * expm1(X)":                  `2\left(e^{X} - 1\right)`,
	} {
		tree, _ := expr.Parse(src)
		if _, err := expr.Resolve(tree, expr.Matrix, map[string]bool{"X": true, "W": true, "B": true, "Y": true}); err != nil {
			t.Fatal(err)
		}
		if got := LaTeX(tree); got != want {
			t.Errorf("LaTeX(%s) = %s, want %s", src, got, want)
		}
	}
}

// TestFunctionsListsOperations: runner functions lists the operation
// table's named operations with their signatures.
func TestFunctionsListsOperations(t *testing.T) {
	out := string(Functions())
	for _, want := range []string{"`maximum(A, B)`", "`minimum(A, B)`", "`sum(M, a)`", "`mean(M, a)`", "`transpose(M)`",
		"`max(M, a)`", "`min(M, a)`", "`var(M, a, ddof)`", "`logsumexp(M, a)`", "`softmax(M, a)`", "`log_softmax(M, a)`",
		"`reshape(M, r, c)`", "`conv2d(X, K, ph, pw)`"} {
		if !strings.Contains(out, want) {
			t.Errorf("runner functions does not list %s", want)
		}
	}
}

// csvExact maps item|point|wrt to the CSV's exact column, parsed.
func csvExact(t *testing.T, data []byte) map[string]float64 {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, r := range rows[1:] {
		if r[10] != "1" {
			continue
		}
		v, err := strconv.ParseFloat(r[5], 64)
		if err != nil {
			t.Fatal(err)
		}
		out[r[0]+"|"+r[2]+"|"+r[3]] = v
	}
	return out
}

// TestStepTablesAreTheEnginesNumbers: the gradients at the bottom of each
// step table, and the derivatives in a function's last forward-mode row,
// are the very numbers the CSV reports as exact (bit for bit: the same
// computation, not a second one for display).
func TestStepTablesAreTheEnginesNumbers(t *testing.T) {
	for _, in := range []string{"../experiments/05-matrix-sum.yaml", "../experiments/04-matrix-product.yaml", "../experiments/03-multiple-inputs.yaml", "testdata/matrix.yaml"} {
		e, err := load.Load(in, load.DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		r := diff.Run(e)
		exact := csvExact(t, CSV(r))
		checked := 0
		for _, it := range r.Items {
			if g := it.Gradient; g != nil && g.Explain != nil {
				for _, s := range g.Explain.Steps {
					if s.Grad == nil || s.Expr != "" {
						continue
					}
					rr, cc := s.Grad.Dims()
					for i := 0; i < rr; i++ {
						for j := 0; j < cc; j++ {
							key := fmt.Sprintf("%s||%s[%d,%d]", g.Name, s.Name, i, j)
							if want, ok := exact[key]; !ok || s.Grad.At(i, j) != want {
								t.Errorf("%s: step table %s = %v, CSV %v (%v)", in, key, s.Grad.At(i, j), want, ok)
							}
							checked++
						}
					}
				}
			}
			if f := it.Function; f != nil && f.Explain != nil {
				last := f.Explain.Steps[len(f.Explain.Steps)-1]
				for i, v := range f.Vars {
					key := f.Name + "|" + PointLabel(f.Vars, f.Explain.At) + "|" + v
					if want := exact[key]; last.Tangents[i] != want {
						t.Errorf("%s: forward-mode %s = %v, CSV %v", in, key, last.Tangents[i], want)
					}
					checked++
				}
			}
		}
		if checked == 0 {
			t.Errorf("%s: nothing checked", in)
		}
	}
}

// TestExplainOff: explain: false, per file or per item, leaves the steps out.
func TestExplainOff(t *testing.T) {
	for _, src := range []string{
		"explain: false\nfunctions:\n  - {name: f, expr: x^2, at: 1}\n",
		"functions:\n  - {name: f, expr: x^2, at: 1, explain: false}\n",
		"explain: false\nmatrices:\n  X: [[1, 2]]\ngradients:\n  - {name: L, expr: sum(X)}\n",
	} {
		e, err := load.Parse("t.yaml", []byte(src), load.DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		if md := string(Markdown(diff.Run(e))); strings.Contains(md, "step by step") || strings.Contains(md, "mermaid") {
			t.Errorf("explanation shown for:\n%s", src)
		}
	}
	e, _ := load.Parse("t.yaml", []byte("functions:\n  - {name: f, expr: x^2, at: 1}\n"), load.DefaultOptions)
	if md := string(Markdown(diff.Run(e))); !strings.Contains(md, "```mermaid") {
		t.Errorf("no graph by default")
	}
}

// TestChainStepsSubstitute: a link written as an expression in x is shown
// applied to the previous link's output by substitution in its syntax
// tree: exp(2 * x) after sigmoid is exp(2 * u1), not a text replacement of
// every letter x (which once gave "eu1p").
func TestChainStepsSubstitute(t *testing.T) {
	e, err := load.Parse("t.yaml", []byte("chains:\n  - {name: c, of: [sigmoid, 'exp(2 * x)', 'leaky_relu(x, 0.1)'], at: 0.5}\n"), load.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	md := string(Markdown(diff.Run(e)))
	for _, want := range []string{`u2 = exp(2 * u1)`, `c = leaky_relu(u2, 0.1)`, "## c(x) = `leaky_relu(exp(2 * sigmoid(x)), 0.1)`"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestWriteLongStream writes a stream of 20 MB, past several early
// writebacks, and reads back exactly its bytes; Same agrees, and notices a
// changed byte and a missing last byte.
func TestWriteLongStream(t *testing.T) {
	f := File{Name: "long.csv", write: func(w io.Writer) error {
		line := make([]byte, 0, 64)
		for i := 0; i < 1_000_000; i++ {
			line = strconv.AppendInt(line[:0], int64(i)*7919, 10)
			line = append(line, ",0.5,-1e-300\n"...)
			if _, err := w.Write(line); err != nil {
				return err
			}
		}
		return nil
	}}
	path := filepath.Join(t.TempDir(), f.Name)
	if err := WriteFileAtomic(path, f); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := f.Bytes()
	if len(want) < 20<<20 || !bytes.Equal(got, want) {
		t.Fatalf("wrote %d bytes, read back %d (equal: %v)", len(want), len(got), bytes.Equal(got, want))
	}
	if same, err := Same(path, f); !same || err != nil {
		t.Errorf("Same: %v, %v", same, err)
	}
	got[len(got)/2] ^= 1
	os.WriteFile(path, got, 0o644)
	if same, _ := Same(path, f); same {
		t.Error("Same missed a changed byte")
	}
	os.WriteFile(path, want[:len(want)-1], 0o644)
	if same, _ := Same(path, f); same {
		t.Error("Same missed a missing last byte")
	}
}

// BenchmarkTable draws a small three-row table as reports do.
func BenchmarkTable(b *testing.B) {
	header := []string{"x", "value", "status"}
	right := []bool{true, true, false}
	rows := [][]string{{"1", "2", "ok"}, {"3", "4", "ok"}, {"5", "6", "fail"}}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		table(&buf, header, right, rows)
	}
}

// TestOneLinkChain: a chain of one link says so, not "a chain of 1 links".
func TestOneLinkChain(t *testing.T) {
	e, err := load.Parse("t.yaml", []byte("chains:\n  - {name: c, of: [sigmoid], at: 1}\n"), load.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	md := string(Markdown(diff.Run(e)))
	if !strings.Contains(md, "A chain of one link: `sigmoid`.") || strings.Contains(md, "1 links") {
		t.Errorf("one-link chain worded wrongly:\n%s", md)
	}
}

// TestShippedCSVsParse: every CSV report of the shipped experiments reads
// with encoding/csv, every record with the header's fields (a Jacobian's
// point, "[0,1]", was once written unquoted and split in two).
func TestShippedCSVsParse(t *testing.T) {
	files, _ := filepath.Glob("../experiments/reports/*.csv")
	if len(files) == 0 {
		t.Fatal("no shipped CSV reports")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("item,")) {
			continue // a full gradient, not a report of rows
		}
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = len(CSVColumns)
		if _, err := r.ReadAll(); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
