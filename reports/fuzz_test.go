package reports

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/spec"
	"github.com/runner-dev/runner/spec/load"
)

// FuzzPipeline: no experiment file makes the loader, the engine or the
// report writers panic. Limits are small so that each input runs quickly.
func FuzzPipeline(f *testing.F) {
	for _, glob := range []string{"../experiments/*.yaml", "../../shared/acceptance/*.yaml", "testdata/*.yaml", "../testdata/bad/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("functions:\n  - {name: f, expr: log(x), at: [-1, 0, 1]}\n"))
	f.Add([]byte("a: &a [1, 2]\nb: *a\n"))
	opts := load.Options{Defaults: spec.Defaults, MaxPoints: 200, MaxElements: 64}
	f.Fuzz(func(t *testing.T, src []byte) {
		e, err := load.Parse(filepath.Join(t.TempDir(), "fuzz.yaml"), src, opts)
		if err != nil {
			return
		}
		for _, file := range Render(diff.Run(e)) {
			file.Bytes() // streamed files are written only when asked for
		}
	})
}
