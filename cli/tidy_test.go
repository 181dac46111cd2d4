package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTidyReports: after an item and an experiment are deleted, --check
// names their report files and exits 1, removing nothing; --prune removes
// them and the index stops listing the deleted experiment; a user's own
// files, files not of the runner's naming and another shard's reports are
// never touched.
func TestTidyReports(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.yaml", "functions:\n  - {name: f, expr: x^2, at: [1, 2, 3, 4, 5]}\n  - {name: g, expr: x^3, at: [1, 2, 3, 4, 5]}\n")
	b := write(t, dir, "b.yaml", good)
	c := write(t, dir, "c.yaml", good)
	if code, _, stderr := invoke(t, a, b, c); code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	rep := filepath.Join(dir, "reports")
	for _, n := range []string{"a.f.svg", "a.g.svg", "b.md", "b.csv"} {
		if _, err := os.Stat(filepath.Join(rep, n)); err != nil {
			t.Fatalf("the first run did not write %s", n)
		}
	}
	write(t, rep, "notes.md", "mine\n")
	write(t, rep, "d.md", "a report from elsewhere\n")
	write(t, rep, "a.g.svg.bak", "mine\n")
	write(t, dir, "a.yaml", "functions:\n  - {name: f, expr: x^2, at: [1, 2, 3, 4, 5]}\n")
	if err := os.Remove(b); err != nil {
		t.Fatal(err)
	}
	orphans := []string{filepath.Join(rep, "a.g.svg"), filepath.Join(rep, "b.csv"), filepath.Join(rep, "b.md")}

	code, _, stderr := invoke(t, "--check", a, c)
	if code != ExitFailed {
		t.Errorf("--check: exit %d, want 1\n%s", code, stderr)
	}
	for _, p := range orphans {
		if !strings.Contains(stderr, p+": no experiment writes this report (runner --prune removes it)\n") {
			t.Errorf("--check does not name %s:\n%s", p, stderr)
		}
		if _, err := os.Stat(p); err != nil {
			t.Errorf("--check removed %s", p)
		}
	}
	if n := strings.Count(stderr, "no experiment writes"); n != len(orphans) {
		t.Errorf("%d files named, want %d:\n%s", n, len(orphans), stderr)
	}

	// the shard that runs only a.yaml leaves c's reports alone
	if code, _, stderr := invoke(t, "--prune", "--shard", "1/2", a, c); code != ExitOK {
		t.Fatalf("--prune: exit %d\n%s", code, stderr)
	}
	for _, p := range orphans {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("--prune left %s", p)
		}
	}
	for _, n := range []string{"notes.md", "d.md", "a.g.svg.bak", "a.f.svg", "a.md", "c.md", "c.csv", "README.md"} {
		if _, err := os.Stat(filepath.Join(rep, n)); err != nil {
			t.Errorf("--prune removed %s", n)
		}
	}
	index, _ := os.ReadFile(filepath.Join(rep, "README.md"))
	if strings.Contains(string(index), "(b.md)") || !strings.Contains(string(index), "(c.md)") {
		t.Errorf("index after --prune:\n%s", index)
	}
	if code, _, stderr := invoke(t, "--check", a, c); code != ExitOK {
		t.Errorf("--check after --prune: exit %d\n%s", code, stderr)
	}
}

// TestRunnerNamed: the names the runner gives reports, and some it does not.
func TestRunnerNamed(t *testing.T) {
	for name, want := range map[string]bool{
		"e.md": true, "e.csv": true, "e.f.svg": true, "e.f.sweep.svg": true, "e.f.steps.svg": true,
		"e.L.grad_X.csv": true, "e.L.grad_X.npy": true,
		"e.L.grad_X.svg": true, "e.L.hessian.svg": true, "e.L.claim_X.svg": true,
		"e.L.claim_.svg": false, "e.L.claim_X.csv": false, "e.L.claim_X.Y.svg": false, "e.L.hessian.csv": false, "e.L.grad_X.png": false,
		"e.txt": false, "e.f.png": false, "e.L.grad_.csv": false, "e.L.grad_X.csv.bak": false, "e..svg": false, "f.md": false, "e.f.svg.bak": false,
	} {
		if got := runnerNamed("e", name); got != want {
			t.Errorf("runnerNamed(e, %s) = %v", name, got)
		}
	}
}
