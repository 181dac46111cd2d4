package load

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"

	"codeberg.org/sbinet/npyio/npy"

	"github.com/runner-dev/runner/spec"
)

// Data files (csv:, npy:) are read as a stream with their bytes counted:
// a CSV may hold at most CSVBytesPerElement bytes per element of the
// element limit, a .npy its header (at most MaxNpyHeader bytes) and 8
// bytes per element. Nothing a data file holds is ever quoted in an error:
// errors name the row and column and what was expected there.
const (
	CSVBytesPerElement = 64
	MaxNpyHeader       = 64 << 10
	maxCSVField        = 256
)

// csvError is a problem at a row and column (from 1) of a CSV file.
type csvError struct {
	line, col int
	msg       string
	notNumber bool // a field that is not a number (a header's, perhaps)
}

func (e *csvError) Error() string { return e.msg }

// csvFormat is how a CSV data file is laid out: its delimiter (',' by
// default; ' ' for any run of spaces and tabs, as numpy.savetxt writes and
// numpy.loadtxt reads) and whether its first line is a header to skip.
type csvFormat struct {
	delim  byte
	header bool
}

// readCSV reads numbers, comma-separated, one row a line, from r, which
// may hold at most maxBytes bytes and maxElements numbers. It returns the
// values row-major and the shape. With labels, every number must be a
// label: a whole number from 0 to maxLabel.
func readCSV(r io.Reader, maxBytes int64, maxElements int, labels bool) ([]float64, int, int, error) {
	return readCSVAs(r, maxBytes, maxElements, labels, csvFormat{delim: ','})
}

// readCSVAs is readCSV for a file laid out as f says. A first line that is
// not numbers, above a second that is, when no header was declared, is an
// error at the first line that says to declare it.
func readCSVAs(r io.Reader, maxBytes int64, maxElements int, labels bool, f csvFormat) ([]float64, int, int, error) {
	p := &csvParser{br: bufio.NewReaderSize(io.LimitReader(r, maxBytes+1), 64<<10), maxBytes: maxBytes, maxElements: maxElements, labels: labels, format: f}
	p.reset(1)
	if f.header {
		if err := p.skipLine(); err != nil {
			return nil, 0, 0, err
		}
	}
	err := p.parse()
	var ce *csvError
	if !f.header && errors.As(err, &ce) && ce.line == 1 && ce.notNumber {
		// is the rest numbers? then the first line is a header
		if p.lineDone || p.skipLine() == nil {
			p.reset(2)
			err2 := p.parse()
			var ce2 *csvError
			if p.rows > 0 || errors.As(err2, &ce2) && ce2.line > 2 {
				return nil, 0, 0, &csvError{line: 1, col: ce.col, msg: "the first line looks like a header: add header: true"}
			}
		}
		return nil, 0, 0, err
	}
	if err != nil {
		return nil, 0, 0, err
	}
	if p.cols < 0 {
		return nil, 0, 0, nil
	}
	return p.data, p.rows, p.cols, nil
}

// csvParser is readCSV's state as it reads r byte by byte.
type csvParser struct {
	br                  *bufio.Reader
	maxBytes, read      int64
	maxElements         int
	labels              bool
	format              csvFormat
	data                []float64
	field               []byte
	line, col, fieldCol int
	rowLen, cols, rows  int
	blank, fieldStarted bool
	leading             int
	lineDone            bool // the last byte read ended a line
}

// reset starts the parse afresh at line.
func (p *csvParser) reset(line int) {
	p.data, p.field = p.data[:0], p.field[:0]
	p.line, p.col, p.fieldCol = line, 1, 1
	p.rowLen, p.cols, p.rows = 0, -1, 0
	p.blank, p.fieldStarted, p.leading = true, false, 0
}

func (p *csvParser) next() (byte, error) {
	c, err := p.br.ReadByte()
	if err != nil {
		return 0, err
	}
	p.read++
	if p.read > p.maxBytes {
		return 0, &LimitError{Limit: p.maxBytes}
	}
	return c, nil
}

// skipLine reads past the end of the current line.
func (p *csvParser) skipLine() error {
	for {
		c, err := p.next()
		if err == io.EOF {
			p.line++
			return nil
		}
		if err != nil {
			return err
		}
		if c == '\n' {
			p.line++
			return nil
		}
	}
}

func (p *csvParser) endField() error {
	t := bytes.TrimSpace(p.field)
	v, err := strconv.ParseFloat(string(t), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		what := "a finite number"
		if len(t) == 0 {
			return &csvError{line: p.line, col: p.fieldCol, msg: "row " + strconv.Itoa(p.line) + ", column " + strconv.Itoa(p.rowLen+1) + ": expected " + what + ", found an empty field"}
		}
		return &csvError{line: p.line, col: p.fieldCol + p.leading, msg: fmt.Sprintf("row %d, column %d: expected %s", p.line, p.rowLen+1, what), notNumber: true}
	}
	if p.labels && (v < 0 || v != math.Trunc(v) || v > maxLabel) {
		return &csvError{line: p.line, col: p.fieldCol + p.leading, msg: fmt.Sprintf("row %d, column %d: expected a label, a whole number from 0 to %d", p.line, p.rowLen+1, int64(maxLabel))}
	}
	if len(p.data) >= p.maxElements {
		return &csvError{line: p.line, col: p.fieldCol, msg: fmt.Sprintf("more than the limit of %d elements (raise it with --max-elements)", p.maxElements)}
	}
	p.data = append(p.data, v)
	p.rowLen++
	p.field, p.fieldStarted, p.leading = p.field[:0], false, 0
	return nil
}

