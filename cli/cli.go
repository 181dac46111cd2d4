// Package cli is the runner command: it reads experiment files (spec),
// computes their derivatives (diff) and writes their reports (reports).
// Settings resolve, from strongest to weakest: command-line flags, the
// experiment file itself, RUNNER_* environment variables, the config file
// (runner.yaml), built-in defaults.
package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/reports"
	"github.com/runner-dev/runner/spec"
	"github.com/runner-dev/runner/spec/load"
)

// Exit statuses.
const (
	ExitOK      = 0 // every derivative within tolerance; reports current
	ExitFailed  = 1 // a value outside tolerance, or stale reports under --check
	ExitInvalid = 2 // an invalid experiment file, or the command misused
)

const example = `  runner experiments/*.yaml               run every experiment, reports in experiments/reports/
  runner experiments/                      the same: a folder means its *.yaml and *.yml files
  runner --out /tmp/r experiments/01-slope.yaml
  runner --method five-point --step 1e-2 experiments/
  runner --check experiments/              exit 1 if a committed report is missing or stale
  RUNNER_METHOD=forward runner experiments/`

const long = `runner computes every derivative and gradient an experiment file declares,
exactly (automatic differentiation) and numerically (finite differences),
and writes a Markdown and a CSV report for each file.

Settings, strongest first:
  1. flags (--method, --step override every file and every item)
  2. the experiment file (numeric:, tolerance:, per file and per item)
  3. environment: RUNNER_METHOD, RUNNER_STEP, RUNNER_RTOL, RUNNER_ATOL,
     RUNNER_OUT, RUNNER_MAX_POINTS, RUNNER_MAX_ELEMENTS,
     RUNNER_MAX_DERIVATIVES, RUNNER_MAX_COST, RUNNER_BLAS
  4. the config file: ./runner.yaml, or --config FILE (keys: method, step,
     rtol, atol, out, max-points, max-elements, max-derivatives, max-cost;
     it may only lower the limits, and its out: stays inside its root)
  5. built-in defaults: central differences, h = 0.001, rtol 1e-5, atol 1e-7

Exit status: 0 all good; 1 a value outside tolerance, or stale reports
under --check, or a file past --timeout; 2 an invalid experiment file or a
misused command. An invalid file never stops the others.

Experiment files are untrusted input: data paths stay inside the root (the
file's git work tree, else its folder; --root widens it), only regular
files are read, errors never quote data files, and every budget is checked
before the work. See "Running on untrusted pull requests" in the README.`

// Execute runs the command with args (without the program name) and returns
// the exit status.
func Execute(args []string, stdout, stderr io.Writer) int {
	status := ExitOK
	cmd := newCommand(stdout, stderr, &status)
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	if err := cmd.Execute(); err != nil {
		fmt.Fprintf(stderr, "runner: %v\n", err)
		fmt.Fprintln(stderr, "Run 'runner --help' for usage and examples.")
		return ExitInvalid
	}
	return status
}

type options struct {
	out, config, method string
	shard               string
	jobs                int
	step                float64
	check               bool
	maxPoints           int
	maxElements         int
	ci                  ciOptions
	maxDerivatives      int
	maxCost             float64
	roots               []string
	timeout             time.Duration
	blas                string
}

