package claims_test

import (
	"fmt"

	"github.com/runner-dev/runner/claims"
	"gonum.org/v1/gonum/mat"
)

// A hand gradient of a mean squared loss over a batch of 10 that forgot the
// 1/10 of the mean.
func ExampleDiagnose() {
	exact := mat.NewDense(3, 1, []float64{0.12, -0.4, 0.031})
	var claimed mat.Dense
	claimed.Scale(10, exact)
	d := claims.Diagnose(&claimed, exact, claims.Tolerance{}, claims.Context{
		Dims: []claims.Dim{{Name: "the rows of X", Size: 10}, {Name: "the columns of X", Size: 3}},
	})
	fmt.Println(d.Kind, d.Factor)
	fmt.Println(d.Summary)
	// Output:
	// factor 10
	// claimed = 10 × exact (every element); 10 = the rows of X: the gradient of a sum where the loss takes a mean?
}

// σ′ claimed as σ(x)(1 − σ(x)) everywhere but a sign slip at large |x|.
func ExampleDiagnosePoints() {
	xs := []float64{-3, -2, -1, 0, 1, 2, 3}
	exact := []float64{0.0452, 0.105, 0.197, 0.25, 0.197, 0.105, 0.0452}
	claimed := []float64{-0.0452, 0.105, 0.197, 0.25, 0.197, -0.105, -0.0452}
	d := claims.DiagnosePoints(xs, claimed, exact, claims.Tolerance{})
	fmt.Println(d.Summary)
	// Output:
	// fails at x = -3 and x in [2, 3]; right elsewhere (3 of 7 points disagree; worst x = 2: claimed -0.105, exact 0.105)
}
