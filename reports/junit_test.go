package reports

import (
	"bytes"
	"encoding/xml"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/spec"
)

// junitSchemas are the schemas the JUnit output is validated against
// (testdata/junit/README.md).
func junitSchemas(t *testing.T) []string {
	t.Helper()
	schemas := []string{"../testdata/junit/runner-junit.xsd"}
	if _, err := os.Stat("../testdata/junit/jenkins-junit.xsd"); err == nil {
		schemas = append(schemas, "../testdata/junit/jenkins-junit.xsd")
	} else {
		t.Log("testdata/junit/jenkins-junit.xsd is not present: validated against runner-junit.xsd only (see testdata/junit/README.md)")
	}
	return schemas
}

// xmllint validates doc against schema and returns its complaint, if any.
func xmllint(t *testing.T, schema string, doc []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "junit.xml")
	if err := os.WriteFile(p, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--schema", schema, p).CombinedOutput()
	if err != nil {
		return string(out) + err.Error()
	}
	return ""
}

// TestJUnitSchema validates the JUnit XML of every testdata experiment
// (with failures and kinks) and an invalid file against the JUnit schemas
// with xmllint, and checks that the validation can fail.
func TestJUnitSchema(t *testing.T) {
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint is not installed (Debian: apt-get install libxml2-utils); the JUnit XML is not validated here")
	}
	var b bytes.Buffer
	if err := WriteJUnit(&b, loadResults(t)); err != nil {
		t.Fatal(err)
	}
	for _, schema := range junitSchemas(t) {
		if msg := xmllint(t, schema, b.Bytes()); msg != "" {
			t.Errorf("%s rejects the JUnit XML:\n%s", schema, msg)
		}
		broken := strings.Replace(b.String(), "<testcase ", "<testcase time=\"x\" bogus=\"1\" ", 1)
		if msg := xmllint(t, schema, []byte(broken)); msg == "" {
			t.Errorf("%s accepts a test case with an unknown attribute", schema)
		}
	}
}

// TestJUnitContent reads the XML back: a suite per file, a case per item,
// the counts added up, the worst failing row first in a failure with its
// place in the file, and an invalid file as a suite with an error.
func TestJUnitContent(t *testing.T) {
	files := loadResults(t)
	var b bytes.Buffer
	if err := WriteJUnit(&b, files); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Suites) != len(files) {
		t.Fatalf("%d suites for %d files", len(doc.Suites), len(files))
	}
	tests, failures := 0, 0
	for i, s := range doc.Suites {
		f := files[i]
		if s.Name != f.Path {
			t.Errorf("suite %d is %q, want %q", i, s.Name, f.Path)
		}
		if f.Results == nil {
			if s.Errors != 1 || len(s.Cases) != 1 || s.Cases[0].Error == nil || !strings.Contains(s.Cases[0].Error.Text, `bad.yaml:3:11: unknown function "sigmiod"`) {
				t.Errorf("invalid file: %+v", s)
			}
			tests++
			continue
		}
		if len(s.Cases) != len(f.Results.Items) || s.Tests != len(s.Cases) {
			t.Errorf("%s: %d cases, %d items, tests=%d", f.Path, len(s.Cases), len(f.Results.Items), s.Tests)
		}
		n := 0
		for k, c := range s.Cases {
			it := f.Results.Items[k]
			if c.Name != ItemName(it) || (c.Failure != nil) != (ItemStatus(it) == "fail") {
				t.Errorf("%s case %d: %+v, item %s status %s", f.Path, k, c, ItemName(it), ItemStatus(it))
			}
			if c.Failure != nil {
				n++
				first := strings.SplitN(c.Failure.Text, "\n", 2)[0]
				if want := f.Pos[c.Name].String() + ": " + c.Name + ": " + Problems(it)[0]; first != want {
					t.Errorf("%s: failure starts %q, want %q", c.Name, first, want)
				}
			}
		}
		if s.Failures != n {
			t.Errorf("%s: failures=%d, %d failing cases", f.Path, s.Failures, n)
		}
		tests += s.Tests
		failures += s.Failures
	}
	if doc.Tests != tests || doc.Failures != failures || doc.Errors != 1 || failures == 0 {
		t.Errorf("testsuites: tests %d failures %d errors %d; suites add up to %d, %d", doc.Tests, doc.Failures, doc.Errors, tests, failures)
	}
}

// TestProblemsWorstFirst: an item's failing rows come worst first (the
// largest |numeric − exact|, one that is not a number before any), ok rows
// are left out, and disagreeing reference values come last.
func TestProblemsWorstFirst(t *testing.T) {
	nan := math.NaN()
	d := func(x, absErr float64, st diff.Status) diff.Point {
		return diff.Point{At: []float64{x}, Partials: []diff.Derivative{{Wrt: "x", Exact: 1, Numeric: 1 + absErr, AbsErr: absErr, Status: st, Note: "n"}}}
	}
	f := &diff.Function{Name: "f", Kind: "function", Vars: []string{"x"}, Points: []diff.Point{
		d(1, 0.1, diff.Fail), d(2, 1e-9, diff.OK), d(3, nan, diff.Fail), d(4, 0.5, diff.Fail)}}
	got := Problems(diff.Item{Function: f})
	want := []string{"at x=3, ∂/∂x: exact 1, numeric NaN (n)", "at x=4, ∂/∂x: exact 1, numeric 1.5 (n)", "at x=1, ∂/∂x: exact 1, numeric 1.1 (n)"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	g := &diff.Gradient{Name: "L", Settings: spec.Defaults, Reference: &diff.Reference{Source: "the book", Rows: []diff.ReferenceRow{{What: "L", MaxDiff: 0.01}, {What: "X", Agrees: true}}},
		Directions: []diff.Direction{{Derivative: diff.Derivative{Wrt: "direction 1", Exact: 2, Numeric: 3, AbsErr: 1, Status: diff.Fail, Note: "n"}}}}
	got = Problems(diff.Item{Gradient: g})
	want = []string{"direction 1: exact 2, numeric 3 (n)", "L differs from the book by 0.01"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
