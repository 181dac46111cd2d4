package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/reports"
	"github.com/runner-dev/runner/spec"
)

// ciOptions are the flags for CI: machine-readable results, how much is
// said, annotations.
type ciOptions struct {
	json, junit    string
	quiet, verbose bool
	prune          bool
	allowLarge     bool
}

func addCIFlags(f *pflag.FlagSet, o *ciOptions) {
	f.StringVar(&o.json, "json", "", "also write every file's, item's and derivative's results as JSON to `FILE` (- for standard output); schema: reports/results.schema.json")
	f.StringVar(&o.junit, "junit", "", "also write the results as JUnit XML to `FILE` (- for standard output): a test suite per experiment file, a test case per item")
	f.BoolVar(&o.prune, "prune", false, "remove report files (of the runner's naming) that no experiment writes: a deleted item's plot, a deleted experiment's reports")
	f.BoolVar(&o.allowLarge, "allow-large", false, "write report files past 95 MB too (code hosts reject files over 100 MB; past 50 MB the runner warns)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print errors only (no line per file, no total)")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "also print a line per function, chain and gradient, at its place in the file")
}

// ciRun gathers each file's outcome as the files run, and at the end writes
// the JSON and JUnit results, the GitHub annotations and the grand total.
type ciRun struct {
	ciOptions
	stdout, stderr io.Writer
	// human is where the lines for people go: standard output, or standard
	// error when the JSON or JUnit goes to standard output, or nowhere
	// under -q.
	human io.Writer
	// notes is where annotations go: standard output, or standard error
	// when the JSON or JUnit goes to standard output (even under -q).
	notes    io.Writer
	colour   bool // human is a terminal and NO_COLOR is not set
	github   bool // GITHUB_ACTIONS=true: print workflow commands
	shard    string
	mu       sync.Mutex
	recorded map[string]*reports.FileResult
	// written holds, for each reports folder, the names of the files each
	// experiment (by stem) that ran writes there (tidy)
	written map[string]map[string]map[string]bool
}

func newCIRun(o ciOptions, shard string, stdout, stderr io.Writer) (*ciRun, error) {
	if o.quiet && o.verbose {
		return nil, errors.New("-q and -v: choose one")
	}
	if o.json == "-" && o.junit == "-" {
		return nil, errors.New("--json - and --junit -: only one can go to standard output")
	}
	c := &ciRun{ciOptions: o, stdout: stdout, stderr: stderr, human: stdout, shard: shard,
		github: os.Getenv("GITHUB_ACTIONS") == "true", recorded: map[string]*reports.FileResult{}}
	if o.json == "-" || o.junit == "-" {
		c.human = stderr
	}
	c.notes = c.human
	c.colour = terminal(c.human) != nil && os.Getenv("NO_COLOR") == ""
	if o.quiet {
		c.human = io.Discard
	}
	return c, nil
}

// record keeps a file's outcome: its results, or the error that made it
// invalid. It is safe for concurrent use; c may be nil.
func (c *ciRun) record(path string, e *spec.Experiment, res *diff.Results, err error) {
	if c == nil {
		return
	}
	f := &reports.FileResult{Path: path, Results: res}
	if e != nil {
		f.Pos = itemPositions(e)
	}
	if err != nil {
		var es spec.Errors
		if !errors.As(err, &es) {
			es = spec.Errors{{Pos: spec.Pos{File: path}, Msg: err.Error()}}
		}
		f.Errors, f.Results = es, nil
	}
	c.mu.Lock()
	c.recorded[path] = f
	c.mu.Unlock()
}

