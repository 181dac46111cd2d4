package diff

import (
	"math"
	"path/filepath"
	"sync"
	"testing"

	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/spec"
	specload "github.com/runner-dev/runner/spec/load"
)

// shipped runs every shipped experiment (experiments/*.yaml) and returns
// each one's derivatives in order, with the atol and rtol each was judged by.
func shipped(t *testing.T) (rows []Derivative, tols [][2]float64) {
	t.Helper()
	files, _ := filepath.Glob("../experiments/*.yaml")
	if len(files) == 0 {
		t.Fatal("no shipped experiments")
	}
	for _, f := range files {
		e, err := specload.Load(f, specload.DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		r := Run(e)
		for _, it := range r.Items {
			var s spec.Settings
			switch {
			case it.Function != nil:
				s = it.Function.Settings
			case it.Gradient != nil:
				s = it.Gradient.Settings
			case it.Jacobian != nil:
				s = it.Jacobian.Settings
			}
			every(&Results{Items: []Item{it}}, func(_ string, d Derivative) {
				rows, tols = append(rows, d), append(tols, [2]float64{s.Atol, s.Rtol})
			})
		}
	}
	return rows, tols
}

// unmutatedRows are the shipped experiments' derivatives as they are,
// computed once for all the mutation tests (shipped: the backprop-ninja
// file alone checks 23,000 elements).
var unmutatedRows struct {
	sync.Once
	rows []Derivative
	tols [][2]float64
}

func unmutated(t *testing.T) ([]Derivative, [][2]float64) {
	t.Helper()
	unmutatedRows.Do(func() { unmutatedRows.rows, unmutatedRows.tols = shipped(t) })
	if unmutatedRows.rows == nil {
		t.Fatal("the unmutated run failed")
	}
	return unmutatedRows.rows, unmutatedRows.tols
}

// mutation runs the shipped experiments as they are and under mutate
// (which makes exact derivatives wrong, and undoes itself when done), and
// checks that every row the mutation moves further than the verdict can
// absorb fails: where |exact′ − exact| > atol + rtol·|exact′| + err_bound +
// |numeric − exact| (then |numeric − exact′| exceeds what the verdict allows,
// whatever side the numeric error lies on). It logs the fraction of rows
// that catch the mutation, of all and of those where the bound allows it.
func mutation(t *testing.T, name string, mutate func() (undo func())) {
	before, tols := unmutated(t)
	undo := mutate()
	after, _ := shipped(t)
	undo()
	if len(after) != len(before) {
		t.Fatalf("%s: %d rows, then %d", name, len(before), len(after))
	}
	changed, allowed, caught, caughtAllowed, room, caughtRoom := 0, 0, 0, 0, 0, 0
	for i, a := range after {
		b := before[i]
		if b.Status != OK || math.IsNaN(b.Numeric) {
			continue // a kink, or no numeric value: nothing for a mutation to contradict
		}
		delta := math.Abs(a.Exact - b.Exact)
		if delta == 0 {
			continue
		}
		changed++
		slack := tols[i][0] + tols[i][1]*math.Abs(a.Exact) + b.Bound.Value() + math.Abs(b.Numeric-b.Exact)
		can := delta > slack
		if can {
			allowed++
		}
		// the brief's measure: bound + tolerance below the relative change
		if tols[i][0]+tols[i][1]*math.Abs(b.Exact)+b.Bound.Value() < delta {
			room++
			if a.Status == Fail {
				caughtRoom++
			}
		}
		if a.Status == Fail {
			caught++
			if can {
				caughtAllowed++
			}
		} else if can {
			t.Errorf("%s: %s exact %g → %g (numeric %g, bound %g) is %s", name, b.Wrt, b.Exact, a.Exact, b.Numeric, b.Bound.Value(), a.Status)
		}
	}
	if changed == 0 || allowed == 0 {
		t.Fatalf("%s: changed %d rows, the bound allows catching %d: the mutation proves nothing", name, changed, allowed)
	}
	t.Logf("%s: %d of %d changed rows fail (%.1f%%); the bound allows catching %d (%.1f%%), and %d of those fail (fraction %.3f)",
		name, caught, changed, 100*float64(caught)/float64(changed), allowed, 100*float64(allowed)/float64(changed),
		caughtAllowed, float64(caughtAllowed)/float64(allowed))
	t.Logf("%s: bound + tolerance < |exact′ − exact| at %d rows, of which %d fail", name, room, caughtRoom)
}

// TestMutationScaledExact: every exact derivative scaled by 1 + 1e-4 fails
// wherever the bound and tolerance leave room for 1e-4·|exact|.
func TestMutationScaledExact(t *testing.T) {
	mutation(t, "exact × (1 + 1e-4)", func() func() {
		mutateExact = func(e float64) float64 { return e * (1 + 1e-4) }
		return func() { mutateExact = nil }
	})
}

// swap replaces a registry function's derivative f' with wrong(x), and
// gives the undo.
func swap(name string, wrong func(x float64, p []float64) float64) func() {
	f := funcs.Lookup(name)
	old := f.D
	f.D = wrong
	return func() { f.D = old }
}

// TestMutationSinPrime: sin′ = cos swapped for −cos, a sign error (the
// shipped experiments use sin, sigmoid, square and leaky_relu of the
// registry; tanh′ → 1 − tanh would touch none of them).
func TestMutationSinPrime(t *testing.T) {
	mutation(t, "sin′ → −cos", func() func() {
		return swap("sin", func(x float64, _ []float64) float64 { return -math.Cos(x) })
	})
}

// TestMutationSquarePrime: square′ = 2x swapped for x, a lost factor.
func TestMutationSquarePrime(t *testing.T) {
	mutation(t, "square′ → x", func() func() {
		return swap("square", func(x float64, _ []float64) float64 { return x })
	})
}

// TestMutationSigmoidPrime: σ′ = σ(1 − σ) swapped for σ(1 − σ)·(1 + 1e-4),
// a registry derivative off by a relative 1e-4 that reaches L through
// the chain rule and reverse mode.
func TestMutationSigmoidPrime(t *testing.T) {
	mutation(t, "σ′ × (1 + 1e-4)", func() func() {
		return swap("sigmoid", func(x float64, _ []float64) float64 { return funcs.SigmoidPrime(x) * (1 + 1e-4) })
	})
}
