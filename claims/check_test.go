package claims

import (
	"math"
	"strings"
	"testing"
)

func TestCheckTolerance(t *testing.T) {
	// |claimed − exact| ≤ atol + rtol·|exact|: at exact = 1000 with the
	// defaults the bound is 1e-12 + 1e-6; claims just inside and just
	// outside it (the margins, 1e-8 of the bound, are far above rounding).
	bound := DefaultAtol + DefaultRtol*1000
	for _, c := range []struct {
		name    string
		claimed float64
		tol     Tolerance
		ok      bool
	}{
		{"inside", 1000 + 0.99*bound, Tolerance{}, true},
		{"outside", 1000 + 1.01*bound, Tolerance{}, false},
		{"below, outside", 1000 - 1.01*bound, Tolerance{}, false},
		{"looser rtol", 1000 + 1.01*bound, Tolerance{Rtol: 1e-8}, true},
		{"atol alone at 0", 1e-3, Tolerance{Rtol: 1e-9, Atol: 1e-2}, true},
	} {
		exact := 1000.0
		if c.name == "atol alone at 0" {
			exact = 0
		}
		v := Check(dense(1, 1, c.claimed), dense(1, 1, exact), c.tol)
		if v.OK != c.ok {
			t.Errorf("%s: OK = %v, want %v (claimed %v, exact %v)", c.name, v.OK, c.ok, c.claimed, exact)
		}
		if got, want := v.Error.At(0, 0), math.Abs(c.claimed-exact); got != want {
			t.Errorf("%s: claim_error = %v, want %v", c.name, got, want)
		}
	}
}

func TestCheckCountsAndWorst(t *testing.T) {
	exact := exactGrad()
	claimed := dense(4, 3, nil...)
	claimed.Copy(exact)
	// seven wrong elements with errors 1…7 at known places
	wrong := [][2]int{{0, 0}, {0, 2}, {1, 1}, {2, 0}, {2, 2}, {3, 1}, {3, 2}}
	for k, ij := range wrong {
		claimed.Set(ij[0], ij[1], exact.At(ij[0], ij[1])+float64(k+1))
	}
	v := Check(claimed, exact, Tolerance{})
	if v.OK || v.Disagree != 7 || v.Total != 12 || v.NonFinite != 0 {
		t.Fatalf("OK %v, Disagree %d of %d, NonFinite %d; want false, 7 of 12, 0", v.OK, v.Disagree, v.Total, v.NonFinite)
	}
	if len(v.Worst) != MaxWorst {
		t.Fatalf("%d worst, want %d", len(v.Worst), MaxWorst)
	}
	for k, e := range v.Worst { // errors 7, 6, 5, 4, 3 at wrong[6], wrong[5], …
		ij := wrong[6-k]
		if e.Row != ij[0] || e.Col != ij[1] || math.Abs(e.Error-float64(7-k)) > 1e-12 {
			t.Errorf("worst[%d] = [%d,%d] error %v, want [%d,%d] error %d", k, e.Row, e.Col, e.Error, ij[0], ij[1], 7-k)
		}
	}
	if !strings.HasPrefix(v.Reason, "7 of 12 elements disagree; worst [3,2]") {
		t.Errorf("Reason = %q", v.Reason)
	}
	if math.Abs(v.MaxError-7) > 1e-12 {
		t.Errorf("MaxError = %v, want 7", v.MaxError)
	}
}

func TestCheckNonFinite(t *testing.T) {
	exact := dense(1, 4, 1, 2, 3, math.NaN())
	claimed := dense(1, 4, 1, math.NaN(), math.Inf(1), math.NaN())
	v := Check(claimed, exact, Tolerance{})
	if v.OK || v.Disagree != 3 || v.NonFinite != 3 {
		t.Fatalf("OK %v Disagree %d NonFinite %d, want false 3 3", v.OK, v.Disagree, v.NonFinite)
	}
	notes := []string{v.Worst[0].Note, v.Worst[1].Note, v.Worst[2].Note}
	want := []string{"claimed is NaN", "claimed is +Inf", "claimed is NaN"}
	for k := range want {
		if notes[k] != want[k] {
			t.Errorf("note %d = %q, want %q (all %q)", k, notes[k], want[k], notes)
		}
	}
	// exact not finite, claim finite: still a disagreement, with its own note
	v = Check(dense(1, 1, 5), dense(1, 1, math.Inf(1)), Tolerance{})
	if v.OK || !strings.Contains(v.Worst[0].Note, "exact is +Inf") {
		t.Errorf("finite claim against +Inf: OK %v, note %q", v.OK, v.Worst[0].Note)
	}
	// the same infinity on both sides is not agreement either
	if Check(dense(1, 1, math.Inf(1)), dense(1, 1, math.Inf(1)), Tolerance{}).OK {
		t.Error("+Inf claimed against +Inf agrees")
	}
}

func TestCheckShape(t *testing.T) {
	v := Check(dense(1, 3, 1, 2, 3), dense(3, 1, 1, 2, 3), Tolerance{})
	if v.OK || !v.ShapeMismatch() || v.Error != nil {
		t.Fatalf("OK %v mismatch %v Error %v", v.OK, v.ShapeMismatch(), v.Error)
	}
	if want := "claimed is 1×3, exact is 3×1"; !strings.Contains(v.Reason, want) {
		t.Errorf("Reason %q lacks %q", v.Reason, want)
	}
	v = Check(nil, dense(1, 1, 1), Tolerance{})
	if v.OK || !strings.Contains(v.Reason, "claimed is 0×0, exact is 1×1") {
		t.Errorf("nil claim: OK %v Reason %q", v.OK, v.Reason)
	}
	if !Check(nil, nil, Tolerance{}).OK {
		t.Error("two empty matrices disagree")
	}
}
