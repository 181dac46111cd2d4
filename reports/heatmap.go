package reports

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/internal/fmath"
	"github.com/runner-dev/runner/method"
)

// GradientPlotFile is the name of the picture of a gradient's matrix:
// NAME.ITEM.grad_M.svg beside the report.
func GradientPlotFile(results, item, matrix string) string {
	return results + "." + item + ".grad_" + matrix + ".svg"
}

// cells draws a matrix as coloured squares, row 0 at the top: element
// (i, j) is the unit square about (j, −i), coloured by cm; a NaN element
// is grey. Each square is labelled with its value (label) when squares are
// large enough to hold it.
type cells struct {
	m     *mat.Dense
	cm    palette.ColorMap
	label func(v float64) string
}

func (cs cells) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	r, k := cs.m.Dims()
	st := textStyle(9)
	st.XAlign, st.YAlign = draw.XCenter, draw.YCenter
	for i := range r {
		for j := range k {
			v := cs.m.At(i, j)
			var col color.Color = uncheckedGrey
			if !math.IsNaN(v) {
				col, _ = cs.cm.At(math.Max(cs.cm.Min(), math.Min(cs.cm.Max(), v)))
			}
			x0, x1 := trX(float64(j)-0.5), trX(float64(j)+0.5)
			y0, y1 := trY(-float64(i)-0.5), trY(-float64(i)+0.5)
			c.SetColor(col)
			c.Fill(vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}.Path())
			if cs.label == nil || math.IsNaN(v) {
				continue
			}
			s := cs.label(v)
			if st.Width(s)+4 > x1-x0 || st.Height(s)+2 > y1-y0 {
				continue
			}
			st.Color = okBlack
			if dark(col) {
				st.Color = color.White
			}
			c.FillText(st, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, s)
		}
	}
	// a thin white line between squares
	grid := draw.LineStyle{Color: color.White, Width: vg.Points(0.75)}
	for i := 0; i <= r; i++ {
		y := trY(-float64(i) + 0.5)
		c.StrokeLine2(grid, trX(-0.5), y, trX(float64(k)-0.5), y)
	}
	for j := 0; j <= k; j++ {
		x := trX(float64(j) - 0.5)
		c.StrokeLine2(grid, x, trY(0.5), x, trY(-float64(r)+0.5))
	}
}

// dark reports whether black text would be hard to read on c (relative
// luminance below 0.3, by the sRGB weights).
func dark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return 0.2126*float64(r)+0.7152*float64(g)+0.0722*float64(b) < 0.3*0xFFFF
}

// indexTicks labels every index 0 … n−1 (or, with neg, places index i at
// −i), thinned to every second, fifth … when there are many.
type indexTicks struct {
	n   int
	neg bool
}

func (t indexTicks) Ticks(float64, float64) []plot.Tick {
	every := 1
	for _, e := range []int{1, 2, 5, 10, 20, 50, 100} {
		every = e
		if t.n/e <= 12 {
			break
		}
	}
	var ticks []plot.Tick
	for i := 0; i < t.n; i += every {
		v := float64(i)
		if t.neg && i > 0 {
			v = -v
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.Itoa(i)})
	}
	return ticks
}

// matrixPanel is a plot of m as cells, with axes of row and column indices.
func matrixPanel(title string, m *mat.Dense, cm palette.ColorMap, label func(float64) string) *plot.Plot {
	r, k := m.Dims()
	p := newPlot("column", "row")
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = 11
	p.Add(cells{m: m, cm: cm, label: label})
	p.X.Min, p.X.Max = -0.5, float64(k)-0.5
	p.Y.Min, p.Y.Max = -float64(r)+0.5, 0.5
	p.X.Tick.Marker, p.Y.Tick.Marker = indexTicks{n: k}, indexTicks{n: r, neg: true}
	p.X.Padding, p.Y.Padding = 0, 0
	return p
}

// expTicks labels the integers k in range as 1ek, for a colour bar of
// log₁₀ values; about eight labelled at most.
type expTicks struct{}

