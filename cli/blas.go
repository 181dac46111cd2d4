package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/runner-dev/runner/diff"
)

// addBLASFlag adds --blas: which library multiplies matrices.
func addBLASFlag(f *pflag.FlagSet, dst *string) {
	f.StringVar(dst, "blas", "", "multiply matrices with `BLAS`: own (default; the same bits on every machine), openblas (the system's libopenblas, loaded at run time; faster, last digits may differ from other machines), or a libopenblas file's path; also RUNNER_BLAS")
}

// selectBLAS applies --blas, else RUNNER_BLAS, else the own GEMM.
func selectBLAS(cmd *cobra.Command, flag string) error {
	name, from := flag, "--blas"
	if !cmd.Flags().Changed("blas") {
		name, from = os.Getenv("RUNNER_BLAS"), "RUNNER_BLAS"
	}
	if err := diff.UseBLAS(name); err != nil {
		return fmt.Errorf("%s: %v", from, err)
	}
	return nil
}
