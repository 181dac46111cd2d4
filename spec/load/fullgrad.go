package load

import (
	"gopkg.in/yaml.v3"

	"github.com/runner-dev/runner/spec"
)

// fullGradients reads a gradient's full_gradients: npy (the default), csv,
// or false; true is the default's older spelling.
func (l *loader) fullGradients(n *yaml.Node, what string) spec.FullGradients {
	if n == nil {
		return spec.FullNpy
	}
	n = deref(n)
	if n.Kind == yaml.ScalarNode {
		var v bool
		switch {
		case n.Tag == "!!bool" && n.Decode(&v) == nil:
			if v {
				return spec.FullNpy
			}
			return spec.FullNone
		case n.Tag == "!!str" && (n.Value == string(spec.FullNpy) || n.Value == string(spec.FullCSV)):
			return spec.FullGradients(n.Value)
		}
	}
	l.errf(n, "%s: expected npy, csv or false, found %s", what, kindName(n))
	return spec.FullNpy
}
