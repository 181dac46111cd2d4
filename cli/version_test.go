package cli

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/runner-dev/runner/diff"
)

// TestVersionText: the version names the module version, the revision with
// +dirty for a modified tree, the Go version and the matrix-product kernel.
func TestVersionText(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.99.1", Main: debug.Module{Path: "github.com/runner-dev/runner", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"}}}
	got := versionText(info, true, "OpenBLAS libopenblas.so.0 (--blas)", nil)
	want := "runner v1.2.3\nrevision: abc123+dirty (2026-01-02T03:04:05Z)\ngo: go1.99.1 " + runtime.GOOS + "/" + runtime.GOARCH + "\nmatrix products: OpenBLAS libopenblas.so.0 (--blas)\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	info.Settings[2].Value = "false"
	if got := versionText(info, true, "avx2", []string{"avx2", "portable"}); !strings.Contains(got, "revision: abc123 (2026") || !strings.Contains(got, "matrix products: avx2\nkernels on this machine (RUNNER_GEMM=NAME picks one; all give the same bits): avx2, portable\n") {
		t.Errorf("clean tree, pure Go:\n%s", got)
	}
	info.Settings, info.Main.Version = nil, ""
	if got := versionText(info, true, "portable", nil); strings.Contains(got, "revision") || !strings.HasPrefix(got, "runner (devel)\n") {
		t.Errorf("no VCS information:\n%s", got)
	}
	if got := versionText(nil, false, "portable", nil); !strings.HasPrefix(got, "runner unknown") || !strings.Contains(got, runtime.Version()) {
		t.Errorf("no build information:\n%s", got)
	}
}

// TestVersionCommand: --version and "runner version" print this build's
// version (once "version: cannot read", taken for a file), exit 0, and
// name the kernel this test binary was built with.
func TestVersionCommand(t *testing.T) {
	kernel, _ := diff.MatMulKernels()
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, stdout, stderr := invoke(t, args...)
		if code != ExitOK || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		if !strings.HasPrefix(stdout, "runner ") || !strings.Contains(stdout, "go: "+runtime.Version()) || !strings.Contains(stdout, "matrix products: "+kernel) {
			t.Errorf("%v:\n%s", args, stdout)
		}
	}
	if code, _, _ := invoke(t, "version", "extra"); code != ExitInvalid {
		t.Errorf("version with an argument: exit %d, want 2", code)
	}
}
