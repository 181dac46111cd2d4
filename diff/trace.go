package diff

import (
	"fmt"
	"math"
	"strings"

	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/ops"
)

// trace is one evaluation's context. It collects what the evaluation met:
// whether a registry function was evaluated exactly at one of its kinks, and
// the first operation whose result is not a finite number although its
// inputs were (problem says which). oneSided, 0 or ±1, asks for the
// derivative from the right or the left where a function has a kink.
type trace struct {
	kink     bool
	problem  string
	oneSided float64
	// kink crossings by a numeric stencil (see side)
	record    bool
	sides     []int8
	pos       int
	crossed   bool
	crossedAt string
	// jump names the first jump of a function's value met by an argument
	// that moves with the variable ("sign jumps at 0"); "" for none
	jump string
}

// recordSides starts recording the sides of kinked calls (before an exact
// evaluation); compareSides starts comparing against them.
func (tr *trace) recordSides() {
	tr.record, tr.sides, tr.crossed, tr.crossedAt = true, tr.sides[:0], false, ""
}
func (tr *trace) compareSides() { tr.record = false }

// crossing turns a failure into a kink when the numeric stencil crossed a
// kink (or a break, where f″ jumps), named by crossedAt ("" for none): the
// point is differentiable, but a difference across the kink does not
// measure its derivative. at says the point is itself on the kink, where
// the one-sided derivatives agreed.
//
// A method's own error estimate (richardson's) assumes f is smooth across
// the stencil: where it crosses a kink the estimate is dropped, and the
// note says why.
func crossing(d *Derivative, crossedAt string, at bool) {
	if crossedAt == "" {
		return
	}
	if d.Status == Fail && strings.HasPrefix(d.Note, "outside tolerance") {
		d.Status = Kink
		d.Note = "the numeric stencil crosses " + crossedAt + ", so the difference does not measure the derivative here (the exact value stands)"
		if at {
			d.Note = "differentiable here (the one-sided derivatives agree), but " + d.Note
		}
	}
	if !math.IsNaN(d.ErrEst) {
		d.ErrEst = math.NaN()
		est := "no error estimate: it assumes f smooth across the stencil, which crosses " + crossedAt
		if strings.Contains(d.Note, crossedAt) {
			est = "no error estimate: it assumes f smooth across the stencil"
		}
		if d.Note == "" {
			d.Note = est
		} else {
			d.Note += "; " + est
		}
	}
}

func (tr *trace) reset() { tr.kink, tr.problem, tr.pos, tr.jump = false, "", 0, "" }

// noteJump notes, where f's value jumps at a (Jumps) and a moves with the
// variable (a nonzero tangent), that the evaluation met a jump.
func noteJump[T number[T]](tr *trace, f *funcs.Func, p []float64, a T) {
	if !f.Jumps || tr.jump != "" || !f.IsKink(a.re(), p) {
		return
	}
	moves := true
	switch v := any(a).(type) {
	case dual:
		moves = v.d != 0
	case hyper:
		moves = v.d1 != 0 || v.d2 != 0
	}
	if moves {
		tr.jump = jumpAt(f, a.re())
	}
}

func jumpAt(f *funcs.Func, x float64) string { return fmt.Sprintf("%s jumps at %s", f.Name, g(x)) }

// jumped marks a derivative where the function's value jumps (what says
// which function and where): it is not differentiable there, whatever its
// one-sided derivatives; there are no one-sided cells.
func jumped(d *Derivative, what string) {
	d.Status, d.Note = Kink, "not differentiable here: the function jumps ("+what+")"
	d.Left, d.Right = math.NaN(), math.NaN()
}

// side records or compares, for the pos-th kinked call of an evaluation,
// which side of its kink the argument x lies on: recording during the exact
// evaluation, comparing during the numeric ones, where a change of side means
// the stencil crossed the kink.
func (tr *trace) side(f *funcs.Func, x float64, p []float64) {
	s := breakSide(f, x, p)
	switch {
	case tr.record:
		tr.sides = append(tr.sides, s)
	case tr.pos < len(tr.sides) && tr.sides[tr.pos] != s && !tr.crossed:
		tr.crossed = true
		tr.crossedAt = crossedAt(f, p)
	}
	tr.pos++
}

// breakSide says where x lies among f's breaks: a change of it between two
// points means a break lies between them (or at one of them).
func breakSide(f *funcs.Func, x float64, p []float64) int8 {
	var s int8
	for _, k := range f.BreakPoints(p) {
		switch {
		case x > k:
			s++
		case x < k:
			s--
		}
	}
	return s
}

// crossedAt names the break of f that a stencil crossed: a kink, or a
// point where only f″ jumps.
func crossedAt(f *funcs.Func, p []float64) string {
	k := f.BreakPoints(p)[0]
	if f.IsKink(k, p) {
		return fmt.Sprintf("%s's kink at %s", f.Name, g(k))
	}
	return fmt.Sprintf("%s's break at %s (where its second derivative jumps)", f.Name, g(k))
}

// note keeps the first problem an evaluation met.
func (tr *trace) note(s string) {
	if tr.problem == "" {
		tr.problem = s
	}
}

func bad(x float64) bool { return ops.Bad(x) }

// g formats a number for a problem's description.
func g(x float64) string { return ops.G(x) }

func callProblem(f *funcs.Func, x float64, p []float64) string { return ops.CallProblem(f, x, p) }

func opProblem(op byte, x, y float64) string { return ops.OpProblem(op, x, y) }
