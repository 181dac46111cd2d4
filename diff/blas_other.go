//go:build !((linux || darwin) && !android)

package diff

import (
	"errors"
	"runtime"
)

// loadOpenBLAS: loading a library at run time (purego) works on Linux and
// macOS only.
func loadOpenBLAS(string) (*openBLAS, error) {
	return nil, errors.New("--blas openblas works on Linux and macOS, not on " + runtime.GOOS)
}
