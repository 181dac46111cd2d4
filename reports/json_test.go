package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/internal/testkit"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/spec"
	"github.com/runner-dev/runner/spec/load"
)

// loadResults runs each testdata/*.yaml and adds an invalid file, as a run
// of all of them would record them.
func loadResults(t *testing.T) []*FileResult {
	t.Helper()
	inputs, _ := filepath.Glob("testdata/*.yaml")
	var files []*FileResult
	for _, in := range inputs {
		e, err := load.Load(in, load.DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		pos := map[string]spec.Pos{}
		for _, f := range e.Functions {
			pos[f.Name] = f.Pos
		}
		files = append(files, &FileResult{Path: in, Results: diff.Run(e), Pos: pos})
	}
	files = append(files, &FileResult{Path: "bad.yaml", Errors: spec.Errors{
		{Pos: spec.Pos{File: "bad.yaml", Line: 3, Col: 11}, Msg: `unknown function "sigmiod" (did you mean "sigmoid"?)`},
		{Pos: spec.Pos{File: "bad.yaml"}, Msg: "a <whole-file> & problem"}}})
	return files
}

func resultsSchema(t *testing.T) *jsonschema.Schema {
	return testkit.Schema(t, ResultsSchemaID, ResultsSchema)
}

func writeJSON(t *testing.T, files []*FileResult) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, files); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestJSONSchema validates the JSON of every testdata experiment (failures,
// kinks, values outside a domain, second derivatives, gradients) and of an
// invalid file against reports/results.schema.json, with a JSON Schema
// validator (santhosh-tekuri/jsonschema); the schema rejects what breaks
// it.
func TestJSONSchema(t *testing.T) {
	s := resultsSchema(t)
	b := writeJSON(t, loadResults(t))
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := s.Validate(doc); err != nil {
		t.Fatalf("the JSON does not follow its schema: %v", err)
	}
	for _, bad := range []struct{ what, from, to string }{
		{"another version", `"version": 1`, `"version": 2`},
		{"an unknown status", `"status": "ok"`, `"status": "fine"`},
		{"a number as text", `"order": 1`, `"order": "1"`},
		{"NaN as text", `"numeric": null`, `"numeric": "NaN"`},
	} {
		mutated := strings.Replace(string(b), bad.from, bad.to, 1)
		if mutated == string(b) {
			t.Fatalf("%s: %q not in the JSON", bad.what, bad.from)
		}
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(mutated))
		if err != nil {
			t.Fatal(err)
		}
		if s.Validate(doc) == nil {
			t.Errorf("the schema accepts %s", bad.what)
		}
	}
}

type jsonDoc struct {
	Schema  string `json:"$schema"`
	Version int
	Files   []struct {
		Path, Status string
		Errors       []struct {
			File      string
			Line, Col int
			Message   string
		}
		Items []struct {
			Name, Kind, Status string
			Line, Col          int
			Problems           []string
			Rows               []map[string]any
		}
	}
	Totals map[string]int
}

