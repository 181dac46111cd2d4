package load

import (
	"gopkg.in/yaml.v3"
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
