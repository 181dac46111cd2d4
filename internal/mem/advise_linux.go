package mem

import (
	"syscall"
	"unsafe"
)

// advise marks the whole 2 MiB pages among the n bytes at p for
// transparent huge pages. An error (a kernel without them) is ignored: the
// pages stay small.
func advise(p unsafe.Pointer, n uintptr) {
	start := (uintptr(p) + hugePage - 1) &^ (hugePage - 1)
	end := (uintptr(p) + n) &^ (hugePage - 1)
	if end > start {
		syscall.Syscall(syscall.SYS_MADVISE, start, end-start, 14) // MADV_HUGEPAGE
	}
}