// TestJSONMatchesCSV: every row of every file's JSON is the CSV report's row
// (encoding/csv reads the CSV), field by field, in the same order; the
// totals are the CSV's statuses counted (rows with no numeric value, which
// method none lists, as exact_only); an invalid file keeps its errors
// with their positions.
func TestJSONMatchesCSV(t *testing.T) {
	files := loadResults(t)
	var doc jsonDoc
	if err := json.Unmarshal(writeJSON(t, files), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != JSONVersion || doc.Schema != ResultsSchemaID || len(doc.Files) != len(files) {
		t.Fatalf("version %d, $schema %q, %d files", doc.Version, doc.Schema, len(doc.Files))
	}
	statuses := map[string]int{}
	for k, f := range files[:len(files)-1] {
		recs, err := csv.NewReader(bytes.NewReader(CSV(f.Results))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var rows []map[string]any
		for _, it := range doc.Files[k].Items {
			rows = append(rows, it.Rows...)
		}
		if len(rows) != len(recs)-1 {
			t.Fatalf("%s: %d JSON rows, %d CSV rows", f.Path, len(rows), len(recs)-1)
		}
		for i, rec := range recs[1:] {
			if rec[6] == "" && rec[8] == "ok" { // method none: exact only, counted as such
				statuses["exact_only"]++
			} else {
				statuses[rec[8]]++
			}
			row := rows[i]
			for c, col := range CSVColumns {
				want := rec[c]
				var got string
				switch v := row[col].(type) {
				case nil:
					got = ""
				case string:
					got = v
				case float64:
					got = strconv.FormatFloat(v, 'g', -1, 64)
				}
				if col == "point" {
					got = pointText(row[col])
				}
				if col == "order" {
					got = strconv.Itoa(int(row[col].(float64)))
				}
				if got != want {
					t.Errorf("%s row %d %s: JSON %q, CSV %q", f.Path, i+1, col, got, want)
				}
			}
		}
	}
	for k, v := range statuses {
		if doc.Totals[k] != v {
			t.Errorf("totals %s: %d, the CSVs say %d", k, doc.Totals[k], v)
		}
	}
	if doc.Totals["files"] != len(files) || doc.Totals["invalid"] != 1 {
		t.Errorf("totals: %v", doc.Totals)
	}
	bad := doc.Files[len(files)-1]
	if bad.Status != "invalid" || len(bad.Errors) != 2 || bad.Errors[0].Line != 3 || bad.Errors[0].Col != 11 ||
		bad.Errors[1].Message != "a <whole-file> & problem" || bad.Items != nil {
		t.Errorf("invalid file: %+v", bad)
	}
}

// pointText writes a JSON point as the CSV's label: x=1;y=2.
func pointText(p any) string {
	m, ok := p.(map[string]any)
	if !ok {
		return ""
	}
	// the CSV's order is the variables' (sorted by name, as are JSON keys here)
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+"="+strconv.FormatFloat(m[k].(float64), 'g', -1, 64))
	}
	return strings.Join(parts, ";")
}

// TestJSONNonFinite: a missing value is null and infinities are the strings
// "+Inf" and "-Inf", as the schema documents, and the output stays valid.
func TestJSONNonFinite(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	f := &diff.Function{Name: "f", Kind: "function", Vars: []string{"x"}, Points: []diff.Point{{At: []float64{0}, Value: inf,
		Partials: []diff.Derivative{{Wrt: "x", Exact: inf, Numeric: -inf, AbsErr: nan, Status: diff.Fail, Note: "not finite", Left: nan, Right: nan, ErrEst: nan, Bound: method.NoBound}}}}}
	b := writeJSON(t, []*FileResult{{Path: "f.yaml", Results: &diff.Results{Items: []diff.Item{{Function: f}}}}})
	want := `{"item": "f", "kind": "function", "point": {"x": 0}, "wrt": "x", "order": 1, "value": "+Inf", "exact": "+Inf", "numeric": "-Inf", "abs_error": null, "status": "fail", "note": "not finite", "left": null, "right": null, "err_estimate": null, "err_bound": null, "claimed": null, "claim_error": null}`
	if !bytes.Contains(b, []byte(want)) {
		t.Errorf("want the row\n%s\nin\n%s", want, b)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := resultsSchema(t).Validate(doc); err != nil {
		t.Error(err)
	}
}

// TestShippedJSONFollowsSchema: the JSON of the shipped experiments
// (../testdata/ci/experiments.json, the golden file cli's tests compare
// with a fresh run), Jacobian rows and second derivatives of gradients
// included, follows reports/results.schema.json.
func TestShippedJSONFollowsSchema(t *testing.T) {
	b, err := os.ReadFile("../testdata/ci/experiments.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := resultsSchema(t).Validate(doc); err != nil {
		t.Fatalf("the JSON does not follow its schema: %v", err)
	}
	for _, want := range []string{`"kind": "jacobian", "point": "[0,0]"`, `"wrt": "b[0,0],b[0,1]", "order": 2`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("no row with %s", want)
		}
	}
}
