package gemm

import "golang.org/x/sys/cpu"

//go:generate python3 gen_kernels.py

// archKernels are the assembly kernels the processor and the operating
// system support, fastest first.
func archKernels() []*kernel {
	var ks []*kernel
	if cpu.X86.HasAVX512F {
		ks = append(ks, avx512)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, avx2)
	}
	return ks
}

var (
	avx512 = &kernel{name: "avx512", about: "amd64 assembly, 12×16", mr: 12, nr: 16, mc: 120, kc: 256, nc: 2048, fn: kernelAVX512}
	avx2   = &kernel{name: "avx2", about: "amd64 assembly, 6×8", mr: 6, nr: 8, mc: 120, kc: 256, nc: 2048, fn: kernelAVX2}
)

// kernel6x8 is the 6×8 AVX2/FMA micro-kernel: the tile at c (row stride ldc)
// becomes a·b over kb steps, each element one VFMADD231PD chain in ascending
// k, starting from the tile's values when load is true, else from zero.
//
//go:noescape
func kernel6x8(kb int, a, b, c *float64, ldc int, load bool)

// kernel12x16 is kernel6x8's AVX-512 counterpart, a 12×16 tile.
//
//go:noescape
func kernel12x16(kb int, a, b, c *float64, ldc int, load bool)

func kernelAVX2(kb int, a, b, c []float64, ldc int, load bool) {
	_, _, _ = a[6*kb-1], b[8*kb-1], c[5*ldc+7] // bounds, checked once
	kernel6x8(kb, &a[0], &b[0], &c[0], ldc, load)
}

func kernelAVX512(kb int, a, b, c []float64, ldc int, load bool) {
	_, _, _ = a[12*kb-1], b[16*kb-1], c[11*ldc+15]
	kernel12x16(kb, &a[0], &b[0], &c[0], ldc, load)
}
