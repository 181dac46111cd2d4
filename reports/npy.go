package reports

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/spec"
)

// GradientNpyFile is the name of the .npy that holds the full gradient of a
// large matrix: NAME.ITEM.grad_M.npy beside the report (GradientFile with
// the extension .npy).
func GradientNpyFile(results, item, matrix string) string {
	return strings.TrimSuffix(GradientFile(results, item, matrix), ".csv") + ".npy"
}

// fullGradientFile is the file the full gradient of a large matrix goes to
// under full_gradients: form, and whether there is one.
func fullGradientFile(form spec.FullGradients, results, item, matrix string) (string, bool) {
	switch form {
	case spec.FullCSV:
		return GradientFile(results, item, matrix), true
	case spec.FullNone:
		return "", false
	}
	return GradientNpyFile(results, item, matrix), true
}

// NpyHeader is the header of a NumPy .npy file (format version 1.0) for an
// r×c float64 array in C order: the magic "\x93NUMPY", the version bytes 1
// and 0, the header's length as a little-endian uint16, then the header, a
// Python dict literal padded with spaces and ended by "\n" so that the
// data starts at a multiple of 64 bytes.
func NpyHeader(r, c int) []byte {
	dict := "{'descr': '<f8', 'fortran_order': False, 'shape': (" + strconv.Itoa(r) + ", " + strconv.Itoa(c) + "), }"
	const pre = 6 + 2 + 2 // magic, version, header length
	n := len(dict) + 1    // and its "\n"
	n += (64 - (pre+n)%64) % 64
	b := make([]byte, 0, pre+n)
	b = append(b, "\x93NUMPY\x01\x00"...)
	b = binary.LittleEndian.AppendUint16(b, uint16(n))
	b = append(b, dict...)
	b = append(b, bytes.Repeat([]byte{' '}, n-len(dict)-1)...)
	return append(b, '\n')
}

// WriteMatrixNpy writes m to w as a NumPy .npy file: NpyHeader, then
// the elements in C order as little-endian float64, as numpy.load reads
// them. It writes in pieces of about a megabyte.
func WriteMatrixNpy(w io.Writer, m *mat.Dense) error {
	r, c := m.Dims()
	raw := m.RawMatrix()
	buf := append(make([]byte, 0, 1<<20+8*c), NpyHeader(r, c)...)
	for i := range r {
		for _, v := range raw.Data[i*raw.Stride : i*raw.Stride+c] {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
		}
		if len(buf) >= 1<<20 || i == r-1 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return nil // a mat.Dense has at least one row, so the header went out with it
}

// npySize is the size in bytes of the .npy of an r×c matrix.
func npySize(r, c int) int64 {
	return int64(len(NpyHeader(r, c))) + 8*int64(r)*int64(c)
}

// appendFullGradient appends the file of the full gradient of the large
// matrix named m, as the item's full_gradients: asks (none for false).
func appendFullGradient(files []File, results string, g *diff.Gradient, m string, exact *mat.Dense) []File {
	name, ok := fullGradientFile(g.FullGradients, results, g.Name, m)
	switch {
	case !ok:
		return files
	case g.FullGradients == spec.FullCSV:
		return append(files, File{Name: name, write: func(w io.Writer) error { return WriteMatrixCSV(w, exact) }})
	}
	r, c := exact.Dims()
	return append(files, File{Name: name, size: npySize(r, c), write: func(w io.Writer) error { return WriteMatrixNpy(w, exact) }})
}
