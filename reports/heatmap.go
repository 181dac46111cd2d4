package reports

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/runner-dev/runner/claims"
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
// is grey. Every square is labelled with its value, label(v, digits) to
// the most significant digits (3, then 2) at which every label fits its
// square, or none is: a few short labels ("0") among unlabelled squares
// would read as the only values.
type cells struct {
	m     *mat.Dense
	cm    palette.ColorMap
	label func(v float64, digits int) string
}

func (cs cells) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	r, k := cs.m.Dims()
	st := textStyle(9)
	st.XAlign, st.YAlign = draw.XCenter, draw.YCenter
	w, h := trX(0.5)-trX(-0.5), trY(0.5)-trY(-0.5)
	var label func(float64) string
	for _, digits := range []int{3, 2} {
		if cs.label == nil {
			break
		}
		fits := true
		for i := range r {
			for j := range k {
				if v := cs.m.At(i, j); !math.IsNaN(v) {
					if s := cs.label(v, digits); st.Width(s)+4 > w || st.Height(s)+2 > h {
						fits = false
					}
				}
			}
		}
		if fits {
			label = func(v float64) string { return cs.label(v, digits) }
			break
		}
	}
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
			if label == nil || math.IsNaN(v) {
				continue
			}
			s := label(v)
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
// −i), by its name when names are given, thinned to every second, fifth … when there are many.
type indexTicks struct {
	n     int
	neg   bool
	names []string // the labels, when not the indices
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
		label := strconv.Itoa(i)
		if t.names != nil {
			label = t.names[i]
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
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
	d := fmt.Sprintf("∂%s/∂%s", g.Name, m.Name)
	pic := matrixPicture{
		title:    fmt.Sprintf("%s: blue elements lower %s as they grow, vermillion ones raise it, white ones hardly matter", d, g.Name),
		values:   []titled{{d + ", exact", m.Exact}},
		barLabel: d,
	}
	if method.Get(g.Settings.Method).Numeric() && len(m.Elements) > 0 {
		r, k := m.Exact.Dims()
		pic.errs = nanDense(r, k)
		for _, e := range m.Elements {
			pic.errs.Set(e.I, e.J, e.AbsErr)
		}
		pic.errTitle = "|numeric − exact|, log scale"
		pic.errNote = "; on the right, where the numeric check is least accurate"
	}
	return pic.svg()
}

// titled is a matrix with its panel's title.
type titled struct {
	title string
	m     *mat.Dense
}

// matrixPicture is any matrix picture: value panels side by side on one
// diverging colour scale centred at 0 (blue negative, white 0, vermillion
// positive, symmetric about 0), its colour bar beside the last of them;
// then, when errs is set, the errors on a log scale, dark where largest
// (grey: NaN, not checked; an error of exactly 0 is drawn at 1e-17). The
// error panel is left out when no error is finite, and errNote is then
// left off the title. rows and cols name the rows and columns on the
// axes (nil: their indices).
type matrixPicture struct {
	title    string
	values   []titled
	barLabel string
	errs     *mat.Dense
	errTitle string
	errNote  string
	rows     []string
	cols     []string
	// xLabel and yLabel name the axes when rows and cols are not named
	// ("column" and "row" when empty).
	xLabel, yLabel string
}

// nanDense is an r×c matrix of NaN.
func nanDense(r, c int) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			m.Set(i, j, math.NaN())
		}
	}
	return m
}

