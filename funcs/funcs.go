// Package funcs is the registry of one-variable functions that experiment
// expressions may call. Each entry holds, in one place, the function's value,
// its exact first derivative, its derivative as a formula (Symbolic) and its
// LaTeX form for reports, its numeric parameters with their defaults, its
// domain, the points where it is not differentiable, and a one-line doc.
//
// To add a function, add one entry to registry below; TestRegistryComplete
// in package diff checks that the entry is whole (value, derivative,
// Symbolic that parses and agrees with the derivative, complex extension,
// LaTeX form).
//
// The registry knows nothing of YAML, files or finite differences.
package funcs

import (
	"math"
	"math/cmplx"
	"sort"

	"github.com/runner-dev/runner/internal/fmath"
)

// Param is a numeric parameter that follows the input in a call, as a in
// leaky_relu(x, a). A parameter without a default must be given.
type Param struct {
	Name       string
	Default    float64
	HasDefault bool
}

// Func is one registry entry: f(x; p) and f'(x; p) = ∂f/∂x, where p are the
// numeric parameters in the order of Params (defaults already filled in).
type Func struct {
	Name   string
	Params []Param
	// Doc is the value as a formula, e.g. "1 / (1 + e^(−x))".
	Doc string
	// Deriv is f' as a formula, for documentation.
	Deriv string
	// Symbolic is f'(x; p) in the expression language, for the derivative
	// formulas in reports: x is the input, each parameter goes by its name,
	// and it may call registry functions and the Helpers (H, sgn, Phi, phi),
	// each with one argument. Package diff parses it once and substitutes
	// the call's argument for x and the call's parameters for their names.
	Symbolic string
	// LaTeX is how reports write f(u), as a template: #1 stands for u, (#1)
	// for u in brackets that grow with it, #2, #3, … for the values of the
	// first, second, … parameter, and text in [ ] is left out when every
	// parameter in it has its default. A template "#1^{…}" is a power of u.
	// A template "OP(#1)" takes a power on its operator, \sin^{2}(u), as is
	// conventional for named functions, unless PowerOutside.
	LaTeX string
	// PowerOutside writes a power of f(u) after the call, {σ(u)}^{2}, where
	// the operator is a symbol that a power on it would misread.
	PowerOutside bool
	// Domain describes where f is defined ("" means every real x).
	Domain string
	// In reports whether x is in the domain; nil means every real x is.
	In func(x float64, p []float64) bool
	// F is the value f(x; p).
	F func(x float64, p []float64) float64
	// D is the exact derivative f'(x; p).
	D func(x float64, p []float64) float64
	// D2 is the exact second derivative f''(x; p).
	D2 func(x float64, p []float64) float64
	// C is f's extension to complex arguments, analytic near the real axis,
	// for complex-step differentiation: f'(x) = Im f(x + ih)/h + O(h²).
	// Where f is defined piece by piece (Piecewise), C is too: each piece's
	// analytic formula, chosen by the sign of the real part, which gives the
	// right derivative everywhere but at the kink (where the status is kink).
	C func(z complex128, p []float64) complex128
	// Piecewise marks f as defined by different formulas on either side of
	// its kink.
	Piecewise bool
	// Kinks lists the points where f is continuous but not differentiable
	// (for the given parameters); nil means there are none.
	Kinks func(p []float64) []float64
	// KinkDoc describes the kinks in words ("x = 0"); "" when there are none.
	KinkDoc string
	// Breaks lists the points where f's formula changes (for the given
	// parameters): its kinks, and points where f′ is continuous but f″
	// jumps (elu with a = 1 at 0). nil means the kinks are all.
	Breaks func(p []float64) []float64
	// Jumps marks f's value as jumping at its kinks (sign at 0): f is not
	// continuous there, so not differentiable whatever its one-sided
	// derivatives are.
	Jumps bool
}

// BreakPoints are the points where f's formula changes: Breaks, or the
// kinks when Breaks is nil. A first derivative is one-sided at a kink, a
// second derivative at any break.
func (f *Func) BreakPoints(p []float64) []float64 {
	if f.Breaks != nil {
		return f.Breaks(p)
	}
	if f.Kinks != nil {
		return f.Kinks(p)
	}
	return nil
}

