// Command runner computes the derivatives and gradients that experiment
// files declare, exactly and numerically, and writes Markdown and CSV
// reports. See `runner --help`.
//
// For benchmark work, RUNNER_CPUPROFILE=FILE writes a CPU profile of the
// whole run to FILE (read it with `go tool pprof`).
package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/runner-dev/runner/cli"
)

func main() {
	if path := os.Getenv("RUNNER_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "runner: RUNNER_CPUPROFILE: %v\n", err)
			os.Exit(cli.ExitInvalid)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(os.Stderr, "runner: RUNNER_CPUPROFILE: %v\n", err)
			os.Exit(cli.ExitInvalid)
		}
		status := cli.Execute(os.Args[1:], os.Stdout, os.Stderr)
		pprof.StopCPUProfile()
		f.Close()
		os.Exit(status)
	}
	os.Exit(cli.Execute(os.Args[1:], os.Stdout, os.Stderr))
}
