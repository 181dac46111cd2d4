package load

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// A Root is a folder that the paths in an experiment file may not leave:
// by default the enclosing git work tree of the file, else the file's own
// folder (DefaultRoot); --root adds more. Its paths have no symlinks in
// them (filepath.EvalSymlinks), so that a path is inside the root exactly
// when its resolved form starts with one of them.
type Root []string

// DefaultRoot is the root for an experiment file at path: the nearest
// folder above it (itself included) that holds a .git entry, found without
// running git, else the folder of the file. extra (from --root) widen it.
func DefaultRoot(path string, extra ...string) Root {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		dir = filepath.Dir(path)
	}
	if r, err := filepath.EvalSymlinks(dir); err == nil {
		dir = r
	}
	root := dir
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			root = d
			break
		}
		up := filepath.Dir(d)
		if up == d {
			break
		}
		d = up
	}
	out := Root{root}
	for _, e := range extra {
		if a, err := filepath.Abs(e); err == nil {
			if r, err := filepath.EvalSymlinks(a); err == nil {
				out = append(out, r)
			}
		}
	}
	return out
}

// Contains reports whether the absolute, symlink-free path p lies in r.
func (r Root) Contains(p string) bool {
	for _, d := range r {
		if within(d, p) {
			return true
		}
	}
	return false
}

func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// ErrOutside is the error of a path that leaves the root.
var ErrOutside = errors.New("leaves the root")

// Confine resolves rel, a path written in a file that lives in folder base,
// to an absolute path without symlinks inside root. An absolute rel, a rel
// that climbs out of the root, and one that leads out through a symlink are
// refused with an error that names rel and never anything found there.
// A path that does not exist gives an error wrapping fs.ErrNotExist (only
// once its existing part is known to be inside the root).
func (r Root) Confine(base, rel string) (string, error) {
	if rel == "" {
		return "", errors.New("expected a file path")
	}
	if strings.ContainsRune(rel, 0) {
		return "", fmt.Errorf("%s: a path holds no NUL character", sanitize(rel))
	}
	if filepath.IsAbs(rel) || filepath.VolumeName(rel) != "" || strings.HasPrefix(rel, "/") || strings.HasPrefix(rel, `\`) {
		return "", fmt.Errorf("%s is an absolute path: a data path is relative to the experiment file and stays inside %s: %w", sanitize(rel), r.describe(), ErrOutside)
	}
	absBase, err := filepath.Abs(base)
	if err != nil {
		return "", err
	}
	if b, err := filepath.EvalSymlinks(absBase); err == nil {
		absBase = b
	}
	full := filepath.Join(absBase, rel)
	if !r.Contains(full) {
		return "", fmt.Errorf("%s climbs out of %s: %w", sanitize(rel), r.describe(), ErrOutside)
	}
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		// find the longest part that exists, and check where it leads, so
		// that "no such file" is said only of places inside the root
		for d := filepath.Dir(full); within(absBase, d) || r.Contains(d); d = filepath.Dir(d) {
			if rd, err2 := filepath.EvalSymlinks(d); err2 == nil {
				if !r.Contains(rd) {
					return "", fmt.Errorf("%s leads out of %s through a symlink: %w", sanitize(rel), r.describe(), ErrOutside)
				}
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return "", &fs.PathError{Op: "read", Path: rel, Err: pe.Err}
		}
		return "", err
	}
	if !r.Contains(real) {
		return "", fmt.Errorf("%s leads out of %s through a symlink: %w", sanitize(rel), r.describe(), ErrOutside)
	}
	return real, nil
}

func (r Root) describe() string {
	if len(r) == 0 {
		return "the root"
	}
	return "the root " + r[0] + " (widen it with --root DIR)"
}

// ReadLimited reads the regular file at path, refusing anything else
// (folders, devices, FIFOs, sockets) before it reads a byte, and refusing
// a file of more than limit bytes while reading it: the read stops at
// limit+1 bytes, whatever the file's size claims to be.
func ReadLimited(path string, limit int64) ([]byte, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &LimitError{Limit: limit}
	}
	return b, nil
}

// LimitError is a file longer than the bytes allowed for it.
type LimitError struct{ Limit int64 }

func (e *LimitError) Error() string {
	return fmt.Sprintf("more than the limit of %d bytes", e.Limit)
}

// OpenRegular opens path for reading only when it is a regular file: a
// FIFO, a device, a socket or a folder is refused from its Lstat, before
// it is opened; the open itself does not block (O_NONBLOCK) and what was
// opened is checked again (fstat), so that a file swapped in between is
// refused too.
func OpenRegular(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("is %s, not a regular file", modeName(st.Mode()))
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	st, err = f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = fmt.Errorf("is %s, not a regular file", modeName(st.Mode()))
		}
		return nil, err
	}
	return f, nil
}

func modeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	}
	return "not a regular file"
}
