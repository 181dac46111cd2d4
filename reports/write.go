package reports

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/runner-dev/runner/diff"
)

// File is one report file: its name (relative to the reports folder) and
// its bytes.
type File struct {
	Name string
	Data []byte
}

// Render is every file written for r: NAME.md, NAME.csv, the full gradient
// of each large matrix, and the plots (functions and chains over a range,
// step studies, gradient sweeps).
func Render(r *diff.Results) []File {
	files := []File{
		{Name: r.Name + ".md", Data: Markdown(r)},
		{Name: r.Name + ".csv", Data: CSV(r)},
	}
	for _, it := range r.Items {
		if f := it.Function; f != nil && f.Curve != nil {
			if svg, err := CurvePlot(f); err == nil {
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
			for _, m := range g.Wrt {
				if Large(m.Exact) {
					files = append(files, File{Name: GradientFile(r.Name, g.Name, m.Name), Data: MatrixCSV(m.Exact)})
				}
			}
		}
	}
	return files
}

// WriteAtomic writes data to path so that path holds either its old bytes or
// all of the new ones, never a part: the bytes go to a temporary file in the
// same folder, which is synced and then renamed over path.
func WriteAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = writeAll(tmp, data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// writeAll is a seam for tests that fail a write part way.
var writeAll = func(f *os.File, data []byte) (int, error) { return f.Write(data) }
