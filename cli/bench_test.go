package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// suite writes n small experiment files (a function over a range, a chain,
// a small gradient) into a new folder.
func suite(b *testing.B, n int) string {
	dir := b.TempDir()
	for i := 0; i < n; i++ {
		src := fmt.Sprintf(`tolerance: {atol: 1e-6}
functions:
  - {name: f, expr: sigmoid(x) * x^2 + %d, at: {x: {from: -3, to: 3, count: 61}}}
chains:
  - {name: c, of: [leaky_relu, square, sigmoid], at: {x: {from: -3, to: 3, count: 61}}}
random: {seed: %d}
matrices:
  X: {randn: [6, 5]}
  W: {randn: [5, 4]}
gradients:
  - {name: L, expr: sum(sigmoid(X @ W))}
`, i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("e%03d.yaml", i)), []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkSuite runs 200 generated experiment files with -j 1 and -j 2;
// compare the two lines' ns/op (go test -bench Suite ./cli).
func BenchmarkSuite(b *testing.B) {
	dir := suite(b, 200)
	for _, j := range []string{"1", "2"} {
		b.Run("j"+j, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if code := Execute([]string{"-j", j, "--out", filepath.Join(dir, "out"), dir}, io.Discard, io.Discard); code != ExitOK {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
