package claims

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// fmtNum formats a value for a learner: 6 significant digits, no trailing
// zeros; NaN, +Inf and -Inf as Go spells them.
func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

// fmtRounded formats a value already rounded to its significant digits, in
// the shortest form that reads it back ("10", "0.1", "2.5e-07").
func fmtRounded(x float64) string {
	a := math.Abs(x)
	if a != 0 && (a < 1e-4 || a >= 1e9) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// roundSig rounds x to d significant digits (d ≥ 1).
func roundSig(x float64, d int) float64 {
	if x == 0 || !finite(x) {
		return x
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'e', d-1, 64), 64)
	if err != nil {
		return x
	}
	return r
}

// maxSigDigits caps the digits a factor is named with.
const maxSigDigits = 12

// agreeingDigits is the largest d ≤ maxSigDigits for which lo and hi rounded
// to d significant digits are equal, or 0 when they differ at every d.
func agreeingDigits(lo, hi float64) int {
	for d := maxSigDigits; d >= 1; d-- {
		if roundSig(lo, d) == roundSig(hi, d) {
			return d
		}
	}
	return 0
}

// shape is "m×n".
func shape(r, c int) string { return fmt.Sprintf("%d×%d", r, c) }

// plural is "1 one" or "n many" by n.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// countOf is "3 of 30 elements" or "1 of 1 element".
func countOf(n, total int, noun string) string {
	if total == 1 {
		return fmt.Sprintf("%d of 1 %s", n, noun)
	}
	return fmt.Sprintf("%d of %d %ss", n, total, noun)
}

// joinAnd joins items as "a", "a and b" or "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// worstTable is a Markdown table of disagreeing elements; label names an
// element's position (e.g. "[2,1]" or "x = 3").
func worstTable(worst []Element, head string, label func(Element) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | claimed | exact | claim_error |\n|---|---:|---:|---:|\n", head)
	for _, e := range worst {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", label(e), fmtNum(e.Claimed), fmtNum(e.Exact), fmtNum(e.Error))
	}
	return b.String()
}
