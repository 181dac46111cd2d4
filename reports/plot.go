package reports

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/internal/fmath"
	"github.com/runner-dev/runner/method"
)

// CurveFile is the name of a function's or chain's plot: NAME.ITEM.svg.
func CurveFile(results, item string) string { return results + "." + item + ".svg" }

// SweepFile is the name of a gradient's sweep plot: NAME.ITEM.sweep.svg.
func SweepFile(results, item string) string { return results + "." + item + ".sweep.svg" }

func bad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// MaxMarkers is about the most numeric points a curve plot marks; more are
// thinned evenly.
const MaxMarkers = 200

// kink is where a derivative jumps: the one-sided limits and the value
// the exact derivative takes there.
type kink struct{ x, left, right, at float64 }

// kinksOf lists the item's points judged kinks, by x.
func kinksOf(f *diff.Function) []kink {
	var ks []kink
	seen := map[float64]bool{}
	for k := range f.Len() {
		p := f.Point(k)
		d := p.Partials[0]
		if d.Status == diff.Kink && !seen[p.At[0]] && !bad(d.Left) && !bad(d.Right) {
			seen[p.At[0]] = true
			ks = append(ks, kink{p.At[0], d.Left, d.Right, d.Exact})
		}
	}
	sort.Slice(ks, func(a, b int) bool { return ks[a].x < ks[b].x })
	return ks
}

// jump reports whether the samples ys jump between k and k+1: a change
// more than 20 times either neighbouring change and more than a thousandth
// of the range, as at a kink the points did not land on.
func jump(ys []float64, k int, span float64) bool {
	d := math.Abs(ys[k+1] - ys[k])
	if !(d > span/1000) {
		return false
	}
	for _, n := range []int{k - 1, k + 1} {
		if n >= 0 && n+1 < len(ys) && !(d > 20*math.Abs(ys[n+1]-ys[n])) {
			return false
		}
	}
	return true
}

// brokenAt writes NaN between the samples of ys at each kink and at each
// jump, so that lines leaves a gap there; the kinks' one-sided limits are
// added as the ends of the pieces either side.
func brokenAt(xs, ys []float64, ks []kink) ([]float64, []float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, y := range ys {
		if !bad(y) {
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
	}
	var ox, oy []float64
	next := 0
	for k := range xs {
		for next < len(ks) && ks[next].x <= xs[k] {
			kk := ks[next]
			ox, oy = append(ox, kk.x, kk.x, kk.x), append(oy, kk.left, math.NaN(), kk.right)
			next++
		}
		if len(ox) > 0 && ox[len(ox)-1] == xs[k] {
			continue // the kink itself: its value is a marker, not on a line
		}
		ox, oy = append(ox, xs[k]), append(oy, ys[k])
		if k+1 < len(xs) && jump(ys, k, hi-lo) && !(next < len(ks) && ks[next].x <= xs[k+1]) {
			ox, oy = append(ox, xs[k]), append(oy, math.NaN())
		}
	}
	return ox, oy
}

// openCircle is a circle filled white and outlined: an end point a line
// comes to but does not take.
type openCircle struct{}

func (openCircle) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetColor(color.White)
	draw.CircleGlyph{}.DrawGlyph(c, draw.GlyphStyle{Color: color.White, Radius: sty.Radius}, pt)
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.25)})
	draw.RingGlyph{}.DrawGlyph(c, sty, pt)
}

var (
	openEnd   = draw.GlyphStyle{Color: okVermillion, Shape: openCircle{}, Radius: vg.Points(3.5)}
	closedEnd = draw.GlyphStyle{Color: okVermillion, Shape: draw.CircleGlyph{}, Radius: vg.Points(3.5)}
)

func scatter(pts plotter.XYs, st draw.GlyphStyle) plot.Plotter {
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil
	}
	sc.GlyphStyle = st
	return sc
}

