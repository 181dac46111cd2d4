package diff

import (
	"fmt"
	"math"
	"strconv"

	"github.com/runner-dev/runner/funcs"
)

// trace collects what an evaluation met: whether a registry function was
// evaluated exactly at one of its kinks, and the first operation whose result
// is not a finite number although its inputs were (problem says which).
type trace struct {
	kink    bool
	problem string
	// kink crossings by a numeric stencil (see side)
	record    bool
	sides     []int8
	pos       int
	crossed   bool
	crossedAt string
}

// recordSides starts recording the sides of kinked calls (before an exact
// evaluation); compareSides starts comparing against them.
func (tr *trace) recordSides() {
	tr.record, tr.sides, tr.crossed, tr.crossedAt = true, tr.sides[:0], false, ""
}
func (tr *trace) compareSides() { tr.record = false }

// crossing turns a failure into a kink when the numeric stencil crossed a
// kink: the point is differentiable, but a difference across the kink does
// not measure its derivative.
func crossing(d *Derivative, tr *trace) {
	if tr.crossed && d.Status == Fail && d.Note == "outside tolerance" {
		d.Status = Kink
		d.Note = "the numeric stencil crosses " + tr.crossedAt + ", so the difference does not measure the derivative here (the exact value stands)"
	}
}

func (tr *trace) reset() { tr.kink, tr.problem, tr.pos = false, "", 0 }

// side records or compares, for the pos-th kinked call of an evaluation,
// which side of its kink the argument x lies on: recording during the exact
// evaluation, comparing during the numeric ones, where a change of side means
// the stencil crossed the kink.
func (tr *trace) side(f *funcs.Func, x float64, p []float64) {
	var s int8
	for _, k := range f.Kinks(p) {
		switch {
		case x > k:
			s++
		case x < k:
			s--
		}
	}
	switch {
	case tr.record:
		tr.sides = append(tr.sides, s)
	case tr.pos < len(tr.sides) && tr.sides[tr.pos] != s && !tr.crossed:
		tr.crossed = true
		tr.crossedAt = fmt.Sprintf("%s's kink at %s", f.Name, g(f.Kinks(p)[0]))
	}
	tr.pos++
}

func bad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// g formats a number for a problem's description.
func g(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

func callProblem(f *funcs.Func, x float64, p []float64) string {
	call := g(x)
	for _, v := range p {
		call += ", " + g(v)
	}
	if f.In != nil && !f.In(x, p) {
		return fmt.Sprintf("%s(%s) is undefined: outside its domain %s", f.Name, call, f.Domain)
	}
	return fmt.Sprintf("%s(%s) overflows", f.Name, call)
}

func opProblem(op byte, x, y float64) string {
	switch {
	case op == '/' && y == 0:
		return fmt.Sprintf("division by zero: %s / 0", g(x))
	case op == '^' && x < 0:
		return fmt.Sprintf("%s^%s is not a real number", g(x), g(y))
	case op == '^' && x == 0:
		return fmt.Sprintf("0^%s is infinite", g(y))
	}
	return fmt.Sprintf("%s %c %s overflows", g(x), op, g(y))
}
