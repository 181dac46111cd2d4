package spec

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/runner-dev/runner/method"
)

// TestSchemaMethodsAreTheTable: the JSON Schema's method enum, a static
// file, lists exactly method.All's names in order, and the loader's
// Methods and StudyMethods are the table's.
func TestSchemaMethodsAreTheTable(t *testing.T) {
	var doc struct {
		Defs struct {
			Method struct {
				Enum []string `json:"enum"`
			} `json:"method"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(Schema, &doc); err != nil {
		t.Fatal(err)
	}
	if want := method.Names(); !slices.Equal(doc.Defs.Method.Enum, want) {
		t.Errorf("experiment.schema.json $defs.method.enum = %q, want method.All's names %q", doc.Defs.Method.Enum, want)
	}
	if !slices.Equal(Methods, method.Names()) {
		t.Errorf("Methods = %q, want %q", Methods, method.Names())
	}
	for _, name := range StudyMethods {
		if m := method.Named(name); m == nil || !m.Study {
			t.Errorf("study method %q is not a study method of the table", name)
		}
	}
}
