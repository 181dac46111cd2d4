package gemm

import "golang.org/x/sys/cpu"

// archKernels is the AVX2/FMA kernel when the processor and the operating
// system support it.
func archKernels() []*kernel {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		return []*kernel{avx2}
	}
	return nil
}

var avx2 = &kernel{name: "avx2 (amd64 assembly, 6×8, VFMADD231PD)", mr: 6, nr: 8, mc: 120, kc: 256, nc: 2048, fn: kernelAVX2}

// kernel6x8 is the 6×8 AVX2/FMA micro-kernel: C = a·b over kb steps, each
// element one VFMADD231PD chain in ascending k, starting from c when load is
// true, else from zero.
//
//go:noescape
func kernel6x8(kb int, a, b, c *float64, ldc int, load bool)

func kernelAVX2(kb int, a, b, c []float64, ldc int, load bool) {
	_, _, _ = a[6*kb-1], b[8*kb-1], c[5*ldc+7] // bounds, checked once
	kernel6x8(kb, &a[0], &b[0], &c[0], ldc, load)
}