func newCommand(stdout, stderr io.Writer, status *int) *cobra.Command {
	var o options
	cmd := &cobra.Command{
		Use:           "runner [flags] FILE...",
		Short:         "Exact and numeric derivatives for calculus experiments in deep learning",
		Long:          long,
		Example:       example,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("no experiment files given, e.g. runner experiments/*.yaml")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := loadConfig(cmd, o.config)
			if err != nil {
				return err
			}
			if err := selectBLAS(cmd, o.blas); err != nil {
				return err
			}
			defaults, err := defaultSettings(v)
			if err != nil {
				return err
			}
			var override spec.Settings
			if cmd.Flags().Changed("method") {
				if msg := load.CheckMethod(o.method); msg != "" {
					return fmt.Errorf("--method: %s", strings.TrimPrefix(msg, "numeric.method "))
				}
				override.Method = o.method
			}
			if cmd.Flags().Changed("step") {
				if !(o.step > 0) {
					return fmt.Errorf("--step: expected a positive step h, found %g", o.step)
				}
				override.Step, override.StepSet = o.step, true
			}
			files, err := expand(args)
			if err != nil {
				return err
			}
			if o.shard != "" {
				if files, err = shard(files, o.shard); err != nil {
					return err
				}
			}
			if o.jobs < 1 {
				return fmt.Errorf("-j: expected at least 1 worker, found %d", o.jobs)
			}
			if o.timeout <= 0 {
				return fmt.Errorf("--timeout: expected a positive duration such as 5m, found %v", o.timeout)
			}
			limits, err := limitsFrom(v)
			if err != nil {
				return err
			}
			c, err := newCIRun(o.ci, o.shard, stdout, stderr)
			if err != nil {
				return err
			}
			r := &run{stdout: c.human, stderr: stderr, ci: c, progress: terminal(stderr), out: v.GetString("out"), check: o.check, jobs: o.jobs, override: override,
				roots: o.roots, timeout: o.timeout, opts: limits}
			r.opts.Defaults, r.opts.Roots = defaults, o.roots
			*status = c.finish(files, r.all(files))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "write all reports into `DIR` (default: reports/ beside each experiment file)")
	f.BoolVar(&o.check, "check", false, "write nothing; exit 1 naming every report that is missing or differs from a fresh run")
	f.StringVar(&o.method, "method", "", "numeric method for every file and item: "+strings.Join(method.Names(), ", "))
	f.Float64Var(&o.step, "step", 0, "numeric step h for every file and item")
	f.StringVar(&o.config, "config", "", "config `FILE` (default: ./runner.yaml when it exists)")
	f.IntVarP(&o.jobs, "jobs", "j", runtime.NumCPU(), "run `N` files at a time (reports are the same bytes for any N)")
	f.StringVar(&o.shard, "shard", "", "run only the `K/N`-th share of the files (every N-th file from the K-th, in sorted order), to split a suite across CI jobs")
	f.IntVar(&o.maxPoints, "max-points", load.DefaultOptions.MaxPoints, "the most points one function or chain may have")
	f.IntVar(&o.maxElements, "max-elements", load.DefaultOptions.MaxElements, "the most elements one matrix may have")
	addCIFlags(f, &o.ci)
	f.IntVar(&o.maxDerivatives, "max-derivatives", load.DefaultOptions.MaxDerivatives, "the most derivative values (CSV rows) one function or chain may have")
	f.Float64Var(&o.maxCost, "max-cost", load.DefaultOptions.MaxCost, "the most floating-point operations, estimated before the work, one item may take")
	f.StringArrayVar(&o.roots, "root", nil, "also allow data paths inside `DIR` (default root: the experiment file's git work tree, else its folder); repeatable")
	f.DurationVar(&o.timeout, "timeout", DefaultTimeout, "give up on a file that takes longer than this (reported as failed)")
	addBLASFlag(f, &o.blas)
	f.SortFlags = false
	addVersion(cmd, stdout)
	addIndex(cmd, stdout)
	cmd.AddCommand(&cobra.Command{
		Use:   "functions",
		Short: "Print the function registry as a Markdown table",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := stdout.Write(reports.Functions())
			return err
		},
	}, &cobra.Command{
		Use:     "schema",
		Short:   "Print the JSON Schema of the experiment file",
		Long:    "Print the JSON Schema of the experiment file. Editors with the YAML language server validate and complete\nexperiment files that start with a modeline such as\n\n  # yaml-language-server: $schema=../spec/experiment.schema.json",
		Example: "  runner schema > experiment.schema.json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := stdout.Write(spec.Schema)
			return err
		},
	})
	return cmd
}

