package claims

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// dense is an r×c matrix from its elements row by row.
func dense(r, c int, xs ...float64) *mat.Dense { return mat.NewDense(r, c, xs) }

// noise is an r×c matrix of standard normal values from a fixed seed.
func noise(seed uint64, r, c int) *mat.Dense {
	g := rand.New(rand.NewPCG(seed, 7))
	m := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m.Set(i, j, g.NormFloat64())
		}
	}
	return m
}

// scaled is c·m.
func scaled(c float64, m mat.Matrix) *mat.Dense {
	var out mat.Dense
	out.Scale(c, m)
	return &out
}

// exactGrad is a fixed 4×3 gradient with no zero and no symmetry.
func exactGrad() *mat.Dense { return noise(1, 4, 3) }

// factsOf builds what the rules look at, as Diagnose does.
func factsOf(claimed, exact *mat.Dense, ctx Context) *facts {
	tol := Tolerance{}.withDefaults()
	return &facts{claimed: claimed, exact: exact, tol: tol, ctx: ctx, v: Check(claimed, exact, tol)}
}
