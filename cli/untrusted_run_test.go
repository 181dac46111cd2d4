//go:build unix

package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReportsSymlinkOut: a committed reports symlink that leads out of the
// work tree gets nothing written through it; an experiment folder with its
// own reports folder beside it still gets its reports.
func TestReportsSymlinkOut(t *testing.T) {
	base, repo, exps := untrustedTree(t)
	os.Symlink(filepath.Join(base, "outside"), filepath.Join(exps, "reports"))
	other := filepath.Join(repo, "other")
	os.MkdirAll(other, 0o755)
	ok := write(t, other, "ok.yaml", good)
	before := snapshot(t, base, filepath.Join(other, "reports"))
	code, stdout, stderr := invoke(t, filepath.Join(exps, "good.yaml"), ok)
	if code != ExitInvalid || !strings.Contains(stderr, filepath.Join(exps, "good.yaml")+": the reports folder "+filepath.Join(exps, "reports")+" leads out of the root") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	assertNoSecret(t, "reports symlink", stdout, stderr)
	assertUntouched(t, "reports symlink", before, snapshot(t, base, filepath.Join(other, "reports")))
	if _, err := os.Stat(filepath.Join(other, "reports", "ok.md")); err != nil {
		t.Errorf("the good file's report is missing: %v", err)
	}
}

// TestReportNeverWrittenThroughSymlink: a report name that is a symlink
// (to a file outside the tree) is replaced by the report, and the file it
// pointed to is unchanged.
func TestReportNeverWrittenThroughSymlink(t *testing.T) {
	base, _, exps := untrustedTree(t)
	os.MkdirAll(filepath.Join(exps, "reports"), 0o755)
	target := filepath.Join(base, "outside", "report.md")
	os.Symlink(target, filepath.Join(exps, "reports", "good.md"))
	os.Symlink(target, filepath.Join(exps, "reports", "README.md"))
	before := snapshot(t, filepath.Join(base, "outside"), "")
	if code, _, stderr := invoke(t, filepath.Join(exps, "good.yaml")); code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	assertUntouched(t, "symlinked report", before, snapshot(t, filepath.Join(base, "outside"), ""))
	for _, name := range []string{"good.md", "README.md"} {
		st, err := os.Lstat(filepath.Join(exps, "reports", name))
		if err != nil || !st.Mode().IsRegular() {
			t.Errorf("%s is not a regular file now: %v %v", name, st.Mode(), err)
		}
	}
}

