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
}

func (e *csvError) Error() string { return e.msg }

// readCSV reads numbers, comma-separated, one row a line, from r, which
// may hold at most maxBytes bytes and maxElements numbers. It returns the
// values row-major and the shape. With labels, every number must be a
// label: a whole number from 0 to maxLabel.
func readCSV(r io.Reader, maxBytes int64, maxElements int, labels bool) ([]float64, int, int, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, maxBytes+1), 64<<10)
	var (
		data         []float64
		field        []byte
		line, col    = 1, 1
		fieldCol     = 1
		rowLen, cols = 0, -1
		rows         int
		read         int64
		blank        = true
		fieldStarted bool
		leading      int
	)
	endField := func() error {
		t := bytes.TrimSpace(field)
		v, err := strconv.ParseFloat(string(t), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			what := "a finite number"
			if len(t) == 0 {
				return &csvError{line, fieldCol, "row " + strconv.Itoa(line) + ", column " + strconv.Itoa(rowLen+1) + ": expected " + what + ", found an empty field"}
			}
			return &csvError{line, fieldCol + leading, fmt.Sprintf("row %d, column %d: expected %s", line, rowLen+1, what)}
		}
		if labels && (v < 0 || v != math.Trunc(v) || v > maxLabel) {
			return &csvError{line, fieldCol + leading, fmt.Sprintf("row %d, column %d: expected a label, a whole number from 0 to %d", line, rowLen+1, int64(maxLabel))}
		}
		if len(data) >= maxElements {
			return &csvError{line, fieldCol, fmt.Sprintf("more than the limit of %d elements (raise it with --max-elements)", maxElements)}
		}
		data = append(data, v)
		rowLen++
		field, fieldStarted, leading = field[:0], false, 0
		return nil
	}
	endLine := func() error {
		if !blank {
			if err := endField(); err != nil {
				return err
			}
			if cols >= 0 && rowLen != cols {
				return &csvError{line, 1, fmt.Sprintf("this row has %d values, the first row has %d", rowLen, cols)}
			}
			cols = rowLen
			rows++
		}
		field, fieldStarted, leading = field[:0], false, 0
		rowLen, blank = 0, true
		line++
		col, fieldCol = 1, 1
		return nil
	}
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, 0, err
		}
		read++
		if read > maxBytes {
			return nil, 0, 0, &LimitError{Limit: maxBytes}
		}
		switch c {
		case '\n':
			if err := endLine(); err != nil {
				return nil, 0, 0, err
			}
			continue
		case ',':
			blank = false
			if err := endField(); err != nil {
				return nil, 0, 0, err
			}
			col++
			fieldCol = col
			continue
		case '\r':
			col++
			continue
		}
		if c != ' ' && c != '\t' {
			blank = false
			fieldStarted = true
		} else if !fieldStarted {
			leading++
		}
		if len(field) >= maxCSVField {
			return nil, 0, 0, &csvError{line, fieldCol, fmt.Sprintf("row %d, column %d: a field of more than %d characters; expected a number", line, rowLen+1, maxCSVField)}
		}
		field = append(field, c)
		col++
	}
	if err := endLine(); err != nil {
		return nil, 0, 0, err
	}
	if cols < 0 {
		return nil, 0, 0, nil
	}
	return data, rows, cols, nil
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