// CurvePlot draws f (solid) and its exact derivative f′ (dashed) over the
// item's range, with the numeric derivative at each evaluated point as a
// hollow marker, as the seed's figures do, and the user's claimed
// derivative (derivative:) at each point as a cross. Where f′ jumps (a kink) its
// line breaks, with an open end at a one-sided limit the derivative does
// not take and a filled one at the value it takes; where f or f′ is
// undefined the line has a gap.
func CurvePlot(f *diff.Function) ([]byte, error) {
	p := newPlot(f.Vars[0], "")
	c := f.Curve
	ks := kinksOf(f)
	p.Add(lines(c.X, c.F, functionLine)...)
	dx, dy := brokenAt(c.X, c.D, ks)
	p.Add(lines(dx, dy, exactLine)...)
	var open, closed plotter.XYs
	for _, k := range ks {
		for _, v := range []float64{k.left, k.right} {
			if v == k.at {
				closed = append(closed, plotter.XY{X: k.x, Y: v})
			} else {
				open = append(open, plotter.XY{X: k.x, Y: v})
			}
		}
		if !bad(k.at) && k.at != k.left && k.at != k.right {
			closed = append(closed, plotter.XY{X: k.x, Y: k.at})
		}
	}
	var xs, ys []float64
	stride := max(1, f.Len()/MaxMarkers) // at most about MaxMarkers markers
	for k := 0; k < f.Len(); k += stride {
		pt := f.Point(k)
		if n := pt.Partials[0].Numeric; !bad(pt.At[0]) && !bad(n) {
			xs, ys = append(xs, pt.At[0]), append(ys, n)
		}
	}
	name := f.Name
	legend := []legendItem{
		{name, []plot.Thumbnailer{lineKey(functionLine)}},
		{name + "′ exact", []plot.Thumbnailer{lineKey(exactLine)}},
	}
	if len(xs) > 0 {
		pts := make(plotter.XYs, len(xs))
		for i := range xs {
			pts[i] = plotter.XY{X: xs[i], Y: ys[i]}
		}
		p.Add(scatter(pts, numericMarks))
		legend = append(legend, legendItem{name + "′ numeric (" + f.Settings.Method + ")", []plot.Thumbnailer{markKey(numericMarks)}})
	}
	claimed, wrong := claimedSeries(f)
	if len(claimed) > 0 {
		// crosses alone: a line joining them would cut the exact curve's
		// corners between points and look wrong where the claim is right
		var finite plotter.XYs
		for _, pt := range claimed {
			if !bad(pt.Y) {
				finite = append(finite, pt)
			}
		}
		if len(finite) > 0 {
			p.Add(scatter(finite, claimMarks))
		}
		legend = append(legend, legendItem{name + "′ yours (claimed: " + f.Claims[0].Src + ")", []plot.Thumbnailer{markKey(claimMarks)}})
	}
	if len(open) > 0 {
		p.Add(scatter(open, openEnd))
	}
	if len(closed) > 0 {
		p.Add(scatter(closed, closedEnd))
	}
	if len(ks) > 0 {
		legend = append(legend, legendItem{"kink: " + name + "′ jumps (open end not taken, filled end its value)",
			[]plot.Thumbnailer{markKey(openEnd), markKey(closedEnd)}})
	}
	roundRange(&p.Y)
	p.X.Min, p.X.Max = c.X[0], c.X[len(c.X)-1] // the whole range, undefined stretches too
	title := fmt.Sprintf("%s and its slope %s′ (dashed, exact)", name, name)
	switch {
	case wrong:
		title += ": your derivative (crosses) leaves the dashed curve where it is wrong"
	case len(claimed) > 0:
		title += ": your derivative (crosses) sits on the dashed curve, as it should"
	case len(xs) > 0:
		title += ": the numeric slopes (circles) should sit on the dashed curve"
	}
	return figure{title: title, legend: legend, panels: []panel{{p: p}}}.svg()
}

// SweepPlot draws L as one matrix element sweeps, with the tangent line the
// gradient predicts at the element's value.
func SweepPlot(g *diff.Gradient) ([]byte, error) {
	sw := g.Sweep
	el := fmt.Sprintf("%s[%d,%d]", sw.Matrix, sw.I, sw.J)
	p := newPlot(el, g.Name)
	p.Add(lines(sw.T, sw.L, functionLine)...)
	tan := make([]float64, len(sw.T))
	for k, t := range sw.T {
		tan[k] = sw.L0 + sw.Slope*(t-sw.X0)
	}
	p.Add(lines(sw.T, tan, exactLine)...)
	here := draw.GlyphStyle{Color: okBlack, Shape: draw.CircleGlyph{}, Radius: vg.Points(3.5)}
	legend := []legendItem{
		{fmt.Sprintf("%s as %s varies", g.Name, el), []plot.Thumbnailer{lineKey(functionLine)}},
		{fmt.Sprintf("tangent, slope ∂%s/∂%s = %.4g", g.Name, el, sw.Slope), []plot.Thumbnailer{lineKey(exactLine)}},
	}
	if !bad(sw.X0) && !bad(sw.L0) {
		p.Add(scatter(plotter.XYs{{X: sw.X0, Y: sw.L0}}, here))
		legend = append(legend, legendItem{fmt.Sprintf("%s at the input's %s = %.4g", g.Name, el, sw.X0), []plot.Thumbnailer{markKey(here)}})
	}
	roundRange(&p.Y)
	title := fmt.Sprintf("%s as %s varies, the rest held: the tangent at the dot has the gradient's slope", g.Name, el)
	return figure{title: title, legend: legend, panels: []panel{{p: p}}}.svg()
}