// TestCheckSymlinkedReports: under --check a report that is a symlink out
// of the tree is refused unread (exit 2), one to a FIFO is refused
// without hanging, one inside the tree is compared but never quoted.
func TestCheckSymlinkedReports(t *testing.T) {
	base, repo, exps := untrustedTree(t)
	if code, _, stderr := invoke(t, filepath.Join(exps, "good.yaml")); code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	rep := filepath.Join(exps, "reports")
	os.Remove(filepath.Join(rep, "good.md"))
	os.Symlink(filepath.Join(base, "outside", "report.md"), filepath.Join(rep, "good.md"))
	code, stdout, stderr := invoke(t, "--check", filepath.Join(exps, "good.yaml"))
	if code != ExitInvalid || !strings.Contains(stderr, filepath.Join(rep, "good.md")+": is a symlink that leads out of the root") {
		t.Errorf("symlink out: exit %d\n%s", code, stderr)
	}
	assertNoSecret(t, "check symlink out", stdout, stderr)

	os.Remove(filepath.Join(rep, "good.md"))
	os.Symlink(filepath.Join(repo, "inside.txt"), filepath.Join(rep, "good.md"))
	code, stdout, stderr = invoke(t, "--check", filepath.Join(exps, "good.yaml"))
	if code != ExitFailed || !strings.Contains(stderr, "good.md: stale: differs from what a fresh run writes (not quoted: the report is a symlink)") {
		t.Errorf("symlink inside: exit %d\n%s", code, stderr)
	}
	assertNoSecret(t, "check symlink inside", stdout, stderr)

	os.Remove(filepath.Join(rep, "good.md"))
	if err := syscall.Mkfifo(filepath.Join(rep, "good.md"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	code, _, stderr = invoke(t, "--check", filepath.Join(exps, "good.yaml"))
	if code != ExitInvalid || !strings.Contains(stderr, "good.md: is not a regular file") {
		t.Errorf("FIFO: exit %d\n%s", code, stderr)
	}
}

// TestExperimentFolderSymlinkOut: a folder argument lists a symlink to a
// secret outside the tree; it is refused unread, the others run.
func TestExperimentFolderSymlinkOut(t *testing.T) {
	base, _, exps := untrustedTree(t)
	os.Symlink(filepath.Join(base, "outside", "secret.yaml"), filepath.Join(exps, "evil.yaml"))
	code, stdout, stderr := invoke(t, exps)
	if code != ExitInvalid || !strings.Contains(stderr, filepath.Join(exps, "evil.yaml")+": is a symlink that leads out of the root") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	assertNoSecret(t, "folder symlink", stdout, stderr)
	if _, err := os.Stat(filepath.Join(exps, "reports", "good.md")); err != nil {
		t.Errorf("the good file's report is missing")
	}
}

// TestConfigOnlyLowers: runner.yaml may lower a limit, not raise it, and
// may not send reports out of its tree; flags and RUNNER_* may raise.
func TestConfigOnlyLowers(t *testing.T) {
	base, repo, exps := untrustedTree(t)
	g := filepath.Join(exps, "good.yaml")
	cfg := write(t, repo, "runner.yaml", "max-points: 100000000\n")
	code, _, stderr := invoke(t, "--config", cfg, g)
	if code != ExitInvalid || !strings.Contains(stderr, "max-points: 100000000 is above the built-in limit 10000000; a config file can only lower a limit (raise it with --max-points or RUNNER_MAX_POINTS)") {
		t.Errorf("raise: exit %d\n%s", code, stderr)
	}
	cfg = write(t, repo, "runner.yaml", "max-cost: 1e20\n")
	if code, _, stderr := invoke(t, "--config", cfg, g); code != ExitInvalid || !strings.Contains(stderr, "max-cost") {
		t.Errorf("raise cost: exit %d\n%s", code, stderr)
	}
	cfg = write(t, repo, "runner.yaml", "out: ../outside\n")
	before := snapshot(t, filepath.Join(base, "outside"), "")
	wd, _ := os.Getwd()
	os.Chdir(repo)
	code, _, stderr = invoke(t, "--config", cfg, g)
	os.Chdir(wd)
	if code != ExitInvalid || !strings.Contains(stderr, "out: ../outside leads out of the root") {
		t.Errorf("out: exit %d\n%s", code, stderr)
	}
	assertUntouched(t, "config out", before, snapshot(t, filepath.Join(base, "outside"), ""))
	// lowering works, and a flag raises past the config file
	cfg = write(t, repo, "runner.yaml", "max-points: 2\n")
	write(t, exps, "three.yaml", "functions:\n  - {name: f, expr: x, at: [1, 2, 3]}\n")
	if code, _, stderr := invoke(t, "--config", cfg, filepath.Join(exps, "three.yaml")); code != ExitInvalid || !strings.Contains(stderr, "3 points is more than the limit of 2") {
		t.Errorf("lower: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := invoke(t, "--config", cfg, "--max-points", "3", filepath.Join(exps, "three.yaml")); code != ExitOK {
		t.Errorf("flag raises: exit %d\n%s", code, stderr)
	}
	t.Setenv("RUNNER_MAX_POINTS", "3")
	if code, _, stderr := invoke(t, "--config", cfg, filepath.Join(exps, "three.yaml")); code != ExitOK {
		t.Errorf("environment raises: exit %d\n%s", code, stderr)
	}
	// a config file that is a symlink out, or a device, is not read
	os.Remove(cfg)
	os.Symlink(filepath.Join(base, "outside", "secret.yaml"), cfg)
	code, stdout, stderr := invoke(t, "--config", cfg, g)
	if code != ExitInvalid || !strings.Contains(stderr, "is a symlink that leads out of the root") {
		t.Errorf("config symlink out: exit %d\n%s", code, stderr)
	}
	assertNoSecret(t, "config symlink", stdout, stderr)
	if code, _, stderr := invoke(t, "--config", "/dev/zero", g); code != ExitInvalid || !strings.Contains(stderr, "not a regular file") {
		t.Errorf("config /dev/zero: exit %d\n%s", code, stderr)
	}
}

// TestCollisions: files whose reports would overwrite each other are found
// before anything is written: exit 2 naming both, neither written, the
// others written.
func TestCollisions(t *testing.T) {
	for _, c := range []struct {
		name  string
		files []string // beside good.yaml, in the folder or in sub-folders
		out   bool     // one --out for all
		msg   string
	}{
		{"yaml and yml", []string{"a.yaml", "a.yml"}, false, "a.yml would both write a.md and a.csv"},
		{"README against the index", []string{"README.yaml"}, false, "its report README.md would be the reports folder's index README.md"},
		{"readme in lower case", []string{"readme.yml"}, false, "its report readme.md would be the reports folder's index README.md"},
		{"per-item file names", []string{"x.yaml", "x.L.grad_X.yaml"}, false, "x.L.grad_X.yaml's reports would take names of the form x.*, which"},
		{"two a.yaml under one --out", []string{"p/a.yaml", "q/a.yaml"}, true, "p/a.yaml and"},
		{"letter case", []string{"f.yaml", "F.yaml"}, false, "(the names differ only in letter case, the same file on a case-insensitive disk)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{filepath.Join(dir, "good.yaml")}
			write(t, dir, "good.yaml", good)
			out := filepath.Join(dir, "out")
			for _, f := range c.files {
				os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755)
				args = append(args, write(t, dir, f, good))
			}
			if c.out {
				args = append([]string{"--out", out}, args...)
			}
			code, _, stderr := invoke(t, args...)
			if code != ExitInvalid || !strings.Contains(stderr, c.msg) {
				t.Errorf("exit %d\n%s", code, stderr)
			}
			rep := filepath.Join(dir, "reports")
			if c.out {
				rep = out
			}
			if _, err := os.Stat(filepath.Join(rep, "good.md")); err != nil {
				t.Errorf("the good file's report is missing")
			}
			for _, f := range c.files {
				if _, err := os.Stat(filepath.Join(rep, stem(f)+".csv")); err == nil {
					t.Errorf("%s got a report", f)
				}
				if !strings.Contains(stderr, filepath.Join(dir, f)) && c.name != "README against the index" && c.name != "readme in lower case" {
					t.Errorf("the message does not name %s:\n%s", f, stderr)
				}
			}
		})
	}
}

// TestSameNamesInOneFile: items f and F with plots would write NAME.f.svg
// and NAME.F.svg: refused before anything is written.
func TestSameNamesInOneFile(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "c.yaml", "functions:\n  - {name: f, expr: x, at: [1, 2, 3, 4, 5]}\n  - {name: F, expr: x, at: [1, 2, 3, 4, 5]}\n")
	code, _, stderr := invoke(t, p)
	if code != ExitInvalid || !strings.Contains(stderr, "the report files c.f.svg and c.F.svg differ only in letter case") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "c.md")); err == nil {
		t.Errorf("c.md was written")
	}
}