// loadConfig reads RUNNER_* variables and the config file; out, max-points
// and max-elements bind to their flags, which win.
func loadConfig(cmd *cobra.Command, path string) (*viper.Viper, error) {
	v := viper.New()
	v.SetEnvPrefix("RUNNER")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	v.AutomaticEnv()
	v.SetConfigType("yaml")
	if path == "" {
		if _, err := os.Stat("runner.yaml"); err == nil {
			path = "runner.yaml"
		}
	}
	if path != "" {
		src, err := readConfig(path)
		if err != nil {
			return nil, err
		}
		if err := v.ReadConfig(bytes.NewReader(src)); err != nil {
			return nil, fmt.Errorf("config file %s: invalid YAML", path)
		}
		for _, k := range v.AllKeys() {
			switch k {
			case "method", "step", "rtol", "atol", "out", "max-points", "max-elements", "max-derivatives", "max-cost":
			default:
				return nil, fmt.Errorf("config file %s: unknown key %q (expected method, step, rtol, atol, out, max-points, max-elements, max-derivatives, max-cost)", path, k)
			}
		}
		if err := configOnlyLowers(cmd, src, path); err != nil {
			return nil, err
		}
	}
	for _, k := range []string{"out", "max-points", "max-elements", "max-derivatives", "max-cost"} {
		if err := v.BindPFlag(k, cmd.Flags().Lookup(k)); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// defaultSettings are the settings a file is silent on: environment over
// config file over the format's defaults.
func defaultSettings(v *viper.Viper) (spec.Settings, error) {
	s := spec.Defaults
	if v.IsSet("method") {
		m := v.GetString("method")
		if msg := load.CheckMethod(m); msg != "" {
			return s, fmt.Errorf("method from RUNNER_METHOD or the config file: %s", msg)
		}
		s.Method = m
	}
	for _, k := range []struct {
		key string
		dst *float64
		min float64
	}{{"step", &s.Step, 0}, {"rtol", &s.Rtol, -1}, {"atol", &s.Atol, -1}} {
		if !v.IsSet(k.key) {
			continue
		}
		x, err := castFloat(v.Get(k.key))
		if err != nil || !(x > k.min) || (k.min < 0 && x < 0) {
			return s, fmt.Errorf("%s from RUNNER_%s or the config file: expected a positive number, found %v", k.key, strings.ToUpper(k.key), v.Get(k.key))
		}
		*k.dst = x
		if k.key == "step" {
			s.StepSet = true
		}
	}
	return s, nil
}

func castFloat(x any) (float64, error) {
	switch x := x.(type) {
	case float64:
		return x, nil
	case int:
		return float64(x), nil
	case string:
		var f float64
		_, err := fmt.Sscanf(strings.TrimSpace(x), "%g", &f)
		return f, err
	}
	return 0, fmt.Errorf("not a number")
}

// expand turns the arguments into experiment files: a folder means every
// *.yaml and *.yml file in it, sorted.
func expand(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			files = append(files, a) // reported as unreadable, with the others still run
			continue
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", a, err)
		}
		var found []string
		for _, e := range entries {
			if !e.IsDir() && (strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
				found = append(found, filepath.Join(a, e.Name()))
			}
		}
		sort.Strings(found)
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no *.yaml or *.yml files in this folder", a)
		}
		files = append(files, found...)
	}
	return files, nil
}

type run struct {
	roots          []string
	timeout        time.Duration
	stdout, stderr io.Writer
	progress       io.Writer // the terminal for a progress bar, or nil
	out            string
	check          bool
	jobs           int
	override       spec.Settings
	opts           load.Options
	ci             *ciRun // gathers results for --json, --junit, annotations, the total
}