func (expTicks) Ticks(a, b float64) []plot.Tick {
	lo, hi := int(math.Ceil(a-1e-9)), int(math.Floor(b+1e-9))
	every := max(1, (hi-lo+7)/8)
	var ticks []plot.Tick
	for k := lo; k <= hi; k++ {
		label := ""
		if (k%every+every)%every == 0 {
			label = strings.Replace("1e"+strconv.Itoa(k), "-", "−", 1)
		}
		ticks = append(ticks, plot.Tick{Value: float64(k), Label: label})
	}
	return ticks
}

// GradientHeatmap draws ∂L/∂M as a heat map: blue for negative elements,
// white for 0, vermillion for positive, the scale symmetric about 0 with
// its colour bar; beside it, when elements were checked numerically, the
// error |numeric − exact| of each on a log scale, dark where largest, so
// the worst stand out (grey: not checked; an error of exactly 0 is drawn
// at 1e-17).
func GradientHeatmap(g *diff.Gradient, m *diff.MatrixGradient) ([]byte, error) {
	r, k := m.Exact.Dims()
	d := fmt.Sprintf("∂%s/∂%s", g.Name, m.Name)
	lim := 0.0
	for i := range r {
		for j := range k {
			if v := math.Abs(m.Exact.At(i, j)); !bad(v) {
				lim = math.Max(lim, v)
			}
		}
	}
	if lim == 0 {
		lim = 1
	}
	cm := &ramp{stops: divergingStops, min: -lim, max: lim}
	val := func(v float64) string { return strings.Replace(strconv.FormatFloat(v, 'g', 3, 64), "-", "−", 1) }
	panels := []panel{{p: matrixPanel(d+", exact", m.Exact, cm, val), bar: colourBar(cm, d, roundTicks{})}}
	title := fmt.Sprintf("%s: blue elements lower %s as they grow, vermillion ones raise it, white ones hardly matter", d, g.Name)
	if method.Get(g.Settings.Method).Numeric() && len(m.Elements) > 0 {
		errs := mat.NewDense(r, k, nil)
		for i := range r {
			for j := range k {
				errs.Set(i, j, math.NaN())
			}
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, e := range m.Elements {
			v := math.Log10(math.Max(e.AbsErr, floorErr))
			if bad(e.AbsErr) {
				continue
			}
			errs.Set(e.I, e.J, v)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if lo <= hi {
			lo, hi = math.Floor(lo), math.Ceil(hi)
			if lo == hi {
				lo, hi = lo-1, hi+1
			}
			em := &ramp{stops: errorStops, min: lo, max: hi}
			exp := func(v float64) string { return expLabel(fmath.Pow(10, v)) }
			panels = append(panels, panel{p: matrixPanel("|numeric − exact|, log scale", errs, em, exp), bar: colourBar(em, "", expTicks{})})
			title += "; on the right, where the numeric check is least accurate"
		}
	}
	width := figWidth
	if len(panels) == 1 {
		width = 4.5 * vg.Inch
	}
	// about square cells: the data area is the panel less the colour bar
	// and the row axis; the title, legend and column axis take about 1.5in
	cell := (width/vg.Length(len(panels)) - barWidth - 0.55*vg.Inch) / vg.Length(k)
	height := max(2.5*vg.Inch, min(5*vg.Inch, 1.5*vg.Inch+vg.Length(r)*cell))
	return figure{title: title, panels: panels, width: width, height: height}.svg()
}

// heatmapLink puts the picture of ∂L/∂M in the report.
func heatmapLink(b *bytes.Buffer, name string, g *diff.Gradient, m diff.MatrixGradient) {
	fmt.Fprintf(b, "![∂%s/∂%s as a heat map](%s)\n\n", g.Name, m.Name, GradientPlotFile(name, g.Name, m.Name))
}

// expLabel writes v to one significant digit as 3e−9.
func expLabel(v float64) string {
	s := strconv.FormatFloat(v, 'e', 0, 64) // 3e-09
	mant, exp, _ := strings.Cut(s, "e")
	n, _ := strconv.Atoi(exp)
	return strings.ReplaceAll(mant+"e"+strconv.Itoa(n), "-", "−")
}
