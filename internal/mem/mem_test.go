package mem

import "testing"

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