// IsBreak reports whether x is one of f's break points for parameters p.
func (f *Func) IsBreak(x float64, p []float64) bool {
	for _, k := range f.BreakPoints(p) {
		if x == k {
			return true
		}
	}
	return false
}

// IsKink reports whether x is one of f's kink points for parameters p.
func (f *Func) IsKink(x float64, p []float64) bool {
	if f.Kinks == nil {
		return false
	}
	for _, k := range f.Kinks(p) {
		if x == k {
			return true
		}
	}
	return false
}

// MinArgs is the number of arguments a call needs: the input and every
// parameter without a default.
func (f *Func) MinArgs() int {
	n := 1
	for _, p := range f.Params {
		if !p.HasDefault {
			n++
		}
	}
	return n
}

// MaxArgs is the number of arguments a call may have: the input and every
// parameter.
func (f *Func) MaxArgs() int { return 1 + len(f.Params) }

// Fill returns the parameters of a call whose explicit parameters are given,
// with defaults for the rest. given must have at least MinArgs()−1 entries.
func (f *Func) Fill(given []float64) []float64 {
	p := make([]float64, len(f.Params))
	for i, par := range f.Params {
		if i < len(given) {
			p[i] = given[i]
		} else {
			p[i] = par.Default
		}
	}
	return p
}

// Sign is −1, 0 or 1 as x is negative, zero or positive.
func Sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// Sigmoid is σ(x) = 1 / (1 + e^(−x)), computed without overflow for any x.
func Sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + fmath.Exp(-x))
	}
	z := fmath.Exp(x)
	return z / (1 + z)
}

// SigmoidPrime is σ'(x) = σ(x)(1 − σ(x)) = σ(x)·σ(−x); the second form keeps
// its precision where σ(x) rounds to 1 (x ≳ 37). Both factors share
// e = e^(−|x|): they are 1/(1 + e) and e/(1 + e), exactly as Sigmoid
// computes them, from one exponential instead of two.
func SigmoidPrime(x float64) float64 {
	e := fmath.Exp(-math.Abs(x))
	return (1 / (1 + e)) * (e / (1 + e))
}

// sigmoidSecond is σ”(x) = σ'(x)(1 − 2σ(x)) = σ(x)σ(−x)(σ(−x) − σ(x)).
func sigmoidSecond(x float64) float64 {
	return SigmoidPrime(x) * (Sigmoid(-x) - Sigmoid(x))
}

// CSigmoid is σ(z) = 1 / (1 + e^(−z)) for complex z, without overflow for
// large |Re z|.
func CSigmoid(z complex128) complex128 {
	if real(z) >= 0 {
		return 1 / (1 + fmath.CExp(-z))
	}
	e := fmath.CExp(z)
	return e / (1 + e)
}

// cLog1p is ln(1 + w) for complex w, accurate when |w| is small:
// ln|1 + w| = ½·ln(1 + 2u + u² + v²) by log1p, arg(1 + w) = atan2(v, 1 + u).
func cLog1p(w complex128) complex128 {
	u, v := real(w), imag(w)
	return complex(0.5*math.Log1p(2*u+u*u+v*v), math.Atan2(v, 1+u))
}

// cTanh is tanh z for complex z; for |Re z| > 20, where cmplx.Tanh
// overflows, it is (1 − w)/(1 + w) with w = e^(−2z) (for Re z > 0).
func cTanh(z complex128) complex128 {
	switch {
	case real(z) > 20:
		w := fmath.CExp(-2 * z)
		return (1 - w) / (1 + w)
	case real(z) < -20:
		return -cTanh(-z)
	}
	return fmath.CTanh(z)
}

// CPow is zᵖ for complex z and real p. An integer p multiplies (so that a
// negative real part keeps an exact imaginary part); otherwise e^(p·ln z).
func CPow(z complex128, p float64) complex128 {
	if p == math.Trunc(p) && math.Abs(p) <= 1<<20 {
		n := int64(math.Abs(p))
		r, b := complex(1, 0), z
		for ; n > 0; n >>= 1 {
			if n&1 == 1 {
				r *= b
			}
			b *= b
		}
		if p < 0 {
			return 1 / r
		}
		return r
	}
	return fmath.CPow(z, complex(p, 0))
}

