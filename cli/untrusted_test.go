//go:build unix

package cli

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// secret is planted in the environment and in a file outside the root; no
// probe may make it appear on stdout or stderr.
const secret = "SECRET-7f3a9c-DO-NOT-PRINT"

// untrustedTree makes base/outside/ (secrets, out of reach) and
// base/repo/ (a git work tree, the root) with repo/experiments/good.yaml.
func untrustedTree(t *testing.T) (base, repo, exps string) {
	t.Helper()
	base = t.TempDir()
	os.MkdirAll(filepath.Join(base, "outside", "dir"), 0o755)
	write(t, base, "outside/secret.csv", "1,2\n"+secret+",3\n")
	write(t, base, "outside/dir/secret.csv", secret+"\n")
	write(t, base, "outside/secret.yaml", secret+": x\n")
	write(t, base, "outside/report.md", "# "+secret+"\n")
	repo = filepath.Join(base, "repo")
	exps = filepath.Join(repo, "experiments")
	os.MkdirAll(filepath.Join(repo, ".git"), 0o755)
	os.MkdirAll(exps, 0o755)
	write(t, exps, "good.yaml", good)
	write(t, repo, "inside.txt", secret+": 1\n")
	t.Setenv("RUNNER_TEST_SECRET", secret)
	return base, repo, exps
}

// snapshot records every entry below dir, except below skip: a symlink's
// target, a regular file's hash, anything else its type; nothing is opened
// but regular files.
func snapshot(t *testing.T, dir, skip string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if p == skip {
			return filepath.SkipDir
		}
		st, err := os.Lstat(p)
		if err != nil {
			return nil
		}
		switch {
		case st.Mode()&os.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			out[p] = "link " + target
		case st.Mode().IsRegular():
			b, _ := os.ReadFile(p)
			out[p] = fmt.Sprintf("file %x", sha256.Sum256(b))
		default:
			out[p] = st.Mode().Type().String()
		}
		return nil
	})
	return out
}

// assertUntouched: nothing below base but the output folder changed.
func assertUntouched(t *testing.T, name string, before, after map[string]string) {
	t.Helper()
	for p, v := range after {
		if before[p] != v {
			t.Errorf("%s: %s changed: %q → %q", name, p, before[p], v)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			t.Errorf("%s: %s was removed", name, p)
		}
	}
}

func assertNoSecret(t *testing.T, name, stdout, stderr string) {
	t.Helper()
	if strings.Contains(stdout+stderr, secret) || strings.Contains(stdout+stderr, "SECRET") {
		t.Errorf("%s: the secret was printed:\nstdout: %s\nstderr: %s", name, stdout, stderr)
	}
}

// npyHeaderClaim is a .npy file whose version-2 header claims n bytes.
func npyHeaderClaim(n uint32) string {
	b := append([]byte("\x93NUMPY\x02\x00"), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[8:], n)
	return string(b)
}

func vars22() string {
	var vs, at []string
	for i := 0; i < 22; i++ {
		vs = append(vs, "x"+strconv.Itoa(i))
		at = append(at, "x"+strconv.Itoa(i)+": [1, 2]")
	}
	return "functions:\n  - name: f\n    expr: " + strings.Join(vs, "+") + "\n    order: 2\n    at: {" + strings.Join(at, ", ") + "}\n"
}

// sumOf is an experiment file of L = sum(X), X the matrix form given.
func sumOf(form string) string {
	return "matrices:\n  X: {" + form + "}\ngradients:\n  - {name: L, expr: sum(X)}\n"
}

// where names a file in the tree untrustedTree makes.
type where func(base, repo string) string

func outsideFile(name string) where {
	return func(base, repo string) string { return filepath.Join(base, "outside", name) }
}

func repoFile(name string) where {
	return func(base, repo string) string { return filepath.Join(repo, name) }
}

func abs(path string) where { return func(string, string) string { return path } }

