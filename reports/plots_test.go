package reports

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/spec/load"
)

// plotKinds names a golden SVG of each kind of plot; TestGolden compares
// them byte for byte with a fresh run (go test ./reports -update rewrites
// them).
var plotKinds = map[string]string{
	"step study": "accuracy.s.steps.svg",
	"function":   "plots.r.svg",
	"sweep":      "plots.L.sweep.svg",
	"contour":    "two-vars.s.svg",
	"heat map":   "plots.L.grad_X.svg",
	// pictures.yaml: Hessians, claims
	"gradient Hessian heat map": "pictures.L.hessian.svg",
	"function Hessian heat map": "pictures.h.hessian.svg",
	"wrong claim heat map":      "pictures.L.claim_A.svg",
	"right claim heat map":      "pictures.L.claim_B.svg",
	"function with a claim":     "pictures.c.svg",
	"claim against exact":       "pictures.p.claim_y.svg",
}

// TestEveryPlotKindHasAGolden: each kind of plot is among the files the
// golden inputs write, so TestGolden checks it.
func TestEveryPlotKindHasAGolden(t *testing.T) {
	written := map[string]bool{}
	for _, f := range renderAll(t) {
		written[f.Name] = true
	}
	for kind, name := range plotKinds {
		if !written[name] {
			t.Errorf("%s: %s is not written by any testdata/*.yaml", kind, name)
		}
	}
}

func renderAll(t *testing.T) []File {
	t.Helper()
	inputs, _ := filepath.Glob("testdata/*.yaml")
	var files []File
	for _, in := range inputs {
		e, err := load.Load(in, load.DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, Render(diff.Run(e))...)
	}
	return files
}