// cNormCDF is Φ(z) for z = x + iy with small |y|, by Φ's Taylor series in iy
// about x (Φ is entire, so the series is its analytic continuation):
//
//	Φ(x + iy) = Φ(x) + φ(x) Σₙ (−1)ⁿ Heₙ(x) (iy)ⁿ⁺¹ / (n+1)!,
//
// with Heₙ the probabilists' Hermite polynomials (φ⁽ⁿ⁾ = (−1)ⁿ Heₙ φ). Terms
// are summed until they no longer change the result.
func cNormCDF(z complex128) complex128 {
	x, y := real(z), imag(z)
	sum := complex(normCDF(x), 0)
	phi := normPDF(x)
	he0, he1 := 1.0, x    // He₀, He₁
	term := complex(0, y) // (iy)ⁿ⁺¹/(n+1)! for n = 0
	sign := 1.0
	for n := 0; n < 60; n++ {
		he := he0
		if n == 1 {
			he = he1
		} else if n > 1 {
			he0, he1 = he1, x*he1-float64(n-1)*he0
			he = he1
		}
		add := complex(sign*phi*he, 0) * term
		sum += add
		if n > 2 && cmplx.Abs(add) <= 1e-17*cmplx.Abs(sum) {
			break
		}
		sign = -sign
		term *= complex(0, y) / complex(float64(n+2), 0)
	}
	return sum
}

// Softplus is ln(1 + eˣ) = max(x, 0) + ln(1 + e^(−|x|)), stable for any x.
func Softplus(x float64) float64 {
	return math.Max(x, 0) + math.Log1p(fmath.Exp(-math.Abs(x)))
}

// normCDF is Φ(x), the standard normal cumulative distribution function.
func normCDF(x float64) float64 { return 0.5 * fmath.Erfc(-x/math.Sqrt2) }

// normPDF is φ(x) = e^(−x²/2) / √(2π).
func normPDF(x float64) float64 { return fmath.Exp(-0.5*x*x) / math.Sqrt(2*math.Pi) }

// zero is the kink of relu, leaky_relu and abs; callers only read it.
var zero = []float64{0}

func zeroKink([]float64) []float64 { return zero }

