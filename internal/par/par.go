// Package par runs the iterations of a loop in parallel.
package par

import (
	"runtime"
	"sync"
)

// For calls f(k) for k = 0, 1, …, n−1, at most GOMAXPROCS calls at a time,
// and returns when every call has returned. Each call must write only what
// belongs to its k, so that results do not depend on scheduling.
func For(n int, f func(k int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for k := 0; k < n; k++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			f(k)
		}()
	}
	wg.Wait()
}
