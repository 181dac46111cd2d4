package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/runner-dev/runner/diff"
)

// versionText describes the build from its build information: the module
// version ("(devel)" for a build from a work tree, "v1.2.3" for go install
// …@v1.2.3), the VCS revision and whether the tree was modified, the Go
// version, the platform, the matrix-product kernel in use and the kernels
// this machine could run (diff.MatMulKernels). Reports never name the
// kernel: their bytes must not depend on the processor.
func versionText(info *debug.BuildInfo, ok bool, using string, available []string) string {
	var b strings.Builder
	version, goVersion := "unknown (no build information)", runtime.Version()
	if ok {
		version, goVersion = info.Main.Version, info.GoVersion
		if version == "" {
			version = "(devel)"
		}
	}
	fmt.Fprintf(&b, "runner %s\n", version)
	if ok {
		var revision, when string
		modified := false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if revision != "" {
			if modified {
				revision += "+dirty"
			}
			if when != "" {
				revision += " (" + when + ")"
			}
			fmt.Fprintf(&b, "revision: %s\n", revision)
		}
	}
	fmt.Fprintf(&b, "go: %s %s/%s\n", goVersion, runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "matrix products: %s\n", using)
	if len(available) > 0 {
		fmt.Fprintf(&b, "kernels on this machine (RUNNER_GEMM=NAME picks one; all give the same bits): %s\n", strings.Join(available, ", "))
	}
	return b.String()
}

// buildVersion is versionText of this binary.
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	using, available := diff.MatMulKernels()
	return versionText(info, ok, using, available)
}

// addVersion gives cmd a --version flag and a version subcommand, both
// printing buildVersion to stdout.
func addVersion(cmd *cobra.Command, stdout io.Writer) {
	cmd.Version = buildVersion()
	cmd.SetVersionTemplate("{{.Version}}")
	cmd.AddCommand(&cobra.Command{
		Use:   "version",
		Short: "Print the version, VCS revision, Go version and matrix-product kernel of this build",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := io.WriteString(stdout, buildVersion())
			return err
		},
	})
}
