package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/runner-dev/runner/internal/testkit"
	"github.com/runner-dev/runner/reports"
)

// TestCIGolden runs experiments/ from the repository's root with --json
// and --junit and compares both with testdata/ci/experiments.json and
// experiments.junit.xml byte for byte (go test ./cli -run CIGolden -update
// rewrites them; read the change before committing it). Run twice, with one
// job and with four, the bytes are the same.
func TestCIGolden(t *testing.T) {
	t.Chdir("..")
	for _, jobs := range []string{"1", "4"} {
		dir := t.TempDir()
		j, x := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")
		code, stdout, stderr := invoke(t, "-j", jobs, "--out", dir, "--json", j, "--junit", x, "experiments/")
		if code != ExitOK {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		// the totals themselves are in the golden JSON; here, that the run
		// ends with its total line over every file
		yamls, _ := filepath.Glob("experiments/*.yaml")
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		if last := lines[len(lines)-1]; !strings.HasPrefix(last, fmt.Sprintf("%d files, ", len(yamls))) || !strings.Contains(last, " derivatives: ") {
			t.Errorf("the run does not end with its total over %d files:\n%s", len(yamls), stdout)
		}
		for _, g := range []struct{ fresh, golden string }{{j, "testdata/ci/experiments.json"}, {x, "testdata/ci/experiments.junit.xml"}} {
			fresh, err := os.ReadFile(g.fresh)
			if err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, g.golden, fresh, "go test ./cli -run CIGolden -update")
		}
	}
}

// TestJSONToStdout: --json - writes the JSON alone to standard output; the
// lines for people go to standard error.
func TestJSONToStdout(t *testing.T) {
	dir := t.TempDir()
	ok := write(t, dir, "ok.yaml", good)
	code, stdout, stderr := invoke(t, "--out", dir, "--json", "-", ok)
	if code != ExitOK || !strings.HasPrefix(stdout, "{\n  \"$schema\"") || !strings.HasSuffix(stdout, "}\n") || strings.Contains(stdout, "1 file,") {
		t.Errorf("exit %d\nstdout:\n%s", code, stdout)
	}
	if !strings.Contains(stderr, "1 file, 1 derivative: 1 ok\n") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if code, _, _ := invoke(t, "--json", "-", "--junit", "-", ok); code != ExitInvalid {
		t.Errorf("--json - --junit -: exit %d, want 2", code)
	}
	if code, _, stderr := invoke(t, "--out", dir, "--json", filepath.Join(dir, "no", "such", "dir.json"), ok); code != ExitInvalid || !strings.Contains(stderr, "cannot write the results") {
		t.Errorf("unwritable --json: exit %d\n%s", code, stderr)
	}
}

// TestAnnotations: with GITHUB_ACTIONS=true an invalid file's errors and a
// failing item are GitHub workflow commands at their line and column, the
// message's line breaks and the title's colon escaped; without it, none.
func TestAnnotations(t *testing.T) {
	dir := t.TempDir()
	bad := write(t, dir, "bad.yaml", "functions:\n  - {name: f, expr: x^3, at: [1, 2], numeric: {method: forward, step: 0.1}, tolerance: {mode: fixed}}\n  - {name: g, expr: x^2, at: 1}\n")
	inv := write(t, dir, "inv.yaml", "functions:\n  - name: f\n    expr: sigmiod(x)\n    at: 1\n")
	t.Setenv("GITHUB_ACTIONS", "true")
	code, stdout, _ := invoke(t, "--out", dir, bad, inv)
	if code != ExitInvalid {
		t.Errorf("exit %d", code)
	}
	want := []string{
		"::error file=" + bad + ",line=2,col=12,title=runner%3A function f failed::at x=2, ∂/∂x: exact 12, numeric 12.61000000000001 (outside tolerance)%0Aat x=1, ∂/∂x: exact 3, numeric 3.310000000000004 (outside tolerance)\n",
		"::error file=" + inv + ",line=3,col=11,title=runner%3A invalid experiment file::unknown function \"sigmiod\" (did you mean \"sigmoid\"?)\n",
	}
	for _, w := range want {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout lacks\n%s\n%s", w, stdout)
		}
	}
	if n := strings.Count(stdout, "::error"); n != 2 {
		t.Errorf("%d annotations, want 2 (g passes):\n%s", n, stdout)
	}
	if !strings.HasSuffix(stdout, "2 files (1 invalid), 3 derivatives: 1 ok, 2 failed\n") {
		t.Errorf("total:\n%s", stdout)
	}
	t.Setenv("GITHUB_ACTIONS", "")
	if _, stdout, _ := invoke(t, "--out", dir, bad, inv); strings.Contains(stdout, "::error") {
		t.Errorf("annotations outside GitHub Actions:\n%s", stdout)
	}
}