var registry = []*Func{
	{Name: "identity", Doc: "x", Deriv: "1",
		Symbolic: "1", LaTeX: `#1`,
		F:  func(x float64, _ []float64) float64 { return x },
		D:  func(float64, []float64) float64 { return 1 },
		D2: func(float64, []float64) float64 { return 0 },
		C:  func(z complex128, _ []float64) complex128 { return z }},
	{Name: "square", Doc: "x²", Deriv: "2x",
		Symbolic: "2 * x", LaTeX: `#1^{2}`,
		F:  func(x float64, _ []float64) float64 { return x * x },
		D:  func(x float64, _ []float64) float64 { return 2 * x },
		D2: func(float64, []float64) float64 { return 2 },
		C:  func(z complex128, _ []float64) complex128 { return z * z }},
	{Name: "cube", Doc: "x³", Deriv: "3x²",
		Symbolic: "3 * x^2", LaTeX: `#1^{3}`,
		F:  func(x float64, _ []float64) float64 { return x * x * x },
		D:  func(x float64, _ []float64) float64 { return 3 * x * x },
		D2: func(x float64, _ []float64) float64 { return 6 * x },
		C:  func(z complex128, _ []float64) complex128 { return z * z * z }},
	{Name: "pow", Params: []Param{{Name: "p"}}, Doc: "xᵖ", Deriv: "p·xᵖ⁻¹",
		Symbolic: "p * x^(p - 1)", LaTeX: `#1^{#2}`,
		Domain: "every x for a whole p ≥ 0, x ≠ 0 for a whole p < 0, x ≥ 0 for other p > 0, x > 0 for other p < 0",
		In: func(x float64, p []float64) bool {
			whole := p[0] == math.Trunc(p[0])
			switch {
			case whole && p[0] >= 0:
				return true
			case whole:
				return x != 0
			case p[0] > 0:
				return x >= 0
			}
			return x > 0
		},
		F: func(x float64, p []float64) float64 { return fmath.Pow(x, p[0]) },
		D: func(x float64, p []float64) float64 {
			if p[0] == 0 {
				return 0
			}
			return p[0] * fmath.Pow(x, p[0]-1)
		},
		D2: func(x float64, p []float64) float64 {
			if p[0] == 0 || p[0] == 1 {
				return 0
			}
			return p[0] * (p[0] - 1) * fmath.Pow(x, p[0]-2)
		},
		C: func(z complex128, p []float64) complex128 { return CPow(z, p[0]) }},
	{Name: "sqrt", Doc: "√x", Deriv: "1 / (2√x)",
		Symbolic: "1 / (2 * sqrt(x))", LaTeX: `\sqrt{#1}`, Domain: "x ≥ 0",
		In: func(x float64, _ []float64) bool { return x >= 0 },
		F:  func(x float64, _ []float64) float64 { return math.Sqrt(x) },
		D:  func(x float64, _ []float64) float64 { return 0.5 / math.Sqrt(x) },
		D2: func(x float64, _ []float64) float64 { return -0.25 / (x * math.Sqrt(x)) },
		C:  func(z complex128, _ []float64) complex128 { return cmplx.Sqrt(z) }},
	{Name: "exp", Doc: "eˣ", Deriv: "eˣ",
		Symbolic: "exp(x)", LaTeX: `e^{#1}`,
		F:  func(x float64, _ []float64) float64 { return fmath.Exp(x) },
		D:  func(x float64, _ []float64) float64 { return fmath.Exp(x) },
		D2: func(x float64, _ []float64) float64 { return fmath.Exp(x) },
		C:  func(z complex128, _ []float64) complex128 { return fmath.CExp(z) }},
	{Name: "log", Doc: "ln x", Deriv: "1 / x",
		Symbolic: "1 / x", LaTeX: `\ln(#1)`, Domain: "x > 0",
		In: func(x float64, _ []float64) bool { return x > 0 },
		F:  func(x float64, _ []float64) float64 { return math.Log(x) },
		D:  func(x float64, _ []float64) float64 { return 1 / x },
		D2: func(x float64, _ []float64) float64 { return -1 / (x * x) },
		C:  func(z complex128, _ []float64) complex128 { return cmplx.Log(z) }},
	{Name: "sin", Doc: "sin x", Deriv: "cos x",
		Symbolic: "cos(x)", LaTeX: `\sin(#1)`,
		F:  func(x float64, _ []float64) float64 { return math.Sin(x) },
		D:  func(x float64, _ []float64) float64 { return math.Cos(x) },
		D2: func(x float64, _ []float64) float64 { return -math.Sin(x) },
		C:  func(z complex128, _ []float64) complex128 { return fmath.CSin(z) }},
	{Name: "cos", Doc: "cos x", Deriv: "−sin x",
		Symbolic: "-sin(x)", LaTeX: `\cos(#1)`,
		F:  func(x float64, _ []float64) float64 { return math.Cos(x) },
		D:  func(x float64, _ []float64) float64 { return -math.Sin(x) },
		D2: func(x float64, _ []float64) float64 { return -math.Cos(x) },
		C:  func(z complex128, _ []float64) complex128 { return fmath.CCos(z) }},
	{Name: "tan", Doc: "tan x", Deriv: "1 / cos² x",
		Symbolic: "1 / cos(x)^2", LaTeX: `\tan(#1)`, Domain: "x ≠ π/2 + kπ",
		F:  func(x float64, _ []float64) float64 { return math.Tan(x) },
		D:  func(x float64, _ []float64) float64 { c := math.Cos(x); return 1 / (c * c) },
		D2: func(x float64, _ []float64) float64 { c := math.Cos(x); return 2 * math.Tan(x) / (c * c) },
		C:  func(z complex128, _ []float64) complex128 { return fmath.CTan(z) }},
	{Name: "tanh", Doc: "tanh x", Deriv: "1 − tanh² x = 1 / cosh² x",
		Symbolic: "1 - tanh(x)^2", LaTeX: `\tanh(#1)`,
		F:  func(x float64, _ []float64) float64 { return fmath.Tanh(x) },
		D:  func(x float64, _ []float64) float64 { c := fmath.Cosh(x); return 1 / (c * c) },
		D2: func(x float64, _ []float64) float64 { c := fmath.Cosh(x); return -2 * fmath.Tanh(x) / (c * c) },
		C:  func(z complex128, _ []float64) complex128 { return cTanh(z) }},
	{Name: "sigmoid", Doc: "σ(x) = 1 / (1 + e^(−x))", Deriv: "σ(x)(1 − σ(x))",
		Symbolic: "sigmoid(x) * (1 - sigmoid(x))", LaTeX: `\sigma(#1)`, PowerOutside: true,
		F:  func(x float64, _ []float64) float64 { return Sigmoid(x) },
		D:  func(x float64, _ []float64) float64 { return SigmoidPrime(x) },
		D2: func(x float64, _ []float64) float64 { return sigmoidSecond(x) },
		C:  func(z complex128, _ []float64) complex128 { return CSigmoid(z) }},
	{Name: "relu", Doc: "max(0, x)", Deriv: "0 if x < 0, 1 if x > 0",
		Symbolic: "H(x)", LaTeX: `\operatorname{ReLU}(#1)`, Kinks: zeroKink, KinkDoc: "x = 0", Piecewise: true,
		F: func(x float64, _ []float64) float64 { return math.Max(0, x) },
		D: func(x float64, _ []float64) float64 {
			if x > 0 {
				return 1
			}
			return 0
		},
		D2: func(float64, []float64) float64 { return 0 },
		C: func(z complex128, _ []float64) complex128 {
			if real(z) > 0 {
				return z
			}
			return 0
		}},
	{Name: "leaky_relu", Params: []Param{{Name: "a", Default: 0.2, HasDefault: true}},
		Doc: "max(a·x, x)", Deriv: "a if x < 0, 1 if x > 0",
		Symbolic: "a + (1 - a) * H(x)", LaTeX: `\operatorname{LeakyReLU}_{#2}(#1)`, Kinks: zeroKink, KinkDoc: "x = 0", Piecewise: true,
		F: func(x float64, p []float64) float64 {
			if x > 0 {
				return x
			}
			return p[0] * x
		},
		D: func(x float64, p []float64) float64 {
			if x > 0 {
				return 1
			}
			return p[0]
		},
		D2: func(float64, []float64) float64 { return 0 },
		C: func(z complex128, p []float64) complex128 {
			if real(z) > 0 {
				return z
			}
			return complex(p[0], 0) * z
		}},
	{Name: "elu", Params: []Param{{Name: "a", Default: 1, HasDefault: true}},
		Doc: "x if x > 0, a(eˣ − 1) otherwise", Deriv: "1 if x > 0, a·eˣ otherwise",
		Symbolic: "H(x) + a * exp(x) * (1 - H(x))", LaTeX: `\operatorname{ELU}[_{#2}](#1)`, Piecewise: true,
		KinkDoc: "x = 0 when a ≠ 1",
		Breaks:  zeroKink,
		Kinks: func(p []float64) []float64 {
			if p[0] == 1 {
				return nil
			}
			return []float64{0}
		},
		F: func(x float64, p []float64) float64 {
			if x > 0 {
				return x
			}
			return p[0] * math.Expm1(x)
		},
		D: func(x float64, p []float64) float64 {
			if x > 0 {
				return 1
			}
			return p[0] * fmath.Exp(x)
		},
		D2: func(x float64, p []float64) float64 {
			if x > 0 {
				return 0
			}
			return p[0] * fmath.Exp(x)
		},
		C: func(z complex128, p []float64) complex128 {
			if real(z) > 0 {
				return z
			}
			return complex(p[0], 0) * (fmath.CExp(z) - 1)
		}},
	{Name: "softplus", Doc: "ln(1 + eˣ)", Deriv: "σ(x)",
		Symbolic: "sigmoid(x)", LaTeX: `\operatorname{softplus}(#1)`,
		F:  func(x float64, _ []float64) float64 { return Softplus(x) },
		D:  func(x float64, _ []float64) float64 { return Sigmoid(x) },
		D2: func(x float64, _ []float64) float64 { return SigmoidPrime(x) },
		C: func(z complex128, _ []float64) complex128 {
			if real(z) > 0 {
				return z + cLog1p(fmath.CExp(-z))
			}
			return cLog1p(fmath.CExp(z))
		}},
	{Name: "gelu", Doc: "x·Φ(x), Φ the standard normal CDF", Deriv: "Φ(x) + x·φ(x)",
		Symbolic: "Phi(x) + x * phi(x)", LaTeX: `\operatorname{GELU}(#1)`,
		F:  func(x float64, _ []float64) float64 { return x * normCDF(x) },
		D:  func(x float64, _ []float64) float64 { return normCDF(x) + x*normPDF(x) },
		D2: func(x float64, _ []float64) float64 { return (2 - x*x) * normPDF(x) },
		C:  func(z complex128, _ []float64) complex128 { return z * cNormCDF(z) }},
	{Name: "silu", Doc: "x·σ(x) (swish)", Deriv: "σ(x) + x·σ(x)(1 − σ(x))",
		Symbolic: "sigmoid(x) + x * (sigmoid(x) * (1 - sigmoid(x)))", LaTeX: `\operatorname{SiLU}(#1)`,
		F:  func(x float64, _ []float64) float64 { return x * Sigmoid(x) },
		D:  func(x float64, _ []float64) float64 { return Sigmoid(x) + x*SigmoidPrime(x) },
		D2: func(x float64, _ []float64) float64 { return 2*SigmoidPrime(x) + x*sigmoidSecond(x) },
		C:  func(z complex128, _ []float64) complex128 { return z * CSigmoid(z) }},
	{Name: "abs", Doc: "|x|", Deriv: "−1 if x < 0, 1 if x > 0",
		Symbolic: "sgn(x)", LaTeX: `\left|#1\right|`, Kinks: zeroKink, KinkDoc: "x = 0", Piecewise: true,
		F:  func(x float64, _ []float64) float64 { return math.Abs(x) },
		D:  func(x float64, _ []float64) float64 { return Sign(x) },
		D2: func(float64, []float64) float64 { return 0 },
		C: func(z complex128, _ []float64) complex128 {
			if real(z) < 0 {
				return -z
			}
			return z
		}},
	{Name: "clip", Params: []Param{{Name: "lo"}, {Name: "hi"}},
		Doc: "min(max(x, lo), hi)", Deriv: "1 if lo < x < hi, 0 outside (1 at lo and hi, as PyTorch's clamp)",
		Symbolic: "H(x - lo) * H(hi - x)", LaTeX: `\operatorname{clip}_{#2,\,#3}(#1)`, Piecewise: true,
		Kinks: func(p []float64) []float64 { return []float64{p[0], p[1]} }, KinkDoc: "x = lo and x = hi",
		F: func(x float64, p []float64) float64 { return math.Min(math.Max(x, p[0]), p[1]) },
		D: func(x float64, p []float64) float64 {
			if p[0] <= x && x <= p[1] {
				return 1
			}
			return 0
		},
		D2: func(float64, []float64) float64 { return 0 },
		C: func(z complex128, p []float64) complex128 {
			if real(z) < p[0] {
				z = complex(p[0], 0)
			}
			if real(z) > p[1] {
				z = complex(p[1], 0)
			}
			return z
		}},
	{Name: "sign", Doc: "−1, 0 or 1 as x < 0, x = 0 or x > 0", Deriv: "0 (x ≠ 0; a jump at 0)",
		Symbolic: "0", LaTeX: `\operatorname{sgn}(#1)`, Piecewise: true, Kinks: zeroKink, KinkDoc: "x = 0 (a jump)", Jumps: true,
		F: func(x float64, _ []float64) float64 {
			if math.IsNaN(x) {
				return x
			}
			return Sign(x)
		},
		D:  func(float64, []float64) float64 { return 0 },
		D2: func(float64, []float64) float64 { return 0 },
		C:  func(z complex128, _ []float64) complex128 { return complex(Sign(real(z)), 0) }},
	{Name: "log1p", Doc: "ln(1 + x), accurate for small x", Deriv: "1 / (1 + x)",
		Symbolic: "1 / (1 + x)", LaTeX: `\ln\left(1 + #1\right)`, Domain: "x > −1",
		In: func(x float64, _ []float64) bool { return x > -1 },
		F:  func(x float64, _ []float64) float64 { return math.Log1p(x) },
		D:  func(x float64, _ []float64) float64 { return 1 / (1 + x) },
		D2: func(x float64, _ []float64) float64 { return -1 / ((1 + x) * (1 + x)) },
		C:  func(z complex128, _ []float64) complex128 { return cLog1p(z) }},
	{Name: "expm1", Doc: "eˣ − 1, accurate for small x", Deriv: "eˣ",
		Symbolic: "exp(x)", LaTeX: `\left(e^{#1} - 1\right)`,
		F:  func(x float64, _ []float64) float64 { return math.Expm1(x) },
		D:  func(x float64, _ []float64) float64 { return math.Exp(x) },
		D2: func(x float64, _ []float64) float64 { return math.Exp(x) },
		// eˣ⁺ⁱʸ − 1 = (expm1(x)·cos y + (cos y − 1)) + i·eˣ·sin y, with
		// cos y − 1 = −2 sin²(y/2): no cancellation for small x or y
		C: func(z complex128, _ []float64) complex128 {
			x, y := real(z), imag(z)
			s := math.Sin(y / 2)
			return complex(math.Expm1(x)*math.Cos(y)-2*s*s, math.Exp(x)*math.Sin(y))
		}},
}

