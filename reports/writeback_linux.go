package reports

import (
	"os"
	"syscall"
)

// startWriteback starts writing n bytes of f from off to disk without
// waiting (sync_file_range with SYNC_FILE_RANGE_WRITE). It is only a hint:
// an error changes nothing, as the sync at the end makes the file durable.
func startWriteback(f *os.File, off, n int64) {
	const syncFileRangeWrite = 2
	syscall.Syscall6(syscall.SYS_SYNC_FILE_RANGE, f.Fd(), uintptr(off), uintptr(n), syncFileRangeWrite, 0, 0)
}
