package mem

import (
	"syscall"
	"unsafe"
)

const hugePage = 2 << 20

// advise marks the whole 2 MiB pages inside b for transparent huge pages.
// An error (a kernel without them) is ignored: the pages stay small.
func advise(b []float64) {
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start := (p + hugePage - 1) &^ (hugePage - 1)
	end := (p + uintptr(len(b))*8) &^ (hugePage - 1)
	if end > start {
		syscall.Syscall(syscall.SYS_MADVISE, start, end-start, 14) // MADV_HUGEPAGE
	}
}
