package reports

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/runner-dev/runner/diff"
)

// File is one report file: its name (relative to the reports folder) and
// its bytes, held (Data) or, for a long file, written as a stream (write).
type File struct {
	Name  string
	Data  []byte
	write func(w io.Writer) error
	size  int64 // a stream's size in bytes when known before it is formatted; 0: not known
}

// WriteTo writes the file's bytes to w.
func (f File) WriteTo(w io.Writer) (int64, error) {
	if f.write == nil {
		n, err := w.Write(f.Data)
		return int64(n), err
	}
	c := &counter{w: w}
	err := f.write(c)
	return c.n, err
}

// Bytes is the file's bytes, formatted now if the file is a stream.
func (f File) Bytes() []byte {
	if f.write == nil {
		return f.Data
	}
	var b bytes.Buffer
	f.write(&b) // a bytes.Buffer does not fail
	return b.Bytes()
}

type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Render is every file written for r: NAME.md, NAME.csv, the full gradient
// of each large matrix, and the plots (functions and chains over a range,
// step studies, gradient sweeps, heat maps of gradients, Hessians and
// claims). The Markdown and the CSVs are formatted
// as they are written (File.WriteTo), so files written at once are
// formatted at once.
func Render(r *diff.Results) []File {
	files := []File{
		{Name: r.Name + ".md", write: func(w io.Writer) error { _, err := w.Write(Markdown(r)); return err }},
		{Name: r.Name + ".csv", write: func(w io.Writer) error { return WriteCSV(w, r) }},
	}
	for _, it := range r.Items {
		if f := it.Function; f != nil && f.Curve != nil {
			if svg, err := CurvePlot(f); err == nil {
				files = append(files, File{Name: CurveFile(r.Name, f.Name), Data: svg})
			}
		}
		if f := it.Function; f != nil && f.Surface != nil {
			if svg, err := ContourPlot(f); err == nil {
				files = append(files, File{Name: CurveFile(r.Name, f.Name), Data: svg})
			}
		}
		if f := it.Function; f != nil && f.Study != nil {
			if svg, err := StudyPlot(f.Name, f.Study); err == nil {
				files = append(files, File{Name: StudyFile(r.Name, f.Name), Data: svg})
			}
		}
		if g := it.Gradient; g != nil && g.Sweep != nil {
			if svg, err := SweepPlot(g); err == nil {
				files = append(files, File{Name: SweepFile(r.Name, g.Name), Data: svg})
			}
		}
		if g := it.Gradient; g != nil {
			for i := range g.Wrt {
				if m := &g.Wrt[i]; !Large(m.Exact) {
					if svg, err := GradientHeatmap(g, m); err == nil {
						files = append(files, File{Name: GradientPlotFile(r.Name, g.Name, m.Name), Data: svg})
					}
				}
			}
		}
		files = append(files, MatrixPictures(r.Name, it)...)
		if g := it.Gradient; g != nil {
			for _, m := range g.Wrt {
				if Large(m.Exact) {
					files = appendFullGradient(files, r.Name, g, m.Name, m.Exact)
				}
			}
		}
	}
	return files
}

// WriteAtomic writes data to path so that path holds either its old bytes or
// all of the new ones, never a part: the bytes go to a temporary file in the
// same folder, which is synced and then renamed over path.
func WriteAtomic(path string, data []byte) error {
	return WriteFileAtomic(path, File{Data: data})
}

// WriteFileAtomic writes f to path as WriteAtomic does, streaming a file
// that is a stream through a buffer rather than holding it whole.
func WriteFileAtomic(path string, f File) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := writeTemp(path, f)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer unregister(tmp)
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// writeAll is a seam for tests that fail a write part way.
var writeAll = func(f *os.File, data []byte) (int, error) { return f.Write(data) }

// seam writes a stream to its file, and every writebackEvery bytes asks
// the system to start writing what it has to disk (startWriteback), so
// that the sync at the end waits for the last part, not the whole file.
type seam struct {
	f          *os.File
	done, sent int64 // bytes written; bytes handed to writeback
}

const writebackEvery = 8 << 20

func (s *seam) Write(p []byte) (int, error) {
	n, err := writeAll(s.f, p)
	s.done += int64(n)
	if s.done-s.sent >= writebackEvery {
		startWriteback(s.f, s.sent, s.done-s.sent)
		s.sent = s.done
	}
	return n, err
}

// Same reports whether the file at path holds exactly f's bytes, reading
// both as streams.
func Same(path string, f File) (bool, error) {
	old, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer old.Close()
	c := &comparer{r: bufio.NewReaderSize(old, 1<<20), same: true}
	if _, err := f.WriteTo(c); err != nil && err != errDiffers {
		return false, err
	}
	if !c.same {
		return false, nil
	}
	_, err = c.r.ReadByte() // the old file must end here too
	return err == io.EOF, nil
}

var errDiffers = errors.New("differs")

// comparer is a writer that compares what is written with r.
type comparer struct {
	r    *bufio.Reader
	buf  []byte
	same bool
}

func (c *comparer) Write(p []byte) (int, error) {
	if len(c.buf) < len(p) {
		c.buf = make([]byte, len(p))
	}
	b := c.buf[:len(p)]
	if _, err := io.ReadFull(c.r, b); err != nil || !bytes.Equal(b, p) {
		c.same = false
		return 0, errDiffers
	}
	return len(p), nil
}
