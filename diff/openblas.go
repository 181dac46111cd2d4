//go:build openblas

package diff

// The OpenBLAS build: go build -tags openblas ./cmd/runner, with Debian's
// libopenblas-dev installed. Matrix products then run in OpenBLAS (through
// gonum's netlib binding) instead of gonum's pure-Go kernels. Results agree
// to rounding, but not bit for bit, with the default build's: keep one build
// for the reports a repository checks in.

/*
#cgo LDFLAGS: -lopenblas
*/
import "C"

import (
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

func init() { blas64.Use(netlib.Implementation{}) }
