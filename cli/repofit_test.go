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

// TestLargeReportWarning: a run whose CSV passes 50 MB writes it and warns
// on stderr, naming the file and csv: summary. Skipped under -short (half a
// million points).
func TestLargeReportWarning(t *testing.T) {
	if testing.Short() {
		t.Skip("half a million points")
	}
	dir := t.TempDir()
	e := write(t, dir, "e.yaml", "numeric: {method: forward}\nfunctions:\n  - {name: f, expr: x, at: {x: {from: 0, to: 0.52, step: 1e-6}}}\n")
	code, _, stderr := invoke(t, e)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	p := filepath.Join(dir, "reports", "e.csv")
	st, err := os.Stat(p)
	if err != nil || st.Size() <= 50_000_000 {
		t.Fatalf("%s: %v; the test needs a CSV past 50 MB", p, err)
	}
	if !strings.Contains(stderr, p+": warning: e.csv is ") || !strings.Contains(stderr, "csv: summary") || strings.Count(stderr, "warning:") != 1 {
		t.Errorf("stderr:\n%s", stderr)
	}
}

// TestTooLargeCountsAsNotDone: a file whose report would pass the code
// hosts' limit is not written, exits 2, and the grand total counts it as
// not done rather than ok.
func TestTooLargeCountsAsNotDone(t *testing.T) {
	if testing.Short() {
		t.Skip("a million points")
	}
	dir := t.TempDir()
	e := write(t, dir, "big.yaml", "chains:\n  - {name: c, of: [square, sigmoid], at: {x: {from: -3, to: 3, count: 1000000}}, explain: false}\n")
	code, stdout, stderr := invoke(t, e)
	if code != ExitInvalid || !strings.Contains(stderr, "over 95 MB") || !strings.HasSuffix(stdout, "1 file (1 invalid), 0 derivatives: 0 ok\n") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "big.csv")); err == nil {
		t.Error("big.csv was written")
	}
}
