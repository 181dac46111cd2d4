package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/runner-dev/runner/diff"
)

// JUnitMostProblems is how many of an item's problems (worst first) a JUnit
// failure lists in full.
const JUnitMostProblems = 10

// WriteJUnit writes a run's results as JUnit XML, as Jenkins and GitLab
// read it (testdata/junit/README.md names the schema it is checked
// against): a <testsuite> per experiment file, named by its path, and a
// <testcase> per function, chain and gradient, whose assertions are its
// derivatives. A failing item carries a <failure> with its worst rows and
// their notes, each at the item's file:line:col; an item at a kink passes,
// saying so in its system-out. An invalid file is a test suite with one
// test case, "load", holding an <error> with every problem found. No
// times are written, so the same results give the same bytes.
func WriteJUnit(w io.Writer, files []*FileResult) error {
	t := Tally(files)
	suites := junitSuites{Name: "runner", Errors: t.Invalid}
	for _, f := range files {
		s := junitSuite{Name: f.Path}
		if f.Results == nil {
			lines := make([]string, len(f.Errors))
			for i, e := range f.Errors {
				lines[i] = e.Error()
			}
			s.Cases = []junitCase{{Name: "load", Classname: f.Path, Error: &junitProblem{
				Message: fmt.Sprintf("invalid experiment file: %d %s", len(f.Errors), plural(len(f.Errors), "error", "errors")),
				Type:    "invalid", Text: strings.Join(lines, "\n")}}}
			s.Tests, s.Errors = 1, 1
		} else {
			for _, it := range f.Results.Items {
				s.Cases = append(s.Cases, junitItem(f, it))
				if s.Cases[len(s.Cases)-1].Failure != nil {
					s.Failures++
				}
			}
			s.Tests = len(s.Cases)
		}
		suites.Tests += s.Tests
		suites.Failures += s.Failures
		suites.Suites = append(suites.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	e := xml.NewEncoder(w)
	e.Indent("", "  ")
	if err := e.Encode(suites); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitItem is an item's test case.
func junitItem(f *FileResult, it diff.Item) junitCase {
	name := ItemName(it)
	c := (&diff.Results{Items: []diff.Item{it}}).Count()
	tc := junitCase{Name: name, Classname: f.Path, Assertions: strconv.Itoa(c.Total), Status: string(ItemStatus(it))}
	pos := f.Pos[name]
	switch tc.Status {
	case string(diff.Fail):
		problems := Problems(it)
		var b strings.Builder
		for i, p := range problems {
			if i == JUnitMostProblems {
				fmt.Fprintf(&b, "%s: %s: and %d more (see the report)\n", pos, name, len(problems)-i)
				break
			}
			fmt.Fprintf(&b, "%s: %s: %s\n", pos, name, p)
		}
		msg := fmt.Sprintf("%d of %d derivatives failed", c.Fail, c.Total)
		if c.RefMismatch > 0 {
			msg += fmt.Sprintf(", %d reference values disagree", c.RefMismatch)
		}
		tc.Failure = &junitProblem{Message: msg, Type: "fail", Text: b.String()}
	case string(diff.Kink):
		var b strings.Builder
		Rows(it, func(r Row) {
			if r.Status == diff.Kink {
				fmt.Fprintf(&b, "%s: %s: %s: at a kink: left %g, right %g\n", pos, name, r.Where(), r.Left, r.Right)
			}
		})
		tc.SystemOut = &junitText{b.String()}
	}
	return tc
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name       string        `xml:"name,attr"`
	Classname  string        `xml:"classname,attr"`
	Assertions string        `xml:"assertions,attr,omitempty"`
	Status     string        `xml:"status,attr,omitempty"`
	Error      *junitProblem `xml:"error"`
	Failure    *junitProblem `xml:"failure"`
	SystemOut  *junitText    `xml:"system-out"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}
