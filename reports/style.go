package reports

import (
	"bytes"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/runner-dev/runner/internal/fmath"
)

// The plots' style, in one place: the Okabe–Ito palette (Okabe and Ito,
// "Color Universal Design", 2008), which readers with any common colour
// vision deficiency can tell apart, and a line style or marker for each
// kind of series so that colour is never the only cue.
var (
	okOrange     = color.RGBA{0xE6, 0x9F, 0x00, 0xFF}
	okSky        = color.RGBA{0x56, 0xB4, 0xE9, 0xFF}
	okGreen      = color.RGBA{0x00, 0x9E, 0x73, 0xFF}
	okBlue       = color.RGBA{0x00, 0x72, 0xB2, 0xFF}
	okVermillion = color.RGBA{0xD5, 0x5E, 0x00, 0xFF}
	okPurple     = color.RGBA{0xCC, 0x79, 0xA7, 0xFF}
	okBlack      = color.RGBA{0x00, 0x00, 0x00, 0xFF}
	gridGrey     = color.RGBA{0xDD, 0xDD, 0xDD, 0xFF}
	zeroGrey     = color.RGBA{0x55, 0x55, 0x55, 0xFF}
)

var (
	// functionLine draws a function: solid.
	functionLine = draw.LineStyle{Color: okBlue, Width: vg.Points(1.75)}
	// exactLine draws an exact derivative: dashed, in a second colour.
	exactLine = draw.LineStyle{Color: okVermillion, Width: vg.Points(1.75), Dashes: []vg.Length{vg.Points(6), vg.Points(3)}}
	// numericMarks marks numeric derivatives: hollow, in a third colour,
	// so the exact curve shows through them.
	numericMarks = draw.GlyphStyle{Color: okGreen, Shape: draw.RingGlyph{}, Radius: vg.Points(3.5)}
)

// sans is the plots' typeface: Liberation Sans, which gonum/plot embeds
// for measuring text. The SVG names it with fallbacks (sansFamily);
// Liberation Sans has Arial's metrics, so text measured with one fits
// when drawn with the other.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

const sansFamily = "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"

func textStyle(size vg.Length) text.Style {
	return text.Style{Color: okBlack, Font: font.From(sans, size), Handler: plot.DefaultTextHandler}
}

// newPlot is a plot in the house style: sans-serif labels, round ticks,
// every one labelled, light grid lines, and a zero line. The legend and
// title are drawn outside it by a figure.
func newPlot(xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 11)
		a.Tick.Label.Font = font.From(sans, 10)
		a.Tick.Marker = roundTicks{}
	}
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	p.Title.TextStyle.Font = font.From(sans, 11)
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = gridGrey, gridGrey
	p.Add(grid, zeroLine{})
	return p
}

// zeroLine draws y = 0 across a linear plot when 0 is inside its range.
type zeroLine struct{}

func (zeroLine) Plot(c draw.Canvas, p *plot.Plot) {
	if _, lin := p.Y.Scale.(plot.LinearScale); !lin || !(p.Y.Min < 0 && 0 < p.Y.Max) {
		return
	}
	_, trY := p.Transforms(&c)
	y := trY(0)
	c.StrokeLine2(draw.LineStyle{Color: zeroGrey, Width: vg.Points(0.8)}, c.Min.X, y, c.Max.X, y)
}

// roundTicks puts a tick at every multiple of a round step (1, 2 or 5
// times a power of ten) in range, about six of them, each labelled.
type roundTicks struct{}

// Ticks returns the ticks in [min, max].
func (roundTicks) Ticks(a, b float64) []plot.Tick {
	step := roundStep(a, b)
	if step == 0 {
		return []plot.Tick{{Value: a, Label: tickLabel(a, math.Abs(a)/10)}}
	}
	var ticks []plot.Tick
	for k := math.Ceil(a/step - 1e-9); k*step <= b+step*1e-9; k++ {
		v := k * step
		if k == 0 {
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: tickLabel(v, step)})
	}
	return ticks
}

