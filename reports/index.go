package reports

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/runner-dev/runner/diff"
)

// IndexFile is the name of a reports folder's index.
const IndexFile = "README.md"

// Entry is what the index says of one report: its title and its counts.
type Entry struct {
	Title  string
	Counts diff.Counts
}

// EntryOf is the index's entry for r.
func EntryOf(r *diff.Results) Entry { return Entry{Title: r.Title, Counts: r.Count()} }

// summaryLine is a report's summary, as its Markdown states it under the
// title: "**27 derivatives: 26 ok, 1 at kinks.**", then the reference
// values that disagree, if any.
func summaryLine(c diff.Counts) string {
	s := "**" + countsText(c, ": ") + ".**"
	if c.RefMismatch > 0 {
		s += fmt.Sprintf(" **%d reference values disagree.**", c.RefMismatch)
	}
	if c.ClaimMismatch > 0 {
		s += fmt.Sprintf(" **%d %s wrong.**", c.ClaimMismatch, plural(c.ClaimMismatch, "claim is", "claims are"))
	}
	return s
}

// Index is the README.md of a reports folder: every report in it (every
// *.md but the index), sorted by name, with its title, its status, its
// summary and a link, so that the folder reads well on a code host by
// itself.
//
// A report of this run is described from its results (known, by report
// name without .md), never from its text, which holds user text (about:)
// that could pass for a summary. A report in the folder that this run did
// not write (a run of some of the files) is described from its title line
// and its first summary-like line, as an earlier run left them; a full run
// (runner --check experiments/ in CI) describes every report from results.
func Index(dir string, known map[string]Entry) ([]byte, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var rows [][]string
	for _, p := range paths {
		name := filepath.Base(p)
		if name == IndexFile {
			continue
		}
		stem := strings.TrimSuffix(name, ".md")
		var title, summary string
		if e, ok := known[stem]; ok {
			title, summary = EscapeInline(e.Title), summaryLine(e.Counts)
		} else if b, ok := readHead(p); ok {
			title, summary = parseHead(b)
		} else {
			continue // not a report of the runner's: a symlink, a folder, a FIFO
		}
		summary = strings.ReplaceAll(summary, "**", "")
		status := "ok"
		if strings.Contains(summary, "failed") || strings.Contains(summary, "disagree") {
			status = "**fail**"
		} else if strings.Contains(summary, "kink") {
			status = "ok (kinks)"
		}
		rows = append(rows, []string{fmt.Sprintf("[%s](%s)", stem, name), escapeTitle(title), status, strings.TrimSuffix(summary, ".")})
	}
	var b bytes.Buffer
	b.WriteString("# Reports\n\n")
	fmt.Fprintf(&b, "Written by `runner`: one Markdown and one CSV report for each experiment file. "+
		"Regenerate them with `runner` on the experiment files; `runner --check` tells whether they are current.\n\n")
	table(&b, []string{"experiment", "title", "status", "derivatives"}, []bool{false, false, false, false}, rows)
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n'), nil
}

// parseHead finds the title and the summary line in the text of a report
// an earlier run wrote.
func parseHead(b []byte) (title, summary string) {
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case title == "" && strings.HasPrefix(line, "# "):
			title = strings.TrimPrefix(line, "# ")
		case summary == "" && strings.HasPrefix(line, "**") && strings.Contains(line, "derivative"):
			summary = line
		}
	}
	return title, summary
}

// readHead reads the first 64 KiB of the regular file at path (a
// report's title and summary come first), refusing a symlink, a folder, a
// device or a FIFO without opening it for a blocking read.
func readHead(path string) ([]byte, bool) {
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() {
		return nil, false
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, false
	}
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	return b, err == nil
}

func escapeTitle(s string) string { return strings.ReplaceAll(s, "|", "/") }
