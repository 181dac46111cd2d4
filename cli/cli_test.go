package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/runner-dev/runner/diff"
)

func write(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func invoke(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Execute(args, &out, &errb)
	return code, out.String(), errb.String()
}

const good = "functions:\n  - {name: f, expr: x^2, at: 2}\n"

// TestInvalidFileDoesNotStopOthers: a new user's three mistakes, each in its
// own file beside a valid one: every error is printed with file:line:col,
// the exit status is 2, and the valid file still gets its reports.
func TestInvalidFileDoesNotStopOthers(t *testing.T) {
	dir := t.TempDir()
	ok := write(t, dir, "ok.yaml", good)
	a := write(t, dir, "a.yaml", "functions:\n  - name: f\n    expr: sigmiod(x)\n    at: 1\n")
	b := write(t, dir, "b.yaml", "functions:\n  - {name: f, expr: x, at: {y: 1}}\n")
	c := write(t, dir, "c.yaml", "functions:\n  - name: f\n\texpr: x\n")
	code, stdout, stderr := invoke(t, a, ok, b, c)
	if code != ExitInvalid {
		t.Errorf("exit %d, want 2", code)
	}
	for _, want := range []string{
		a + `:3:11: unknown function "sigmiod" (did you mean "sigmoid"?)`,
		b + `:2:29: function f: at: the variable "y" is given but not used`,
		c + ":3:1: invalid YAML",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "ok.md")); err != nil {
		t.Errorf("the valid file's report was not written: %v\n%s", err, stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "a.md")); err == nil {
		t.Errorf("an invalid file got a report")
	}
}

func TestExitStatuses(t *testing.T) {
	dir := t.TempDir()
	ok := write(t, dir, "ok.yaml", good)
	bad := write(t, dir, "bad.yaml", "functions:\n  - {name: f, expr: x^3, at: 1, numeric: {method: forward, step: 0.1}, tolerance: {mode: fixed}}\n")
	if code, _, stderr := invoke(t, "--out", filepath.Join(dir, "o"), ok); code != ExitOK {
		t.Errorf("ok: exit %d\n%s", code, stderr)
	}
	code, _, stderr := invoke(t, "--out", filepath.Join(dir, "o"), bad)
	if code != ExitFailed || !strings.Contains(stderr, bad+":2:12: f: at x=1, ∂/∂x: exact 3, numeric 3.31") {
		t.Errorf("outside tolerance: exit %d\n%s", code, stderr)
	}
	if code, _, _ := invoke(t); code != ExitInvalid {
		t.Errorf("no files: exit %d", code)
	}
	if code, _, _ := invoke(t, "--method", "centre", ok); code != ExitInvalid {
		t.Errorf("bad --method: exit %d", code)
	}
	if code, _, stderr := invoke(t, filepath.Join(dir, "missing.yaml")); code != ExitInvalid || !strings.Contains(stderr, "cannot read") {
		t.Errorf("missing file: exit %d %s", code, stderr)
	}
}

// TestCheck: --check exits 0 on fresh reports, 1 naming the file after one
// byte of a report changes, and 1 when a report is missing; it writes nothing.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.yaml", good)
	if code, _, _ := invoke(t, dir); code != ExitOK {
		t.Fatalf("run: exit %d", code)
	}
	if code, _, stderr := invoke(t, "--check", dir); code != ExitOK {
		t.Errorf("fresh: exit %d %s", code, stderr)
	}
	md := filepath.Join(dir, "reports", "a.md")
	b, _ := os.ReadFile(md)
	b[len(b)-2] ^= 1
	os.WriteFile(md, b, 0o644)
	code, _, stderr := invoke(t, "--check", dir)
	if code != ExitFailed || !strings.Contains(stderr, md+": stale: line") {
		t.Errorf("stale: exit %d %s", code, stderr)
	}
	if after, _ := os.ReadFile(md); !bytes.Equal(after, b) {
		t.Errorf("--check rewrote the report")
	}
	os.Remove(filepath.Join(dir, "reports", "a.csv"))
	if code, _, stderr := invoke(t, "--check", dir); code != ExitFailed || !strings.Contains(stderr, "a.csv: missing") {
		t.Errorf("missing: exit %d %s", code, stderr)
	}
}

