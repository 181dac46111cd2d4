// Command runner computes the derivatives and gradients that experiment
// files declare, exactly and numerically, and writes Markdown and CSV
// reports. See `runner --help`.
package main

import (
	"os"

	"github.com/runner-dev/runner/cli"
)

func main() {
	os.Exit(cli.Execute(os.Args[1:], os.Stdout, os.Stderr))
}