func (p *csvParser) endLine() error {
	// with spaces for a delimiter, trailing spaces end no field
	if !p.blank && (p.format.delim != ' ' || p.fieldStarted) {
		if err := p.endField(); err != nil {
			return err
		}
	}
	if !p.blank {
		if p.cols >= 0 && p.rowLen != p.cols {
			return &csvError{line: p.line, col: 1, msg: fmt.Sprintf("this row has %d values, the first row has %d", p.rowLen, p.cols)}
		}
		p.cols = p.rowLen
		p.rows++
	}
	p.field, p.fieldStarted, p.leading = p.field[:0], false, 0
	p.rowLen, p.blank = 0, true
	p.line++
	p.col, p.fieldCol = 1, 1
	return nil
}

// parse reads rows to the end of the input.
func (p *csvParser) parse() error {
	ws := p.format.delim == ' '
	for {
		c, err := p.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		p.lineDone = c == '\n'
		switch {
		case c == '\n':
			if err := p.endLine(); err != nil {
				return err
			}
			continue
		case !ws && c == p.format.delim, ws && (c == ' ' || c == '\t') && p.fieldStarted:
			p.blank = false
			if err := p.endField(); err != nil {
				return err
			}
			p.col++
			p.fieldCol = p.col
			continue
		case c == '\r':
			p.col++
			continue
		}
		if c != ' ' && c != '\t' {
			p.blank = false
			p.fieldStarted = true
		} else if !p.fieldStarted {
			p.leading++
		}
		if len(p.field) >= maxCSVField {
			return &csvError{line: p.line, col: p.fieldCol, msg: fmt.Sprintf("row %d, column %d: a field of more than %d characters; expected a number", p.line, p.rowLen+1, maxCSVField)}
		}
		p.field = append(p.field, c)
		p.col++
	}
	return p.endLine()
}

var npyMagic = []byte("\x93NUMPY")

// npyHeader checks a .npy file's preamble (magic, version, header length
// within MaxNpyHeader, the header's three keys in order and its closing
// newline) before the npy package reads it, which trusts all of these, and
// returns a reader that replays what was read.
func npyHeader(r io.Reader) (io.Reader, error) {
	var pre [10]byte
	if _, err := io.ReadFull(r, pre[:8]); err != nil || !bytes.Equal(pre[:6], npyMagic) {
		return nil, errors.New("it does not start with the .npy magic \\x93NUMPY")
	}
	var hlen int
	var lenBytes []byte
	switch pre[6] {
	case 1:
		if _, err := io.ReadFull(r, pre[8:10]); err != nil {
			return nil, errors.New("its header is cut short")
		}
		hlen, lenBytes = int(binary.LittleEndian.Uint16(pre[8:10])), pre[:10]
	case 2, 3:
		var l [4]byte
		if _, err := io.ReadFull(r, l[:]); err != nil {
			return nil, errors.New("its header is cut short")
		}
		n := binary.LittleEndian.Uint32(l[:])
		if n > MaxNpyHeader {
			return nil, fmt.Errorf("its header claims %d bytes, more than the limit of %d", n, MaxNpyHeader)
		}
		if pre[6] == 3 {
			return nil, errors.New("it is version 3 (UTF-8 header); expected version 1 or 2")
		}
		hlen = int(n)
		lenBytes = append(append([]byte{}, pre[:8]...), l[:]...)
	default:
		return nil, fmt.Errorf("its version %d is not 1 or 2", pre[6])
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, errors.New("its header is cut short")
	}
	d, o, s, e := bytes.Index(hdr, []byte("'descr': ")), bytes.Index(hdr, []byte("'fortran_order': ")), bytes.Index(hdr, []byte("'shape': ")), bytes.Index(hdr, []byte("}"))
	if len(hdr) == 0 || hdr[len(hdr)-1] != '\n' || d < 0 || !(d+len("'descr': ")+2 <= o && o+len("'fortran_order': ")+2 <= s && s+len("'shape': ")+2 <= e) {
		return nil, errors.New("its header is not the dictionary {'descr': …, 'fortran_order': …, 'shape': …} that NumPy writes")
	}
	return io.MultiReader(bytes.NewReader(lenBytes), bytes.NewReader(hdr), r), nil
}

// newNpyReader is npy.NewReader on a checked header, turning a panic of
// the npy package on a malformed header into an error.
func newNpyReader(r io.Reader) (rd *npy.Reader, err error) {
	r, err = npyHeader(r)
	if err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			rd, err = nil, errors.New("its header is malformed")
		}
	}()
	rd, err = npy.NewReader(r)
	if err != nil {
		return nil, errors.New("its header is malformed")
	}
	return rd, nil
}

var safeDtype = regexp.MustCompile(`^['"]?[<>|=]?[a-zA-Z][0-9]{0,2}['"]?$`)

// dtypeName is the dtype a .npy header names, when it looks like one, else
// a description that quotes nothing from the file.
func dtypeName(t string) string {
	if safeDtype.MatchString(t) {
		return t
	}
	return "a dtype that is not a plain float64 or float32"
}

// csvPos is the position of a CSV error: the data file's path, row and
// column.
func csvPos(full string, ce *csvError) spec.Pos {
	return spec.Pos{File: full, Line: ce.line, Col: ce.col}
}
