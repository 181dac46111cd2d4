package cli

import (
	"github.com/runner-dev/runner/spec"
)

// itemPositions maps each function, chain and gradient of e to its place in
// the file.
func itemPositions(e *spec.Experiment) map[string]spec.Pos {
	pos := map[string]spec.Pos{}
	for _, f := range e.Functions {
		pos[f.Name] = f.Pos
	}
	for _, c := range e.Chains {
		pos[c.Name] = c.Pos
	}
	for _, g := range e.Gradients {
		pos[g.Name] = g.Pos
	}
	return pos
}
