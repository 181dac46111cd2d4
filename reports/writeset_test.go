package reports

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func tempsIn(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if TempPattern.MatchString(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestWriteSetUnit: the files of a set are put in place together: when one
// cannot be written, or proceed says no, none is, the old ones stay, and no
// temporary is left.
func TestWriteSetUnit(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.md"), []byte("old a"), 0o644)
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("old csv"), 0o644)
	files := []File{{Name: "a.md", Data: []byte("new a")}, {Name: "a.csv", Data: []byte("new csv")}}
	if err := WriteSet(dir, files, func() bool { return false }); err == nil {
		t.Errorf("proceed false: no error")
	}
	saved := writeAll
	writeAll = func(f *os.File, data []byte) (int, error) {
		if string(data) == "new csv" {
			return 3, errors.New("disk full")
		}
		return f.Write(data)
	}
	err := WriteSet(dir, files, func() bool { return true })
	writeAll = saved
	if err == nil {
		t.Errorf("a failed write: no error")
	}
	for name, want := range map[string]string{"a.md": "old a", "a.csv": "old csv"} {
		if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != want {
			t.Errorf("%s is %q, want %q", name, b, want)
		}
	}
	if tmp := tempsIn(t, dir); len(tmp) > 0 {
		t.Errorf("temporaries left: %v", tmp)
	}
	if err := WriteSet(dir, files, func() bool { return true }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.csv")); string(b) != "new csv" {
		t.Errorf("a.csv is %q", b)
	}
}

// TestRemoveTemporaries: an interrupt while a set is written removes its
// temporaries (every file is written, but none renamed) and refuses new
// ones.
func TestRemoveTemporaries(t *testing.T) {
	dir := t.TempDir()
	files := []File{{Name: "a.md", Data: []byte("a")}, {Name: "a.csv", Data: []byte("b")}}
	var during []string
	err := WriteSet(dir, files, func() bool {
		during = tempsIn(t, dir)
		RemoveTemporaries() // as the SIGINT handler does
		return true
	})
	defer func() { tempsMu.Lock(); closed = false; tempsMu.Unlock() }()
	if len(during) != 2 {
		t.Errorf("temporaries while writing: %v", during)
	}
	if tmp := tempsIn(t, dir); len(tmp) > 0 {
		t.Errorf("temporaries left: %v", tmp)
	}
	if err == nil {
		t.Errorf("no error after the interrupt")
	}
	if err := WriteSet(dir, files, func() bool { return true }); err == nil {
		t.Errorf("a write after the interrupt was accepted")
	}
	if _, err := os.Stat(filepath.Join(dir, "a.md")); err == nil {
		t.Errorf("a.md was written")
	}
}
