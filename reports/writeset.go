package reports

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
)

// Temporaries are the runner's own temporary files, named
// ".NAME.tmp-DIGITS" beside the report NAME they will become. The live
// ones are remembered so that an interrupted run can remove them
// (RemoveTemporaries); stale ones, left by a run that was killed, match
// TempPattern and are removed at the start of the next (RemoveStale).
var (
	tempsMu sync.Mutex
	temps   = map[string]bool{}
	closed  bool
)

// TempPattern matches the base name of a temporary file of the runner's.
var TempPattern = regexp.MustCompile(`^\..+\.tmp-[0-9]+$`)

func register(name string) error {
	tempsMu.Lock()
	defer tempsMu.Unlock()
	if closed {
		return errors.New("the run was interrupted")
	}
	temps[name] = true
	return nil
}

func unregister(name string) {
	tempsMu.Lock()
	delete(temps, name)
	tempsMu.Unlock()
}

// RemoveTemporaries removes every temporary file the runner has open and
// refuses new ones: called when the run is interrupted (SIGINT, SIGTERM).
func RemoveTemporaries() {
	tempsMu.Lock()
	defer tempsMu.Unlock()
	closed = true
	for name := range temps {
		os.Remove(name)
		delete(temps, name)
	}
}

// RemoveStale removes the runner's stale temporaries (TempPattern) from
// dir: regular files only, never following a symlink. It returns the
// names removed.
func RemoveStale(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !TempPattern.MatchString(e.Name()) || !e.Type().IsRegular() {
			continue
		}
		if os.Remove(filepath.Join(dir, e.Name())) == nil {
			out = append(out, e.Name())
		}
	}
	return out
}

// WriteSet writes files into dir as a unit: every file goes to its own
// temporary first (all at once, so that one file's wait for the disk
// overlaps the formatting of the next); only when all are written, and
// proceed still says yes, are they renamed into place, so that a failure, a
// full disk or a timeout leaves the earlier reports as they were. Renaming
// replaces a symlink at a report's name rather than writing through it.
// The error lists each file that could not be written.
func WriteSet(dir string, files []File, proceed func() bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmps := make([]string, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tmps[i], errs[i] = writeTemp(filepath.Join(dir, f.Name), f)
		}()
	}
	wg.Wait()
	var bad []error
	for i, err := range errs {
		if err != nil {
			bad = append(bad, fmt.Errorf("%s: %w", filepath.Join(dir, files[i].Name), err))
		}
	}
	if len(bad) == 0 && !proceed() {
		bad = append(bad, errors.New("stopped before the reports were put in place"))
	}
	if len(bad) > 0 {
		for _, t := range tmps {
			if t != "" {
				os.Remove(t)
				unregister(t)
			}
		}
		return errors.Join(bad...)
	}
	for i, t := range tmps {
		if err := os.Rename(t, filepath.Join(dir, files[i].Name)); err != nil {
			bad = append(bad, err)
			os.Remove(t)
		}
		unregister(t)
	}
	return errors.Join(bad...)
}

// writeTemp writes f, synced, to a new temporary beside path and returns
// its name.
func writeTemp(path string, f File) (name string, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	if err := register(tmp.Name()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			unregister(tmp.Name())
		}
	}()
	if f.write == nil {
		_, err = writeAll(tmp, f.Data)
	} else {
		bw := bufio.NewWriterSize(&seam{f: tmp}, 256<<10)
		if _, err = f.WriteTo(bw); err == nil {
			err = bw.Flush()
		}
	}
	if err != nil {
		return "", err
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return "", err
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	return tmp.Name(), nil
}