// roundStep is the step roundTicks takes for [min, max]: the least of 1, 2,
// 5 times a power of ten that leaves at most 7 ticks.
func roundStep(a, b float64) float64 {
	span := b - a
	if !(span > 0) || math.IsInf(span, 0) {
		return 0
	}
	e := fmath.Pow(10, math.Floor(math.Log10(span/7)))
	for _, m := range []float64{1, 2, 5, 10, 20} {
		if s := m * e; span/s <= 6.999 {
			return s
		}
	}
	return 50 * e
}

// tickLabel writes v with as many decimals as step needs, and a true minus
// sign.
func tickLabel(v, step float64) string {
	var s string
	dec := int(-math.Floor(math.Log10(step) + 1e-9))
	switch {
	case v == 0:
		return "0"
	case dec > 4 || math.Abs(v) >= 1e6:
		s = strconv.FormatFloat(v, 'g', 3, 64)
	default:
		s = strconv.FormatFloat(v, 'f', max(0, dec), 64)
	}
	return strings.Replace(s, "-", "−", 1)
}

// roundRange widens a's range to the round ticks around it.
func roundRange(a *plot.Axis) {
	if step := roundStep(a.Min, a.Max); step > 0 {
		a.Min, a.Max = math.Floor(a.Min/step+1e-9)*step, math.Ceil(a.Max/step-1e-9)*step
	}
}

// decades marks every power of ten in range and labels evenly spaced
// ones, no more than about eight; the unlabelled are minor ticks.
type decades struct{}