var byName = func() map[string]*Func {
	m := make(map[string]*Func, len(registry))
	for _, f := range registry {
		m[f.Name] = f
	}
	return m
}()

// Lookup returns the registry entry called name, or nil.
func Lookup(name string) *Func { return byName[name] }

// helpers are the functions that derivative formulas (Symbolic) may call but
// experiments may not: they have a name, a doc and a LaTeX form only. A
// formula that calls a new helper also needs its value in the evaluator of
// package diff's tests (evalTree).
var helpers = []*Func{
	{Name: "H", Doc: "the Heaviside step: 1 for x > 0, 0 for x < 0", LaTeX: `H(#1)`},
	{Name: "sgn", Doc: "the sign of x", LaTeX: `\operatorname{sgn}(#1)`},
	{Name: "Phi", Doc: "Φ(x), the standard normal CDF", LaTeX: `\Phi(#1)`},
	{Name: "phi", Doc: "φ(x) = e^(−x²/2) / √(2π), the standard normal density", LaTeX: `\varphi(#1)`},
}

// LookupWithHelpers returns the registry entry or helper called name (any
// function a derivative formula may show), or nil.
func LookupWithHelpers(name string) *Func {
	if f := byName[name]; f != nil {
		return f
	}
	for _, h := range helpers {
		if h.Name == name {
			return h
		}
	}
	return nil
}

