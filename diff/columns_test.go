package diff

import (
	"math"
	"runtime"
	"testing"

	specload "github.com/runner-dev/runner/spec/load"
)

// TestChainColumnsMemory: a chain of 2¹⁸ points is held as columns (three
// float64 a point, 32 bytes), so computing it allocates under 40 bytes a
// point, where a Point each took about 300; and its points read back the
// same as a chain held point by point.
func TestChainColumnsMemory(t *testing.T) {
	const n = 1 << 18
	e, err := specload.Parse("c.yaml", []byte("chains:\n  - {name: c, of: [leaky_relu, square, sigmoid], at: {x: {from: -3, to: 3, count: 262144}}}\n"), specload.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f := RunChain(e.Chains[0])
	runtime.ReadMemStats(&after)
	if f.Points != nil || f.Len() != n {
		t.Fatalf("a chain of %d points: Points held %v, Len %d", n, f.Points != nil, f.Len())
	}
	if per := float64(after.TotalAlloc-before.TotalAlloc) / n; per > 40 {
		t.Errorf("computing the chain allocated %.0f bytes a point, want under 40", per)
	}
	old := ColumnsMinPoints
	ColumnsMinPoints = math.MaxInt
	held := RunChain(e.Chains[0])
	ColumnsMinPoints = old
	for _, k := range []int{0, 1, n / 2, n - 1} {
		a, b := f.Point(k), held.Point(k)
		if a.At[0] != b.At[0] || math.Float64bits(a.Value) != math.Float64bits(b.Value) || !same(a.Partials[0], b.Partials[0]) {
			t.Errorf("point %d: columns %+v, held %+v", k, a, b)
		}
		la, lb := f.LinksAt(k), held.LinksAt(k)
		for i := range lb {
			if la[i] != lb[i] {
				t.Errorf("point %d link %d: walked again %+v, held %+v", k, i, la[i], lb[i])
			}
		}
	}
}
