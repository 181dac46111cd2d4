package cli

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/runner-dev/runner/reports"
)

// wrote notes that the run writes (or, under --check, compares) files in
// the reports folder dir, for tidy. It is safe for concurrent use; c may
// be nil.
func (c *ciRun) wrote(dir string, files []reports.File) {
	if c == nil || len(files) == 0 {
		return
	}
	stem := strings.TrimSuffix(files[0].Name, ".md")
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.written == nil {
		c.written = map[string]map[string]map[string]bool{}
	}
	if c.written[dir] == nil {
		c.written[dir] = map[string]map[string]bool{}
	}
	names := map[string]bool{}
	for _, f := range files {
		names[f.Name] = true
	}
	c.written[dir][stem] = names
}

// tidy looks in each reports folder of the run for report files (of the
// runner's own naming) that no experiment would write: a deleted item's
// plot, a deleted experiment's reports. Under --check each is named and the
// status is ExitFailed; with --prune each is removed; otherwise each is
// named as a warning. Files of an experiment that did not run (another
// shard's) are left alone, and so is anything not named as the runner names
// its reports.
func (r *run) tidy(dirs []string) int {
	status := ExitOK
	for _, dir := range dirs {
		for _, name := range r.orphans(dir) {
			p := filepath.Join(dir, name)
			switch {
			case r.check:
				fmt.Fprintf(r.stderr, "%s: no experiment writes this report (runner --prune removes it)\n", p)
				status = ExitFailed
			case r.ci.prune:
				if err := os.Remove(p); err != nil {
					fmt.Fprintf(r.stderr, "%s: cannot remove: %v\n", p, err)
					status = ExitInvalid
					continue
				}
				fmt.Fprintf(r.stdout, "%s: removed: no experiment writes it\n", p)
			default:
				fmt.Fprintf(r.stderr, "%s: no experiment writes this report any more; runner --prune removes it\n", p)
			}
		}
	}
	return status
}

// orphans are the names of the report files in dir that no experiment
// would write, sorted.
func (r *run) orphans(dir string) []string {
	if r.ci == nil {
		return nil
	}
	ran := r.ci.written[dir]
	// the experiments beside a reports folder of the default layout
	// (reports/ beside the experiment files) own their stems even when they
	// did not run
	beside := map[string]bool{}
	if r.out == "" {
		for _, pat := range []string{"*.yaml", "*.yml"} {
			m, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), pat))
			for _, p := range m {
				beside[strings.TrimSuffix(strings.TrimSuffix(filepath.Base(p), ".yaml"), ".yml")] = true
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || name == reports.IndexFile {
			continue
		}
		stem := ""
		for s := range ran {
			if strings.HasPrefix(name, s+".") && len(s) > len(stem) {
				stem = s
			}
		}
		for s := range beside {
			if strings.HasPrefix(name, s+".") && len(s) > len(stem) {
				stem = s
			}
		}
		switch {
		case ran[stem] != nil:
			if !ran[stem][name] && runnerNamed(stem, name) {
				out = append(out, name)
			}
		case stem != "":
			// an experiment beside the folder that did not run
		case r.out == "":
			// no experiment beside the folder: a deleted one's reports, if
			// its CSV is the runner's
			s, _, _ := strings.Cut(name, ".")
			if runnerNamed(s, name) && runnerCSV(filepath.Join(dir, s+".csv")) {
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// runnerNamed says whether name is one of the names the runner gives the
// reports of the experiment stem: STEM.md, STEM.csv, and STEM.ITEM.svg,
// .sweep.svg, .steps.svg, .hessian.svg, .grad_M.csv, .grad_M.npy,
// .grad_M.svg, .claim_M.svg.
func runnerNamed(stem, name string) bool {
	rest, ok := strings.CutPrefix(name, stem+".")
	if !ok {
		return false
	}
	if rest == "md" || rest == "csv" {
		return true
	}
	item, kind, ok := strings.Cut(rest, ".")
	if !ok || item == "" {
		return false
	}
	switch kind {
	case "svg", "sweep.svg", "steps.svg", "hessian.svg":
		return true
	}
	if m, ok := strings.CutPrefix(kind, "claim_"); ok {
		x, ok := strings.CutSuffix(m, ".svg")
		return ok && x != "" && !strings.Contains(x, ".")
	}
	m, ok := strings.CutPrefix(kind, "grad_")
	if !ok {
		return false
	}
	for _, ext := range []string{".csv", ".npy", ".svg"} {
		if x, ok := strings.CutSuffix(m, ext); ok && x != "" && !strings.Contains(x, ".") {
			return true
		}
	}
	return false
}

// runnerCSV says whether the file at p starts with the runner's CSV header.
func runnerCSV(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	return err == nil && line == strings.Join(reports.CSVColumns, ",")+"\n"
}
