package load

import (
	"strings"
	"testing"

	"github.com/runner-dev/runner/internal/testkit"
	"github.com/runner-dev/runner/spec"
)

// TestFullGradientsSetting: full_gradients: reads npy (also the default and
// true), csv and false, and refuses anything else at its line and column;
// the experiment schema accepts and refuses the same values.
func TestFullGradientsSetting(t *testing.T) {
	schema := testkit.Schema(t, "experiment.schema.json", spec.Schema)
	for _, c := range []struct {
		value string // "": not given
		want  spec.FullGradients
		err   string
	}{
		{"", spec.FullNpy, ""},
		{"npy", spec.FullNpy, ""},
		{"true", spec.FullNpy, ""},
		{"csv", spec.FullCSV, ""},
		{"false", spec.FullNone, ""},
		{"sometimes", "", `x.yaml:4:45: gradient L: full_gradients: expected npy, csv or false, found "sometimes"`},
		{"1", "", "x.yaml:4:45: gradient L: full_gradients: expected npy, csv or false, found the number 1"},
		{"[npy]", "", "x.yaml:4:45: gradient L: full_gradients: expected npy, csv or false, found a list"},
	} {
		src := "matrices:\n  X: [[1, 2]]\ngradients:\n  - {name: L, expr: sum(X)"
		if c.value != "" {
			src += ", full_gradients: " + c.value
		}
		src += "}\n"
		e, err := Parse("x.yaml", []byte(src), DefaultOptions)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: error %v, want %q", c.value, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("%q: %v", c.value, err)
		case c.err == "" && e.Gradients[0].FullGradients != c.want:
			t.Errorf("%q: read as %q, want %q", c.value, e.Gradients[0].FullGradients, c.want)
		}
		if err := validate(t, schema, src); (err == nil) != (c.err == "") {
			t.Errorf("%q: the schema says %v, the loader %q", c.value, err, c.err)
		}
	}
}
