package reports

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/spec/load"
)

// npyValues are values whose bits a wrong byte order or a rounding would
// change: −0, the smallest subnormal, the largest float64, ±Inf, NaN and
// numbers with all 53 bits of mantissa in use.
var npyValues = []float64{0, math.Copysign(0, -1), 1, -2.5, 0.1, 1.0 / 3, math.SmallestNonzeroFloat64, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), -123456.789e-200}

// TestNpyBytes checks WriteMatrixNpy byte for byte against a file built
// here from the format's specification (numpy.lib.format, version 1.0):
// the magic string, the version, the header length, the header dict padded
// with spaces and ended by a newline so that the data starts at a multiple
// of 64, then the elements in C order as little-endian float64.
func TestNpyBytes(t *testing.T) {
	for _, shape := range [][2]int{{3, 4}, {1, 12}, {13, 1}, {1000, 20}, {12345, 1}, {400, 400}} {
		r, c := shape[0], shape[1]
		vals := make([]float64, r*c)
		for i := range vals {
			vals[i] = npyValues[i%len(npyValues)] * float64(1+i/len(npyValues))
		}
		m := mat.NewDense(r, c, vals)

		var want []byte
		want = append(want, 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0)
		dict := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }", r, c)
		hlen := len(dict) + 1
		for (10+hlen)%64 != 0 {
			hlen++
		}
		want = append(want, byte(hlen), byte(hlen>>8))
		want = append(want, dict...)
		want = append(want, strings.Repeat(" ", hlen-len(dict)-1)+"\n"...)
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				var b [8]byte
				binary.LittleEndian.PutUint64(b[:], math.Float64bits(m.At(i, j)))
				want = append(want, b[:]...)
			}
		}
		got := matrixNpy(m)
		if !bytes.Equal(got, want) {
			t.Errorf("%d×%d: the .npy differs from the specification's bytes (got %d bytes, want %d); header %q", r, c, len(got), len(want), got[:min(len(got), 128)])
		}
		if n := npySize(r, c); n != int64(len(want)) {
			t.Errorf("%d×%d: npySize %d, the file has %d bytes", r, c, n, len(want))
		}
	}
}

// TestNpyLoadsInNumpy writes a .npy and has NumPy read it: the shape, the
// dtype, C order, and every element's bits (NaN as NaN) must be what was
// written. Skipped without python3 and numpy.
func TestNpyLoadsInNumpy(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	if exec.Command(py, "-c", "import numpy").Run() != nil {
		t.Skip("no numpy")
	}
	r, c := 7, 5
	vals := make([]float64, r*c)
	for i := range vals {
		vals[i] = npyValues[i%len(npyValues)] + float64(i)*math.Pi*1e-3*float64(i%2)
	}
	p := filepath.Join(t.TempDir(), "g.npy")
	if err := os.WriteFile(p, matrixNpy(mat.NewDense(r, c, vals)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", `import sys, numpy
a = numpy.load(sys.argv[1], allow_pickle=False)
print(a.dtype.str, a.shape[0], a.shape[1], a.flags['C_CONTIGUOUS'])
for v in a.ravel(order='C'):
    print(v.view(numpy.uint64))`, p).CombinedOutput()
	if err != nil {
		t.Fatalf("numpy.load: %v\n%s", err, out)
	}
	lines := strings.Fields(string(out))
	if want := []string{"<f8", strconv.Itoa(r), strconv.Itoa(c), "True"}; !slices.Equal(lines[:4], want) {
		t.Fatalf("numpy sees %v, want %v", lines[:4], want)
	}
	for i, s := range lines[4:] {
		bits, _ := strconv.ParseUint(s, 10, 64)
		if bits != math.Float64bits(vals[i]) {
			t.Errorf("element %d: numpy reads %v (bits %x), written %v", i, math.Float64frombits(bits), bits, vals[i])
		}
	}
	if len(lines[4:]) != r*c {
		t.Errorf("numpy reads %d elements, want %d", len(lines[4:]), r*c)
	}
}

// TestFullGradientsForms: a 13×13 matrix (past the Markdown's size limit)
// gets its full gradient as .npy by default and with true or npy, as CSV
// with csv, and none with false; the Markdown links the file written, or
// says none was.
func TestFullGradientsForms(t *testing.T) {
	npyName, csvName := GradientNpyFile("big", "L", "X"), GradientFile("big", "L", "X")
	for _, c := range []struct{ setting, file string }{
		{"", npyName}, {", full_gradients: true", npyName}, {", full_gradients: npy", npyName},
		{", full_gradients: csv", csvName}, {", full_gradients: false", ""},
	} {
		src := "matrices:\n  X: {ones: [13, 13]}\ngradients:\n  - {name: L, expr: sum(X * X)" + c.setting + "}\n"
		e, err := load.Parse("big.yaml", []byte(src), load.DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		res := diff.Run(e)
		files := Render(res)
		var names []string
		var full *File
		for i, f := range files {
			names = append(names, f.Name)
			if f.Name == npyName || f.Name == csvName {
				full = &files[i]
			}
		}
		md := string(files[0].Bytes())
		switch {
		case c.file == "":
			if full != nil || !strings.Contains(md, "not written (full_gradients: false)") {
				t.Errorf("%q: files %v; Markdown:\n%s", c.setting, names, md)
			}
			continue
		case full == nil || full.Name != c.file:
			t.Errorf("%q: files %v, want %s", c.setting, names, c.file)
			continue
		case !strings.Contains(md, "["+c.file+"]("+c.file+")"):
			t.Errorf("%q: the Markdown does not link %s:\n%s", c.setting, c.file, md)
		}
		// the gradient of sum(X∘X) is 2X = 2 everywhere
		twos := mat.NewDense(13, 13, nil)
		for i := range 13 {
			for j := range 13 {
				twos.Set(i, j, 2)
			}
		}
		want := MatrixCSV(twos)
		if c.file == npyName {
			want = matrixNpy(twos)
		}
		if !bytes.Equal(full.Bytes(), want) {
			t.Errorf("%q: %s holds %q", c.setting, c.file, full.Bytes()[:min(100, len(full.Bytes()))])
		}
	}
}

// matrixNpy is what WriteMatrixNpy writes for m.
func matrixNpy(m *mat.Dense) []byte {
	var b bytes.Buffer
	WriteMatrixNpy(&b, m) // a bytes.Buffer does not fail
	return b.Bytes()
}