func (r *run) all(files []string) int {
	type result struct {
		status      int
		out, errOut bytes.Buffer
		dir         string
	}
	results := make([]result, len(files))
	plan := r.plan(files)
	if !r.check {
		defer onInterrupt(r.stderr)()
		r.removeStale(plan)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	var done atomic.Int64
	bar := newProgress(r.progress, len(files))
	for w := 0; w < max(1, min(r.jobs, len(files))); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				res := &results[i]
				if j := plan[i]; j.err != "" {
					fmt.Fprintln(&res.errOut, j.err)
					res.status = ExitInvalid
				} else {
					res.status, res.dir = r.watched(j, &res.out, &res.errOut)
				}
				bar.set(int(done.Add(1)))
			}
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	bar.finish()
	status := ExitOK
	worse := func(s int) {
		if s == ExitInvalid || status == ExitOK {
			status = max(status, s)
		}
	}
	dirs := map[string]map[string]reports.Entry{}
	for i := range results {
		r.stdout.Write(results[i].out.Bytes())
		r.stderr.Write(results[i].errOut.Bytes())
		worse(results[i].status)
		if d := results[i].dir; d != "" {
			if dirs[d] == nil {
				dirs[d] = map[string]reports.Entry{}
			}
			if e := plan[i].entry.Load(); e != nil {
				dirs[d][stem(plan[i].path)] = *e
			}
		}
	}
	sorted := make([]string, 0, len(dirs))
	for d := range dirs {
		sorted = append(sorted, d)
	}
	sort.Strings(sorted)
	worse(r.tidy(sorted))
	for _, d := range sorted {
		worse(r.index(d, dirs[d]))
	}
	return status
}

// index writes (or, under --check, compares) the README.md that lists every
// report in dir.
func (r *run) index(dir string, known map[string]reports.Entry) int {
	data, err := reports.Index(dir, known)
	if err != nil {
		fmt.Fprintf(r.stderr, "%s: cannot build the index: %v\n", dir, err)
		return ExitInvalid
	}
	p := filepath.Join(dir, reports.IndexFile)
	if r.check {
		quote, err := checkTarget(p, load.DefaultRoot(p, r.roots...))
		if errors.Is(err, errNotRead) {
			fmt.Fprintf(r.stderr, "%s: %v\n", p, err)
			return ExitInvalid
		}
		old := readPrefix(p, int64(len(data))+1)
		switch {
		case err != nil:
			fmt.Fprintf(r.stderr, "%s: missing\n", p)
			return ExitFailed
		case !bytes.Equal(old, data):
			fmt.Fprintf(r.stderr, "%s: stale: %s\n", p, staleLine(quote, old, data))
			return ExitFailed
		}
		return ExitOK
	}
	if err := reports.WriteAtomic(p, data); err != nil {
		fmt.Fprintf(r.stderr, "%s: cannot write the index: %v\n", p, err)
		return ExitInvalid
	}
	return ExitOK
}

func (r *run) apply(s *spec.Settings) {
	if r.override.Method != "" {
		s.Method = r.override.Method
	}
	if r.override.Step != 0 {
		s.Step, s.StepSet = r.override.Step, true
	}
}

