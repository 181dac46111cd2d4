package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestClaimsExitAndSummary: a wrong claim exits 1 (not 2: the file is
// valid) with its diagnosis on stderr as "item: …"; the corrected claims
// exit 0; and a claim that is wrong in shape or not finite is an honest
// failed claim beside a good file, whose reports are still written.
func TestClaimsExitAndSummary(t *testing.T) {
	for _, c := range []struct {
		file string
		code int
		says []string
	}{
		{"../testdata/claims/wrong-sigmoid.yaml", ExitFailed, []string{"wrong-sigmoid.yaml:11:11: sig: ∂sig/∂x claimed -exp(-x) / (1 + exp(-x))^2: the sign is flipped: claimed = −exact (every point)"}},
		{"../testdata/claims/linreg-mean.yaml", ExitFailed, []string{
			"L: ∂L/∂W claimed: claimed = 10 × exact (every element); 10 = the rows of X = the rows of Y: the gradient of a sum where the loss takes a mean?",
			"L: ∂L/∂b claimed: claimed = 10 × exact",
			"2 claims wrong"}},
		{"../testdata/claims/linreg-mean-fixed.yaml", ExitOK, []string{"4 derivatives: 4 ok"}},
	} {
		code, stdout, stderr := invoke(t, "--out", t.TempDir(), c.file)
		stderr += stdout // the summary line goes to stdout
		if code != c.code {
			t.Errorf("%s: exit %d, want %d\n%s", c.file, code, c.code, stderr)
		}
		for _, s := range c.says {
			if !strings.Contains(stderr, s) {
				t.Errorf("%s: stderr lacks %q:\n%s", c.file, s, stderr)
			}
		}
	}

	dir := t.TempDir()
	ok := write(t, dir, "ok.yaml", good)
	nan, err := os.ReadFile("../testdata/claims/nan_1x2.npy") // [[nan, 1.0]], written by NumPy's np.save
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "nan.npy", string(nan))
	for _, tc := range []struct{ claim, says string }{
		{"[[1, 2], [3, 4]]", "claimed is 2×2, exact is 1×2"},
		{"{npy: nan.npy}", "1 of 2 claimed elements is NaN or infinite"},
	} {
		bad := write(t, dir, "claim.yaml", "matrices:\n  X: [[1, 2]]\ngradients:\n  - name: L\n    expr: sum(X * X)\n    claims: {X: "+tc.claim+"}\n")
		os.RemoveAll(filepath.Join(dir, "reports"))
		code, _, stderr := invoke(t, bad, ok)
		if code != ExitFailed || !strings.Contains(stderr, "L: ∂L/∂X claimed: ") || !strings.Contains(stderr, tc.says) {
			t.Errorf("%s: exit %d, want 1, and a diagnosis saying %q:\n%s", tc.claim, code, tc.says, stderr)
		}
		for _, f := range []string{"ok.md", "claim.md", "claim.csv"} {
			if _, err := os.Stat(filepath.Join(dir, "reports", f)); err != nil {
				t.Errorf("%s: %s was not written", tc.claim, f)
			}
		}
	}
}

// TestClaimsOnIntermediates: a claim may be for a let: intermediate, and a
// claim's expression may use intermediates (the contract's example):
// ∂mean(S)/∂N = S(1 − S)/n for S = σ(N), n the 2 elements of N, here
// checked right and then with the mean's 1/n forgotten (claimed = 2 ×
// exact, 2 = the rows of X).
func TestClaimsOnIntermediates(t *testing.T) {
	dir := t.TempDir()
	src := "matrices:\n  X: [[1, 2], [3, 4]]\n  W: [[0.5], [-0.25]]\ngradients:\n  - name: L\n    let: {N: X @ W, S: sigmoid(N)}\n    expr: mean(S)\n    claims:\n      N: %s\n      X: (S * (1 - S) / 2) @ transpose(W)\n"
	right := write(t, dir, "right.yaml", fmt.Sprintf(src, "S * (1 - S) / 2"))
	if code, stdout, stderr := invoke(t, right); code != ExitOK || !strings.Contains(stdout, "8 derivatives: 8 ok") {
		t.Errorf("right claims: exit %d\n%s%s", code, stdout, stderr)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "reports", "right.csv"))
	if err != nil || !strings.Contains(string(csv), `L,gradient,,"N[0,0]",`) || !strings.Contains(string(csv), ",0.125,0\n") {
		t.Errorf("right.csv lacks the claimed N[0,0] = 0.125 row:\n%s", csv)
	}
	wrong := write(t, dir, "wrong.yaml", fmt.Sprintf(src, "S * (1 - S)"))
	code, _, stderr := invoke(t, wrong)
	if code != ExitFailed || !strings.Contains(stderr, "L: ∂L/∂N claimed: claimed = 2 × exact") {
		t.Errorf("a claim on N missing the mean's 1/2: exit %d, want 1 and the factor 2:\n%s", code, stderr)
	}
	bad := write(t, dir, "bad.yaml", strings.Replace(fmt.Sprintf(src, "S"), "      N: S", "      Q: S", 1))
	if code, _, stderr := invoke(t, bad); code != ExitInvalid || !strings.Contains(stderr, `bad.yaml:9:7: gradient L: claims: unknown matrix or intermediate "Q"`) {
		t.Errorf("a claim for an unknown name: exit %d, want 2 at its key:\n%s", code, stderr)
	}
}
