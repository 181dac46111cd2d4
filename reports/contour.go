package reports

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/runner-dev/runner/diff"
)

// surfaceGrid is a Surface as gonum/plot's GridXYZ: column c is X[c], row
// r is Y[r].
type surfaceGrid struct{ s *diff.Surface }

func (g surfaceGrid) Dims() (c, r int)   { return len(g.s.X), len(g.s.Y) }
func (g surfaceGrid) Z(c, r int) float64 { return g.s.F[r][c] }
func (g surfaceGrid) X(c int) float64    { return g.s.X[c] }
func (g surfaceGrid) Y(r int) float64    { return g.s.Y[r] }
func (g surfaceGrid) finite() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range g.s.F {
		for _, v := range row {
			if !bad(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}

// contourLines draws the curves f = z for each level z, found cell by
// cell (marching squares) in grid order, so the same surface gives the
// same bytes; a saddle cell is split by its centre's value. gonum/plot's
// own Contour gathers its paths through maps, whose order varies from run
// to run.
type contourLines struct {
	g      surfaceGrid
	levels []float64
	style  draw.LineStyle
}

func (cl contourLines) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	s := cl.g.s
	for _, z := range cl.levels {
		var path vg.Path
		for j := 0; j+1 < len(s.Y); j++ {
			for i := 0; i+1 < len(s.X); i++ {
				// corners anticlockwise from bottom left
				xs := [4]float64{s.X[i], s.X[i+1], s.X[i+1], s.X[i]}
				ys := [4]float64{s.Y[j], s.Y[j], s.Y[j+1], s.Y[j+1]}
				fs := [4]float64{s.F[j][i], s.F[j][i+1], s.F[j+1][i+1], s.F[j+1][i]}
				if bad(fs[0]) || bad(fs[1]) || bad(fs[2]) || bad(fs[3]) {
					continue
				}
				var cross []vg.Point
				for e := range 4 {
					a, b := fs[e], fs[(e+1)%4]
					if (a >= z) == (b >= z) {
						continue
					}
					t := (z - a) / (b - a)
					x := xs[e] + t*(xs[(e+1)%4]-xs[e])
					y := ys[e] + t*(ys[(e+1)%4]-ys[e])
					cross = append(cross, vg.Point{X: trX(x), Y: trY(y)})
				}
				if len(cross) == 4 && (fs[0]+fs[1]+fs[2]+fs[3])/4 >= z != (fs[0] >= z) {
					// the centre sides with corners 1 and 3: join them, cutting off 0 and 2
					cross = []vg.Point{cross[1], cross[2], cross[3], cross[0]}
				}
				for k := 0; k+1 < len(cross); k += 2 {
					path.Move(cross[k])
					path.Line(cross[k+1])
				}
			}
		}
		if len(path) > 0 {
			c.SetLineStyle(cl.style)
			c.Stroke(path)
		}
	}
}

// arrow is a vector (dx, dy) drawn from (x, y).
type arrow struct{ x, y, dx, dy float64 }

// arrows draws each vector as an arrow of one length, a tenth of the data
// area's smaller side, from a dot at its point, so that every direction
// reads however short the vector; the dot is labelled with the vector's
// length. A zero vector is the dot alone.
type arrows struct{ as []arrow }

func (ar arrows) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	size := c.Size()
	unit := 0.1 * min(size.X, size.Y)
	line := draw.LineStyle{Color: okBlack, Width: vg.Points(1.5)}
	label := textStyle(9)
	label.Color = okBlack
	for _, a := range ar.as {
		if bad(a.x) || bad(a.y) {
			continue
		}
		x0, y0 := trX(a.x), trY(a.y)
		c.SetColor(okBlack)
		draw.CircleGlyph{}.DrawGlyph(&c, draw.GlyphStyle{Color: okBlack, Radius: vg.Points(2.5)}, vg.Point{X: x0, Y: y0})
		// the direction on the page: the data's units on each axis differ
		vx, vy := float64(trX(a.x+a.dx)-x0), float64(trY(a.y+a.dy)-y0)
		n := math.Hypot(vx, vy)
		label.XAlign, label.YAlign = draw.XLeft, draw.YTop
		ux, uy := 0.0, 0.0
		if n > 0 && !bad(n) {
			ux, uy = vx/n, vy/n
			tip := vg.Point{X: x0 + unit*vg.Length(ux), Y: y0 + unit*vg.Length(uy)}
			c.StrokeLine2(line, x0, y0, tip.X, tip.Y)
			head := vg.Points(6) // two strokes back from the tip at ±25°
			for _, deg := range []float64{25, -25} {
				r := deg * math.Pi / 180
				hx := -(ux*math.Cos(r) - uy*math.Sin(r))
				hy := -(ux*math.Sin(r) + uy*math.Cos(r))
				c.StrokeLine2(line, tip.X, tip.Y, tip.X+head*vg.Length(hx), tip.Y+head*vg.Length(hy))
			}
		}
		// the length, on the side away from the arrow
		if ux > 0 {
			label.XAlign = draw.XRight
		}
		if uy < 0 {
			label.YAlign = draw.YBottom
		}
		off := vg.Points(4)
		dx, dy := off, -off
		if ux > 0 {
			dx = -off
		}
		if uy < 0 {
			dy = off
		}
		at, txt := vg.Point{X: x0 + dx, Y: y0 + dy}, strconv.FormatFloat(math.Hypot(a.dx, a.dy), 'g', 3, 64)
		box := label.Rectangle(txt).Add(at)
		box.Min, box.Max = box.Min.Sub(vg.Point{X: 1.5, Y: 1}), box.Max.Add(vg.Point{X: 1.5, Y: 1})
		c.SetColor(color.NRGBA{0xFF, 0xFF, 0xFF, 0xD0}) // a light backing, so the number reads over any colour
		c.Fill(box.Path())
		c.FillText(label, at, txt)
	}
}

