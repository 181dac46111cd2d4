package diff

import "math"

// SurfaceSamples is how many samples a surface takes along each axis.
const SurfaceSamples = 61

// Surface is a two-variable function sampled on a regular grid for a
// picture: F[j][i] = f(X[i], Y[j]). The grid spans the box around the
// function's points, widened by 15% of its width on each side; a side
// of width 0 takes the other side's width (or 2, when both are 0).
type Surface struct {
	X, Y []float64
	F    [][]float64
}

// surface samples f over the box around points (each a pair x, y); nil
// when a coordinate is not finite.
func surface(points [][]float64, f func(x, y float64) float64) *Surface {
	if len(points) == 0 {
		return nil
	}
	lo := [2]float64{math.Inf(1), math.Inf(1)}
	hi := [2]float64{math.Inf(-1), math.Inf(-1)}
	for _, p := range points {
		for a := range 2 {
			if math.IsNaN(p[a]) || math.IsInf(p[a], 0) {
				return nil
			}
			lo[a], hi[a] = math.Min(lo[a], p[a]), math.Max(hi[a], p[a])
		}
	}
	w := [2]float64{hi[0] - lo[0], hi[1] - lo[1]}
	for a := range 2 {
		if w[a] == 0 {
			w[a] = w[1-a]
		}
		if w[a] == 0 {
			w[a] = 2
		}
		if hi[a] == lo[a] {
			lo[a], hi[a] = lo[a]-w[a]/2, hi[a]+w[a]/2
		}
		lo[a], hi[a] = lo[a]-0.15*w[a], hi[a]+0.15*w[a]
	}
	axis := func(a int) []float64 {
		v := make([]float64, SurfaceSamples)
		for k := range v {
			v[k] = lo[a] + float64(k)*(hi[a]-lo[a])/float64(SurfaceSamples-1)
		}
		v[SurfaceSamples-1] = hi[a]
		return v
	}
	s := &Surface{X: axis(0), Y: axis(1), F: make([][]float64, SurfaceSamples)}
	for j, y := range s.Y {
		s.F[j] = make([]float64, SurfaceSamples)
		for i, x := range s.X {
			s.F[j][i] = f(x, y)
		}
	}
	return s
}

// Eigen2 is the eigen-decomposition of the symmetric 2×2 matrix
// [[a, b], [b, c]] (a Hessian of two variables): its eigenvalues l1 ≥ l2
// and unit eigenvectors v1, v2, with
// l = (a + c)/2 ± √(((a − c)/2)² + b²).
func Eigen2(a, b, c float64) (l1, l2 float64, v1, v2 [2]float64) {
	m, r := (a+c)/2, math.Hypot((a-c)/2, b)
	l1, l2 = m+r, m-r
	// the angle θ of v1 satisfies tan 2θ = 2b/(a − c)
	th := math.Atan2(2*b, a-c) / 2
	v1 = [2]float64{math.Cos(th), math.Sin(th)}
	v2 = [2]float64{-math.Sin(th), math.Cos(th)}
	return l1, l2, v1, v2
}
