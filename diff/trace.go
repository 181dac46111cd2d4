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
}

func (tr *trace) reset() { tr.kink, tr.problem = false, "" }

// check records out's operation as the problem when out is not finite but
// every input is.
func (tr *trace) check(out float64, what func() string, in ...float64) {
	if tr.problem != "" || !bad(out) {
		return
	}
	for _, x := range in {
		if bad(x) {
			return
		}
	}
	tr.problem = what()
}

func bad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// g formats a number for a problem's description.
func g(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

func callProblem(f *funcs.Func, x float64, p []float64) string {
	if f.In != nil && !f.In(x, p) {
		return fmt.Sprintf("%s(%s) is undefined: outside its domain %s", f.Name, g(x), f.Domain)
	}
	return fmt.Sprintf("%s(%s) overflows", f.Name, g(x))
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
