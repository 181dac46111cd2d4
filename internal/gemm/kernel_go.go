package gemm

import "math"

// kernelGo is the portable 4×4 micro-kernel: each of the 16 elements is a
// chain of math.FMA in ascending k, from zero or from c when load is true.
func kernelGo(kb int, a, b, c []float64, ldc int, load bool) {
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 float64
	r0, r1, r2, r3 := c[0:4:4], c[ldc:ldc+4:ldc+4], c[2*ldc:2*ldc+4:2*ldc+4], c[3*ldc:3*ldc+4:3*ldc+4]
	if load {
		c00, c01, c02, c03 = r0[0], r0[1], r0[2], r0[3]
		c10, c11, c12, c13 = r1[0], r1[1], r1[2], r1[3]
		c20, c21, c22, c23 = r2[0], r2[1], r2[2], r2[3]
		c30, c31, c32, c33 = r3[0], r3[1], r3[2], r3[3]
	}
	a, b = a[:4*kb], b[:4*kb]
	for p := 0; p < kb; p++ {
		ap, bp := a[4*p:4*p+4:4*p+4], b[4*p:4*p+4:4*p+4]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		x := ap[0]
		c00, c01, c02, c03 = math.FMA(x, b0, c00), math.FMA(x, b1, c01), math.FMA(x, b2, c02), math.FMA(x, b3, c03)
		x = ap[1]
		c10, c11, c12, c13 = math.FMA(x, b0, c10), math.FMA(x, b1, c11), math.FMA(x, b2, c12), math.FMA(x, b3, c13)
		x = ap[2]
		c20, c21, c22, c23 = math.FMA(x, b0, c20), math.FMA(x, b1, c21), math.FMA(x, b2, c22), math.FMA(x, b3, c23)
		x = ap[3]
		c30, c31, c32, c33 = math.FMA(x, b0, c30), math.FMA(x, b1, c31), math.FMA(x, b2, c32), math.FMA(x, b3, c33)
	}
	r0[0], r0[1], r0[2], r0[3] = c00, c01, c02, c03
	r1[0], r1[1], r1[2], r1[3] = c10, c11, c12, c13
	r2[0], r2[1], r2[2], r2[3] = c20, c21, c22, c23
	r3[0], r3[1], r3[2], r3[3] = c30, c31, c32, c33
}
