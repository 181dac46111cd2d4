//go:build unix

package load

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// confineTree is a git work tree root/repo holding data, a folder sub, a
// symlink in (in.csv → data.csv), symlinks out (out.csv → ../outside/s.csv,
// dir → ../outside), a dangling one, a FIFO; and root/outside beside it.
func confineTree(t testing.TB, base string) (repo string) {
	repo = filepath.Join(base, "repo")
	for _, d := range []string{".git", "sub/deep", "../outside"} {
		os.MkdirAll(filepath.Join(repo, d), 0o755)
	}
	os.WriteFile(filepath.Join(repo, "data.csv"), []byte("1,2\n"), 0o644)
	os.WriteFile(filepath.Join(repo, "sub", "deep", "d.csv"), []byte("1\n"), 0o644)
	os.WriteFile(filepath.Join(base, "outside", "s.csv"), []byte("secret\n"), 0o644)
	os.Symlink("data.csv", filepath.Join(repo, "in.csv"))
	os.Symlink("../outside/s.csv", filepath.Join(repo, "out.csv"))
	os.Symlink("../outside", filepath.Join(repo, "dir"))
	os.Symlink("nowhere", filepath.Join(repo, "dangling.csv"))
	os.Symlink("/", filepath.Join(repo, "sub", "slash"))
	return repo
}

func TestConfine(t *testing.T) {
	base := t.TempDir()
	repo := confineTree(t, base)
	root := DefaultRoot(filepath.Join(repo, "sub", "x.yaml"))
	if len(root) != 1 || filepath.Base(root[0]) != "repo" {
		t.Fatalf("root %v, want the work tree", root)
	}
	if r := DefaultRoot(filepath.Join(base, "outside", "x.yaml")); filepath.Base(r[0]) != "outside" {
		t.Errorf("outside a work tree the root is the file's folder, got %v", r)
	}
	sub := filepath.Join(repo, "sub")
	for _, c := range []struct {
		rel, want string // want: "" ok, else a part of the error
	}{
		{"../data.csv", ""},
		{"deep/d.csv", ""},
		{"../in.csv", ""},
		{"./deep/../../data.csv", ""},
		{"../out.csv", "leads out of"},
		{"../dir/s.csv", "leads out of"},
		{"../dir/none.csv", "leads out of"},
		{"slash/etc/passwd", "leads out of"},
		{"../../outside/s.csv", "climbs out of"},
		{"../../outside/none.csv", "climbs out of"},
		{"/etc/passwd", "is an absolute path"},
		{"none.csv", "no such file"},
		{"../dangling.csv", "no such file"},
		{"", "expected a file path"},
		{"a\x00b", "NUL"},
	} {
		got, err := root.Confine(sub, c.rel)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q: %v", c.rel, err)
		case c.want == "" && !root.Contains(got):
			t.Errorf("%q: %s is outside", c.rel, got)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%q: got %q, %v; want an error with %q", c.rel, got, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: the error quotes a file: %v", c.rel, err)
		}
	}
	// --root widens
	wide := DefaultRoot(filepath.Join(sub, "x.yaml"), filepath.Join(base, "outside"))
	if _, err := wide.Confine(sub, "../out.csv"); err != nil {
		t.Errorf("--root: %v", err)
	}
}

// FuzzConfine: whatever the path, Confine never panics, and what it accepts
// exists and lies inside the root, with no symlink left in it.
func FuzzConfine(f *testing.F) {
	base := f.TempDir()
	repo := confineTree(f, base)
	root := DefaultRoot(filepath.Join(repo, "x.yaml"))
	for _, s := range []string{"data.csv", "in.csv", "out.csv", "dir/s.csv", "../outside/s.csv", "/etc/passwd",
		"sub/deep/../../data.csv", "sub/slash/etc", "./././data.csv", "..", ".", "sub/..", "dangling.csv", "a\x00", "C:\\x", "\\\\srv\\x", "sub//deep///d.csv"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rel string) {
		got, err := root.Confine(repo, rel)
		if err != nil {
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("%q: the error quotes a file: %v", rel, err)
			}
			return
		}
		if filepath.IsAbs(rel) {
			t.Fatalf("%q: an absolute path accepted", rel)
		}
		if !root.Contains(got) {
			t.Fatalf("%q: accepted %s, outside %v", rel, got, root)
		}
		if real, err := filepath.EvalSymlinks(got); err != nil || real != got {
			t.Fatalf("%q: accepted %s, which resolves to %s (%v)", rel, got, real, err)
		}
	})
}

// FuzzReadCSV: no input makes the CSV reader panic, exceed its element or
// byte limits, or quote a field in an error.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{"1,2\n3,4\n", "1,2\n3\n", "\n\n", "x", "1,,2", " 1 , 2 \r\n", "1e400", "nan", strings.Repeat("9", 300), "1,2,3,4,5,6"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		data, rows, cols, err := readCSV(strings.NewReader(src), 64, 4, false)
		if err != nil {
			for _, fld := range strings.FieldsFunc(src, func(r rune) bool { return r == ',' || r == '\n' || r == ' ' }) {
				if len(fld) > 3 && strings.Contains(err.Error(), fld) {
					t.Fatalf("%q: the error quotes %q: %v", src, fld, err)
				}
			}
			return
		}
		if len(data) > 4 || rows*cols != len(data) || len(src) > 64 {
			t.Fatalf("%q: %d values, %d×%d", src, len(data), rows, cols)
		}
	})
}

// TestReadLimited: a file is read up to its limit and no further, whatever
// it is; FIFOs and devices are refused before reading.
func TestReadLimited(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, bytes.Repeat([]byte("a"), 100), 0o644)
	if b, err := ReadLimited(p, 100); err != nil || len(b) != 100 {
		t.Errorf("100 of 100: %d %v", len(b), err)
	}
	var le *LimitError
	if _, err := ReadLimited(p, 99); !errors.As(err, &le) {
		t.Errorf("100 past 99: %v", err)
	}
	if _, err := ReadLimited("/dev/zero", 10); err == nil || !strings.Contains(err.Error(), "a device") {
		t.Errorf("/dev/zero: %v", err)
	}
	if _, err := ReadLimited(dir, 10); err == nil || !strings.Contains(err.Error(), "a directory") {
		t.Errorf("a folder: %v", err)
	}
}
