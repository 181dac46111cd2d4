package claims

import (
	"fmt"
	"math"
	"strings"
)

// minRatioTol is the least relative spread of per-element ratios
// claimed/exact still called one constant factor: loose enough for a claim
// written in float32 (about 7 digits), tight enough that unrelated numbers
// never pass.
const minRatioTol = 1e-6

// factor is claimed = C·exact found by factorOf.
type factor struct {
	C       float64 // the ratio at the element of largest |exact|
	Rounded float64 // C rounded to Digits significant digits
	Digits  int     // digits on which the smallest and largest ratio agree
	N       int     // elements compared (not both about zero)
}

// zeroish returns a test for "about zero" relative to the largest finite |x| in xs:
// |x| ≤ atol + rel·max|xs|.
func zeroish(xs []float64, atol, rel float64) func(float64) bool {
	scale := 0.0
	for _, x := range xs {
		if finite(x) && math.Abs(x) > scale {
			scale = math.Abs(x)
		}
	}
	return func(x float64) bool { return math.Abs(x) <= atol+rel*scale }
}

// factorOf finds c with claimed_k = c·exact_k for every k, skipping the
// elements where both are about zero (|x| ≤ Atol + 1e-6·max|x|). The
// ratios must agree to a relative max(1e-6, Rtol). It reports false when
// any value is not finite, when exact is about zero where the claim is
// not, when nothing is left to compare, or when c is 0.
func factorOf(claimed, exact []float64, tol Tolerance) (factor, bool) {
	if len(claimed) != len(exact) {
		return factor{}, false
	}
	rel := math.Max(minRatioTol, tol.Rtol)
	zc, ze := zeroish(claimed, tol.Atol, rel), zeroish(exact, tol.Atol, rel)
	ref, big := -1, 0.0
	var keep []int
	for k := range exact {
		if !finite(claimed[k]) || !finite(exact[k]) {
			return factor{}, false
		}
		switch {
		case ze(exact[k]) && zc(claimed[k]):
			continue
		case ze(exact[k]):
			return factor{}, false
		}
		keep = append(keep, k)
		if a := math.Abs(exact[k]); a > big {
			ref, big = k, a
		}
	}
	if ref < 0 {
		return factor{}, false
	}
	c := claimed[ref] / exact[ref]
	if c == 0 {
		return factor{}, false
	}
	lo, hi := c, c
	for _, k := range keep {
		if math.Abs(claimed[k]-c*exact[k]) > tol.Atol+rel*math.Abs(c*exact[k]) {
			return factor{}, false
		}
		r := claimed[k] / exact[k]
		lo, hi = math.Min(lo, r), math.Max(hi, r)
	}
	d := agreeingDigits(lo, hi)
	if d == 0 {
		d = 6
	}
	return factor{C: c, Rounded: roundSig(c, d), Digits: d, N: len(keep)}, true
}

// near reports |a − b| ≤ rel·|b|.
func near(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Abs(b) }

// matchDims names the dims whose Size equals |c| (inverse false) or, if
// none does, 1/|c| (inverse true), within a relative 1e-6.
func matchDims(c float64, dims []Dim) (names []string, inverse bool) {
	a := math.Abs(c)
	for _, inv := range []bool{false, true} {
		seen := map[string]bool{}
		for _, d := range dims {
			if d.Size < 2 || seen[d.Name] {
				continue
			}
			if (!inv && near(a, float64(d.Size), minRatioTol)) || (inv && near(a*float64(d.Size), 1, minRatioTol)) {
				names = append(names, d.Name)
				seen[d.Name] = true
			}
		}
		if len(names) > 0 {
			return names, inv
		}
	}
	return nil, false
}

// wholeUpTo100 reports whether x is a whole number in 2…100.
func wholeUpTo100(x float64) bool {
	r := math.Round(x)
	return r >= 2 && r <= 100 && near(x, r, 1e-9)
}

// zeroRule fires when the claim fails and every claimed value is zero
// (|x| ≤ Atol) while exact is not; unit is "element" or "point".
func zeroRule(claimed, exact []float64, tol Tolerance, unit string) (Diagnosis, bool) {
	allAgree := true
	for k := range claimed {
		if !finite(claimed[k]) || math.Abs(claimed[k]) > tol.Atol {
			return Diagnosis{}, false
		}
		if !tol.agrees(claimed[k], exact[k]) {
			allAgree = false
		}
	}
	if allAgree || len(claimed) == 0 {
		return Diagnosis{}, false
	}
	s := fmt.Sprintf("the claim is 0 at every %s; the exact value is not", unit)
	return Diagnosis{Kind: KindZero, Summary: s,
		Markdown: fmt.Sprintf("**Zero.** The claim is 0 at every %s, the exact value is not: a term of the derivative is missing?\n", unit)}, true
}

// factorRule fires when claimed = c·exact at every unit (see factorOf) with
// c ≠ 1 after rounding. With a single compared value, c must also be −1, a
// named dimension, or a whole number up to 100 or its inverse.
func factorRule(claimed, exact []float64, tol Tolerance, dims []Dim, unit string) (Diagnosis, bool) {
	f, ok := factorOf(claimed, exact, tol)
	if !ok || f.Rounded == 1 {
		return Diagnosis{}, false
	}
	names, inv := matchDims(f.C, dims)
	a := math.Abs(f.Rounded)
	if f.N < 2 && f.Rounded != -1 && names == nil && !wholeUpTo100(a) && !wholeUpTo100(1/a) {
		return Diagnosis{}, false
	}
	d := Diagnosis{Kind: KindFactor, Factor: f.Rounded, FactorDigits: f.Digits, Dims: names, Inverse: inv}
	every := "every " + unit
	if f.Rounded == -1 {
		d.Kind = KindSign
		d.Summary = fmt.Sprintf("the sign is flipped: claimed = −exact (%s)", every)
		d.Markdown = fmt.Sprintf("**The sign is flipped:** claimed = −exact at %s.\n", every)
		return d, true
	}
	eq := fmt.Sprintf("claimed = %s × exact", fmtRounded(f.Rounded))
	if wholeUpTo100(1/a) || inv {
		eq += fmt.Sprintf(" = exact / %s", fmtRounded(roundSig(1/f.Rounded, f.Digits)))
	}
	var why []string
	if f.Rounded < 0 {
		why = append(why, "the sign is flipped")
	}
	if names != nil {
		n, hint := fmtRounded(roundSig(a, f.Digits)), "the gradient of a sum where the loss takes a mean?"
		if inv {
			n, hint = fmtRounded(roundSig(1/a, f.Digits)), "the gradient of a mean where the loss takes a sum?"
		}
		why = append(why, n+" = "+strings.Join(names, " = ")+": "+hint)
	}
	d.Summary = fmt.Sprintf("%s (%s)", eq, every)
	d.Markdown = fmt.Sprintf("**Off by a constant factor:** %s at %s.", eq, every)
	switch len(why) {
	case 1:
		d.Summary += "; " + why[0]
		d.Markdown += " " + upperFirst(why[0])
	case 2:
		d.Summary += ": " + why[0] + ", and " + why[1]
		d.Markdown += " " + upperFirst(why[0]) + ", and " + why[1]
	}
	if len(why) > 0 && !strings.HasSuffix(d.Markdown, "?") {
		d.Markdown += "."
	}
	d.Markdown += "\n"
	return d, true
}