// finish ends a run of files whose exit status is status: it writes the
// annotations, the JSON and JUnit results, the -v lines and the grand total,
// and returns the exit status (ExitInvalid if a results file cannot be
// written).
func (c *ciRun) finish(files []string, status int) int {
	var results []*reports.FileResult
	for _, p := range files {
		if f := c.recorded[p]; f != nil {
			results = append(results, f)
		}
	}
	if c.github {
		annotate(c.notes, results)
	}
	for _, w := range []struct {
		path  string
		write func(io.Writer, []*reports.FileResult) error
	}{{c.json, reports.WriteJSON}, {c.junit, reports.WriteJUnit}} {
		if w.path == "" {
			continue
		}
		if err := writeResults(w.path, c.stdout, results, w.write); err != nil {
			fmt.Fprintf(c.stderr, "%s: cannot write the results: %v\n", w.path, err)
			status = ExitInvalid
		}
	}
	if c.verbose {
		for _, f := range results {
			if f.Results == nil {
				fmt.Fprintf(c.human, "%s: invalid (errors above)\n", f.Path)
				continue
			}
			for _, it := range f.Results.Items {
				name := reports.ItemName(it)
				fmt.Fprintf(c.human, "%s: %s %s: %s\n", f.Pos[name], reports.ItemKind(it), name, summary((&diff.Results{Items: []diff.Item{it}}).Count()))
			}
		}
	}
	if len(files) == 0 && c.shard != "" {
		fmt.Fprintf(c.human, "--shard %s: no file falls to this shard; nothing to run\n", c.shard)
		return status
	}
	t := reports.Tally(results)
	fmt.Fprintln(c.human, c.paint(t, t.String()))
	return status
}

// writeResults writes the results to path with write, or to stdout for "-".
func writeResults(path string, stdout io.Writer, results []*reports.FileResult, write func(io.Writer, []*reports.FileResult) error) error {
	if path == "-" {
		return write(stdout, results)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = write(w, results)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ANSI colours for the grand total on a terminal.
const (
	red, green, yellow, reset = "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[0m"
)

// paint colours the line for totals t on a terminal: red when anything
// failed or a file is invalid, yellow for kinks, green when all is ok.
func (c *ciRun) paint(t reports.Totals, line string) string {
	if !c.colour {
		return line
	}
	colour := green
	switch {
	case t.Invalid > 0 || t.Counts.Failed():
		colour = red
	case t.Kink > 0:
		colour = yellow
	}
	return colour + line + reset
}

// annotate prints GitHub Actions workflow commands: an error for every
// problem of an invalid file and for every failing item, at its line and
// column in the experiment file, so that GitHub shows it on the file.
func annotate(w io.Writer, results []*reports.FileResult) {
	for _, f := range results {
		for _, e := range f.Errors {
			workflowError(w, e.Pos, "runner: invalid experiment file", e.Msg)
		}
		if f.Results == nil {
			continue
		}
		for _, it := range f.Results.Items {
			if reports.ItemStatus(it) != diff.Fail {
				continue
			}
			name := reports.ItemName(it)
			workflowError(w, f.Pos[name], "runner: "+reports.ItemKind(it)+" "+name+" failed", strings.Join(reports.Problems(it), "\n"))
		}
	}
}

// workflowError prints "::error file=F,line=L,col=C,title=T::MSG", escaped
// as GitHub's workflow commands require (properties: % \r \n : ,; message:
// % \r \n).
func workflowError(w io.Writer, p spec.Pos, title, msg string) {
	prop := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	data := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	props := "file=" + prop.Replace(p.File)
	if p.Line > 0 {
		props += fmt.Sprintf(",line=%d", p.Line)
		if p.Col > 0 {
			props += fmt.Sprintf(",col=%d", p.Col)
		}
	}
	props += ",title=" + prop.Replace(title)
	fmt.Fprintf(w, "::error %s::%s\n", props, data.Replace(msg))
}

// itemPositions maps each function, chain and gradient of e to its place in
// the file.
func itemPositions(e *spec.Experiment) map[string]spec.Pos {
	pos := map[string]spec.Pos{}
	for _, f := range e.Functions {
		pos[f.Name] = f.Pos
	}
	for _, c := range e.Chains {
		pos[c.Name] = c.Pos
	}
	for _, g := range e.Gradients {
		pos[g.Name] = g.Pos
	}
	for _, j := range e.Jacobians {
		pos[j.Name] = j.Pos
	}
	return pos
}