// Helpers returns the functions that derivative formulas may call besides
// the registry's: H, sgn, Phi and phi.
func Helpers() []*Func { return append([]*Func(nil), helpers...) }

// All returns every registry entry, sorted by name.
func All() []*Func {
	out := append([]*Func(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Constants are the named numbers an expression may use.
var Constants = map[string]float64{"pi": math.Pi, "e": math.E}

// Suggest returns the registry function's name, or extra name (the matrix
// operations, ops.Names, which funcs cannot import), closest to name, or ""
// when none is close enough to be a likely typo.
func Suggest(name string, extra ...string) string {
	cands := append([]string(nil), extra...)
	for _, f := range registry {
		cands = append(cands, f.Name)
	}
	return Closest(name, cands)
}

// Closest returns the option closest to word by edit distance, or "" when
// none is within 2 edits (3 for words of 7 letters or more). Ties go to the
// alphabetically first option.
func Closest(word string, options []string) string {
	cands := append([]string(nil), options...)
	sort.Strings(cands)
	best, bestD := "", 1<<30
	for _, c := range cands {
		if d := editDistance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= 2 || (bestD <= 3 && len(word) >= 7) {
		return best
	}
	return ""
}

// editDistance is the Damerau–Levenshtein (optimal string alignment)
// distance, so that a swapped pair of letters counts as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
