package par

import (
	"errors"
	"runtime"
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

// TestOrdered checks that results arrive in order whatever order they are
// produced in, that no more than 2·GOMAXPROCS are held at once, and that a
// consume error stops consuming and is returned.
func TestOrdered(t *testing.T) {
	const n = 500
	var held, most atomic.Int32
	var got []byte
	err := Ordered(n, func(k int, buf []byte) []byte {
		if h := held.Add(1); h > most.Load() {
			most.Store(h)
		}
		for i := 0; i < (n-k)%7*1000; i++ { // uneven work, so calls finish out of order
			_ = i
		}
		return append(buf, byte(k%251))
	}, func(b []byte) error {
		held.Add(-1)
		if len(b) != 1 {
			t.Fatalf("a buffer was not emptied before reuse: %v", b)
		}
		got = append(got, b[0])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k := range n {
		if got[k] != byte(k%251) {
			t.Fatalf("result %d arrived as %d", k, got[k])
		}
	}
	if m := most.Load(); m > int32(2*runtime.GOMAXPROCS(0)) {
		t.Errorf("%d results held at once", m)
	}
	calls := 0
	err = Ordered(n, func(k int, buf []byte) []byte { return buf }, func([]byte) error {
		calls++
		if calls == 3 {
			return errors.New("disk full")
		}
		return nil
	})
	if err == nil || err.Error() != "disk full" || calls != 3 {
		t.Errorf("after an error: err %v, %d calls", err, calls)
	}
}
