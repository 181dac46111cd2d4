package expr

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// FuzzParse: no input makes the parser or resolver panic, and every
// expression that parses prints back (String) to text that parses to the
// same printed form.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"x^2", "sigmoid(x + y)", "-x^2", "2^3^2", "a-b-c", "leaky_relu(x, 0.1)", "pow(x, 3)",
		"sum(sigmoid(X @ W))", "mean((sigmoid(X @ W + B) - Y)^2)", "transpose(W) @ X", "x ** -y",
		".5e-3*pi/e", "((x))", "sigmiod(x)", "f(,)", "1e", "x $ y", "sum()", "-(-(-x))",
	} {
		f.Add(s)
	}
	// every expression in the shipped experiments
	files, _ := filepath.Glob("../experiments/*.yaml")
	re := regexp.MustCompile(`(?m)expr: *"?([^"\n]+)"?$`)
	for _, p := range files {
		b, _ := os.ReadFile(p)
		for _, m := range re.FindAllSubmatch(b, -1) {
			f.Add(string(m[1]))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		n, err := Parse(src)
		if err != nil {
			return
		}
		printed := String(n)
		n2, err := Parse(printed)
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", src, printed, err)
		}
		if again := String(n2); again != printed {
			t.Fatalf("%q printed as %q, then as %q", src, printed, again)
		}
		if _, err := Resolve(n, Scalar, nil); err == nil {
			_, _ = Const(printed)
		}
		n3, _ := Parse(src)
		if _, err := Resolve(n3, Matrix, map[string]bool{"X": true, "W": true}); err == nil {
			_, _ = Shape(n3, map[string][2]int{"X": {2, 3}, "W": {3, 2}})
		}
	})
}