// Thumbnail draws a short arrow for the legend.
func (arrows) Thumbnail(c *draw.Canvas) {
	line := draw.LineStyle{Color: okBlack, Width: vg.Points(1.5)}
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(line, c.Min.X, y, c.Max.X, y)
	c.StrokeLine2(line, c.Max.X, y, c.Max.X-5, y+2.5)
	c.StrokeLine2(line, c.Max.X, y, c.Max.X-5, y-2.5)
}

// curvature is a Hessian's eigen-pair at a point: the direction (dx, dy)
// in which f curves by l.
type curvature struct{ x, y, dx, dy, l float64 }

// curvatureLines draws each eigen-direction as a segment centred on its
// point, its length in proportion to |l| (the larger of the point's two a
// fifth of the data area's smaller side, the smaller at least a quarter of
// that): solid where f curves up (l > 0), dotted where it curves down.
type curvatureLines struct{ cs []curvature }

var (
	curvesUp   = draw.LineStyle{Color: okBlue, Width: vg.Points(2)}
	curvesDown = draw.LineStyle{Color: okBlue, Width: vg.Points(2), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
)

func (cl curvatureLines) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	size := c.Size()
	unit := 0.1 * min(size.X, size.Y)
	for k := 0; k+1 < len(cl.cs); k += 2 {
		big := math.Max(math.Abs(cl.cs[k].l), math.Abs(cl.cs[k+1].l))
		for _, cv := range cl.cs[k : k+2] {
			if bad(cv.x) || bad(cv.y) || bad(cv.l) || big == 0 {
				continue
			}
			x0, y0 := trX(cv.x), trY(cv.y)
			// the direction on the page, as for the gradient's arrows
			vx, vy := float64(trX(cv.x+cv.dx)-x0), float64(trY(cv.y+cv.dy)-y0)
			n := math.Hypot(vx, vy)
			if n == 0 || bad(n) {
				continue
			}
			half := unit * vg.Length(math.Max(0.25, math.Abs(cv.l)/big))
			ux, uy := vg.Length(vx/n)*half, vg.Length(vy/n)*half
			style := curvesUp
			if cv.l < 0 {
				style = curvesDown
			}
			c.StrokeLine2(style, x0-ux, y0-uy, x0+ux, y0+uy)
		}
	}
}