// TestPlotsSameBytesInParallel renders every golden input one at a time
// on one CPU, then eight at once on eight, as runner -j 1 and -j 8 do, and
// asks for the same bytes in every SVG.
func TestPlotsSameBytesInParallel(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/*.yaml")
	render := func(in string) map[string][]byte {
		e, err := load.Load(in, load.DefaultOptions)
		if err != nil {
			t.Error(err)
			return nil
		}
		out := map[string][]byte{}
		for _, f := range Render(diff.Run(e)) {
			if strings.HasSuffix(f.Name, ".svg") {
				out[f.Name] = f.Bytes()
			}
		}
		return out
	}
	old := runtime.GOMAXPROCS(1)
	one := map[string][]byte{}
	for _, in := range inputs {
		for k, v := range render(in) {
			one[k] = v
		}
	}
	runtime.GOMAXPROCS(8)
	defer runtime.GOMAXPROCS(old)
	var mu sync.Mutex
	var wg sync.WaitGroup
	many := map[string][]byte{}
	for range 2 { // each input twice, all at once
		for _, in := range inputs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got := render(in)
				mu.Lock()
				defer mu.Unlock()
				for k, v := range got {
					if prev, ok := many[k]; ok && !bytes.Equal(prev, v) {
						t.Errorf("%s differs between two parallel renders", k)
					}
					many[k] = v
				}
			}()
		}
	}
	wg.Wait()
	for _, name := range plotKinds {
		if one[name] == nil {
			t.Errorf("%s not rendered", name)
		}
	}
	for k, v := range one {
		if !bytes.Equal(many[k], v) {
			t.Errorf("%s: one at a time and eight at once differ", k)
		}
	}
}

// TestPlotsRender draws each kind of plot with rsvg-convert (librsvg, as
// many viewers do) and checks the picture: it converts without error, has
// the SVG's proportions, and is not blank; the heat maps and the contour
// are in colour.
func TestPlotsRender(t *testing.T) {
	rsvg, err := exec.LookPath("rsvg-convert")
	if err != nil {
		t.Skip("rsvg-convert not found, plots not rendered (apt-get install -y librsvg2-bin; .ci/run installs it)")
	}
	dir := t.TempDir()
	for kind, name := range plotKinds {
		svg := filepath.Join("testdata", "golden", name)
		out := filepath.Join(dir, name+".png")
		cmd := exec.Command(rsvg, "-w", "700", "-o", out, svg)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("%s (%s): rsvg-convert: %v %s", kind, name, err, stderr.String())
			continue
		}
		if stderr.Len() > 0 {
			t.Errorf("%s: rsvg-convert warns: %s", kind, stderr.String())
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", kind, err)
			continue
		}
		b := img.Bounds()
		w, h := svgSize(t, svg)
		if b.Dx() != 700 || math.Abs(float64(b.Dy())-700*h/w) > 1 {
			t.Errorf("%s: rendered %v, want 700 wide and %g high", kind, b, 700*h/w)
		}
		dark, coloured := 0, 0
		for y := b.Min.Y; y < b.Max.Y; y += 2 {
			for x := b.Min.X; x < b.Max.X; x += 2 {
				r, g, bl, _ := img.At(x, y).RGBA()
				if r+g+bl < 3*0x8000 {
					dark++
				}
				if max(r, g, bl)-min(r, g, bl) > 0x4000 {
					coloured++
				}
			}
		}
		if dark < 200 {
			t.Errorf("%s: only %d dark samples: blank or no text", kind, dark)
		}
		if (strings.Contains(kind, "heat map") || kind == "contour") && coloured < b.Dx()*b.Dy()/4/10 {
			t.Errorf("%s: only %d coloured samples of %d", kind, coloured, b.Dx()*b.Dy()/4)
		}
	}
}

// svgSize reads the width and height (in pt) an SVG declares.
func svgSize(t *testing.T, path string) (w, h float64) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	get := func(attr string) float64 {
		i := strings.Index(s, attr+`="`)
		if i < 0 {
			t.Fatalf("%s: no %s", path, attr)
		}
		rest := s[i+len(attr)+2:]
		var v float64
		for k, c := range rest {
			if (c < '0' || c > '9') && c != '.' {
				v, _ = parseFloat(rest[:k])
				break
			}
		}
		return v
	}
	return get("width"), get("height")
}

func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

// TestRoundTicks: ticks fall on round multiples, every one is labelled,
// 0 among them when in range, with a true minus sign.
func TestRoundTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   []string
	}{
		{-0.2, 1, []string{"−0.2", "0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{-3, 3, []string{"−3", "−2", "−1", "0", "1", "2", "3"}},
		{0.013, 0.09, []string{"0.02", "0.04", "0.06", "0.08"}},
		{-7.5, 22, []string{"−5", "0", "5", "10", "15", "20"}},
		{2.1, 2.7, []string{"2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"}},
	}
	for _, c := range cases {
		var got []string
		for _, tk := range (roundTicks{}).Ticks(c.lo, c.hi) {
			if tk.Label == "" {
				t.Errorf("[%g, %g]: unlabelled tick at %g", c.lo, c.hi, tk.Value)
			}
			got = append(got, tk.Label)
		}
		if len(c.want) > 0 && strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("[%g, %g]: ticks %q, want %q", c.lo, c.hi, got, c.want)
		}
		if len(got) < 3 || len(got) > 8 {
			t.Errorf("[%g, %g]: %d ticks %q", c.lo, c.hi, len(got), got)
		}
	}
}

// TestBrokenAt: a derivative that jumps at a kink is drawn as two pieces
// ending at the one-sided limits, with nothing drawn across.
func TestBrokenAt(t *testing.T) {
	xs := []float64{-1, -0.5, 0, 0.5, 1}
	ys := []float64{0.2, 0.2, 0.2, 1, 1} // leaky_relu′, whose value at 0 is its left limit
	ox, oy := brokenAt(xs, ys, []kink{{x: 0, left: 0.2, right: 1, at: 0.2}})
	wantX := []float64{-1, -0.5, 0, 0, 0, 0.5, 1}
	wantY := []float64{0.2, 0.2, 0.2, math.NaN(), 1, 1, 1}
	if len(ox) != len(wantX) {
		t.Fatalf("got %v %v", ox, oy)
	}
	for i := range ox {
		if ox[i] != wantX[i] || !(oy[i] == wantY[i] || math.IsNaN(oy[i]) && math.IsNaN(wantY[i])) {
			t.Fatalf("point %d: (%g, %g), want (%g, %g)", i, ox[i], oy[i], wantX[i], wantY[i])
		}
	}
	// a jump between samples, at no declared point, is broken too
	ox, oy = brokenAt([]float64{0, 1, 2, 3, 4}, []float64{0, 0.01, 5, 5.01, 5.02}, nil)
	if len(ox) != 6 || !math.IsNaN(oy[2]) {
		t.Errorf("jump not broken: %v %v", ox, oy)
	}
	// a steep but smooth curve is not
	if _, oy := brokenAt([]float64{0, 1, 2, 3}, []float64{0, 1, 3, 6}, nil); len(oy) != 4 {
		t.Errorf("smooth curve broken: %v", oy)
	}
}

// TestWrapBalances: a title that needs two lines gets two of similar
// length, not a full line and one word.
func TestWrapBalances(t *testing.T) {
	st := textStyle(12)
	s := "r and its slope r′ (dashed, exact): the numeric slopes (circles) should sit on the dashed curve"
	lines := wrap(st, s, st.Width(s)*0.8)
	if len(lines) != 2 {
		t.Fatalf("%q", lines)
	}
	a, b := st.Width(lines[0]), st.Width(lines[1])
	if b < a/2 {
		t.Errorf("unbalanced: %q", lines)
	}
	if strings.Join(lines, " ") != s {
		t.Errorf("words lost: %q", lines)
	}
}

// TestBackwardPassOnlyOnPath: with wrt: [W], the backward pass of
// sum(X @ W) walks L_none, N and W only: X, an input off every path to W,
// and N's local derivative toward it are left out; each node's matrices
// are display-math matrices, not NumPy-style lists.
func TestBackwardPassOnlyOnPath(t *testing.T) {
	e, err := load.Load("testdata/matrix.yaml", load.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	md := string(Markdown(diff.Run(e)))
	i := strings.Index(md, "## L_none")
	if i < 0 {
		t.Fatal("no L_none section")
	}
	sec := md[i:]
	for _, want := range []string{"**L_none**, `sum(N)`", "**N**, `X @ W`", "**W**, an input", `\frac{\partial N}{\partial W} = \begin{bmatrix}`, "| node "} {
		if !strings.Contains(sec, want) {
			t.Errorf("L_none's backward pass lacks %q", want)
		}
	}
	for _, bad := range []string{"**X**", "∂N/∂X", `{\partial X}`, "[["} {
		if strings.Contains(sec, bad) {
			t.Errorf("L_none's backward pass shows %q, off the path to W", bad)
		}
	}
}
