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
)

// IndexFile is the name of a reports folder's index.
const IndexFile = "README.md"

// Index is the README.md of a reports folder: every report in it (every
// *.md but the index), sorted by name, with its title, its summary line and a
// link, so that the folder reads well on a code host by itself. It is built
// from the folder's files, so it covers reports written by earlier runs too.
func Index(dir string) ([]byte, error) {
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
		b, ok := readHead(p)
		if !ok {
			continue // not a report of the runner's: a symlink, a folder, a FIFO
		}
		title, summary := "", ""
		for _, line := range strings.Split(string(b), "\n") {
			switch {
			case title == "" && strings.HasPrefix(line, "# "):
				title = strings.TrimPrefix(line, "# ")
			case summary == "" && strings.HasPrefix(line, "**") && strings.Contains(line, "derivative"):
				summary = strings.ReplaceAll(line, "**", "")
			}
		}
		status := "ok"
		if strings.Contains(summary, "failed") || strings.Contains(summary, "disagree") {
			status = "**fail**"
		} else if strings.Contains(summary, "kink") {
			status = "ok (kinks)"
		}
		stem := strings.TrimSuffix(name, ".md")
		rows = append(rows, []string{fmt.Sprintf("[%s](%s)", stem, name), escapeTitle(title), status, strings.TrimSuffix(summary, ".")})
	}
	var b bytes.Buffer
	b.WriteString("# Reports\n\n")
	fmt.Fprintf(&b, "Written by `runner`: one Markdown and one CSV report for each experiment file. "+
		"Regenerate them with `runner` on the experiment files; `runner --check` tells whether they are current.\n\n")
	table(&b, []string{"experiment", "title", "status", "derivatives"}, []bool{false, false, false, false}, rows)
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n'), nil
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
