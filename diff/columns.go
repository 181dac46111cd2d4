package diff

import (
	"math"
	"runtime"
	"sync"

	"github.com/runner-dev/runner/internal/mem"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/spec"
)

// ColumnsMinPoints is the fewest points a first-order chain needs for its
// results to be held as columns (pointColumns) rather than as a Point each:
// about 33 bytes a point instead of about 300, so that a sweep of 10⁷
// points fits in a few hundred megabytes. The reports read either form
// through Function.Len, Function.Point and Function.LinksAt, the same bytes.
var ColumnsMinPoints = 1 << 17

// columnar reports whether c's results are held as columns: a first-order
// chain of ColumnsMinPoints points or more, with no claimed derivatives
// (checking a claim rewrites its rows).
func columnar(c *spec.Chain) bool {
	return c.Order == 1 && len(c.Claims) == 0 && len(c.Points) > 0 && len(c.Points) >= ColumnsMinPoints
}

// pointColumns are a long chain's results column by column: the point, the
// value, the exact and the numeric derivative, and the numeric derivative's
// error bound (its value: the reports show no more of a plain point's). A derivative that is not
// plain (see plain) is held whole in special; the link values are walked
// again when asked for (the same bits: the same evaluations in the same
// order).
type pointColumns struct {
	at, value, exact, numeric []float64
	bound                     []float64 // Bound.Value(), held as Bound{Truncation: bound, Rounding: 0}
	numericOn                 bool
	special                   map[int]Derivative
	isSpecial                 []uint64 // bit k: point k is in special (a map lookup per point costs more than the rest of it)
	links                     func(k int) []LinkValue
}

// plain is the derivative an ordinary point has, from its columns: with
// respect to x, ok, no note, no one-sided derivatives or error estimate,
// and |numeric − exact| as its error (NaN with method none).
func (c *pointColumns) plain(k int) Derivative {
	d := newDerivative("x", c.exact[k])
	d.Numeric, d.Status, d.AbsErr = c.numeric[k], OK, math.NaN()
	if c.numericOn {
		d.AbsErr = math.Abs(d.Numeric - d.Exact)
		d.Bound = method.Bound{Truncation: c.bound[k]}
	}
	return d
}

// same reports whether a and b are the same derivative bit for bit, as the
// reports show a derivative that is ok and has no note: of its error
// bound, the value (which term is the larger is said only in a note).
func same(a, b Derivative) bool {
	eq := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
	return a.Wrt == b.Wrt && a.Status == b.Status && a.Note == b.Note && eq(a.Exact, b.Exact) && eq(a.Numeric, b.Numeric) &&
		eq(a.ErrEst, b.ErrEst) && eq(a.AbsErr, b.AbsErr) && eq(a.Left, b.Left) && eq(a.Right, b.Right) && a.Claim == b.Claim &&
		eq(a.Bound.Value(), b.Bound.Value())
}

// fillColumns computes the chain's points into columns: point(k, w) is the
// k-th point, computed with scratch w of one point (its slices are reused).
func fillColumns(out *Function, at []float64, numericOn bool, start func() *chainScratch, point func(k int, w *chainScratch) Point, links func(k int) []LinkValue) {
	n := len(at)
	// The loader's garbage (a point list of 10⁷ points is a few hundred
	// megabytes of small slices) is collected before the columns are
	// allocated, so that they reuse its memory rather than add to it.
	runtime.GC()
	c := &pointColumns{at: at, value: mem.Floats(n), exact: mem.Floats(n), numeric: mem.Floats(n), numericOn: numericOn,
		bound: mem.Floats(n), special: map[int]Derivative{}, isSpecial: make([]uint64, (n+63)/64), links: links}
	var mu sync.Mutex
	type chunk struct {
		w       *chainScratch
		special []int
		derivs  []Derivative
	}
	var chunks []*chunk
	fill(n, func(lo, hi int) *chunk {
		ch := &chunk{w: start()}
		mu.Lock()
		chunks = append(chunks, ch)
		mu.Unlock()
		return ch
	}, func(k int, ch *chunk) {
		ch.w.lo = k // the scratch holds this one point
		p := point(k, ch.w)
		d := p.Partials[0]
		c.value[k], c.exact[k], c.numeric[k], c.bound[k] = p.Value, d.Exact, d.Numeric, d.Bound.Value()
		if !same(d, c.plain(k)) {
			ch.special, ch.derivs = append(ch.special, k), append(ch.derivs, d)
		}
	})
	for _, ch := range chunks {
		for i, k := range ch.special {
			c.special[k] = ch.derivs[i]
			c.isSpecial[k/64] |= 1 << (k % 64)
		}
	}
	out.cols = c
}

// Len is how many points f was computed at.
func (f *Function) Len() int {
	if f.cols != nil {
		return len(f.cols.at)
	}
	return len(f.Points)
}

// Point is f at its k-th point. For a long chain held as columns the
// point is built from them, and its Links are nil: LinksAt has them. (Small
// enough to be inlined, so that a caller that keeps no reference to the
// point allocates nothing.)
func (f *Function) Point(k int) Point {
	if f.cols == nil {
		return f.Points[k]
	}
	return f.cols.point(k, make([]Derivative, 1))
}

// point is the k-th point, its derivative written into partials[0].
func (c *pointColumns) point(k int, partials []Derivative) Point {
	if c.isSpecial[k/64]&(1<<(k%64)) != 0 {
		partials[0] = c.special[k]
	} else {
		partials[0] = c.plain(k)
	}
	return Point{At: c.at[k : k+1 : k+1], Value: c.value[k], Partials: partials}
}

// each calls add with every point's derivative, in order.
func (c *pointColumns) each(add func(Derivative)) {
	for k := range c.at {
		if c.isSpecial[k/64]&(1<<(k%64)) != 0 {
			add(c.special[k])
		} else {
			add(c.plain(k))
		}
	}
}

// LinksAt is a chain's links at its k-th point (nil for a function).
func (f *Function) LinksAt(k int) []LinkValue {
	if f.cols != nil {
		return f.cols.links(k)
	}
	return f.Points[k].Links
}

// Only is f with only the points keep keeps, in order, held as a list (a
// long chain's columns included): the points a summarised CSV holds. The
// kept points of a chain held as columns have no Links (LinksAt has them).
func (f *Function) Only(keep func(k int, p Point) bool) *Function {
	out := *f
	out.cols, out.Points = nil, nil
	for k := 0; k < f.Len(); k++ {
		if p := f.Point(k); keep(k, p) {
			out.Points = append(out.Points, p)
		}
	}
	return &out
}
