package reports

import (
	"fmt"
	"io"
	"strings"
	"sync"
)

// Code hosts warn about files past 50 MB and reject those past 100 MB
// (GitHub). A report file past WarnBytes is written with a warning; one
// past MaxBytes is not written unless the user allows it (--allow-large).
const (
	WarnBytes = 50_000_000
	MaxBytes  = 95_000_000
)

// TooLargeError is a report file past MaxBytes, not written.
type TooLargeError struct {
	Name string
	Size int64 // its size, or the bytes formatted when it passed MaxBytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("over %s, more than a code host accepts: not written (%s; --allow-large writes it anyway)", megabytes(MaxBytes), SizeAdvice(e.Name))
}

// SizeAdvice says how to make the report file name smaller.
func SizeAdvice(name string) string {
	switch {
	case strings.HasSuffix(name, ".npy"):
		return "full_gradients: false on the gradient writes no full gradient"
	case strings.Contains(name, ".grad_") && strings.HasSuffix(name, ".csv"):
		return "full_gradients: npy on the gradient writes it in a third of the bytes, full_gradients: false not at all"
	case strings.HasSuffix(name, ".csv"):
		return "csv: summary on a long function or chain keeps every k-th point and every failing one"
	}
	return "fewer points or smaller matrices make it smaller"
}

func megabytes(n int64) string { return fmt.Sprintf("%d MB", n/1_000_000) }

// Guard returns files that, when written, keep to the size limits: a file
// past MaxBytes fails with a TooLargeError (unless allowLarge) before any
// of its bytes are written when its size is known (held bytes, a .npy),
// else as soon as its formatting passes MaxBytes; a file past WarnBytes
// calls warn once with its name and size when it has been written whole.
func Guard(files []File, allowLarge bool, warn func(name string, size int64)) []File {
	out := make([]File, len(files))
	for i, f := range files {
		known := f.size
		if f.write == nil {
			known = int64(len(f.Data))
		}
		var once sync.Once
		out[i] = File{Name: f.Name, size: f.size, write: func(w io.Writer) error {
			if known > MaxBytes && !allowLarge {
				return &TooLargeError{Name: f.Name, Size: known}
			}
			lw := &limitWriter{w: w, max: MaxBytes, allow: allowLarge}
			if _, err := f.WriteTo(lw); err != nil {
				if lw.over {
					return &TooLargeError{Name: f.Name, Size: lw.n}
				}
				return err
			}
			if lw.n > WarnBytes {
				once.Do(func() { warn(f.Name, lw.n) })
			}
			return nil
		}}
	}
	return out
}

// WarningText is the warning for a report file of size bytes, past
// WarnBytes.
func WarningText(name string, size int64) string {
	return fmt.Sprintf("warning: %s is %s, past the %s at which code hosts warn (%s)", name, megabytes(size), megabytes(WarnBytes), SizeAdvice(name))
}

// limitWriter passes writes to w until more than max bytes are written in
// all, when it fails (unless allow).
type limitWriter struct {
	w     io.Writer
	n     int64
	max   int64
	allow bool
	over  bool
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if !l.allow && l.n+int64(len(p)) > l.max {
		l.over = true
		l.n += int64(len(p))
		return 0, errTooLarge
	}
	n, err := l.w.Write(p)
	l.n += int64(n)
	return n, err
}

var errTooLarge = fmt.Errorf("over %s", megabytes(MaxBytes))
