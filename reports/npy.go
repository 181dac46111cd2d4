package reports

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/internal/par"
	"github.com/runner-dev/runner/spec"
)

// GradientNpyFile is the name of the .npy that holds the full gradient of a
// large matrix: NAME.ITEM.grad_M.npy beside the report.
func GradientNpyFile(results, item, matrix string) string {
	return results + "." + item + ".grad_" + matrix + ".npy"
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

// MatrixNpy is m as a NumPy .npy file: float64, little-endian, C order, as
// numpy.load reads it.
func MatrixNpy(m *mat.Dense) []byte {
	var b bytes.Buffer
	WriteMatrixNpy(&b, m) // a bytes.Buffer does not fail
	return b.Bytes()
}

// WriteMatrixNpy writes MatrixNpy(m) to w as a stream, in blocks of rows.
func WriteMatrixNpy(w io.Writer, m *mat.Dense) error {
	r, c := m.Dims()
	if _, err := w.Write(NpyHeader(r, c)); err != nil {
		return err
	}
	raw := m.RawMatrix()
	block := max(1, (1<<20)/max(c, 1)) // about 8 MB a block
	return par.Ordered((r+block-1)/block, func(k int, b []byte) []byte {
		b = b[:0]
		for i := k * block; i < min(r, (k+1)*block); i++ {
			for _, v := range raw.Data[i*raw.Stride : i*raw.Stride+c] {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
			}
		}
		return b
	}, func(b []byte) error {
		_, err := w.Write(b)
		return err
	})
}

// npySize is the size in bytes of MatrixNpy for an r×c matrix.
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
