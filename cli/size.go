package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync"

	"github.com/runner-dev/runner/reports"
)

// guard applies the size limits to the report files of one experiment
// (reports.Guard): a warning on stderr for each file past
// reports.WarnBytes, and a file past reports.MaxBytes fails unless
// --allow-large, so that the experiment's reports are not written (exit 2).
func (r *run) guard(dir string, files []reports.File, stderr io.Writer) []reports.File {
	var mu sync.Mutex // WriteSet writes files at once
	allow := r.ci != nil && r.ci.allowLarge
	return reports.Guard(files, allow, func(name string, size int64) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(stderr, "%s: %s\n", filepath.Join(dir, name), reports.WarningText(name, size))
	})
}

// tooLarge says whether err is a report file past the size limit.
func tooLarge(err error) bool {
	var tl *reports.TooLargeError
	return errors.As(err, &tl)
}
