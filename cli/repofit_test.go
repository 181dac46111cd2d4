package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// big is an experiment with a gradient of a 13×13 matrix, past the
// Markdown's size limit; form is its full_gradients: setting ("" for the
// default).
func big(form string) string {
	s := "matrices:\n  X: {ones: [13, 13]}\ngradients:\n  - {name: L, expr: sum(X * X)"
	if form != "" {
		s += ", full_gradients: " + form
	}
	return s + "}\n"
}

// TestFullGradientsNpyCheckPrune: by default the run writes e.L.grad_X.npy
// and --check compares it (a changed byte is stale); once the item asks for
// csv the .npy is a report no experiment writes, which --check names and
// --prune removes.
func TestFullGradientsNpyCheckPrune(t *testing.T) {
	dir := t.TempDir()
	e := write(t, dir, "e.yaml", big(""))
	if code, _, stderr := invoke(t, e); code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	npy := filepath.Join(dir, "reports", "e.L.grad_X.npy")
	data, err := os.ReadFile(npy)
	if err != nil {
		t.Fatalf("no .npy written: %v", err)
	}
	if !strings.HasPrefix(string(data), "\x93NUMPY\x01\x00") {
		t.Fatalf("%s does not start as a .npy: %q", npy, data[:10])
	}
	if code, _, stderr := invoke(t, "--check", e); code != ExitOK {
		t.Fatalf("--check on fresh reports: exit %d\n%s", code, stderr)
	}
	data[len(data)-1] ^= 1
	os.WriteFile(npy, data, 0o644)
	if code, _, stderr := invoke(t, "--check", e); code != ExitFailed || !strings.Contains(stderr, npy+": stale") {
		t.Errorf("--check on a changed .npy: exit %d\n%s", code, stderr)
	}

	write(t, dir, "e.yaml", big("csv"))
	if code, _, stderr := invoke(t, e); code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "e.L.grad_X.csv")); err != nil {
		t.Errorf("full_gradients: csv wrote no CSV: %v", err)
	}
	code, _, stderr := invoke(t, "--check", e)
	if code != ExitFailed || !strings.Contains(stderr, npy+": no experiment writes this report") {
		t.Errorf("--check with a stale .npy: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := invoke(t, "--prune", e); code != ExitOK {
		t.Errorf("--prune: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(npy); err == nil {
		t.Errorf("--prune left %s", npy)
	}
}
