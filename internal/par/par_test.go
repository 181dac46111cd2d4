package par

import (
	"sync/atomic"
	"testing"
)

func TestForEachOnce(t *testing.T) {
	seen := make([]int32, 1000)
	var running, most atomic.Int32
	For(len(seen), func(k int) {
		if r := running.Add(1); r > most.Load() {
			most.Store(r)
		}
		atomic.AddInt32(&seen[k], 1)
		running.Add(-1)
	})
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("iteration %d ran %d times", k, n)
		}
	}
	For(0, func(int) { t.Fatal("ran with n = 0") })
}