// floorErr stands in for an error of exactly zero on a log scale.
const floorErr = 1e-17

// plottedErr is where a step study's errors are drawn: an error of 0 (or
// below the floor) on the floor; an undefined or infinite one nowhere (NaN,
// a gap in the line), as on the floor it would look exact.
func plottedErr(errs []float64) []float64 {
	out := make([]float64, len(errs))
	for k, e := range errs {
		switch {
		case math.IsNaN(e) || math.IsInf(e, 0):
			e = math.NaN()
		case e < floorErr:
			e = floorErr
		}
		out[k] = e
	}
	return out
}

// StudyFile is the name of a step study's plot: NAME.ITEM.steps.svg.
func StudyFile(results, item string) string { return results + "." + item + ".steps.svg" }

// methodLook is how a step study draws each method: a colour, a marker
// and a line style of its own. Complex step is dashed with large hollow
// squares and drawn first, so that central differences, which have the
// same error until round-off sets in, show on top of it.
var methodLook = map[string]struct {
	color  color.Color
	shape  draw.GlyphDrawer
	radius vg.Length
	dashes []vg.Length
}{
	"forward":      {okOrange, draw.TriangleGlyph{}, vg.Points(3), nil},
	"backward":     {okSky, draw.PlusGlyph{}, vg.Points(3), nil},
	"central":      {okBlue, draw.CircleGlyph{}, vg.Points(2.5), nil},
	"five-point":   {okGreen, draw.BoxGlyph{}, vg.Points(2.5), nil},
	"richardson":   {okBlack, draw.CrossGlyph{}, vg.Points(3), nil},
	"complex-step": {okPurple, draw.SquareGlyph{}, vg.Points(4.5), []vg.Length{vg.Points(7), vg.Points(3)}},
}

// StudyPlot draws a step study as an SVG: each method's error against h on
// log-log axes, the best h of each ringed, and the slope a method's
// truncation error alone would have (h¹ for forward differences, h² for
// central, h⁴ for five-point) dotted through its largest step for
// reference.
func StudyPlot(name string, st *diff.Study) ([]byte, error) {
	// no y label: gonum/plot centres it at the mean of the range, which
	// on a log scale is near the top, and pads the plot for it
	p := newPlot("step h", "")
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = decades{}, decades{}
	draws := make([]int, 0, len(st.Methods))
	for m, name := range st.Methods {
		if name == "complex-step" {
			draws = append([]int{m}, draws...)
		} else {
			draws = append(draws, m)
		}
	}
	var legend []legendItem
	for _, m := range draws {
		name := st.Methods[m]
		look, ok := methodLook[name]
		if !ok {
			look = methodLook["richardson"]
		}
		ys := plottedErr(st.Err[m])
		pts := make(plotter.XYs, len(st.Steps))
		var defined plotter.XYs
		for k, h := range st.Steps {
			pts[k] = plotter.XY{X: h, Y: ys[k]}
			if !math.IsNaN(ys[k]) {
				defined = append(defined, pts[k])
			}
		}
		line := draw.LineStyle{Color: look.color, Width: vg.Points(1.5), Dashes: look.dashes}
		marks := draw.GlyphStyle{Color: look.color, Shape: look.shape, Radius: look.radius}
		if meth := method.Get(name); meth.Slope {
			q := float64(meth.Order)
			// the truncation slope h^q through the largest step's error
			h0, e0 := pts[0].X, pts[0].Y
			if len(defined) > 0 {
				h0, e0 = defined[0].X, defined[0].Y
			}
			var rx, ry []float64
			for _, h := range st.Steps {
				if e := e0 * fmath.Pow(h/h0, q); e >= floorErr {
					rx, ry = append(rx, h), append(ry, e)
				}
			}
			p.Add(lines(rx, ry, draw.LineStyle{Color: look.color, Width: vg.Points(0.75), Dashes: []vg.Length{vg.Points(1), vg.Points(2.5)}})...)
		}
		p.Add(lines(st.Steps, ys, line)...)
		if len(defined) > 0 {
			p.Add(scatter(defined, marks))
		}
		if best := pts[st.Best[m]]; !math.IsNaN(best.Y) {
			p.Add(scatter(plotter.XYs{best}, draw.GlyphStyle{Color: look.color, Shape: draw.RingGlyph{}, Radius: vg.Points(7.5)}))
		}
	}
	for m, method := range st.Methods {
		look, ok := methodLook[method]
		if !ok {
			look = methodLook["richardson"]
		}
		legend = append(legend, legendItem{method, []plot.Thumbnailer{
			lineKey(draw.LineStyle{Color: look.color, Width: vg.Points(1.5), Dashes: look.dashes}),
			markKey(draw.GlyphStyle{Color: look.color, Shape: look.shape, Radius: look.radius})}})
		_ = m
	}
	maxErr := floorErr
	for m := range st.Methods {
		for _, e := range st.Err[m] {
			if e > maxErr && !math.IsInf(e, 0) {
				maxErr = e
			}
		}
	}
	p.Y.Min, p.Y.Max = floorErr/2, maxErr*10
	title := fmt.Sprintf("d/dx %s at x = %g: each method's error |numeric − exact| falls as the step h shrinks (dotted: its truncation slope) until round-off takes over; rings mark the best h",
		name, st.At)
	return figure{title: title, legend: legend, panels: []panel{{p: p}}}.svg()
}

