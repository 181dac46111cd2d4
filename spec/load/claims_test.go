package load

import (
	"reflect"
	"testing"
)

// TestClaimsParsed: derivative: as one expression or one per variable (kept
// in the variables' order), a chain's derivative, and a gradient's claims
// in every form; a claimed matrix joins wrt in declaration order; the
// claim tolerances default to 1e-9 and 1e-12 and are read per file and per
// item.
func TestClaimsParsed(t *testing.T) {
	e := parse(t, `
tolerance: {claim_rtol: 1e-6}
functions:
  - {name: f, expr: x^2, derivative: 2*x, at: 1}
  - name: g
    expr: x * y^2
    derivative: {y: 2*x*y, x: y^2}
    tolerance: {claim_atol: 1e-3}
    at: {x: 1, y: 2}
  - {name: h, expr: x * y, derivative: {y: x}, at: {x: 1, y: 2}}
chains:
  - {name: c, of: [square, sin], derivative: 2*x*cos(x^2), at: 1}
matrices:
  X: [[1, 2]]
  W: [[3], [4]]
  V: [[5, 6]]
gradients:
  - name: L
    expr: sum(X @ W + V)
    wrt: [V]
    claims:
      W: transpose(X)
      X: [[3, 4]]
      V: {ones: [1, 2]}
`)
	f, g, h, c, L := e.Functions[0], e.Functions[1], e.Functions[2], e.Chains[0], e.Gradients[0]
	if len(f.Claims) != 1 || f.Claims[0].Wrt != "x" || f.Claims[0].Src != "2*x" || f.Claims[0].Expr == nil {
		t.Errorf("f: %+v", f.Claims)
	}
	if len(g.Claims) != 2 || g.Claims[0].Wrt != "x" || g.Claims[1].Wrt != "y" || g.Claims[1].Src != "2*x*y" {
		t.Errorf("g: %+v", g.Claims)
	}
	if len(h.Claims) != 1 || h.Claims[0].Wrt != "y" {
		t.Errorf("h: %+v", h.Claims)
	}
	if len(c.Claims) != 1 || c.Claims[0].Wrt != "x" || c.Claims[0].Src != "2*x*cos(x^2)" {
		t.Errorf("c: %+v", c.Claims)
	}
	if !reflect.DeepEqual(L.Wrt, []string{"X", "W", "V"}) {
		t.Errorf("wrt %v, want the claimed X and W joined to V in declaration order", L.Wrt)
	}
	want := []struct {
		wrt, src string
		isExpr   bool
	}{{"W", "transpose(X)", true}, {"X", "literal 1×2", false}, {"V", "ones(1, 2)", false}}
	for i, w := range want {
		got := L.Claims[i]
		if got.Wrt != w.wrt || got.Src != w.src || (got.Expr != nil) != w.isExpr || (got.Value != nil) == w.isExpr {
			t.Errorf("claim %d: %+v, want %+v", i, got, w)
		}
	}
	if v := L.Claims[1].Value; v.At(0, 0) != 3 || v.At(0, 1) != 4 {
		t.Errorf("X's claimed values %v", v)
	}
	if s := f.Settings; s.ClaimRtol != 1e-6 || s.ClaimAtol != 1e-12 {
		t.Errorf("f's claim tolerance %g, %g; want the file's 1e-6 and the default 1e-12", s.ClaimRtol, s.ClaimAtol)
	}
	if s := g.Settings; s.ClaimRtol != 1e-6 || s.ClaimAtol != 1e-3 {
		t.Errorf("g's claim tolerance %g, %g; want 1e-6 and its own 1e-3", s.ClaimRtol, s.ClaimAtol)
	}
	if s := parse(t, "functions:\n  - {name: f, expr: x, at: 1}\n").Settings; s.ClaimRtol != 1e-9 || s.ClaimAtol != 1e-12 {
		t.Errorf("default claim tolerance %g, %g", s.ClaimRtol, s.ClaimAtol)
	}
}
