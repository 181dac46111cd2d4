package reports

import (
	"bytes"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/internal/fmath"
)

// CurveFile is the name of a function's or chain's plot: NAME.ITEM.svg.
func CurveFile(results, item string) string { return results + "." + item + ".svg" }

// SweepFile is the name of a gradient's sweep plot: NAME.ITEM.sweep.svg.
func SweepFile(results, item string) string { return results + "." + item + ".sweep.svg" }

func svg(p *plot.Plot) ([]byte, error) {
	w, err := p.WriterTo(7*vg.Inch, 4.5*vg.Inch, "svg")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := w.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// finite keeps the points whose coordinates are finite (a plot cannot place
// the others).
func finite(xs, ys []float64) plotter.XYs {
	var out plotter.XYs
	for i := range xs {
		if !bad(xs[i]) && !bad(ys[i]) {
			out = append(out, plotter.XY{X: xs[i], Y: ys[i]})
		}
	}
	return out
}

func bad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// MaxMarkers is about the most numeric points a curve plot marks; more are
// thinned evenly.
const MaxMarkers = 200

// CurvePlot draws f and its exact derivative f′ over the item's range, with
// the numeric derivative at each evaluated point marked, as the seed's
// figures do.
func CurvePlot(f *diff.Function) ([]byte, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s and its derivative", f.Name)
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.X.Label.Text = f.Vars[0]
	p.Add(plotter.NewGrid())
	p.Legend.Top, p.Legend.Left = true, true
	c := f.Curve
	for i, series := range []struct {
		name string
		ys   []float64
	}{{f.Name, c.F}, {f.Name + "′ (exact)", c.D}} {
		pts := finite(c.X, series.ys)
		if len(pts) == 0 {
			continue
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = plotutil.Color(i), vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(series.name, l)
	}
	var xs, ys []float64
	stride := max(1, len(f.Points)/MaxMarkers) // at most about MaxMarkers markers
	for k := 0; k < len(f.Points); k += stride {
		pt := f.Points[k]
		xs, ys = append(xs, pt.At[0]), append(ys, pt.Partials[0].Numeric)
	}
	if pts := finite(xs, ys); len(pts) > 0 {
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		sc.Color, sc.Shape, sc.Radius = plotutil.Color(1), draw.CircleGlyph{}, vg.Points(3)
		p.Add(sc)
		p.Legend.Add(f.Name+"′ (numeric, "+f.Settings.Method+")", sc)
	}
	headroom(p, c.F, c.D, ys)
	return svg(p)
}

// headroom raises the y axis above the data by 40% of its range, so that
// the legend in the top corner covers no curve.
func headroom(p *plot.Plot, series ...[]float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, v := range s {
			if !bad(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if lo < hi {
		p.Y.Min, p.Y.Max = lo-0.05*(hi-lo), hi+0.4*(hi-lo)
	}
}

// SweepPlot draws L as one matrix element sweeps, with the tangent line the
// gradient predicts at the element's value.
func SweepPlot(g *diff.Gradient) ([]byte, error) {
	sw := g.Sweep
	el := fmt.Sprintf("%s[%d,%d]", sw.Matrix, sw.I, sw.J)
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s as %s varies, the rest held", g.Name, el)
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.X.Label.Text = el
	p.Y.Label.Text = g.Name
	p.Add(plotter.NewGrid())
	p.Legend.Top, p.Legend.Left = true, true
	pts := finite(sw.T, sw.L)
	if len(pts) > 0 {
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = plotutil.Color(0), vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(g.Name, l)
	}
	tan := make([]float64, len(sw.T))
	for k, t := range sw.T {
		tan[k] = sw.L0 + sw.Slope*(t-sw.X0)
	}
	if tp := finite(sw.T, tan); len(tp) > 0 {
		l, err := plotter.NewLine(tp)
		if err != nil {
			return nil, err
		}
		l.Color, l.Dashes = plotutil.Color(1), []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("tangent, slope ∂%s/∂%s = %.4g", g.Name, el, sw.Slope), l)
	}
	if !bad(sw.X0) && !bad(sw.L0) {
		dot, err := plotter.NewScatter(plotter.XYs{{X: sw.X0, Y: sw.L0}})
		if err != nil {
			return nil, err
		}
		dot.Color, dot.Shape, dot.Radius = plotutil.Color(1), draw.CircleGlyph{}, vg.Points(3.5)
		p.Add(dot)
	}
	headroom(p, sw.L, tan)
	return svg(p)
}

// floorErr stands in for an error of exactly zero on a log scale.
const floorErr = 1e-17

// StudyFile is the name of a step study's plot: NAME.ITEM.steps.svg.
func StudyFile(results, item string) string { return results + "." + item + ".steps.svg" }

// StudyPlot draws a step study as an SVG: each method's error against h on
// log-log axes, the best h of each marked, and the slope a method's
// truncation error alone would have (h¹ for forward differences, h² for
// central, h⁴ for five-point) drawn through its largest step for reference.
func StudyPlot(name string, st *diff.Study) ([]byte, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("d/dx %s at x = %g: error against the step h", name, st.At)
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.X.Label.Text = "step h"
	p.Y.Label.Text = "|numeric − exact|"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = decades{every: 2}, decades{every: 2}
	p.Legend.Top = true
	p.Legend.Left = false
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	order := map[string]float64{"forward": 1, "backward": 1, "central": 2, "five-point": 4}
	for m, method := range st.Methods {
		pts := make(plotter.XYs, len(st.Steps))
		for k, h := range st.Steps {
			e := st.Err[m][k]
			if !(e > floorErr) || math.IsInf(e, 0) {
				e = floorErr
			}
			pts[k] = plotter.XY{X: h, Y: e}
		}
		line, scatter, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		line.Color = plotutil.Color(m)
		line.Width = vg.Points(1.5)
		scatter.Color = plotutil.Color(m)
		scatter.Shape = plotutil.Shape(m)
		scatter.Radius = vg.Points(2.5)
		best, err := plotter.NewScatter(plotter.XYs{pts[st.Best[m]]})
		if err != nil {
			return nil, err
		}
		best.Color = plotutil.Color(m)
		best.Shape = draw.RingGlyph{}
		best.Radius = vg.Points(7)
		p.Add(line, scatter, best)
		p.Legend.Add(method, line, scatter)
		if q, ok := order[method]; ok {
			// the truncation slope hq through the largest step's error
			h0, e0 := pts[0].X, pts[0].Y
			var ref plotter.XYs
			for _, h := range st.Steps {
				if e := e0 * fmath.Pow(h/h0, q); e >= floorErr {
					ref = append(ref, plotter.XY{X: h, Y: e})
				}
			}
			if len(ref) > 1 {
				l, err := plotter.NewLine(ref)
				if err != nil {
					return nil, err
				}
				l.Color = plotutil.Color(m)
				l.Dashes = []vg.Length{vg.Points(2), vg.Points(3)}
				l.Width = vg.Points(0.75)
				p.Add(l)
			}
		}
	}
	// headroom above the largest error for the legend
	maxErr := floorErr
	for m := range st.Methods {
		for _, e := range st.Err[m] {
			if e > maxErr && !math.IsInf(e, 0) {
				maxErr = e
			}
		}
	}
	p.Y.Min, p.Y.Max = floorErr/2, maxErr*1e5
	p.Add(plotter.NewGrid())
	return svg(p)
}

// decades marks every power of ten in range, labelling one in every.
type decades struct{ every int }

// Ticks returns a major tick at each labelled power of ten and minor ticks
// at the others.
func (d decades) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	lo, hi := int(math.Floor(math.Log10(min))), int(math.Ceil(math.Log10(max)))
	for k := lo; k <= hi; k++ {
		v := fmath.Pow(10, float64(k))
		if v < min || v > max {
			continue
		}
		label := ""
		if d.every <= 1 || (k%d.every+d.every)%d.every == 0 {
			label = fmt.Sprintf("1e%d", k)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}
