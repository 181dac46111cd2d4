package diff

import (
	"math"

	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/spec"
)

// Study is a step-size study: for each method and each step h, the numeric
// derivative's error |numeric − exact| at one point.
type Study struct {
	At      float64
	Exact   float64
	Steps   []float64
	Methods []string
	// Numeric[m][k] and Err[m][k] are method m's derivative and error at
	// Steps[k].
	Numeric, Err [][]float64
	// Best[m] is the index of the step with the smallest error for method m.
	Best []int
}

// RunStudy sweeps st.Steps() for each of st.Methods on f at st.At. c is
// f's complex extension (for complex-step); exact is f'.
func RunStudy(st *spec.Study, f func(float64) float64, c func(complex128) complex128, exact func(float64) float64) *Study {
	out := &Study{At: st.At, Exact: exact(st.At), Steps: st.Steps(), Methods: st.Methods}
	for _, name := range st.Methods {
		m := method.Get(name)
		num := make([]float64, len(out.Steps))
		errs := make([]float64, len(out.Steps))
		best := 0
		for k, h := range out.Steps {
			num[k], _ = m.First(f, c, st.At, h)
			errs[k] = math.Abs(num[k] - out.Exact)
			if errs[k] < errs[best] || math.IsNaN(errs[best]) {
				best = k
			}
		}
		out.Numeric = append(out.Numeric, num)
		out.Err = append(out.Err, errs)
		out.Best = append(out.Best, best)
	}
	return out
}