// curvatures are the eigen-pairs of f's exact Hessian at each point with
// second derivatives, two a point.
func curvatures(f *diff.Function) []curvature {
	var out []curvature
	for _, pt := range f.Points {
		h := map[string]float64{}
		for _, d := range pt.Second {
			h[d.Wrt] = d.Exact
		}
		x, y := f.Vars[0], f.Vars[1]
		a, okA := h[x+","+x]
		b, okB := h[x+","+y]
		c, okC := h[y+","+y]
		if !okA || !okB || !okC {
			continue
		}
		l1, l2, v1, v2 := diff.Eigen2(a, b, c)
		out = append(out, curvature{pt.At[0], pt.At[1], v1[0], v1[1], l1}, curvature{pt.At[0], pt.At[1], v2[0], v2[1], l2})
	}
	return out
}

// contourLevels are round values across [lo, hi], about a dozen.
func contourLevels(lo, hi float64) []float64 {
	step := roundStep(lo, hi) / 2
	if !(step > 0) {
		return nil
	}
	var out []float64
	for k := math.Floor(lo/step) + 1; k*step < hi; k++ {
		out = append(out, k*step)
	}
	return out
}

// ContourPlot draws a two-variable function f over the box around its
// points (its Surface) as colour, light for low values and dark for high,
// with contour lines at round levels, and its exact gradient as an arrow
// at each point: the arrow points uphill, across the contour lines.
func ContourPlot(f *diff.Function) ([]byte, error) {
	s := f.Surface
	g := surfaceGrid{s}
	lo, hi := g.finite()
	if !(lo <= hi) {
		return nil, fmt.Errorf("%s: no finite value on the grid", f.Name)
	}
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	cm := &ramp{stops: valueStops, min: lo, max: hi}
	p := newPlot(f.Vars[0], f.Vars[1])
	hm := plotter.NewHeatMap(g, cm.Palette(256))
	hm.Min, hm.Max, hm.Rasterized = lo, hi, true
	p.Add(hm)
	p.Add(contourLines{g: g, levels: contourLevels(lo, hi), style: draw.LineStyle{Color: zeroGrey, Width: vg.Points(0.6)}})
	var as []arrow
	for _, pt := range f.Points {
		as = append(as, arrow{pt.At[0], pt.At[1], pt.Partials[0].Exact, pt.Partials[1].Exact})
	}
	ar := arrows{as: as}
	cvs := curvatures(f)
	if len(cvs) > 0 {
		p.Add(curvatureLines{cvs})
	}
	p.Add(ar)
	p.X.Min, p.X.Max = s.X[0], s.X[len(s.X)-1]
	p.Y.Min, p.Y.Max = s.Y[0], s.Y[len(s.Y)-1]
	name := f.Name
	legend := []legendItem{
		{fmt.Sprintf("direction of ∇%s = (∂%s/∂%s, ∂%s/∂%s), exact; the number is its length", name, name, f.Vars[0], name, f.Vars[1]), []plot.Thumbnailer{ar}},
		{name + " = const", []plot.Thumbnailer{lineKey(draw.LineStyle{Color: zeroGrey, Width: vg.Points(0.6)})}},
	}
	if len(cvs) > 0 {
		legend = append(legend, legendItem{"Hessian's eigen-directions, length ∝ |λ|: " + name + " curves up (λ > 0)", []plot.Thumbnailer{lineKey(curvesUp)}},
			legendItem{"or down (λ < 0)", []plot.Thumbnailer{lineKey(curvesDown)}})
	}
	title := fmt.Sprintf("%s(%s, %s), dark where high: each gradient arrow points uphill, across the contours",
		name, f.Vars[0], f.Vars[1])
	bar := colourBar(cm, name, roundTicks{})
	return figure{title: title, legend: legend, panels: []panel{{p: p, bar: bar}}}.svg()
}
