package reports

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
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

func escapeTitle(s string) string { return strings.ReplaceAll(s, "|", "/") }