// TestPrecedence: flags > experiment file > environment > config file >
// defaults, read off the report's settings table.
func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	linear := "functions:\n  - {name: f, expr: 3*x + 1, at: 2}\n" // every method is exact on it
	silent := write(t, dir, "silent.yaml", linear)
	chooses := write(t, dir, "chooses.yaml", "numeric: {method: backward}\n"+linear)
	cfg := write(t, dir, "cfg.yaml", "method: forward\nstep: 0.01\n")
	method := func(args ...string) string {
		t.Helper()
		out := filepath.Join(dir, "out")
		if code, _, stderr := invoke(t, append([]string{"--out", out}, args...)...); code != ExitOK {
			t.Fatalf("%v: exit %d %s", args, code, stderr)
		}
		name := strings.TrimSuffix(filepath.Base(args[len(args)-1]), ".yaml")
		b, _ := os.ReadFile(filepath.Join(out, name+".md"))
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "| numeric method") {
				return strings.TrimSpace(strings.Split(l, "|")[2])
			}
		}
		return ""
	}
	if got := method(silent); got != "central differences, h = 0.001" {
		t.Errorf("defaults: %q", got)
	}
	if got := method("--config", cfg, silent); got != "forward differences, h = 0.01" {
		t.Errorf("config: %q", got)
	}
	t.Setenv("RUNNER_METHOD", "five-point")
	if got := method("--config", cfg, silent); got != "five-point differences, h = 0.01" {
		t.Errorf("env over config: %q", got)
	}
	if got := method("--config", cfg, chooses); got != "backward differences, h = 0.01" {
		t.Errorf("file over env: %q", got)
	}
	if got := method("--config", cfg, "--method", "central", chooses); got != "central differences, h = 0.01" {
		t.Errorf("flag over file: %q", got)
	}
	t.Setenv("RUNNER_METHOD", "sideways")
	if code, _, stderr := invoke(t, silent); code != ExitInvalid || !strings.Contains(stderr, "RUNNER_METHOD") {
		t.Errorf("bad env: exit %d %s", code, stderr)
	}
}

func TestHelpHasExample(t *testing.T) {
	code, out, _ := invoke(t, "--help")
	if code != ExitOK || !strings.Contains(out, "runner experiments/*.yaml") || !strings.Contains(out, "RUNNER_METHOD") {
		t.Errorf("help: exit %d\n%s", code, out)
	}
}

// TestVersion: --version names the matrix-product kernel in use, one of
// those the machine can run, and lists them.
func TestVersion(t *testing.T) {
	code, out, _ := invoke(t, "--version")
	using, available := diff.MatMulKernels()
	if code != ExitOK || !strings.HasPrefix(out, "runner ") || !strings.Contains(out, "matrix products: "+using+"\n") {
		t.Fatalf("--version: exit %d\n%s", code, out)
	}
	if len(available) > 0 && !slices.Contains(available, using) {
		t.Errorf("the kernel in use, %s, is not among the machine's: %v", using, available)
	}
	for _, k := range available {
		if !strings.Contains(out, k) {
			t.Errorf("--version does not list %s:\n%s", k, out)
		}
	}
}

// readTree maps every file below dir to its bytes.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[rel] = string(b)
		}
		return nil
	})
	return out
}

// TestJobsSameBytes: the shipped experiments' reports are byte-identical
// with -j 1 and -j 8, and across two runs, and match the committed ones.
func TestJobsSameBytes(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, run := range []struct {
		dir  string
		args []string
	}{{a, []string{"-j", "1"}}, {b, []string{"-j", "8"}}, {c, []string{"-j", "8"}}} {
		if code, _, stderr := invoke(t, append(run.args, "--out", run.dir, "../experiments")...); code != ExitOK {
			t.Fatalf("%v: exit %d %s", run.args, code, stderr)
		}
	}
	ta, tb, tc := readTree(t, a), readTree(t, b), readTree(t, c)
	if len(ta) < 14 {
		t.Fatalf("only %d files", len(ta))
	}
	committed := readTree(t, "../experiments/reports")
	for name, data := range ta {
		if tb[name] != data || tc[name] != data {
			t.Errorf("%s differs between -j 1 and -j 8, or between runs", name)
		}
		if committed[name] != data {
			t.Errorf("%s differs from the committed report", name)
		}
	}
}

func TestShard(t *testing.T) {
	files := []string{"e.yaml", "a.yaml", "d.yaml", "b.yaml", "c.yaml"}
	var all []string
	for k := 1; k <= 2; k++ {
		got, err := shard(files, strconv.Itoa(k)+"/2")
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, got...)
		if k == 1 && strings.Join(got, " ") != "a.yaml c.yaml e.yaml" {
			t.Errorf("1/2 = %v", got)
		}
	}
	if len(all) != len(files) {
		t.Errorf("shards cover %v", all)
	}
	for _, bad := range []string{"0/2", "3/2", "2", "a/b", "1/0"} {
		if _, err := shard(files, bad); err == nil {
			t.Errorf("--shard %s accepted", bad)
		}
	}
}

// TestIndexChecked: the reports folder's README.md lists every report and
// --check notices when it is stale.
func TestIndexChecked(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "b.yaml", "title: Bee\n"+good)
	write(t, dir, "a.yaml", "title: Ay\nfunctions:\n  - {name: f, expr: x^3, at: 1, numeric: {method: forward, step: 0.1}, tolerance: {mode: fixed}}\n")
	invoke(t, dir)
	idx, _ := os.ReadFile(filepath.Join(dir, "reports", "README.md"))
	if !strings.Contains(string(idx), "| [a](a.md)  | Ay    | **fail** |") || !strings.Contains(string(idx), "| [b](b.md)  | Bee   | ok       |") {
		t.Errorf("index:\n%s", idx)
	}
	os.WriteFile(filepath.Join(dir, "reports", "README.md"), []byte("old\n"), 0o644)
	if code, _, stderr := invoke(t, "--check", dir); code != ExitFailed || !strings.Contains(stderr, "README.md: stale") {
		t.Errorf("exit %d %s", code, stderr)
	}
}