// TestQuietVerbose: -q prints errors only; -v adds a line per item at its
// place in the file; both at once is a misuse.
func TestQuietVerbose(t *testing.T) {
	dir := t.TempDir()
	ok := write(t, dir, "ok.yaml", good)
	bad := write(t, dir, "bad.yaml", "functions:\n  - {name: f, expr: x^3, at: 1, numeric: {method: forward, step: 0.1}, tolerance: {mode: fixed}}\n")
	code, stdout, stderr := invoke(t, "-q", "--out", dir, ok, bad)
	if code != ExitFailed || stdout != "" || !strings.Contains(stderr, bad+":2:12: f: at x=1") {
		t.Errorf("-q: exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	code, stdout, _ = invoke(t, "-v", "--out", dir, ok)
	if code != ExitOK || !strings.Contains(stdout, ok+":2:12: function f: 1 derivative, 1 ok\n") || !strings.HasSuffix(stdout, "1 file, 1 derivative: 1 ok\n") {
		t.Errorf("-v: exit %d\n%s", code, stdout)
	}
	if _, stdout, _ := invoke(t, "--out", dir, ok); strings.Contains(stdout, "function f:") {
		t.Errorf("item lines without -v:\n%s", stdout)
	}
	if code, _, _ := invoke(t, "-q", "-v", ok); code != ExitInvalid {
		t.Errorf("-q -v: exit %d, want 2", code)
	}
}

// TestColour: the total is coloured only on a terminal (never into a
// buffer or a file, as in CI logs) and by its outcome.
func TestColour(t *testing.T) {
	var buf bytes.Buffer
	c, err := newCIRun(ciOptions{}, "", &buf, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if c.colour {
		t.Error("colour into a buffer")
	}
	c.colour = true
	for _, tc := range []struct {
		t    reports.Totals
		want string
	}{{reports.Totals{Files: 1}, green}, {reports.Totals{Files: 1, Invalid: 1}, red}} {
		if got := c.paint(tc.t, "x"); got != tc.want+"x"+reset {
			t.Errorf("%+v: %q", tc.t, got)
		}
	}
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no terminal here to check NO_COLOR with")
	}
	defer tty.Close()
	t.Setenv("NO_COLOR", "1")
	if c, _ := newCIRun(ciOptions{}, "", tty, tty); c.colour {
		t.Error("colour on a terminal with NO_COLOR=1")
	}
}

// TestEmptyShard: a shard with no file says so and exits 0.
func TestEmptyShard(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, n := range []string{"a", "b", "c", "d"} {
		files = append(files, write(t, dir, n+".yaml", good))
	}
	code, stdout, stderr := invoke(t, append([]string{"--out", dir, "--shard", "5/10"}, files...)...)
	if code != ExitOK || stdout != "--shard 5/10: no file falls to this shard; nothing to run\n" {
		t.Errorf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	code, stdout, _ = invoke(t, append([]string{"--out", dir, "--shard", "2/3"}, files...)...)
	if code != ExitOK || !strings.Contains(stdout, "b.yaml") || !strings.HasSuffix(stdout, "1 file, 1 derivative: 1 ok\n") {
		t.Errorf("shard 2/3: exit %d\n%s", code, stdout)
	}
}

// TestIndexCommand: runner index rebuilds a folder's README.md from the
// reports in it, byte for byte the index a run writes (here: after the
// reports of two shards are merged into one folder).
func TestIndexCommand(t *testing.T) {
	dir := t.TempDir()
	a, b := write(t, dir, "a.yaml", good), write(t, dir, "b.yaml", good)
	all, merged := filepath.Join(dir, "all"), filepath.Join(dir, "merged")
	if code, _, stderr := invoke(t, "--out", all, a, b); code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, k := range []string{"1/2", "2/2"} {
		if code, _, stderr := invoke(t, "--out", merged, "--shard", k, a, b); code != ExitOK {
			t.Fatalf("shard %s: exit %d\n%s", k, code, stderr)
		}
	}
	if err := os.Remove(filepath.Join(merged, reports.IndexFile)); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := invoke(t, "index", merged); code != ExitOK || stdout != filepath.Join(merged, reports.IndexFile)+"\n" {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	want, _ := os.ReadFile(filepath.Join(all, reports.IndexFile))
	got, _ := os.ReadFile(filepath.Join(merged, reports.IndexFile))
	if len(want) == 0 || !bytes.Equal(got, want) || !strings.Contains(string(got), "[b](b.md)") {
		t.Errorf("index after merging:\n%s\nwant\n%s", got, want)
	}
	if code, _, _ := invoke(t, "index"); code != ExitInvalid {
		t.Errorf("index without a folder: exit %d", code)
	}
}
