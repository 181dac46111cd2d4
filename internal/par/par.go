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

// Ordered calls produce(k, buf) for k = 0, 1, …, n−1, at most GOMAXPROCS
// calls at a time, and hands each result to consume in order of k, so that
// a long output can be formatted in parallel and written as a stream. At
// most 2·GOMAXPROCS results are held at once; a consumed result's buffer is
// handed, emptied, to a later produce call to append to. After consume's
// first error the remaining results are produced but not consumed, and that
// error is returned.
func Ordered(n int, produce func(k int, buf []byte) []byte, consume func(b []byte) error) error {
	workers := runtime.GOMAXPROCS(0)
	free := make(chan []byte, 2*workers)
	for i := 0; i < cap(free); i++ {
		free <- nil
	}
	out := make([]chan []byte, n)
	for k := range out {
		out[k] = make(chan []byte, 1)
	}
	sem := make(chan struct{}, workers)
	go func() {
		for k := 0; k < n; k++ {
			buf := <-free
			sem <- struct{}{}
			go func() {
				defer func() { <-sem }()
				out[k] <- produce(k, buf[:0])
			}()
		}
	}()
	var err error
	for k := 0; k < n; k++ {
		b := <-out[k]
		if err == nil {
			err = consume(b)
		}
		free <- b
	}
	return err
}
