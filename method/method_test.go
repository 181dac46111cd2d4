package method

import (
	"math"
	"math/cmplx"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

// moment is Σᵢ Coeffᵢ·Locᵢʲ.
func moment(f fd.Formula, j int) float64 {
	var s float64
	for _, p := range f.Stencil {
		s += p.Coeff * math.Pow(p.Loc, float64(j))
	}
	return s
}

// TestStencilsMatchTheirOrder checks every stencil against Taylor's theorem,
// independently of any evaluation: a stencil for the k-th derivative of order
// p has moments Σ cᵢ·xᵢʲ = k!·[j = k] for j = 0 … k+p−1, and a nonzero
// moment at j = k+p (the leading truncation term). The first-derivative
// stencil's p is the method's Order, and the second difference's too (the
// forward and backward ones are first order, like their first differences).
func TestStencilsMatchTheirOrder(t *testing.T) {
	const tol = 1e-13 // the coefficients are ratios of small integers
	check := func(name string, f fd.Formula, k, p int) {
		if f.Derivative != k {
			t.Errorf("%s: derivative %d, want %d", name, f.Derivative, k)
		}
		for j := 0; j < k+p; j++ {
			want := 0.0
			if j == k {
				want = math.Gamma(float64(k + 1))
			}
			if got := moment(f, j); math.Abs(got-want) > tol {
				t.Errorf("%s: moment %d = %g, want %g", name, j, got, want)
			}
		}
		if math.Abs(moment(f, k+p)) < tol {
			t.Errorf("%s: moment %d vanishes: the order is higher than %d", name, k+p, p)
		}
	}
	for _, m := range All {
		if m.Kind == Stencil {
			check(m.Name+" first", m.D1, 1, m.Order)
		}
		if m.D2.Stencil != nil {
			check(m.Name+" second", m.D2, 2, m.Order)
		}
	}
}

// TestFirstDerivatives checks every method on eˣ at x = 1, whose derivative
// is e: each difference's error must shrink by 2^Order (within 15%) as h
// halves, from h = 0.1 (where truncation dominates); Richardson and the
// complex step must agree with e to the stated tolerances.
func TestFirstDerivatives(t *testing.T) {
	c := func(z complex128) complex128 { return cmplx.Exp(z) }
	for _, m := range All {
		switch m.Kind {
		case Stencil:
			e1, _ := m.First(math.Exp, nil, 1, 0.1)
			e2, _ := m.First(math.Exp, nil, 1, 0.05)
			ratio := math.Abs(e1-math.E) / math.Abs(e2-math.E)
			if want := math.Pow(2, float64(m.Order)); math.Abs(ratio-want) > 0.15*want {
				t.Errorf("%s: error ratio %g on halving h, want %g", m.Name, ratio, want)
			}
		case Extrapolated:
			d, est := m.First(math.Exp, nil, 1, 0.1)
			if math.Abs(d-math.E) > 1e-11 || !(est < 1e-8) {
				t.Errorf("%s: %.17g (estimate %g), want e", m.Name, d, est)
			}
		case ComplexStep:
			h := m.Step(0.001, false)
			if h != ComplexStepDefault {
				t.Errorf("%s: step %g without a chosen one, want %g", m.Name, h, ComplexStepDefault)
			}
			if d, _ := m.First(math.Exp, c, 1, h); math.Abs(d-math.E) > 4e-16 {
				t.Errorf("%s: %.17g, want e", m.Name, d)
			}
			if d, _ := m.First(math.Exp, nil, 1, h); !math.IsNaN(d) {
				t.Errorf("%s without a complex extension: %g, want NaN", m.Name, d)
			}
			if m.Gradients {
				t.Errorf("%s claims gradients, which are evaluated in real arithmetic only", m.Name)
			}
		case ExactOnly:
			if d, est := m.First(math.Exp, c, 1, 0.1); !math.IsNaN(d) || !math.IsNaN(est) {
				t.Errorf("%s: %g, %g, want NaN", m.Name, d, est)
			}
		}
	}
}

// TestSecondDerivatives: every numeric method's second derivative of eˣ at
// 1 is e, within h^p·e·C for the stencil's order p (C = 2, generous for the
// stencils here, whose leading coefficients are at most 1), and Richardson's
// within 1e-8.
func TestSecondDerivatives(t *testing.T) {
	const h = 1e-2
	for _, m := range All {
		d, _ := m.Second(math.Exp, 1, h)
		if !m.Numeric() {
			if !math.IsNaN(d) {
				t.Errorf("%s: %g, want NaN", m.Name, d)
			}
			continue
		}
		tol := 1e-8
		switch m.Name {
		case "forward", "backward":
			tol = 2 * h * math.E
		case "central", "complex-step":
			tol = 2 * h * h * math.E
		case "five-point":
			tol = 1e-7 // round-off: 16·ε·e/h² ≈ 4e-12 · (30/12), far below; truncation h⁴
		}
		if math.Abs(d-math.E) > tol {
			t.Errorf("%s: %.17g, want e within %g", m.Name, d, tol)
		}
	}
}

// TestTable checks what the rest of the program relies on: unique names,
// the default among them, a sentence that names the method, and study
// methods that take numeric derivatives.
func TestTable(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range All {
		if seen[m.Name] {
			t.Errorf("%s: named twice", m.Name)
		}
		seen[m.Name] = true
		if Named(m.Name) != m || Get(m.Name) != m {
			t.Errorf("%s: Named/Get do not find it", m.Name)
		}
		if s := m.Sentence(0.001); !strings.HasPrefix(s, m.Name+" ") && !strings.HasPrefix(s, m.Name+":") {
			t.Errorf("%s: sentence %q does not start with the name", m.Name, s)
		}
		if m.Study && !m.Numeric() {
			t.Errorf("%s: in studies but takes no numeric derivative", m.Name)
		}
		if (m.Kind == Stencil || m.Kind == Extrapolated) && m.Evaluations() < 2 || m.Kind == ComplexStep && m.Evaluations() != 1 {
			t.Errorf("%s: %d evaluations", m.Name, m.Evaluations())
		}
	}
	if Named(Default) == nil {
		t.Errorf("default %q is not a method", Default)
	}
	if Named("centre") != nil || Get("centre").Numeric() {
		t.Error("an unknown name found a numeric method")
	}
}
