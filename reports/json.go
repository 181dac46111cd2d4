package reports

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"io"
	"math"
	"strconv"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/spec"
)

// JSONVersion is the version of the JSON results format; the document's
// "version" field holds it and ResultsSchema describes it. It changes when
// a field is removed or changes meaning, not when one is added.
const JSONVersion = 1

// ResultsSchemaID is the "$id" of ResultsSchema and the "$schema" of every
// JSON results document.
const ResultsSchemaID = "https://github.com/runner-dev/runner/raw/main/reports/results.schema.json"

// ResultsSchema is the JSON Schema (draft 2020-12) of WriteJSON's output.
//
//go:embed results.schema.json
var ResultsSchema []byte

// WriteJSON writes a run's results as JSON (ResultsSchema): every file with
// its path, status and errors (file, line, col, message), every item with
// its place in the file, status and problems, every derivative row (the
// CSV's, with numbers as JSON numbers), and the totals. A number with no
// value (an empty CSV cell: numeric with method none, say) is null; an
// infinite one is the string "+Inf" or "-Inf". The same results give the
// same bytes. Rows are written as they are formatted, never held whole.
func WriteJSON(w io.Writer, files []*FileResult) error {
	j := &jsonWriter{w: bufio.NewWriterSize(w, 1<<16)}
	j.raw("{\n  \"$schema\": ")
	j.str(ResultsSchemaID)
	j.raw(",\n  \"version\": " + strconv.Itoa(JSONVersion) + ",\n  \"files\": [")
	for i, f := range files {
		j.comma(i, "\n    ")
		j.file(f)
	}
	j.close(len(files), "\n  ", "]")
	t := Tally(files)
	j.raw(",\n  \"totals\": ")
	j.counts(&t.Files, &t.Invalid, t.Counts)
	j.raw("\n}\n")
	return j.w.Flush()
}

type jsonWriter struct {
	w   *bufio.Writer
	tmp []byte
}

func (j *jsonWriter) raw(s string) { j.w.WriteString(s) }

// comma starts element i of a list on a new line indented by indent.
func (j *jsonWriter) comma(i int, indent string) {
	if i > 0 {
		j.raw(",")
	}
	j.raw(indent)
}

// close ends a list of n elements: on its own line when it has any.
func (j *jsonWriter) close(n int, indent, end string) {
	if n > 0 {
		j.raw(indent)
	}
	j.raw(end)
}

// str writes s as a JSON string (no HTML escaping: < stays <).
func (j *jsonWriter) str(s string) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	e.Encode(s) // a string always encodes
	j.w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// num writes v as a JSON number in Go's shortest round-trip form; NaN (no
// value) as null, ±Inf as the strings "+Inf" and "-Inf".
func (j *jsonWriter) num(v float64) {
	switch {
	case math.IsNaN(v):
		j.raw("null")
	case math.IsInf(v, 1):
		j.raw(`"+Inf"`)
	case math.IsInf(v, -1):
		j.raw(`"-Inf"`)
	default:
		j.tmp = strconv.AppendFloat(j.tmp[:0], v, 'g', -1, 64)
		j.w.Write(j.tmp)
	}
}

// field writes `, "k": v`.
func (j *jsonWriter) field(k string, v float64) {
	j.raw(", ")
	j.key(k)
	j.num(v)
}

func (j *jsonWriter) int(n int) { j.raw(strconv.Itoa(n)) }

// key writes `"k": `.
func (j *jsonWriter) key(k string) {
	j.str(k)
	j.raw(": ")
}

// pos writes "line" and "col" of p (0 when unknown).
func (j *jsonWriter) pos(p spec.Pos) {
	j.raw(`"line": `)
	j.int(p.Line)
	j.raw(`, "col": `)
	j.int(p.Col)
}

func (j *jsonWriter) strings(ss []string, indent string) {
	j.raw("[")
	for i, s := range ss {
		j.comma(i, indent+"  ")
		j.str(s)
	}
	j.close(len(ss), indent, "]")
}