// Ticks returns a major tick at each labelled power of ten and minor ticks
// at the others.
func (decades) Ticks(a, b float64) []plot.Tick {
	var ticks []plot.Tick
	lo, hi := int(math.Floor(math.Log10(a))), int(math.Ceil(math.Log10(b)))
	every := max(1, (hi-lo+7)/8)
	for k := lo; k <= hi; k++ {
		v := fmath.Pow(10, float64(k))
		if v < a || v > b {
			continue
		}
		label := ""
		if (k%every+every)%every == 0 {
			label = strings.Replace("1e"+strconv.Itoa(k), "-", "−", 1)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}

// lines draws ys against xs as lines in style, with a gap wherever a value
// is not finite (undefined there).
func lines(xs, ys []float64, style draw.LineStyle) []plot.Plotter {
	var out []plot.Plotter
	var run plotter.XYs
	flush := func() {
		if len(run) > 1 {
			l, err := plotter.NewLine(run)
			if err == nil {
				l.LineStyle = style
				out = append(out, l)
			}
		}
		run = nil
	}
	for i := range xs {
		if bad(xs[i]) || bad(ys[i]) {
			flush()
			continue
		}
		run = append(run, plotter.XY{X: xs[i], Y: ys[i]})
	}
	flush()
	return out
}

// lineKey and markKey are legend thumbnails for a line style and a marker.
func lineKey(s draw.LineStyle) plot.Thumbnailer { return &plotter.Line{LineStyle: s} }

func markKey(s draw.GlyphStyle) plot.Thumbnailer { return &plotter.Scatter{GlyphStyle: s} }

// legendItem is one entry of a figure's legend: its label and the
// thumbnails drawn side by side before it.
type legendItem struct {
	label  string
	thumbs []plot.Thumbnailer
}

// panel is one plot of a figure, with an optional colour bar to its right.
type panel struct {
	p   *plot.Plot
	bar *plot.Plot
}

// figure lays out a title across the top, the legend in rows under it
// (outside the data), and the panels side by side below.
type figure struct {
	title  string
	legend []legendItem
	panels []panel
	width  vg.Length
	height vg.Length
}

const (
	figWidth  = 7 * vg.Inch
	figHeight = 4.5 * vg.Inch
	barWidth  = 0.95 * vg.Inch
	pad       = 6
)

// svg draws the figure as SVG.
func (f figure) svg() ([]byte, error) {
	if f.width == 0 {
		f.width, f.height = figWidth, figHeight
	}
	c := vgsvg.New(f.width, f.height)
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	top := dc.Max.Y - pad
	title := textStyle(12)
	title.XAlign, title.YAlign = draw.XCenter, draw.YTop
	for _, line := range wrap(title, f.title, dc.Size().X-4*pad) {
		dc.FillText(title, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: top}, line)
		top -= title.Height(line) + 2
	}
	top -= pad
	top = f.drawLegend(dc, top)
	area := draw.Crop(dc, pad, -pad, pad/2, top-dc.Max.Y)
	n := vg.Length(len(f.panels))
	w := area.Size().X / n
	bars := vg.Length(0)
	for _, pn := range f.panels {
		if pn.bar != nil {
			bars++
		}
	}
	left := area.Min.X
	for i, pn := range f.panels {
		cell := draw.Crop(area, vg.Length(i)*w, -(n-vg.Length(i)-1)*w, 0, 0)
		if bars > 0 && bars < n {
			// panels without a colour bar are narrower by one, so that
			// every panel's data area is as wide
			pw := (area.Size().X - bars*barWidth) / n
			if pn.bar != nil {
				pw += barWidth
			}
			cell.Min.X, cell.Max.X = left, left+pw
			left += pw
		}
		if i > 0 {
			cell = draw.Crop(cell, 2*pad, 0, 0, 0)
		}
		if pn.bar != nil {
			bar := draw.Crop(cell, cell.Size().X-barWidth+pad, 0, 0, 0)
			cell = draw.Crop(cell, 0, -barWidth, 0, 0)
			data := pn.p.DataCanvas(cell) // the bar spans the data's height
			bar.Min.Y, bar.Max.Y = data.Min.Y, data.Max.Y
			pn.bar.Draw(bar)
		}
		pn.p.Draw(cell)
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, err
	}
	out := bytes.ReplaceAll(b.Bytes(), []byte("font-family:Liberation Sans;"), []byte(sansFamily))
	// vgsvg encodes images as PNG but labels them JPEG
	out = bytes.ReplaceAll(out, []byte("data:image/jpg;base64,"), []byte("data:image/png;base64,"))
	// and leave an image's aspect ratio to SVG's default, which letterboxes
	// a heat map's cells into a square instead of filling the data area
	out = bytes.ReplaceAll(out, []byte("<image "), []byte(`<image preserveAspectRatio="none" `))
	return out, nil
}

// drawLegend draws the legend in centred rows from top down, and returns
// the y under it.
func (f figure) drawLegend(dc draw.Canvas, top vg.Length) vg.Length {
	if len(f.legend) == 0 {
		return top
	}
	st := textStyle(10)
	st.YAlign = draw.YCenter
	const thumbW, gap, space = vg.Length(22), vg.Length(4), vg.Length(16)
	h := st.Height("M")
	width := func(it legendItem) vg.Length {
		return vg.Length(len(it.thumbs))*(thumbW+gap) + st.Width(it.label)
	}
	maxW := dc.Size().X - 4*pad
	var rows [][]legendItem
	var rowW []vg.Length
	for _, it := range f.legend {
		w := width(it)
		if k := len(rows) - 1; k >= 0 && rowW[k]+space+w <= maxW {
			rows[k], rowW[k] = append(rows[k], it), rowW[k]+space+w
			continue
		}
		rows, rowW = append(rows, []legendItem{it}), append(rowW, w)
	}
	for k, row := range rows {
		x := (dc.Min.X+dc.Max.X)/2 - rowW[k]/2
		y := top - h/2
		for _, it := range row {
			for _, th := range it.thumbs {
				tc := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
					Min: vg.Point{X: x, Y: y - h/2}, Max: vg.Point{X: x + thumbW, Y: y + h/2}}}
				th.Thumbnail(&tc)
				x += thumbW + gap
			}
			dc.FillText(st, vg.Point{X: x, Y: y}, it.label)
			x += st.Width(it.label) + space
		}
		top -= h + 4
	}
	return top - pad
}

