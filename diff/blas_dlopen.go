//go:build (linux || darwin) && !android

package diff

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/ebitengine/purego"
)

// loadOpenBLAS opens the library at path and finds cblas_dgemm, and runs
// OpenBLAS single-threaded: mulOpenBLAS splits a product among goroutines
// itself, because OpenBLAS's idle worker threads spin (sched_yield) after
// every product, taking the processors the rest of the run needs.
func loadOpenBLAS(path string) (b *openBLAS, err error) {
	// dlerror's message is per thread: open and read it on one
	runtime.LockOSThread()
	lib, err := purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_LOCAL)
	runtime.UnlockOSThread()
	if err != nil {
		msg := err.Error()
		if msg == "" {
			msg = "cannot be opened"
		}
		if !strings.Contains(msg, path) {
			msg = path + ": " + msg
		}
		return nil, errors.New(msg)
	}
	for _, sym := range []string{"cblas_dgemm", "openblas_set_num_threads"} {
		if _, err := purego.Dlsym(lib, sym); err != nil {
			_ = purego.Dlclose(lib)
			return nil, fmt.Errorf("%s: no %s, not an OpenBLAS library", path, sym)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			err = errors.New(fmt.Sprint(r))
		}
	}()
	b = &openBLAS{path: path}
	purego.RegisterLibFunc(&b.dgemm, lib, "cblas_dgemm")
	var setThreads func(int32)
	purego.RegisterLibFunc(&setThreads, lib, "openblas_set_num_threads")
	setThreads(1)
	return b, nil
}
