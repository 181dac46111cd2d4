package reports

import (
	"strings"
	"testing"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
)

// TestLaTeXTemplates: each template rule (the optional [ ] part, a parameter,
// a power of the argument, a power on the operator or after the call) gives
// what the per-name switch it replaced wrote (outputs taken from that
// switch, commit aef9acf).
func TestLaTeXTemplates(t *testing.T) {
	for src, want := range map[string]string{
		"elu(x)":          `\operatorname{ELU}(x)`,
		"elu(x, 2)":       `\operatorname{ELU}_{2}(x)`,
		"pow(x + y, 0.5)": `{(x + y)}^{0.5}`,
		"leaky_relu(x)^2": `{\operatorname{LeakyReLU}_{0.2}(x)}^{2}`,
		"relu(x)^2":       `\operatorname{ReLU}^{2}(x)`,
		"sigmoid(x)^2":    `{\sigma(x)}^{2}`,
		"identity(x) + 1": `x + 1`,
	} {
		tree, _ := expr.Parse(src)
		if _, err := expr.Resolve(tree, expr.Scalar, nil); err != nil {
			t.Fatal(err)
		}
		if got := LaTeX(diff.Simplify(tree)); got != want {
			t.Errorf("LaTeX(%s) = %s, want %s", src, got, want)
		}
	}
}

// TestLaTeXEveryFunction: every registry function and helper is written by
// its own template (not the \operatorname{name} fallback), with no template
// syntax left over, at its defaults and with other parameters.
func TestLaTeXEveryFunction(t *testing.T) {
	for _, f := range append(funcs.All(), funcs.Helpers()...) {
		for _, p := range [][]float64{f.Fill(nil), f.Fill([]float64{3, 3})} {
			c := &expr.Call{Name: f.Name, Args: []expr.Node{&expr.Ident{Name: "u"}}, Params: p}
			got := LaTeX(c)
			if strings.ContainsAny(got, "#[]") || strings.Contains(got, `\operatorname{`+f.Name+"}") && !strings.Contains(f.LaTeX, f.Name) || !strings.Contains(got, "u") {
				t.Errorf("%s%v written as %s", f.Name, p, got)
			}
		}
	}
}