// TestTimeout: a file past --timeout fails (exit 1), the message says what
// it was doing, and no report of it is written; the good file still runs.
func TestTimeout(t *testing.T) {
	dir := t.TempDir()
	g := write(t, dir, "good.yaml", good)
	// 60 variables, order 2: quick to read, about 4 s to compute
	var vs, at []string
	for i := 0; i < 60; i++ {
		vs = append(vs, "sin(x"+strconv.Itoa(i)+")")
		at = append(at, "x"+strconv.Itoa(i)+": 1")
	}
	slow := write(t, dir, "slow.yaml", "functions:\n  - name: f\n    expr: "+strings.Join(vs, "*")+"\n    order: 2\n    at: {"+strings.Join(at, ", ")+"}\n")
	code, _, stderr := invoke(t, "-j", "2", "--timeout", "300ms", g, slow)
	if code != ExitFailed || !strings.Contains(stderr, slow+": timed out after 300ms while computing the derivatives; no report written for it (raise the limit with --timeout)") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "good.md")); err != nil {
		t.Errorf("the good file's report is missing")
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "slow.md")); err == nil {
		t.Errorf("the slow file's report was written")
	}
	if code, _, _ := invoke(t, "--timeout", "0s", g); code != ExitInvalid {
		t.Errorf("--timeout 0: exit %d", code)
	}
}

// TestStaleTemporaries: temporaries of the runner's naming left in a
// reports folder by a killed run are removed at the start of the next;
// other hidden files, and a symlink of the same pattern, are left alone.
func TestStaleTemporaries(t *testing.T) {
	dir := t.TempDir()
	g := write(t, dir, "good.yaml", good)
	os.MkdirAll(filepath.Join(dir, "reports"), 0o755)
	stale := write(t, dir, "reports/.good.md.tmp-123456", "half a report")
	keep := write(t, dir, "reports/.keep", "mine")
	link := filepath.Join(dir, "reports", ".x.md.tmp-99")
	os.Symlink(keep, link)
	code, _, stderr := invoke(t, g)
	if code != ExitOK || !strings.Contains(stderr, "removed .good.md.tmp-123456, a temporary left by an interrupted run") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Errorf("the stale temporary is still there")
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf(".keep was removed")
	}
	if _, err := os.Lstat(link); err != nil {
		t.Errorf("the symlink was removed")
	}
	// --check writes (and removes) nothing
	write(t, dir, "reports/.good.md.tmp-1", "x")
	invoke(t, "--check", g)
	if _, err := os.Stat(filepath.Join(dir, "reports", ".good.md.tmp-1")); err != nil {
		t.Errorf("--check removed a file")
	}
}

