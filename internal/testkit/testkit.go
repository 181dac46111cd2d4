// Package testkit holds what several packages' tests share: comparing
// output with golden files, and compiling a JSON Schema.
package testkit

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// update is the -update flag of every test binary that uses Golden.
var update = flag.Bool("update", false, "rewrite the golden files from this run")

// Golden compares fresh with the golden file at path, byte for byte, and
// reports the first differing line; with the test flag -update it rewrites
// path with fresh instead. regenerate says how ("go test ./reports
// -update").
func Golden(t testing.TB, path string, fresh []byte, regenerate string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, fresh, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%s: %v (run %s)", path, err, regenerate)
		return
	}
	if !bytes.Equal(fresh, want) {
		t.Errorf("%s differs from a fresh run (%s rewrites it):\n%s", path, regenerate, FirstDiff(want, fresh))
	}
}

// FirstDiff shows the first line where golden and fresh differ.
func FirstDiff(golden, fresh []byte) string {
	al, bl := strings.Split(string(golden), "\n"), strings.Split(string(fresh), "\n")
	for i := range max(len(al), len(bl)) {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:", i+1) + "\n golden: " + x + "\n fresh:  " + y
		}
	}
	return ""
}

// Schema compiles the JSON Schema doc, known by the name id.
func Schema(t testing.TB, id string, doc []byte) *jsonschema.Schema {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, v); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// YAMLAsJSON is the YAML document src as the values a JSON Schema
// validates: through a JSON round trip, so that numbers are float64 and
// maps have string keys.
func YAMLAsJSON(t testing.TB, src []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	return out
}