// counts writes a tally; files and invalid only for the run's totals.
func (j *jsonWriter) counts(files, invalid *int, c diff.Counts) {
	j.raw("{")
	if files != nil {
		j.raw(`"files": `)
		j.int(*files)
		j.raw(`, "invalid": `)
		j.int(*invalid)
		j.raw(", ")
	}
	for i, kv := range []struct {
		k string
		v int
	}{{"derivatives", c.Total}, {"ok", c.OK}, {"fail", c.Fail}, {"kink", c.Kink}, {"exact_only", c.Exact}, {"reference_mismatches", c.RefMismatch}, {"claim_mismatches", c.ClaimMismatch}} {
		if i > 0 {
			j.raw(", ")
		}
		j.key(kv.k)
		j.int(kv.v)
	}
	j.raw("}")
}

func (j *jsonWriter) file(f *FileResult) {
	const in = "\n      "
	j.raw("{" + in)
	j.key("path")
	j.str(f.Path)
	j.raw("," + in)
	j.key("status")
	j.str(f.Status())
	j.raw("," + in + `"errors": [`)
	for i, e := range f.Errors {
		j.comma(i, in+"  ")
		j.raw("{")
		j.key("file")
		j.str(e.Pos.File)
		j.raw(", ")
		j.pos(e.Pos)
		j.raw(", ")
		j.key("message")
		j.str(e.Msg)
		j.raw("}")
	}
	j.close(len(f.Errors), in, "]")
	if r := f.Results; r != nil {
		j.raw("," + in)
		j.key("title")
		j.str(r.Title)
		j.raw("," + in + `"counts": `)
		c := r.Count()
		j.counts(nil, nil, c)
		j.raw("," + in + `"items": [`)
		for i, it := range r.Items {
			j.comma(i, in+"  ")
			j.item(f, it)
		}
		j.close(len(r.Items), in, "]")
	}
	j.raw("\n    }")
}

func (j *jsonWriter) item(f *FileResult, it diff.Item) {
	const in = "\n          "
	name := ItemName(it)
	j.raw("{" + in)
	j.key("name")
	j.str(name)
	j.raw(", ")
	j.key("kind")
	j.str(ItemKind(it))
	j.raw(", ")
	j.pos(f.Pos[name])
	j.raw(", ")
	j.key("status")
	j.str(string(ItemStatus(it)))
	j.raw("," + in + `"problems": `)
	j.strings(Problems(it), in)
	j.raw("," + in + `"rows": [`)
	n := 0
	Rows(it, func(r Row) {
		j.comma(n, in+"  ")
		j.row(r)
		n++
	})
	j.close(n, in, "]")
	j.raw("\n        }")
}

// row writes one derivative row on one line: the CSV's columns, the point
// as an object of its variables.
func (j *jsonWriter) row(r Row) {
	j.raw(`{"item": `)
	j.str(r.Item)
	j.raw(`, "kind": `)
	j.str(r.Kind)
	j.raw(`, "point": `)
	switch {
	case r.Point != "":
		j.str(r.Point)
	case r.Vars == nil:
		j.raw("null")
	default:
		j.raw("{")
		for i, v := range r.Vars {
			if i > 0 {
				j.raw(", ")
			}
			j.key(v)
			j.num(r.At[i])
		}
		j.raw("}")
	}
	j.raw(`, "wrt": `)
	j.str(r.Wrt)
	j.raw(`, "order": `)
	j.int(r.Order)
	j.field("value", r.Value)
	j.field("exact", r.Exact)
	j.field("numeric", r.Numeric)
	j.field("abs_error", r.AbsErr)
	j.raw(`, "status": `)
	j.str(string(r.Status))
	j.raw(`, "note": `)
	j.str(r.Note)
	j.field("left", r.Left)
	j.field("right", r.Right)
	j.field("err_estimate", r.ErrEst)
	j.field("err_bound", r.Bound.Value())
	claimed, claimErr := r.ClaimCells()
	j.field("claimed", claimed)
	j.field("claim_error", claimErr)
	j.raw("}")
}