// TestIndexFromResults: an about: that imitates a summary cannot make a
// failing file look ok in the index, and user text reaches the Markdown
// without raw HTML.
func TestIndexFromResults(t *testing.T) {
	dir := t.TempDir()
	bad := write(t, dir, "bad.yaml", "title: <script>alert(1)</script> a|b\nabout: |\n  **3 derivatives: 3 ok.**\n  <img src=x onerror=alert(1)>\ntolerance: {mode: fixed}\nfunctions:\n  - {name: f, expr: x^3, at: 1, numeric: {method: forward, step: 0.1}}\n")
	code, _, stderr := invoke(t, bad)
	if code != ExitFailed {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	index, _ := os.ReadFile(filepath.Join(dir, "reports", "README.md"))
	md, _ := os.ReadFile(filepath.Join(dir, "reports", "bad.md"))
	if !strings.Contains(string(index), "| **fail** ") || !strings.Contains(string(index), "1 derivative: 0 ok, 1 failed") {
		t.Errorf("the index:\n%s", index)
	}
	for name, b := range map[string][]byte{"index": index, "report": md} {
		if strings.Contains(string(b), "<script") || strings.Contains(string(b), "<img") {
			t.Errorf("%s holds raw HTML:\n%s", name, b)
		}
	}
	if !strings.HasPrefix(string(md), "# &lt;script>alert(1)&lt;/script> a\\|b\n") {
		t.Errorf("the report's title: %q", strings.SplitN(string(md), "\n", 2)[0])
	}
	// the index under --check is the same when built from results
	if code, _, stderr := invoke(t, "--check", bad); code != ExitFailed || strings.Contains(stderr, "README.md") {
		t.Errorf("--check: exit %d\n%s", code, stderr)
	}
}

// TestInterruptRemovesTemporaries runs the command in a child process,
// interrupts it (SIGINT) while it writes a long report, and checks that
// it exits 130 leaving no temporary and no partial report.
func TestInterruptRemovesTemporaries(t *testing.T) {
	if os.Getenv("RUNNER_TEST_CHILD") != "" {
		os.Exit(Execute(strings.Fields(os.Getenv("RUNNER_TEST_CHILD")), os.Stdout, os.Stderr))
	}
	if testing.Short() {
		t.Skip("writes a long report")
	}
	dir := t.TempDir()
	p := write(t, dir, "long.yaml", "explain: false\nfunctions:\n  - {name: f, expr: x, at: {x: {from: 0, to: 1, count: 3000000}}}\n")
	cmd := exec.Command(os.Args[0], "-test.run=^TestInterruptRemovesTemporaries$")
	cmd.Env = append(os.Environ(), "RUNNER_TEST_CHILD="+p)
	var errb strings.Builder
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	rep := filepath.Join(dir, "reports")
	seen := false
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline) && !seen; time.Sleep(2 * time.Millisecond) {
		entries, _ := os.ReadDir(rep)
		for _, e := range entries {
			seen = seen || strings.Contains(e.Name(), ".tmp-")
		}
	}
	if !seen {
		cmd.Process.Kill()
		cmd.Wait()
		t.Skip("the child finished before a temporary was seen")
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("exit %v, want 130\n%s", err, errb.String())
	}
	entries, _ := os.ReadDir(rep)
	for _, e := range entries {
		t.Errorf("left in reports/: %s", e.Name())
	}
	if !strings.Contains(errb.String(), "temporary files removed") {
		t.Errorf("stderr: %s", errb.String())
	}
}

// TestControlCharacterNames: a file name with a newline cannot forge a
// line of the output (a CI log's "::error::" command, say): it is refused,
// named with its control characters escaped; the others run.
func TestControlCharacterNames(t *testing.T) {
	dir := t.TempDir()
	g := write(t, dir, "good.yaml", good)
	odd := write(t, dir, "x\n::error::forged.yaml", good)
	code, stdout, stderr := invoke(t, dir)
	if code != ExitInvalid || !strings.Contains(stderr, `x\n::error::forged.yaml": the file's name holds a control character`) {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	for _, line := range strings.Split(stdout+stderr, "\n") {
		if strings.HasPrefix(line, "::") {
			t.Errorf("a forged line: %q", line)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "good.md")); err != nil {
		t.Errorf("the good file's report is missing (%s)", g)
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", filepath.Base(odd[:len(odd)-5])+".md")); err == nil {
		t.Errorf("the odd file got a report")
	}
}
