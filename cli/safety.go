package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/runner-dev/runner/reports"
	"github.com/runner-dev/runner/spec/load"
)

// DefaultTimeout is how long one experiment file may take (--timeout).
const DefaultTimeout = 5 * time.Minute

// job is one experiment file of a run: where its reports go, the root its
// paths may not leave, and, for the watchdog, what it is doing and whether
// it has been given up on.
type job struct {
	path  string
	dir   string // the reports folder
	root  load.Root
	err   string // why the file is not run, when it is not (a collision, a reports folder outside the root)
	phase atomic.Value
	state atomic.Int32 // running, givenUp or committing (watched)
	entry atomic.Pointer[reports.Entry]
}

func (j *job) doing(what string) { j.phase.Store(what) }

func (j *job) what() string {
	if s, ok := j.phase.Load().(string); ok {
		return s
	}
	return "starting"
}

// plan decides each file's reports folder and root, and refuses, before
// anything runs or is written, a reports folder that leads out of its
// root (a committed symlink named reports, say) and files whose reports
// would collide.
func (r *run) plan(files []string) []*job {
	jobs := make([]*job, len(files))
	for i, f := range files {
		j := &job{path: f, root: load.DefaultRoot(f, r.roots...), dir: r.out}
		if load.Printable(f) != f {
			j.err = fmt.Sprintf("%q: the file's name holds a control character, which could forge lines of the output; rename it", f)
			jobs[i] = j
			continue
		}
		if j.dir == "" {
			j.dir = filepath.Join(filepath.Dir(f), "reports")
			if real := resolveExisting(j.dir); !j.root.Contains(real) {
				j.err = fmt.Sprintf("%s: the reports folder %s leads out of the root %s (a symlink?): nothing is written there; widen the root with --root DIR or choose --out DIR", f, j.dir, j.root[0])
			}
		}
		jobs[i] = j
	}
	collisions(jobs)
	return jobs
}

// resolveExisting is path made absolute with the symlinks of its longest
// existing part resolved.
func resolveExisting(path string) string {
	p, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	rest := ""
	for {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(real, rest)
		}
		up := filepath.Dir(p)
		if up == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = up
	}
}

func stem(path string) string {
	b := filepath.Base(path)
	return strings.TrimSuffix(strings.TrimSuffix(b, ".yaml"), ".yml")
}

// collisions marks files whose reports would overwrite each other's, in
// any letter case (case-insensitive disks): two files of one name (a.yaml
// and a.yml, or two a.yaml under one --out); a file named README, whose
// README.md is the folder's index; and NAME.MORE.yaml beside NAME.yaml,
// whose per-item files (NAME.ITEM.svg, NAME.ITEM.grad_M.csv) are named
// NAME.*.
func collisions(jobs []*job) {
	type key struct{ dir, stem string }
	byKey := map[key]*job{}
	dirKey := func(j *job) string { return strings.ToLower(resolveExisting(j.dir)) }
	for _, j := range jobs {
		k := key{dirKey(j), strings.ToLower(stem(j.path))}
		if k.stem+".md" == strings.ToLower(reports.IndexFile) {
			j.refuse("%s: its report %s.md would be the reports folder's index %s; rename the file", j.path, stem(j.path), reports.IndexFile)
		}
		if o, ok := byKey[k]; ok {
			why := fmt.Sprintf("%s and %s would both write %s.md and %s.csv in %s", o.path, j.path, stem(o.path), stem(o.path), j.dir)
			if stem(o.path) != stem(j.path) {
				why += " (the names differ only in letter case, the same file on a case-insensitive disk)"
			}
			o.refuse("%s; rename one", why)
			j.refuse("%s; rename one", why)
			continue
		}
		byKey[k] = j
	}
	for _, j := range jobs {
		s := strings.ToLower(stem(j.path))
		for i := 1; i < len(s); i++ {
			if s[i] != '.' {
				continue
			}
			if o, ok := byKey[key{dirKey(j), s[:i]}]; ok && o != j {
				why := fmt.Sprintf("%s's reports would take names of the form %s.*, which %s's per-item files (plots, full gradients) use", j.path, stem(o.path), o.path)
				j.refuse("%s; rename it", why)
				o.refuse("%s; rename it", why)
			}
		}
	}
}

func (j *job) refuse(format string, args ...any) {
	if j.err == "" {
		j.err = fmt.Sprintf(format, args...)
	}
}

// sameNames finds report files of one experiment whose names differ only
// in letter case (items f and F, each with a plot).
func sameNames(files []reports.File) string {
	seen := map[string]string{}
	for _, f := range files {
		k := strings.ToLower(f.Name)
		if o, ok := seen[k]; ok {
			return fmt.Sprintf("the report files %s and %s differ only in letter case, the same file on a case-insensitive disk; rename one of the items", o, f.Name)
		}
		seen[k] = f.Name
	}
	return ""
}

// errNotRead is a report that --check refuses to read.
var errNotRead = errors.New("not read")

// checkTarget says how --check may read the report at p: not at all (an
// error: a symlink out of the root, a FIFO, a device, a folder), or as a
// regular file, and whether a line of it may be quoted (never for a file
// reached through a symlink). A missing report is fs.ErrNotExist.
func checkTarget(p string, root load.Root) (quote bool, err error) {
	st, err := os.Lstat(p)
	if err != nil {
		return false, err
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(p)
		if err == nil {
			real, err = filepath.Abs(real)
		}
		if err != nil || !root.Contains(real) {
			return false, fmt.Errorf("is a symlink that leads out of the root %s: %w", root[0], errNotRead)
		}
		if st, err = os.Stat(real); err != nil || !st.Mode().IsRegular() {
			return false, fmt.Errorf("is a symlink to something that is not a regular file: %w", errNotRead)
		}
		return false, nil
	}
	if !st.Mode().IsRegular() {
		return false, fmt.Errorf("is not a regular file: %w", errNotRead)
	}
	return true, nil
}

// readPrefix reads at most n bytes of the regular file at p.
func readPrefix(p string, n int64) []byte {
	f, err := load.OpenRegular(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, n))
	return b
}

// removeStale removes the runner's stale temporaries from every reports
// folder of the run (not under --check, which writes nothing).
func (r *run) removeStale(jobs []*job) {
	seen := map[string]bool{}
	var dirs []string
	for _, j := range jobs {
		if j.err == "" && !seen[j.dir] {
			seen[j.dir] = true
			dirs = append(dirs, j.dir)
		}
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		for _, name := range reports.RemoveStale(d) {
			fmt.Fprintf(r.stderr, "%s: removed %s, a temporary left by an interrupted run\n", d, name)
		}
	}
}

// onInterrupt removes the run's temporaries on SIGINT or SIGTERM and exits
// with 128 + the signal's number; the returned function stops listening.
func onInterrupt(stderr io.Writer) func() {
	ch := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-ch:
			reports.RemoveTemporaries()
			fmt.Fprintf(stderr, "runner: %v: stopped; temporary files removed, earlier reports left as they were\n", s)
			code := 130
			if s == syscall.SIGTERM {
				code = 143
			}
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
