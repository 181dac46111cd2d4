package cli

import (
	"os"
	"regexp"
	"testing"
)

// TestGoVersionAgrees: the Go version README's set-up asks for ("Go (1.26
// or newer)") is go.mod's go line, so that a user with that version builds
// without a toolchain download.
func TestGoVersionAgrees(t *testing.T) {
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go ([0-9.]+)$`).FindSubmatch(mod)
	r := regexp.MustCompile(`Go \(([0-9.]+) or newer\)`).FindSubmatch(readme)
	if m == nil || r == nil {
		t.Fatalf("go.mod's go line %q, README's version %q: one is missing", m, r)
	}
	if string(m[1]) != string(r[1]) {
		t.Errorf("go.mod says go %s, README asks for Go %s or newer", m[1], r[1])
	}
}
