//go:build !linux

package mem

import "unsafe"

func advise(unsafe.Pointer, uintptr) {}
