package spec

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/runner-dev/runner/internal/testkit"
	"github.com/runner-dev/runner/ops"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	return testkit.Schema(t, "experiment.schema.json", Schema)
}

// asJSON reads a YAML file into the values JSON Schema validates (through a
// JSON round trip, so numbers are float64 and maps have string keys).
func asJSON(t *testing.T, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return testkit.YAMLAsJSON(t, b)
}

// TestSchemaAcceptsShippedFiles validates every shipped experiment, the
// shared acceptance files and the golden-test inputs against the schema with
// a JSON Schema validator (santhosh-tekuri/jsonschema).
func TestSchemaAcceptsShippedFiles(t *testing.T) {
	s := compileSchema(t)
	var files []string
	for _, g := range []string{"../experiments/*.yaml", "../../shared/acceptance/*.yaml", "../reports/testdata/*.yaml", "../testdata/claims/*.yaml"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	if len(files) < 12 {
		t.Fatalf("only %d files found", len(files))
	}
	for _, f := range files {
		if err := s.Validate(asJSON(t, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestSchemaRefusesMistakes: the schema catches the typing mistakes an
// editor should underline.
func TestSchemaRefusesMistakes(t *testing.T) {
	s := compileSchema(t)
	for _, src := range []string{
		"functoins: []\n",
		"title: t\n",
		"functions:\n  - {name: f, expr: x}\n",
		"functions:\n  - {name: 1f, expr: x, at: 1}\n",
		"numeric: {method: centre}\nfunctions:\n  - {name: f, expr: x, at: 1}\n",
		"matrices:\n  X: {randn: [0, 2]}\ngradients:\n  - {name: L, expr: sum(X)}\n",
		"functions:\n  - {name: f, expr: x, at: {x: {from: 0, to: 1}}}\n",
		"matrices:\n  X: [1]\ngradients:\n  - {name: L, let: [X], expr: sum(X)}\n",
		"matrices:\n  X: [1]\ngradients:\n  - {name: L, let: {1N: X}, expr: sum(X)}\n",
		"matrices:\n  y: {labels: [[1], [-1]]}\ngradients:\n  - {name: L, expr: sum(X)}\n",
		"matrices:\n  y: {labels: [0.5]}\ngradients:\n  - {name: L, expr: sum(X)}\n",
		"matrices:\n  y: {zeros: [2, 1], labels: true}\ngradients:\n  - {name: L, expr: sum(X)}\n",
	} {
		path := filepath.Join(t.TempDir(), "x.yaml")
		os.WriteFile(path, []byte(src), 0o644)
		if err := s.Validate(asJSON(t, path)); err == nil {
			t.Errorf("accepted:\n%s", strings.TrimSpace(src))
		}
	}
}

// TestModeline: every shipped experiment starts with the modeline that
// points editors at the schema.
func TestModeline(t *testing.T) {
	files, _ := filepath.Glob("../experiments/*.yaml")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if !strings.HasPrefix(string(b), "# yaml-language-server: $schema=../spec/experiment.schema.json\n") {
			t.Errorf("%s lacks the modeline", f)
		}
	}
}

// TestSchemaNamesEveryOperation: the schema's description of an expression
// names every matrix operation of the operation table, as it is called.
func TestSchemaNamesEveryOperation(t *testing.T) {
	for _, op := range ops.Named() {
		if !bytes.Contains(Schema, []byte(op.Signature())) {
			t.Errorf("the schema does not name %s", op.Signature())
		}
	}
}
