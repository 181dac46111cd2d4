package diff

import (
	"math"
	"testing"
)

// TestExplainFunctionChainRule checks a function's explanation against the
// chain rule, which it must obey whatever the engine computes: every step's
// tangent ∂u/∂vᵢ equals Σₖ (local derivative wrt input k)·(input k's
// tangent), with constants' tangents 0; and the last step's value and
// tangents are the engine's own value and partial derivatives (within
// 1e-12, relative, for the regrouping of the sums).
func TestExplainFunctionChainRule(t *testing.T) {
	points := map[string]string{
		"x * y^2 + sin(x)":           "{x: 0.7, y: 1.3}",
		"sigmoid(x + y) / (x - 2*y)": "{x: 1.9, y: -0.4}",
		"-(x - y)^3 + 2^x * exp(-y)": "{x: 0.3, y: 2.2}",
		"sqrt(x) * pow(y, 3) - x^y":  "{x: 1.5, y: 0.8}",
	}
	for src, point := range points {
		fn := load(t, "functions:\n  - {name: f, expr: '"+src+"', at: "+point+"}\n").Functions[0]
		tree, vars, at := fn.Expr, fn.Vars, fn.Points[0]
		ex := explainFunction(tree, vars, at, "f")
		tangent := map[string][]float64{}
		close := func(got, want float64) bool { return math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want)) }
		for _, st := range ex.Steps {
			tangent[st.Name] = st.Tangents
			if st.Expr == "" {
				continue
			}
			for i := range vars {
				var sum float64
				for _, l := range st.Locals {
					if tg, ok := tangent[l.Wrt]; ok {
						sum += l.Value.At(0, 0) * tg[i]
					}
				}
				if !close(st.Tangents[i], sum) {
					t.Errorf("%s: step %s = %s: ∂/∂%s %v, chain rule gives %v", src, st.Name, st.Expr, vars[i], st.Tangents[i], sum)
				}
			}
		}
		last := ex.Steps[len(ex.Steps)-1]
		e := newScalarFn(tree, vars)
		if v, _ := e.value(at); last.Name != "f" || !close(last.Value.At(0, 0), v) {
			t.Errorf("%s: last step %s = %v, engine %v", src, last.Name, last.Value.At(0, 0), v)
		}
		for i := range vars {
			if d, _, _ := e.partial(at, i, 0); !close(last.Tangents[i], d) {
				t.Errorf("%s: ∂f/∂%s explained %v, engine %v", src, vars[i], last.Tangents[i], d)
			}
		}
	}
}