// claimMarks draws a claimed derivative: crosses, in a fourth colour.
var claimMarks = draw.GlyphStyle{Color: okPurple, Shape: draw.CrossGlyph{}, Radius: vg.Points(4)}

// claimedSeries is a one-variable function's claimed derivative at its
// points, by x, each x once (at most about MaxMarkers, thinned evenly),
// and whether the claim is wrong.
func claimedSeries(f *diff.Function) (plotter.XYs, bool) {
	if len(f.Claims) == 0 {
		return nil, false
	}
	seen := map[float64]bool{}
	var pts plotter.XYs
	stride := max(1, len(f.Points)/MaxMarkers)
	for k := 0; k < len(f.Points); k += stride {
		p := f.Points[k]
		c := p.Partials[0].Claim
		if c == nil || bad(p.At[0]) || seen[p.At[0]] {
			continue
		}
		seen[p.At[0]] = true
		pts = append(pts, plotter.XY{X: p.At[0], Y: c.Value})
	}
	sort.SliceStable(pts, func(a, b int) bool { return pts[a].X < pts[b].X })
	return pts, !f.Claims[0].OK()
}

// hasScalarClaimPlot says whether the claimed derivative c of f gets a
// plot of its own: when it is wrong, f has no curve plot to show it on
// (several variables, or too few points), and claimed and exact are both
// finite somewhere.
func hasScalarClaimPlot(f *diff.Function, c *diff.ScalarClaim) bool {
	return !c.OK() && f.Curve == nil && len(claimedAgainstExact(f, c)) > 0
}

// claimedAgainstExact is (exact, claimed) at each point where both are
// finite.
func claimedAgainstExact(f *diff.Function, c *diff.ScalarClaim) plotter.XYs {
	idx := 0
	for i, v := range f.Vars {
		if v == c.Wrt {
			idx = i
		}
	}
	var pts plotter.XYs
	for _, p := range f.Points {
		d := p.Partials[idx]
		if d.Claim != nil && !bad(d.Exact) && !bad(d.Claim.Value) {
			pts = append(pts, plotter.XY{X: d.Exact, Y: d.Claim.Value})
		}
	}
	return pts
}

// claimName is a claimed derivative's name: f′ for one variable, ∂f/∂x
// for several.
func claimName(f *diff.Function, wrt string) string {
	if len(f.Vars) == 1 {
		return f.Name + "′"
	}
	return "∂" + f.Name + "/∂" + wrt
}

// ScalarClaimPlot draws a wrong claimed derivative against the exact one,
// a cross at each point: a right claim would put every cross on the
// dashed diagonal, claimed = exact. ok is false where the claim is drawn
// on the function's curve plot instead, or is right.
func ScalarClaimPlot(f *diff.Function, c *diff.ScalarClaim) (svg []byte, ok bool, err error) {
	if !hasScalarClaimPlot(f, c) {
		return nil, false, nil
	}
	pts := claimedAgainstExact(f, c)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pt := range pts {
		lo, hi = math.Min(lo, math.Min(pt.X, pt.Y)), math.Max(hi, math.Max(pt.X, pt.Y))
	}
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	name := claimName(f, c.Wrt)
	p := newPlot(name+" exact", name+" yours (claimed)")
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lo, hi, lo, hi
	roundRange(&p.X)
	roundRange(&p.Y)
	p.Add(lines([]float64{p.X.Min, p.X.Max}, []float64{p.X.Min, p.X.Max}, exactLine)...)
	p.Add(scatter(pts, claimMarks))
	legend := []legendItem{
		{"claimed = exact", []plot.Thumbnailer{lineKey(exactLine)}},
		{fmt.Sprintf("%s yours (claimed: %s) at each point", name, c.Src), []plot.Thumbnailer{markKey(claimMarks)}},
	}
	title := fmt.Sprintf("Your %s against the exact one at each point: a right claim puts every cross on the dashed diagonal; %s", name, c.Diagnosis.Summary)
	svg, err = figure{title: title, legend: legend, panels: []panel{{p: p}}, width: 5.5 * vg.Inch, height: 5.5 * vg.Inch}.svg()
	return svg, true, err
}