// link is a probe's setup: a symlink called name in the experiments folder
// that points at target.
func link(target where, name string) func(t *testing.T, base, repo, exps string) {
	return func(t *testing.T, base, repo, exps string) {
		if err := os.Symlink(target(base, repo), filepath.Join(exps, name)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestUntrustedCatalogue runs the probes of issue 16 one at a time, each as
// x.yaml beside a good file in a git work tree, with a secret in the
// environment and in files outside the tree. Each probe asks for its exit
// status, an error at file:line:col (col: where marker starts on that line
// of the source the error names) that says what msg says, no secret on
// stdout or stderr, nothing changed outside the reports folder, and the
// good file's report written.
func TestUntrustedCatalogue(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, base, repo, exps string) // symlinks, FIFOs, data files
		src   string
		args  []string // extra flags
		code  int
		file  string // the file the error names, relative to exps; "" x.yaml
		line  int    // 0: the file only
		mark  string // "": any column
		msg   string
	}{
		{name: "csv absolute /proc/self/environ", src: sumOf("csv: /proc/self/environ"),
			code: 2, line: 2, mark: "/proc", msg: "/proc/self/environ is an absolute path"},
		{name: "csv /dev/zero", src: sumOf("csv: /dev/zero"),
			code: 2, line: 2, mark: "/dev", msg: "/dev/zero is an absolute path"},
		{name: "csv climbs out", src: sumOf("csv: ../../outside/secret.csv"),
			code: 2, line: 2, mark: "../", msg: "../../outside/secret.csv climbs out of the root"},
		{name: "csv climbs out and back", src: sumOf("csv: ../../repo/../outside/secret.csv"),
			code: 2, line: 2, mark: "../", msg: "climbs out of the root"},
		{name: "csv climbs out to nothing", src: sumOf("csv: ../../outside/none.csv"),
			code: 2, line: 2, mark: "../", msg: "climbs out of the root"},
		{name: "csv symlink out", setup: link(outsideFile("secret.csv"), "link.csv"), src: sumOf("csv: link.csv"),
			code: 2, line: 2, mark: "link", msg: "link.csv leads out of the root"},
		{name: "csv symlinked folder out", setup: link(outsideFile("dir"), "data"), src: sumOf("csv: data/secret.csv"),
			code: 2, line: 2, mark: "data", msg: "data/secret.csv leads out of the root"},
		{name: "csv symlinked folder out, missing file", setup: link(outsideFile("dir"), "data"), src: sumOf("csv: data/none.csv"),
			code: 2, line: 2, mark: "data", msg: "data/none.csv leads out of the root"},
		{name: "csv symlink to /proc/self/environ", setup: link(abs("/proc/self/environ"), "env.csv"), src: sumOf("csv: env.csv"),
			code: 2, line: 2, mark: "env", msg: "env.csv leads out of the root"},
		{name: "csv symlink to /dev/zero", setup: link(abs("/dev/zero"), "zero.csv"), src: sumOf("csv: zero.csv"),
			code: 2, line: 2, mark: "zero", msg: "zero.csv leads out of the root"},
		{name: "csv is a FIFO", setup: func(t *testing.T, base, repo, exps string) {
			if err := syscall.Mkfifo(filepath.Join(exps, "fifo.csv"), 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}, src: sumOf("csv: fifo.csv"),
			code: 2, line: 2, mark: "fifo", msg: "cannot read fifo.csv: is a named pipe (FIFO), not a regular file"},
		{name: "csv inside the root is never quoted", setup: func(t *testing.T, base, repo, exps string) {
			write(t, exps, "m.csv", "1,2\n"+secret+",3\n")
		}, src: sumOf("csv: m.csv"),
			code: 2, file: "m.csv", line: 2, mark: secret, msg: "row 2, column 1: expected a finite number"},
		{name: "csv field too long", setup: func(t *testing.T, base, repo, exps string) {
			write(t, exps, "m.csv", "1,"+strings.Repeat("9", 300)+"\n")
		}, src: sumOf("csv: m.csv"),
			code: 2, file: "m.csv", line: 1, mark: "999", msg: "row 1, column 2: a field of more than 256 characters"},
		{name: "csv longer than its byte cap", setup: func(t *testing.T, base, repo, exps string) {
			write(t, exps, "m.csv", strings.Repeat("\n", 300)+"1\n")
		}, src: sumOf("csv: m.csv"), args: []string{"--max-elements", "4"},
			code: 2, line: 2, mark: "m.csv", msg: "m.csv is more than 256 bytes, too large for the limit of 4 elements"},
		{name: "npy symlink out", setup: link(outsideFile("secret.csv"), "m.npy"), src: sumOf("npy: m.npy"),
			code: 2, line: 2, mark: "m.npy", msg: "m.npy leads out of the root"},
		{name: "npy header of 4 GB", setup: func(t *testing.T, base, repo, exps string) {
			write(t, exps, "m.npy", npyHeaderClaim(0xffffffff))
		}, src: sumOf("npy: m.npy"),
			code: 2, line: 2, mark: "m.npy", msg: "m.npy is not a valid .npy file: its header claims 4294967295 bytes"},
		{name: "npy not npy, content not quoted", setup: func(t *testing.T, base, repo, exps string) {
			write(t, exps, "m.npy", secret+strings.Repeat("\n", 20))
		}, src: sumOf("npy: m.npy"),
			code: 2, line: 2, mark: "m.npy", msg: "m.npy is not a valid .npy file"},
		{name: "npy header without its newline", setup: func(t *testing.T, base, repo, exps string) {
			h := "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }"
			write(t, exps, "m.npy", "\x93NUMPY\x01\x00"+string([]byte{byte(len(h)), 0})+h+"\x00\x00\x00\x00\x00\x00\xf0\x3f")
		}, src: sumOf("npy: m.npy"),
			code: 2, line: 2, mark: "m.npy", msg: "its header is not the dictionary"},
		{name: "npy dtype not quoted", setup: func(t *testing.T, base, repo, exps string) {
			h := "{'descr': '" + secret + "', 'fortran_order': False, 'shape': (1,), }\n"
			write(t, exps, "m.npy", "\x93NUMPY\x01\x00"+string([]byte{byte(len(h)), 0})+h+"\x00\x00\x00\x00\x00\x00\xf0\x3f")
		}, src: sumOf("npy: m.npy"),
			code: 2, line: 2, mark: "m.npy", msg: "a dtype that is not a plain float64 or float32"},
		{name: "experiment symlink out", setup: link(outsideFile("secret.yaml"), "x.yaml"), code: 2, msg: "is a symlink that leads out of the root"},
		{name: "experiment symlink to /dev/zero", setup: link(abs("/dev/zero"), "x.yaml"), code: 2, msg: "is a symlink that leads out of the root"},
		{name: "experiment symlink inside: nothing quoted", setup: link(repoFile("inside.txt"), "x.yaml"), code: 2, line: 1, msg: `unknown key "…" in the experiment file`},
		{name: "experiment is a FIFO", setup: func(t *testing.T, base, repo, exps string) {
			if err := syscall.Mkfifo(filepath.Join(exps, "x.yaml"), 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}, code: 2, msg: "cannot read: is a named pipe (FIFO), not a regular file"},
		{name: "experiment token excerpt", src: "title: t\nfunctions:\n  - {name: f, expr: x, at: " + strings.Repeat("abc-", 30) + "}\n",
			code: 2, line: 3, mark: "abc-", msg: `found "abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-…"`},
		// budgets
		{name: "a million-term sum", src: "functions:\n  - name: f\n    expr: " + strings.TrimSuffix(strings.Repeat("x+", 1_000_000), "+") + "\n    at: 1\n",
			code: 2, line: 3, msg: "the expression has 1999999 numbers, names and operators, more than the limit of 10000"},
		{name: "study of 1200 decades", src: "functions:\n  - {name: f, expr: x, at: 1, study: {at: 1, from: 1e300, to: 1e-300}}\n",
			code: 2, line: 2, mark: "{at: 1, from", msg: "study: 1201 steps is more than the limit of 200"},
		{name: "order 2 on 22 variables", src: vars22(),
			code: 2, line: 5, mark: "{", msg: "4194304 points × 22 variables = 92274688 derivative values at least, more than the limit of 10000000"},
		{name: "4096² products", src: "matrices:\n  X: {zeros: [4096, 4096]}\n  W: {zeros: [4096, 4096]}\ngradients:\n  - name: L\n    expr: sum(X@W@X@W@X@W)\n",
			code: 2, line: 6, mark: "sum", msg: "gradient L: an estimated 2.75e+12 floating-point operations"},
		{name: "cost lowered by flag", src: "functions:\n  - {name: f, expr: sin(x)*sin(x), at: {x: {from: 0, to: 1, count: 100}}}\n", args: []string{"--max-cost", "1000"},
			code: 2, line: 2, mark: "{x:", msg: "an estimated 4e+03 floating-point operations (100 derivative values × 5 nodes × 8 evaluations), more than the limit of 1e+03"},
		// strict YAML
		{name: "duplicate key", src: "functions:\n  - {name: f, expr: x, at: 1}\nfunctions:\n  - {name: g, expr: x, at: 1}\n",
			code: 2, line: 3, mark: "functions", msg: `the key "functions" is given twice (first at line 1)`},
		{name: "duplicate expr", src: "functions:\n  - name: f\n    expr: x\n    expr: x^2\n    at: 1\n",
			code: 2, line: 4, mark: "expr", msg: `the key "expr" is given twice (first at line 3)`},
		{name: "second document", src: "functions:\n  - {name: f, expr: x, at: 1}\n---\nfunctions: []\n",
			code: 2, line: 4, mark: "functions", msg: "a second YAML document"},
		{name: "binary tag", src: "title: !!binary aGk=\nfunctions:\n  - {name: f, expr: x, at: 1}\n",
			code: 2, line: 1, mark: "!!binary", msg: `the tag "!!binary" is not allowed`},
		{name: "local tag", src: "functions:\n  - {name: f, expr: !expr x, at: 1}\n",
			code: 2, line: 2, mark: "!expr", msg: `the tag "!expr" is not allowed`},
		{name: "YAML 1.1 octal", src: "functions:\n  - {name: f, expr: x, at: 017}\n",
			code: 2, line: 2, mark: "017", msg: `"017": a leading 0 or 0b is YAML 1.1's octal or binary`},
	} {
		t.Run(c.name, func(t *testing.T) {
			base, repo, exps := untrustedTree(t)
			if c.setup != nil {
				c.setup(t, base, repo, exps)
			}
			bad := filepath.Join(exps, "x.yaml")
			if c.src != "" {
				write(t, exps, "x.yaml", c.src)
			}
			reportsDir := filepath.Join(exps, "reports")
			before := snapshot(t, base, reportsDir)
			args := append(append([]string{}, c.args...), filepath.Join(exps, "good.yaml"), bad)
			code, stdout, stderr := invoke(t, args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\n%s", code, c.code, stderr)
			}
			assertNoSecret(t, c.name, stdout, stderr)
			assertUntouched(t, c.name, before, snapshot(t, base, reportsDir))
			if _, err := os.Stat(filepath.Join(reportsDir, "good.md")); err != nil {
				t.Errorf("the good file's report is missing\n%s", stderr)
			}
			if _, err := os.Stat(filepath.Join(reportsDir, "x.md")); err == nil {
				t.Errorf("the bad file got a report")
			}
			file, src := bad, c.src
			if c.file != "" {
				file = filepath.Join(exps, c.file)
				b, _ := os.ReadFile(file)
				src = string(b)
			}
			want := file + ":"
			if c.line > 0 {
				want += strconv.Itoa(c.line) + ":"
				if c.mark != "" {
					want += strconv.Itoa(strings.Index(strings.Split(src, "\n")[c.line-1], c.mark)+1) + ":"
				}
			}
			first := strings.SplitN(stderr, "\n", 2)[0]
			if !strings.HasPrefix(first, want) || !strings.Contains(first, c.msg) {
				t.Errorf("got\n  %s\nwant %s … %s", first, want, c.msg)
			}
			if len(first) > 600 {
				t.Errorf("the message is %d bytes long", len(first))
			}
		})
	}
}
