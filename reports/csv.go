// Package reports formats an experiment's results as the files people keep
// in their repositories: a Markdown report to read and a CSV to process,
// byte for byte the same on every run and machine.
//
// reports knows formatting; it knows nothing of YAML or of how the numbers
// were computed.
package reports

import (
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/internal/mem"
	"github.com/runner-dev/runner/internal/par"
)

// CSVColumns are the CSV's columns: the contract's, then
//
//	note          why a status is not ok
//	order         1 for a first derivative, 2 for a second (wrt "x,y" is ∂²/∂x∂y)
//	left, right   the exact one-sided derivatives, where status is kink
//	err_estimate  the numeric method's own error estimate (richardson)
//	err_bound     the numeric derivative's bound on its own error (method.Bound)
//	claimed       the user's claimed derivative (derivative:, claims:); empty where nothing was claimed
//	claim_error   |claimed − exact|; empty where nothing was claimed
var CSVColumns = []string{"item", "kind", "point", "wrt", "value", "exact", "numeric", "abs_error", "status", "note", "order", "left", "right", "err_estimate", "err_bound", "claimed", "claim_error"}

// MaxCSVElements is the largest matrix whose exact gradient the main CSV
// lists element by element when no numeric check covers every element; a
// larger one's full gradient goes in a CSV of its own (GradientFile).
const MaxCSVElements = 10_000

// num is v in Go's shortest round-trip form; NaN (no value) is empty.
func num(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// PointLabel is a point as the CSV writes it: "x=2" or "x=1;y=2", variables
// sorted by name.
func PointLabel(vars []string, at []float64) string {
	return string(appendPointLabel(nil, vars, at))
}

// appendPointLabel appends PointLabel(vars, at) to b. A label never needs
// quoting in CSV: variable names are identifiers and numbers hold no comma.
func appendPointLabel(b []byte, vars []string, at []float64) []byte {
	for i, v := range vars {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, v...)
		b = append(b, '=')
		if !math.IsNaN(at[i]) {
			b = strconv.AppendFloat(b, at[i], 'g', -1, 64)
		}
	}
	return b
}

// CSV is the results as CSV: a header line (CSVColumns), then one row per
// derivative value.
func CSV(r *diff.Results) []byte {
	var b bytes.Buffer
	WriteCSV(&b, r) // a bytes.Buffer does not fail
	return b.Bytes()
}

// WriteCSV writes CSV(r) to w as a stream: long point sets are formatted in
// parallel blocks and written in order, never held whole.
func WriteCSV(w io.Writer, r *diff.Results) error {
	c := &csvWriter{}
	for i, col := range CSVColumns {
		c.field(i, col)
	}
	c.end()
	row := c.row
	for _, it := range r.Items {
		if f := it.Function; f != nil {
			if _, err := w.Write(c.b); err != nil {
				return err
			}
			c.b = c.b[:0]
			kept, _, _ := csvKept(f)
			if err := writeFunctionRows(w, kept); err != nil {
				return err
			}
		}
		if g := it.Gradient; g != nil {
			gradientRows(g, func(r Row) { row(r.Item, r.Kind, nil, r.Value, r.Derivative, strconv.Itoa(r.Order)) })
		}
		if j := it.Jacobian; j != nil {
			jacobianRows(j, func(r Row) { row(r.Item, r.Kind, []byte(r.Point), r.Value, r.Derivative, "1") })
		}
	}
	_, err := w.Write(c.b)
	return err
}

// writeFunctionRows writes a function's or chain's rows, formatted in
// parallel blocks for long point sets.
func writeFunctionRows(w io.Writer, f *diff.Function) error {
	const block = 20_000
	n := f.Len()
	return par.Ordered((n+block-1)/block, func(k int, buf []byte) []byte {
		if need := 128 * (min(n, (k+1)*block) - k*block) * max(1, len(f.Vars)); cap(buf) < need { // a row is about 100 bytes
			buf = mem.Bytes(need)
		}
		c := &csvWriter{b: buf}
		var label []byte
		for i := k * block; i < min(n, (k+1)*block); i++ {
			p := f.Point(i)
			label = appendPointLabel(label[:0], f.Vars, p.At)
			for _, d := range p.Partials {
				c.row(f.Name, f.Kind, label, p.Value, d, "1")
			}
			for _, d := range p.Second {
				c.row(f.Name, f.Kind, label, p.Value, d, "2")
			}
		}
		return c.b
	}, func(b []byte) error {
		_, err := w.Write(b)
		return err
	})
}