func (mp matrixPicture) svg() ([]byte, error) {
	var panels []panel
	title := mp.title
	var r, k int
	if len(mp.values) > 0 {
		r, k = mp.values[0].m.Dims()
		lim := 0.0
		for _, v := range mp.values {
			rr, kk := v.m.Dims()
			for i := range rr {
				for j := range kk {
					if x := math.Abs(v.m.At(i, j)); !bad(x) {
						lim = math.Max(lim, x)
					}
				}
			}
		}
		if lim == 0 {
			lim = 1
		}
		cm := &ramp{stops: divergingStops, min: -lim, max: lim}
		val := func(v float64, digits int) string {
			return strings.Replace(strconv.FormatFloat(v, 'g', digits, 64), "-", "−", 1)
		}
		for n, v := range mp.values {
			pn := panel{p: mp.matrixPanel(v.title, v.m, cm, val)}
			if n == len(mp.values)-1 {
				pn.bar = colourBar(cm, mp.barLabel, roundTicks{})
			}
			panels = append(panels, pn)
		}
	}
	if mp.errs != nil {
		r, k = mp.errs.Dims()
		logs := nanDense(r, k)
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range r {
			for j := range k {
				e := mp.errs.At(i, j)
				if bad(e) {
					continue
				}
				v := math.Log10(math.Max(e, floorErr))
				logs.Set(i, j, v)
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		if lo <= hi {
			lo, hi = math.Floor(lo), math.Ceil(hi)
			if lo == hi {
				lo, hi = lo-1, hi+1
			}
			em := &ramp{stops: errorStops, min: lo, max: hi}
			exp := func(v float64, _ int) string { return expLabel(fmath.Pow(10, v)) }
			panels = append(panels, panel{p: mp.matrixPanel(mp.errTitle, logs, em, exp), bar: colourBar(em, "", expTicks{})})
			title += mp.errNote
		}
	}
	n, bars := len(panels), 0
	for _, pn := range panels {
		if pn.bar != nil {
			bars++
		}
	}
	width := figWidth
	switch {
	case n == 1:
		width = 4.5 * vg.Inch
	case n > 2:
		width = vg.Length(n) * 3.1 * vg.Inch
	}
	// about square cells: the data area is a panel less its colour bar and
	// the row axis; the title, legend and column axis take about 1.5in
	data := width/vg.Length(n) - barWidth
	if bars < n {
		data = (width - vg.Length(bars)*barWidth) / vg.Length(n)
	}
	axis, top := 0.55*vg.Inch, 1.5*vg.Inch
	if mp.rows != nil {
		axis, top = axis+0.35*vg.Inch, top+0.35*vg.Inch
	}
	cell := (data - axis) / vg.Length(k)
	height := max(2.5*vg.Inch, min(5*vg.Inch, top+vg.Length(r)*cell))
	return figure{title: title, panels: panels, width: width, height: height}.svg()
}

// matrixPanel is a plot of m as cells, with axes of row and column
// indices, or of mp's names for them.
func (mp matrixPicture) matrixPanel(title string, m *mat.Dense, cm palette.ColorMap, label func(float64, int) string) *plot.Plot {
	r, k := m.Dims()
	p := newPlot("column", "row")
	if mp.xLabel != "" {
		p.X.Label.Text, p.Y.Label.Text = mp.xLabel, mp.yLabel
	}
	if mp.rows != nil {
		p.X.Label.Text, p.Y.Label.Text = "", ""
	}
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = 11
	p.Add(cells{m: m, cm: cm, label: label})
	p.X.Min, p.X.Max = -0.5, float64(k)-0.5
	p.Y.Min, p.Y.Max = -float64(r)+0.5, 0.5
	p.X.Tick.Marker, p.Y.Tick.Marker = indexTicks{n: k, names: mp.cols}, indexTicks{n: r, neg: true, names: mp.rows}
	long := false
	for _, n := range mp.cols {
		long = long || utf8.RuneCountInString(n) > 2
	}
	if long {
		// long names stand on end under their columns
		p.X.Tick.Label.Rotation = math.Pi / 2
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	}
	p.X.Padding, p.Y.Padding = 0, 0
	return p
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

// HessianPlotFile is the name of the picture of an item's Hessian:
// NAME.ITEM.hessian.svg beside the report.
func HessianPlotFile(results, item string) string {
	return results + "." + item + ".hessian.svg"
}

// ClaimPlotFile is the name of the picture of a claimed gradient of
// matrix M: NAME.ITEM.claim_M.svg beside the report.
func ClaimPlotFile(results, item, matrix string) string {
	return results + "." + item + ".claim_" + matrix + ".svg"
}

// MaxNamedHessian is the most rows a Hessian's picture names on its axes;
// a larger one is labelled by index.
const MaxNamedHessian = 16

// hessian is a symmetric matrix of second derivatives ∂²f/∂u∂v over
// names, exact, with |numeric − exact| for each (NaN: not checked).
type hessian struct {
	names       []string
	exact, errs *mat.Dense
	at          string // the point, for a function's ("x=1;y=2")
}

// fillHessian builds the Hessian over names from rows holding ∂²f/∂u∂v
// for u ≤ v, split naming each row's u and v; nil unless the rows fill it.
func fillHessian(names []string, rows []diff.Derivative, split func(wrt string) (u, v string, ok bool)) *hessian {
	n := len(names)
	if n < 2 || len(rows) != n*(n+1)/2 {
		return nil
	}
	at := map[string]int{}
	for i, s := range names {
		at[s] = i
	}
	h := &hessian{names: names, exact: nanDense(n, n), errs: nanDense(n, n)}
	seen := map[[2]int]bool{}
	for _, d := range rows {
		u, v, ok := split(d.Wrt)
		a, oka := at[u]
		b, okb := at[v]
		if !ok || !oka || !okb || seen[[2]int{min(a, b), max(a, b)}] {
			return nil
		}
		seen[[2]int{min(a, b), max(a, b)}] = true
		for _, ij := range [][2]int{{a, b}, {b, a}} {
			h.exact.Set(ij[0], ij[1], d.Exact)
			h.errs.Set(ij[0], ij[1], d.AbsErr)
		}
	}
	return h
}

// gradientHessian is the Hessian a gradient's second derivatives fill in
// (order 2, rows "A[i,j],B[k,l]" for every pair u ≤ v of the wrt
// elements); nil when there are none, or they were taken along directions.
func gradientHessian(g *diff.Gradient) *hessian {
	split := func(wrt string) (string, string, bool) {
		u, v, ok := strings.Cut(wrt, "],")
		return u + "]", v, ok
	}
	// the rows run u = first element, v = every element, then on: the first
	// n name the elements in order
	var names []string
	for _, d := range g.Second {
		u, v, ok := split(d.Wrt)
		if !ok || len(names) > 0 && u != names[0] {
			break
		}
		names = append(names, v)
	}
	return fillHessian(names, g.Second, split)
}

// functionHessian is the Hessian of a function of two or more variables
// at its first point (order 2); nil otherwise.
func functionHessian(f *diff.Function) *hessian {
	if f.Order != 2 || f.Kind == "chain" || len(f.Points) == 0 {
		return nil
	}
	h := fillHessian(f.Vars, f.Points[0].Second, func(wrt string) (string, string, bool) { return strings.Cut(wrt, ",") })
	if h != nil {
		h.at = PointLabel(f.Vars, f.Points[0].At)
	}
	return h
}

// picture draws h, its elements named on the axes while there are at most
// MaxNamedHessian.
func (h *hessian) picture(title, bar string) ([]byte, error) {
	pic := matrixPicture{
		title:    title,
		values:   []titled{{bar + ", exact", h.exact}},
		barLabel: bar,
		errs:     h.errs,
		errTitle: "|numeric − exact|, log scale",
		errNote:  "; on the right, where the numeric check (second differences) is least accurate",
		xLabel:   "v",
		yLabel:   "u",
	}
	if len(h.names) <= MaxNamedHessian {
		pic.rows, pic.cols = h.names, h.names
	}
	return pic.svg()
}

// GradientHessianHeatmap draws the Hessian of a gradient with order 2,
// ∂²L/∂u∂v over every pair of wrt elements, as GradientHeatmap draws a
// gradient, with |numeric − exact| beside it. ok is false when the
// gradient has no whole Hessian (no order 2, or directions only).
func GradientHessianHeatmap(g *diff.Gradient) (svg []byte, ok bool, err error) {
	h := gradientHessian(g)
	if h == nil {
		return nil, false, nil
	}
	var wrt []string
	for _, m := range g.Wrt {
		wrt = append(wrt, m.Name)
	}
	what := "the elements u, v of " + strings.Join(wrt, " and ")
	if len(h.names) > MaxNamedHessian {
		what += " (numbered row by row, matrix after matrix)"
	}
	title := fmt.Sprintf("The Hessian ∂²%s/∂u∂v over %s: on the diagonal vermillion where %s curves upward along that element, blue where downward; "+
		"off it, how one element's slope changes as another grows", g.Name, what, g.Name)
	svg, err = h.picture(title, "∂²"+g.Name+"/∂u∂v")
	return svg, true, err
}

// FunctionHessianHeatmap draws the Hessian of a function of two or more
// variables with order 2 at its first point, with |numeric − exact|
// beside it. ok is false for other functions and chains.
func FunctionHessianHeatmap(f *diff.Function) (svg []byte, ok bool, err error) {
	h := functionHessian(f)
	if h == nil {
		return nil, false, nil
	}
	at := strings.ReplaceAll(h.at, ";", ", ")
	title := fmt.Sprintf("The Hessian of %s at %s: on the diagonal vermillion where %s curves upward along that variable, blue where downward; "+
		"off it, how the slope along one variable changes with the other", f.Name, at, f.Name)
	svg, err = h.picture(title, "∂²"+f.Name+"/∂u∂v")
	return svg, true, err
}

// hasClaimPicture says whether a matrix's claim is drawn: claimed of the
// exact gradient's shape, small enough to print.
func hasClaimPicture(m *diff.MatrixGradient) bool {
	return m.Claim != nil && !m.Claim.Diagnosis.Verdict.ShapeMismatch() && !Large(m.Exact)
}

// ClaimHeatmap draws a claimed gradient ∂L/∂M: when it is wrong, the
// claim beside the exact gradient on one colour scale, and |claimed −
// exact| on a log scale beside them, so the wrong elements stand out; when
// it is right, |claimed − exact| alone, how close it came. ok is false
// when nothing was claimed, or the claim has another shape (the report
// says how it differs), or the matrix is too large to print.
func ClaimHeatmap(g *diff.Gradient, m *diff.MatrixGradient) (svg []byte, ok bool, err error) {
	if !hasClaimPicture(m) {
		return nil, false, nil
	}
	c := m.Claim
	r, k := m.Exact.Dims()
	d := fmt.Sprintf("∂%s/∂%s", g.Name, m.Name)
	pic := matrixPicture{errs: nanDense(r, k), errTitle: "|claimed − exact|, log scale", barLabel: d}
	for i := range r {
		for j := range k {
			pic.errs.Set(i, j, math.Abs(c.Value.At(i, j)-m.Exact.At(i, j)))
		}
	}
	switch {
	case c.Diagnosis.Kind == claims.KindKinks:
		pic.title = fmt.Sprintf("Your %s agrees with the exact gradient except at kinks, where the exact value is a convention: |claimed − exact| of each element", d)
	case c.OK():
		pic.title = fmt.Sprintf("Your %s agrees with the exact gradient at every element (%s): |claimed − exact| of each", d, claimRule(c.Tolerance))
	default:
		pic.title = fmt.Sprintf("Your %s beside the exact one, on one colour scale: where their colours differ the claim is wrong", d)
		pic.values = []titled{{d + ", yours (claimed)", c.Value}, {d + ", exact", m.Exact}}
		pic.errNote = "; on the right |claimed − exact|, darkest where it is furthest off"
	}
	svg, err = pic.svg()
	return svg, true, err
}

// MatrixPictures are an item's Hessian and claim pictures, named as the
// report links them (HessianPlotFile, ClaimPlotFile; a function's wrong
// claim drawn by itself is NAME.ITEM.claim_X.svg for the variable X).
func MatrixPictures(results string, it diff.Item) []File {
	type picture struct {
		name string
		draw func() ([]byte, bool, error)
	}
	var pics []picture
	if f := it.Function; f != nil {
		for i := range f.Claims {
			c := &f.Claims[i]
			pics = append(pics, picture{ClaimPlotFile(results, f.Name, c.Wrt), func() ([]byte, bool, error) { return ScalarClaimPlot(f, c) }})
		}
		pics = append(pics, picture{HessianPlotFile(results, f.Name), func() ([]byte, bool, error) { return FunctionHessianHeatmap(f) }})
	}
	if g := it.Gradient; g != nil {
		for i := range g.Wrt {
			m := &g.Wrt[i]
			pics = append(pics, picture{ClaimPlotFile(results, g.Name, m.Name), func() ([]byte, bool, error) { return ClaimHeatmap(g, m) }})
		}
		pics = append(pics, picture{HessianPlotFile(results, g.Name), func() ([]byte, bool, error) { return GradientHessianHeatmap(g) }})
	}
	var files []File
	for _, p := range pics {
		if svg, ok, err := p.draw(); ok && err == nil {
			files = append(files, File{Name: p.name, Data: svg})
		}
	}
	return files
}

// hessianLink puts the picture of an item's Hessian in the report, when
// there is one (a function's at its first point, as the alt text says).
func hessianLink(b *bytes.Buffer, name, item string, h *hessian) {
	if h == nil {
		return
	}
	at := ""
	if h.at != "" {
		at = " at " + strings.ReplaceAll(h.at, ";", ", ")
	}
	fmt.Fprintf(b, "![the Hessian of %s%s as a heat map](%s)\n\n", item, at, HessianPlotFile(name, item))
}
