package mem

import (
	"testing"
	"unsafe"
)

// TestFloats: arrays small and large come back zeroed, of the length asked
// for, and writable end to end (the huge-page advice must not cut them).
func TestFloats(t *testing.T) {
	for _, n := range []int{0, 1, HugeMin/8 - 1, HugeMin / 8, 3*HugeMin/8 + 5} {
		b := Floats(n)
		if len(b) != n {
			t.Fatalf("Floats(%d) has length %d", n, len(b))
		}
		for i := range b {
			if b[i] != 0 {
				t.Fatalf("Floats(%d)[%d] = %v", n, i, b[i])
			}
			b[i] = float64(i)
		}
		for i := range b {
			if b[i] != float64(i) {
				t.Fatalf("Floats(%d)[%d] reads back %v", n, i, b[i])
			}
		}
	}
	for _, n := range []int{0, 10, HugeMin - 1, HugeMin, 3*HugeMin + 5} {
		b := Bytes(n)
		if len(b) != 0 || cap(b) != n {
			t.Fatalf("Bytes(%d) has length %d, capacity %d", n, len(b), cap(b))
		}
		b = b[:n]
		for i := range b {
			if b[i] != 0 {
				t.Fatalf("Bytes(%d)[%d] = %v", n, i, b[i])
			}
			b[i] = byte(i)
		}
		if n >= HugeMin && align(unsafe.Pointer(unsafe.SliceData(b))) != 0 {
			t.Errorf("Bytes(%d) does not start on a 2 MiB boundary", n)
		}
	}
	if f := Floats(HugeMin); align(unsafe.Pointer(unsafe.SliceData(f))) != 0 {
		t.Errorf("Floats(%d) does not start on a 2 MiB boundary", HugeMin)
	}
	type pair struct {
		s string
		x float64
	}
	for _, n := range []int{0, 3, HugeMin/24 + 7} {
		p := Make[pair](n)
		if len(p) != n {
			t.Fatalf("Make(%d) has length %d", n, len(p))
		}
		for i := range p {
			if p[i] != (pair{}) {
				t.Fatalf("Make(%d)[%d] = %v", n, i, p[i])
			}
			p[i] = pair{"x", float64(i)}
		}
	}
	if r, c := Dense(3, 4).Dims(); r != 3 || c != 4 {
		t.Errorf("Dense(3, 4) is %d×%d", r, c)
	}
}

func BenchmarkTouch(b *testing.B) {
	b.SetBytes(64 << 20)
	for i := 0; i < b.N; i++ {
		a := Floats(8 << 20)
		for j := range a {
			a[j] = 1
		}
	}
}
