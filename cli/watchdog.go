package cli

import (
	"bytes"
	"fmt"
	"time"
)

// Job states, for the race between the watchdog and the writing of a
// file's reports: whichever moves a job out of running first wins.
const (
	running    = 0
	givenUp    = 1 // the watchdog gave up on it: write nothing
	committing = 2 // its reports are being put in place: wait for it
)

// watched runs one file under a watchdog. Past r.timeout the file is
// reported as failed (exit status 1), naming what it was doing, and its
// reports are never put in place. The computation itself is abandoned, not
// stopped (the derivative code has no cancellation points): it keeps a core
// busy until it ends or the run does, and what it prints is dropped. A
// panic while running a file fails that file, not the run.
func (r *run) watched(j *job, stdout, stderr *bytes.Buffer) (int, string) {
	type result struct {
		status   int
		dir      string
		out, err bytes.Buffer
	}
	ch := make(chan *result, 1)
	go func() {
		res := &result{}
		defer func() {
			if p := recover(); p != nil {
				res.status, res.dir = ExitInvalid, ""
				fmt.Fprintf(&res.err, "%s: internal error while %s: %s\n", j.path, j.what(), clip(fmt.Sprint(p)))
			}
			ch <- res
		}()
		res.status, res.dir = r.one(j, &res.out, &res.err)
	}()
	t := time.NewTimer(r.timeout)
	defer t.Stop()
	select {
	case res := <-ch:
		stdout.Write(res.out.Bytes())
		stderr.Write(res.err.Bytes())
		return res.status, res.dir
	case <-t.C:
		if !j.state.CompareAndSwap(running, givenUp) {
			res := <-ch // its reports are going into place: a moment
			stdout.Write(res.out.Bytes())
			stderr.Write(res.err.Bytes())
			return res.status, res.dir
		}
		fmt.Fprintf(stderr, "%s: timed out after %v while %s; no report written for it (raise the limit with --timeout)\n", j.path, r.timeout, j.what())
		return ExitFailed, ""
	}
}

// commit is asked just before a file's reports are put in place; false
// means the watchdog has given up on the file.
func (j *job) commit() bool { return j.state.CompareAndSwap(running, committing) }

// staleLine says how a stale report differs from a fresh one: its first
// differing line, or, for a report reached through a symlink (quote false),
// nothing of its contents.
func staleLine(quote bool, old, fresh []byte) string {
	if !quote {
		return "differs from what a fresh run writes (not quoted: the report is a symlink)"
	}
	return firstDifference(old, fresh)
}
