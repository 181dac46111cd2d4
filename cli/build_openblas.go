//go:build openblas

package cli

// openBLAS says whether this binary was built with -tags openblas, which
// computes matrix products with OpenBLAS (diff/openblas.go).
const openBLAS = true
