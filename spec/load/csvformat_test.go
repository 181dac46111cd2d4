package load

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/runner-dev/runner/internal/testkit"
	"github.com/runner-dev/runner/spec"
)

// savetxt is the folder of the files numpy.savetxt wrote
// (testdata/ref/gen_savetxt.py).
var savetxt = filepath.Join("..", "..", "testdata", "ref", "savetxt")

// loadMatrix parses an experiment in dir with the matrix A given as src and
// returns A's elements row-major, or the error.
func loadMatrix(t *testing.T, dir, src string) ([]float64, error) {
	t.Helper()
	e, err := Parse(filepath.Join(dir, "x.yaml"), []byte("matrices:\n  A: "+src+"\ngradients:\n  - {name: L, expr: sum(A)}\n"), DefaultOptions)
	if err != nil {
		return nil, err
	}
	return e.Matrices[0].Value.RawMatrix().Data, nil
}

// TestReadSavetxtFiles: the files numpy.savetxt wrote read as the matrix
// numpy.save wrote, bit for bit (−0, subnormal-sized and 1e300-sized values
// included), given their delimiter and header.
func TestReadSavetxtFiles(t *testing.T) {
	want, err := loadMatrix(t, savetxt, "{npy: A.npy}")
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{
		`{csv: default.txt, delimiter: " "}`,
		`{csv: header.txt, delimiter: " ", header: true}`,
		`{csv: header.csv, header: true}`,
		`{csv: header.csv, delimiter: ",", header: true}`,
		`{csv: tabs.tsv, delimiter: "\t"}`,
		`{csv: tabs.tsv, delimiter: " "}`,
	} {
		got, err := loadMatrix(t, savetxt, src)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d elements, want %d", src, len(got), len(want))
			continue
		}
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Errorf("%s: element %d is %v, numpy saved %v", src, i, got[i], want[i])
			}
		}
	}
}

// TestUndeclaredHeader: a header line that is not declared is an error at
// the file's first line that says to declare it, quoting nothing of the
// file; a first line that is not numbers above lines that are not either
// is the reader's usual error.
func TestUndeclaredHeader(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`{csv: header.csv}`, "header.csv:1:1: matrix A: the first line looks like a header: add header: true"},
		{`{csv: header.txt, delimiter: " "}`, "header.txt:1:1: matrix A: the first line looks like a header: add header: true"},
		{`{csv: default.txt}`, "default.txt:1:1: matrix A: row 1, column 1: expected a finite number"},
	} {
		_, err := loadMatrix(t, savetxt, c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.src, err, c.want)
			continue
		}
		for _, text := range []string{"a,b,c", "a b c", "e+299"} {
			if strings.Contains(err.Error(), text) {
				t.Errorf("%s: the error quotes the file: %v", c.src, err)
			}
		}
	}
}

// TestCSVFormats: positions of errors count the header line; runs of
// spaces and trailing spaces are one delimiter; delimiter and header belong
// with csv and take only their values.
func TestCSVFormats(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "h.csv"), []byte("x,y\n1,2\n3,q\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "s.txt"), []byte("  1   2\n3\t4  \n\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "two.csv"), []byte("x,y\nu,v\n1,2\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "short.csv"), []byte("x,y\n1\n"), 0o644)
	if got, err := loadMatrix(t, dir, `{csv: s.txt, delimiter: " "}`); err != nil || len(got) != 4 || got[0] != 1 || got[1] != 2 || got[2] != 3 || got[3] != 4 {
		t.Errorf("spaces: %v, %v", got, err)
	}
	for _, c := range []struct{ src, want string }{
		{`{csv: h.csv, header: true}`, "h.csv:3:3: matrix A: row 3, column 2: expected a finite number"},
		{`{csv: two.csv}`, "two.csv:1:1: matrix A: row 1, column 1: expected a finite number"},
		{`{csv: short.csv}`, "short.csv:1:1: matrix A: the first line looks like a header: add header: true"},
		{`{csv: s.txt}`, "s.txt:1:3: matrix A: row 1, column 1: expected a finite number"},
		{`{csv: h.csv, delimiter: "|"}`, `x.yaml:2:30: matrix A: delimiter: expected ",", " " (spaces, as numpy.savetxt writes), ";" or a tab, found "|"`},
		{`{csv: h.csv, header: 1}`, "x.yaml:2:27: matrix A: header: expected true or false"},
		{`{randn: [2, 2], header: true}`, "x.yaml:2:30: matrix A: header belongs with csv"},
		{`{npy: A.npy, delimiter: " "}`, "x.yaml:2:30: matrix A: delimiter belongs with csv"},
	} {
		_, err := loadMatrix(t, dir, c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.src, err, c.want)
		}
	}
}

// TestCSVFormatSchema: the experiment schema accepts delimiter and header
// with csv, on a matrix and on a claim, and refuses what the loader
// refuses.
func TestCSVFormatSchema(t *testing.T) {
	schema := testkit.Schema(t, "experiment.schema.json", spec.Schema)
	for _, c := range []struct {
		src string
		ok  bool
	}{
		{`{csv: a.txt, delimiter: " ", header: true}`, true},
		{`{csv: a.txt, delimiter: "\t", labels: true}`, true},
		{`{csv: a.txt, delimiter: "|"}`, false},
		{`{csv: a.txt, header: 1}`, false},
		{`{randn: [2, 2], header: true}`, false},
	} {
		for _, doc := range []string{
			"matrices:\n  A: " + c.src + "\ngradients:\n  - {name: L, expr: sum(A)}\n",
			"matrices:\n  A: [[1]]\ngradients:\n  - {name: L, expr: sum(A), claims: {A: " + c.src + "}}\n",
		} {
			if strings.Contains(doc, "labels") && strings.Contains(doc, "claims") {
				continue // a claim is never labels
			}
			if err := validate(t, schema, doc); (err == nil) != c.ok {
				t.Errorf("%s: the schema says %v, want ok %v", doc, err, c.ok)
			}
		}
	}
}

// validate validates the YAML document src against schema.
func validate(t *testing.T, schema interface{ Validate(any) error }, src string) error {
	t.Helper()
	return schema.Validate(testkit.YAMLAsJSON(t, []byte(src)))
}
