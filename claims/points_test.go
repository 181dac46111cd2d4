package claims

import (
	"math"
	"strings"
	"testing"
)

// sigmoidPoints is x = -3, -2.5, …, 3 with σ′(x) = σ(x)(1 − σ(x)), the
// exact derivative written out by hand.
func sigmoidPoints() (xs, exact []float64) {
	for k := 0; k <= 12; k++ {
		x := -3 + 0.5*float64(k)
		s := 1 / (1 + math.Exp(-x))
		xs, exact = append(xs, x), append(exact, s*(1-s))
	}
	return xs, exact
}

// claimWhere returns exact with claim(x) in place where wrong(x).
func claimWhere(xs, exact []float64, wrong func(float64) bool, claim func(x, e float64) float64) []float64 {
	out := append([]float64(nil), exact...)
	for k, x := range xs {
		if wrong(x) {
			out[k] = claim(x, exact[k])
		}
	}
	return out
}

func TestDiagnosePointsRegions(t *testing.T) {
	xs, exact := sigmoidPoints()
	sigma := func(x, _ float64) float64 { return 1 / (1 + math.Exp(-x)) } // σ claimed for σ′
	for _, c := range []struct {
		name    string
		wrong   func(float64) bool
		summary string
		regions []Interval
	}{
		{"two intervals", func(x float64) bool { return x <= -0.5 || x >= 2 },
			"fails for x in [-3, -0.5] and [2, 3]; right elsewhere (9 of 13 points disagree; worst x = 3",
			[]Interval{{-3, -0.5, 6}, {2, 3, 3}}},
		{"a point and an interval", func(x float64) bool { return x == 0 || x >= 2.5 },
			"fails at x = 0 and x in [2.5, 3]; right elsewhere (3 of 13 points disagree",
			[]Interval{{0, 0, 1}, {2.5, 3, 2}}},
		{"everywhere", func(float64) bool { return true }, "fails at all 13 points", []Interval{{-3, 3, 13}}},
	} {
		claimed := claimWhere(xs, exact, c.wrong, sigma)
		d := DiagnosePoints(xs, claimed, exact, Tolerance{})
		if d.Kind != KindRegions || !strings.HasPrefix(d.Summary, c.summary) {
			t.Errorf("%s: %s %q, want regions %q", c.name, d.Kind, d.Summary, c.summary)
		}
		if len(d.Regions) != len(c.regions) {
			t.Errorf("%s: regions %v, want %v", c.name, d.Regions, c.regions)
			continue
		}
		for k := range c.regions {
			if d.Regions[k] != c.regions[k] {
				t.Errorf("%s: region %d = %v, want %v", c.name, k, d.Regions[k], c.regions[k])
			}
		}
	}
}

func TestDiagnosePointsUnsortedAndNaN(t *testing.T) {
	xs := []float64{2, -1, 0, 1, -2}
	exact := []float64{4, -2, 0, 2, -4} // d/dx x² = 2x
	claimed := []float64{4, math.NaN(), 0, 2, -5}
	d := DiagnosePoints(xs, claimed, exact, Tolerance{})
	want := []Interval{{-2, -1, 2}} // x = -2 and -1 are neighbours in x, not in the input order
	if d.Kind != KindRegions || len(d.Regions) != 1 || d.Regions[0] != want[0] {
		t.Fatalf("%s %v, want regions %v", d.Kind, d.Regions, want)
	}
	if !strings.Contains(d.Summary, "fails for x in [-2, -1]") || !strings.Contains(d.Summary, "1 claimed value is NaN or infinite") {
		t.Errorf("summary %q", d.Summary)
	}
}

func TestDiagnosePointsFactorAndSign(t *testing.T) {
	xs, exact := sigmoidPoints()
	all := func(float64) bool { return true }
	d := DiagnosePoints(xs, claimWhere(xs, exact, all, func(_, e float64) float64 { return 2 * e }), exact, Tolerance{})
	if d.Kind != KindFactor || d.Factor != 2 || !strings.Contains(d.Summary, "claimed = 2 × exact (every point)") {
		t.Errorf("2σ′: %s %v %q", d.Kind, d.Factor, d.Summary)
	}
	d = DiagnosePoints(xs, claimWhere(xs, exact, all, func(_, e float64) float64 { return -e }), exact, Tolerance{})
	if d.Kind != KindSign || !strings.Contains(d.Summary, "the sign is flipped") {
		t.Errorf("−σ′: %s %q", d.Kind, d.Summary)
	}
	// silent on the correct claim and on noise
	if d := DiagnosePoints(xs, exact, exact, Tolerance{}); d.Kind != KindAgrees {
		t.Errorf("correct claim: %s %q", d.Kind, d.Summary)
	}
	g := noise(21, 13, 1)
	if d := DiagnosePoints(xs, g.RawMatrix().Data, exact, Tolerance{}); d.Kind != KindRegions {
		t.Errorf("noise: %s %q", d.Kind, d.Summary)
	}
	// tanh′ claimed as 1 − tanh: right only at x = 0, not a factor
	tanhD := make([]float64, len(xs))
	wrong := make([]float64, len(xs))
	for k, x := range xs {
		tanhD[k], wrong[k] = 1-math.Tanh(x)*math.Tanh(x), 1-math.Tanh(x)
	}
	if d := DiagnosePoints(xs, wrong, tanhD, Tolerance{}); d.Kind != KindRegions || !strings.Contains(d.Summary, "fails for x in [-3, -0.5] and [0.5, 3]; right elsewhere (12 of 13") {
		t.Errorf("1 − tanh: %s %q", d.Kind, d.Summary)
	}
}

func TestDiagnosePointsZeroAndLength(t *testing.T) {
	xs, exact := sigmoidPoints()
	if d := DiagnosePoints(xs, make([]float64, len(xs)), exact, Tolerance{}); d.Kind != KindZero {
		t.Errorf("zero claim: %s %q", d.Kind, d.Summary)
	}
	d := DiagnosePoints(xs, exact[:4], exact, Tolerance{})
	if d.Kind != KindShape || !strings.Contains(d.Summary, "13 points, 4 values claimed, 13 values exact") {
		t.Errorf("short claim: %s %q", d.Kind, d.Summary)
	}
	if d := DiagnosePoints(nil, nil, nil, Tolerance{}); d.Kind != KindAgrees {
		t.Errorf("no points: %s %q", d.Kind, d.Summary)
	}
}