// one runs one experiment file, writing what it says to stdout and stderr;
// it returns the exit status and the reports folder it wrote (or checked).
func (r *run) one(j *job, stdout, stderr io.Writer) (int, string) {
	path := j.path
	j.doing("reading and checking the file")
	e, err := load.Load(path, r.opts)
	r.ci.record(path, e, nil, err)
	if err != nil {
		var es spec.Errors
		if errors.As(err, &es) {
			for _, x := range es {
				fmt.Fprintln(stderr, x.Error())
			}
		} else {
			fmt.Fprintf(stderr, "%s: %v\n", path, err)
		}
		return ExitInvalid, ""
	}
	r.apply(&e.Settings)
	for _, f := range e.Functions {
		r.apply(&f.Settings)
	}
	for _, c := range e.Chains {
		r.apply(&c.Settings)
	}
	for _, j := range e.Jacobians {
		if m := method.Named(r.override.Method); m != nil && !m.Gradients {
			continue // as gradients, below: a Jacobian needs a difference method
		}
		r.apply(&j.Settings)
	}
	for _, g := range e.Gradients {
		if m := method.Named(r.override.Method); m != nil && !m.Gradients {
			fmt.Fprintf(stderr, "%s: gradient %s keeps %s: %s works on functions and chains\n", g.Pos, g.Name, g.Settings.Method, m.Name)
			continue
		}
		r.apply(&g.Settings)
	}
	j.doing("computing the derivatives")
	res := diff.Run(e)
	res.BLAS = diff.BLASNote()
	if j.state.Load() == givenUp {
		return ExitFailed, "" // the watchdog has reported it; touch nothing
	}
	r.ci.record(path, e, res, nil)
	entry := reports.EntryOf(res)
	j.entry.Store(&entry)
	dir := j.dir
	status := ExitOK
	c := res.Count()
	if c.Failed() {
		status = ExitFailed
		reportFailures(stderr, e, res)
	}
	files := reports.Render(res)
	if msg := sameNames(files); msg != "" {
		fmt.Fprintf(stderr, "%s: %s\n", path, msg)
		return ExitInvalid, ""
	}
	r.ci.wrote(dir, files)
	files = r.guard(dir, files, stderr)
	if r.check {
		j.doing("comparing the reports")
		for _, f := range files {
			p := filepath.Join(dir, f.Name)
			quote, err := checkTarget(p, j.root)
			if errors.Is(err, errNotRead) {
				fmt.Fprintf(stderr, "%s: %v\n", p, err)
				status = ExitInvalid
				continue
			}
			same := false
			if err == nil {
				same, err = reports.Same(p, f)
			}
			switch {
			case tooLarge(err):
				fmt.Fprintf(stderr, "%s: %v\n", p, err)
				status = ExitInvalid
			case err != nil:
				fmt.Fprintf(stderr, "%s: missing (run runner %s to write it)\n", p, path)
				status = max(status, ExitFailed)
			case !same:
				fresh := f.Bytes()
				fmt.Fprintf(stderr, "%s: stale: %s\n", p, staleLine(quote, readPrefix(p, int64(len(fresh))+1), fresh))
				status = max(status, ExitFailed)
			}
		}
		return status, dir
	}
	j.doing("writing the reports")
	if err := reports.WriteSet(dir, files, j.commit); err != nil {
		fmt.Fprintf(stderr, "%s: cannot write the reports (the earlier ones are left as they were): %v\n", path, err)
		// the totals, JSON and JUnit count the file as not done, not as ok
		r.ci.record(path, e, nil, fmt.Errorf("cannot write the reports: %v", err))
		return ExitInvalid, dir
	}
	fmt.Fprintf(stdout, "%s: %s → %s\n", path, summary(c), filepath.Join(dir, files[0].Name))
	return status, dir
}

func summary(c diff.Counts) string { return reports.CountsText(c, ", ") }

// reportFailures names each failing derivative (the first few per item) at
// its item's position.
func reportFailures(stderr io.Writer, e *spec.Experiment, res *diff.Results) {
	pos := itemPositions(e)
	const most = 5
	for _, it := range res.Items {
		bad, name := reports.Problems(it), reports.ItemName(it)
		for i, b := range bad {
			if i == most {
				fmt.Fprintf(stderr, "%s: %s: and %d more\n", pos[name], name, len(bad)-most)
				break
			}
			fmt.Fprintf(stderr, "%s: %s: %s\n", pos[name], name, b)
		}
	}
}

// firstDifference describes the first line where old and fresh differ.
func firstDifference(old, fresh []byte) string {
	a, b := strings.Split(string(old), "\n"), strings.Split(string(fresh), "\n")
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y || i >= len(a) || i >= len(b) {
			return fmt.Sprintf("line %d is %q, a fresh run writes %q", i+1, clip(x), clip(y))
		}
	}
	return "differs"
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// shard keeps the K-th of every N files (K from 1): files K, K+N, K+2N, … of
// the sorted list, so that N CI jobs with K = 1…N run each file once.
func shard(files []string, spec string) ([]string, error) {
	k, n, ok := strings.Cut(spec, "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 1 || ki > ni {
		return nil, fmt.Errorf("--shard: expected K/N with 1 ≤ K ≤ N, e.g. --shard 2/4; found %q", spec)
	}
	sorted := append([]string(nil), files...)
	sort.Strings(sorted)
	var out []string
	for i := ki - 1; i < len(sorted); i += ni {
		out = append(out, sorted[i])
	}
	return out, nil
}
