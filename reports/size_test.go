package reports

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stream is a report file of n bytes, formatted as it is written, in
// lines of 100 bytes.
func stream(name string, n int64) File {
	return File{Name: name, write: func(w io.Writer) error {
		line := []byte(strings.Repeat("x", 99) + "\n")
		for n > 0 {
			k := min(n, int64(len(line)))
			if _, err := w.Write(line[:k]); err != nil {
				return err
			}
			n -= k
		}
		return nil
	}}
}

// TestGuardSizes: a file past WarnBytes is written whole and warned about
// once, with its name, size and a way to make it smaller; one at WarnBytes
// is not; one past MaxBytes fails with a TooLargeError (a stream as soon as
// its formatting passes the limit, a file of known size before any byte is
// written) unless allowLarge.
func TestGuardSizes(t *testing.T) {
	type warning struct {
		name string
		size int64
	}
	var warned []warning
	warn := func(name string, size int64) { warned = append(warned, warning{name, size}) }

	files := Guard([]File{stream("a.csv", WarnBytes), stream("b.csv", WarnBytes+1)}, false, warn)
	for _, f := range files {
		if n, err := f.WriteTo(io.Discard); err != nil || (f.Name == "b.csv" && n != WarnBytes+1) {
			t.Errorf("%s: %d bytes, %v", f.Name, n, err)
		}
	}
	files[1].WriteTo(io.Discard) // written twice (a --check, then the stale line): warned once
	if len(warned) != 1 || warned[0] != (warning{"b.csv", WarnBytes + 1}) {
		t.Errorf("warnings %v, want one for b.csv of %d bytes", warned, WarnBytes+1)
	}
	text := WarningText("big.csv", 61_234_567)
	for _, want := range []string{"big.csv", "61 MB", "50 MB", "csv: summary"} {
		if !strings.Contains(text, want) {
			t.Errorf("the warning %q does not say %q", text, want)
		}
	}
	if s := SizeAdvice("e.L.grad_X.csv"); !strings.Contains(s, "full_gradients: npy") || !strings.Contains(s, "full_gradients: false") {
		t.Errorf("advice for a full-gradient CSV: %q", s)
	}

	var written int64
	counted := &countWriter{n: &written}
	over := Guard([]File{stream("c.csv", MaxBytes+1)}, false, warn)[0]
	_, err := over.WriteTo(counted)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Name != "c.csv" || written > MaxBytes {
		t.Errorf("a stream past MaxBytes: %v, %d bytes passed on", err, written)
	}
	if !strings.Contains(err.Error(), "--allow-large") || !strings.Contains(err.Error(), "95 MB") {
		t.Errorf("the error %q does not say the limit and --allow-large", err)
	}
	known := Guard([]File{{Name: "d.npy", size: MaxBytes + 1, write: func(io.Writer) error {
		t.Error("a file of known size past MaxBytes was formatted")
		return nil
	}}}, false, warn)[0]
	if _, err := known.WriteTo(io.Discard); !errors.As(err, &tl) || tl.Size != MaxBytes+1 {
		t.Errorf("a .npy past MaxBytes: %v", err)
	}

	warned = nil
	allowed := Guard([]File{stream("c.csv", MaxBytes+1)}, true, warn)[0]
	if n, err := allowed.WriteTo(io.Discard); err != nil || n != MaxBytes+1 {
		t.Errorf("allowLarge: %d bytes, %v", n, err)
	}
	if len(warned) != 1 {
		t.Errorf("allowLarge: warnings %v, want one", warned)
	}
}

// TestGuardWriteSet: a set with a file past MaxBytes writes nothing (the
// other files' earlier versions are left) and names the file.
func TestGuardWriteSet(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "e.md")
	os.WriteFile(old, []byte("old\n"), 0o644)
	files := Guard([]File{{Name: "e.md", Data: []byte("new\n")}, {Name: "e.L.grad_X.npy", size: MaxBytes + 8, write: func(io.Writer) error { return nil }}}, false, func(string, int64) {})
	err := WriteSet(dir, files, func() bool { return true })
	var tl *TooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), "e.L.grad_X.npy") {
		t.Fatalf("WriteSet: %v", err)
	}
	if b, _ := os.ReadFile(old); string(b) != "old\n" {
		t.Errorf("e.md is now %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files, want only the old e.md", len(entries))
	}
}

type countWriter struct{ n *int64 }

func (c *countWriter) Write(p []byte) (int, error) { *c.n += int64(len(p)); return len(p), nil }

// TestGuardSame: under --check (Same) a file of known size past MaxBytes
// is the TooLargeError, not a difference, and nothing of it is formatted.
func TestGuardSame(t *testing.T) {
	p := filepath.Join(t.TempDir(), "e.L.grad_X.npy")
	os.WriteFile(p, []byte("old"), 0o644)
	f := Guard([]File{{Name: "e.L.grad_X.npy", size: MaxBytes + 8, write: func(io.Writer) error {
		t.Error("formatted")
		return nil
	}}}, false, func(string, int64) {})[0]
	_, err := Same(p, f)
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		t.Errorf("Same: %v, want a TooLargeError", err)
	}
}
