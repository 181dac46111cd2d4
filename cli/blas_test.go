package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/runner-dev/runner/diff"
)

// TestBLASOpenBLASRun: runner --blas openblas runs the shipped experiments/
// (exit 0: every derivative within tolerance), and a report with matrices
// says in its settings table which BLAS ran; reports without matrices, and
// every report of a default run, name no kernel. Skipped where libopenblas
// is missing.
func TestBLASOpenBLASRun(t *testing.T) {
	if err := diff.UseBLAS("openblas"); err != nil {
		t.Skipf("OpenBLAS missing here, skipped (apt-get install libopenblas0): %v", err)
	}
	_ = diff.UseBLAS("")
	t.Cleanup(func() { _ = diff.UseBLAS("") })
	out := t.TempDir()
	code, stdout, stderr := invoke(t, "-q", "--blas", "openblas", "--out", out, "../experiments")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	const row = "| matrix products | OpenBLAS (--blas openblas)"
	for name, want := range map[string]bool{"04-matrix-product.md": true, "07-one-layer-network.md": true, "01-slope.md": false} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(b), row); got != want {
			t.Errorf("%s: names OpenBLAS in its settings: %v, want %v", name, got, want)
		}
	}
	code, stdout, stderr = invoke(t, "-q", "--out", out, "../experiments")
	if code != ExitOK {
		t.Fatalf("default run after: exit %d\n%s%s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "04-matrix-product.md")); strings.Contains(string(b), "matrix products") {
		t.Errorf("a default run after --blas openblas still names the BLAS")
	}
}

// TestBLASMissing: --blas with a library that cannot be loaded, or
// RUNNER_BLAS naming an unknown BLAS, exits 2 before any work, naming the
// setting and what is wrong.
func TestBLASMissing(t *testing.T) {
	t.Cleanup(func() { _ = diff.UseBLAS("") })
	dir := t.TempDir()
	f := write(t, dir, "ok.yaml", good)
	code, _, stderr := invoke(t, "--blas", "/nowhere/libopenblas.so", f)
	if code != ExitInvalid || !strings.Contains(stderr, "--blas: cannot load /nowhere/libopenblas.so") {
		t.Errorf("missing library file: exit %d\n%s", code, stderr)
	}
	t.Setenv("RUNNER_BLAS", "mkl")
	code, _, stderr = invoke(t, f)
	if code != ExitInvalid || !strings.Contains(stderr, `RUNNER_BLAS: unknown BLAS "mkl"`) {
		t.Errorf("RUNNER_BLAS=mkl: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "reports")); err == nil {
		t.Errorf("reports written despite the BLAS error")
	}
}
