package load

import (
	"math"

	"gopkg.in/yaml.v3"

	"github.com/runner-dev/runner/spec"
)

// csvDelimiters are the delimiters a csv: data file may use; " " stands
// for any run of spaces and tabs (numpy.savetxt's default delimiter, read
// as numpy.loadtxt reads it).
var csvDelimiters = map[string]byte{",": ',', " ": ' ', ";": ';', "\t": '\t'}

// csvFormatOf reads a csv: matrix's delimiter: (default ",") and header:
// (default false: true skips the first line), which belong with csv only.
func (l *loader) csvFormatOf(f map[string]*yaml.Node, form, what string) (csvFormat, bool) {
	out := csvFormat{delim: ','}
	for _, k := range []string{"delimiter", "header"} {
		if f[k] != nil && form != "csv" {
			l.errf(f[k], "%s: %s belongs with csv", what, k)
			return out, false
		}
	}
	if n := f["delimiter"]; n != nil {
		n = deref(n)
		d, ok := csvDelimiters[n.Value]
		if n.Kind != yaml.ScalarNode || n.Tag != "!!str" || !ok {
			l.errf(n, `%s: delimiter: expected ",", " " (spaces, as numpy.savetxt writes), ";" or a tab, found %s`, what, kindName(n))
			return out, false
		}
		out.delim = d
	}
	out.header = l.boolean(f["header"], what+": header", false)
	return out, true
}

// csvRows reads a function's or chain's csv: summary, or {every: K} (K ≥ 1),
// as spec.Item.CSVEvery; without it, every point (0).
func (l *loader) csvRows(n *yaml.Node, what string) (int, bool) {
	if n == nil {
		return 0, true
	}
	n = deref(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && n.Value == "summary" {
		return spec.CSVSummary, true
	}
	if n.Kind != yaml.MappingNode {
		l.errf(n, "%s: expected summary or {every: K}, found %s", what, kindName(n))
		return 0, false
	}
	f, _, ok := l.fields(n, what, "every")
	if !ok {
		return 0, false
	}
	if f["every"] == nil {
		if len(n.Content) == 0 { // else fields named the unknown key
			l.errf(n, "%s: expected summary or {every: K}, found an empty mapping", what)
		}
		return 0, false
	}
	k, ok := l.int(f["every"], what+": every", 1, math.MaxInt32)
	return int(k), ok
}