// row writes one derivative's row.
func (w *csvWriter) row(item, kind string, point []byte, value float64, d diff.Derivative, order string) {
	w.field(0, item)
	w.field(1, kind)
	if bytes.IndexByte(point, ',') < 0 && bytes.IndexByte(point, '"') < 0 {
		w.sep() // a point label (appendPointLabel) needs no quoting
		w.b = append(w.b, point...)
	} else {
		w.field(2, string(point)) // a Jacobian's output element, [i,j]
	}
	w.field(3, d.Wrt)
	w.num(value)
	w.num(d.Exact)
	w.num(d.Numeric)
	w.num(d.AbsErr)
	w.field(8, string(d.Status))
	w.field(9, d.Note)
	w.field(10, order)
	w.num(d.Left)
	w.num(d.Right)
	w.num(d.ErrEst)
	w.num(d.Bound.Value())
	claimed, claimErr := d.ClaimCells()
	w.num(claimed)
	w.num(claimErr)
	w.end()
}

// csvWriter writes CSV as encoding/csv does (the same quoting, "\n" line
// ends), appending straight into one buffer: a million rows without a
// string per number.
type csvWriter struct {
	b     []byte
	first bool
}

func (w *csvWriter) sep() {
	if w.first {
		w.b = append(w.b, ',')
	}
	w.first = true
}

// field writes a text field, quoted where encoding/csv would quote it.
func (w *csvWriter) field(_ int, s string) {
	w.sep()
	if !needsQuotes(s) {
		w.b = append(w.b, s...)
		return
	}
	w.b = append(w.b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			w.b = append(w.b, '"')
		}
		w.b = append(w.b, s[i])
	}
	w.b = append(w.b, '"')
}

// num writes v in Go's shortest round-trip form; NaN (no value) is empty.
func (w *csvWriter) num(v float64) {
	w.sep()
	if !math.IsNaN(v) {
		w.b = strconv.AppendFloat(w.b, v, 'g', -1, 64)
	}
}

func (w *csvWriter) end() {
	w.b = append(w.b, '\n')
	w.first = false
}

// needsQuotes is encoding/csv's rule: a comma, a quote or a line break, a
// leading space, or the field \. .
func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` || strings.ContainsAny(s, ",\"\r\n") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

func elementName(m string, i, j int) string {
	return m + "[" + strconv.Itoa(i) + "," + strconv.Itoa(j) + "]"
}

// GradientFile is the name of the CSV that holds the full gradient of a
// large matrix: NAME.ITEM.grad_M.csv beside the report.
func GradientFile(results, item, matrix string) string {
	return results + "." + item + ".grad_" + matrix + ".csv"
}

// MatrixCSV is m as plain CSV, one row a line, no header (as np.loadtxt
// with delimiter="," reads it).
func MatrixCSV(m *mat.Dense) []byte {
	var b bytes.Buffer
	WriteMatrixCSV(&b, m) // a bytes.Buffer does not fail
	return b.Bytes()
}

// WriteMatrixCSV writes MatrixCSV(m) to w as a stream, formatted in
// parallel blocks of rows and written in order.
func WriteMatrixCSV(w io.Writer, m *mat.Dense) error {
	r, c := m.Dims()
	raw := m.RawMatrix()
	block := max(1, 200_000/max(c, 1)) // about 4 MB of text a block
	return par.Ordered((r+block-1)/block, func(k int, b []byte) []byte {
		if need := 25 * c * (min(r, (k+1)*block) - k*block); cap(b) < need { // 24 bytes a number at most, and a comma
			b = mem.Bytes(need)
		}
		for i := k * block; i < min(r, (k+1)*block); i++ {
			for j, v := range raw.Data[i*raw.Stride : i*raw.Stride+c] {
				if j > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendFloat(b, v, 'g', -1, 64)
			}
			b = append(b, '\n')
		}
		return b
	}, func(b []byte) error {
		_, err := w.Write(b)
		return err
	})
}