// wrap breaks s at spaces into lines no wider than w, as even in length
// as that many lines can be (no one-word last line).
func wrap(st text.Style, s string, w vg.Length) []string {
	lines := greedy(st, s, w)
	for narrower := w * 0.95; narrower > w/4; narrower *= 0.95 {
		l := greedy(st, s, narrower)
		if len(l) != len(lines) {
			break
		}
		lines = l
	}
	return lines
}

// greedy breaks s at spaces, filling each line as far as w allows.
func greedy(st text.Style, s string, w vg.Length) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && st.Width(line+" "+word) > w {
			out = append(out, line)
			line = word
			continue
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return append(out, line)
}

// ramp is a colour map that runs through its stops evenly, interpolating
// in sRGB: Min maps to the first stop and Max to the last.
type ramp struct {
	stops    []color.RGBA
	min, max float64
}

// The colour maps: sequential for a function's values (light for low,
// dark for high), diverging about 0 for gradients (Okabe–Ito blue for
// negative, white for 0, vermillion for positive), and sequential for
// errors (light for small, dark purple for large).
var (
	valueStops     = []color.RGBA{{0xFF, 0xFF, 0xE5, 0xFF}, {0xF0, 0xE4, 0x42, 0xFF}, okOrange, okVermillion, {0x7A, 0x2E, 0x00, 0xFF}}
	divergingStops = []color.RGBA{{0x00, 0x3E, 0x62, 0xFF}, okBlue, {0xFF, 0xFF, 0xFF, 0xFF}, okVermillion, {0x74, 0x33, 0x00, 0xFF}}
	errorStops     = []color.RGBA{{0xF7, 0xF7, 0xF7, 0xFF}, okPurple, {0x4A, 0x14, 0x3A, 0xFF}}
	uncheckedGrey  = color.RGBA{0xBB, 0xBB, 0xBB, 0xFF}
)

// At is the colour of v.
func (r *ramp) At(v float64) (color.Color, error) {
	t := 0.0
	if r.max > r.min {
		t = (v - r.min) / (r.max - r.min)
	}
	t = math.Max(0, math.Min(1, t)) * float64(len(r.stops)-1)
	k := min(int(t), len(r.stops)-2)
	f := t - float64(k)
	a, b := r.stops[k], r.stops[k+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + f*(float64(y)-float64(x)))) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xFF}, nil
}

func (r *ramp) Max() float64     { return r.max }
func (r *ramp) Min() float64     { return r.min }
func (r *ramp) SetMax(v float64) { r.max = v }
func (r *ramp) SetMin(v float64) { r.min = v }
func (r *ramp) Alpha() float64   { return 1 }
func (r *ramp) SetAlpha(float64) {}
func (r *ramp) Palette(n int) palette.Palette {
	cs := make([]color.Color, n)
	for i := range cs {
		cs[i], _ = r.At(r.min + float64(i)*(r.max-r.min)/float64(max(1, n-1)))
	}
	return colors(cs)
}

type colors []color.Color

func (c colors) Colors() []color.Color { return c }

// colourBar is a vertical colour bar for cm, its axis labelled by ticks.
func colourBar(cm palette.ColorMap, label string, ticks plot.Ticker) *plot.Plot {
	p := plot.New()
	p.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true, Colors: 256})
	p.HideX()
	p.Y.Tick.Marker = ticks
	p.Y.Label.Text = label
	p.Y.Label.TextStyle.Font = font.From(sans, 10)
	p.Y.Tick.Label.Font = font.From(sans, 10)
	p.X.Padding, p.Y.Padding = 0, 0
	return p
}
