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
)

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
				if e := e0 * math.Pow(h/h0, q); e >= floorErr {
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

// decades marks every power of ten in range, labelling one in every.
type decades struct{ every int }

// Ticks returns a major tick at each labelled power of ten and minor ticks
// at the others.
func (d decades) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	lo, hi := int(math.Floor(math.Log10(min))), int(math.Ceil(math.Log10(max)))
	for k := lo; k <= hi; k++ {
		v := math.Pow(10, float64(k))
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
