package load

import (
	"strings"
	"testing"
)

func TestSanitizeMessage(t *testing.T) {
	long := strings.Repeat("a", 100)
	for _, c := range []struct {
		msg    string
		redact bool
		want   string
	}{
		{`unknown key "` + long + `"`, false, `unknown key "` + strings.Repeat("a", 40) + `…"`},
		{"cannot unmarshal !!str `" + long + "` into float64", false, `cannot unmarshal !!str "` + strings.Repeat("a", 40) + `…" into float64`},
		{`found "a\nb\x1b[31m"`, false, `found "a?b?[31m"`},
		{"a\nb\x00c", false, "a?b?c"},
		{`unknown key "id_ed25519" (did you mean "title"?)`, true, `unknown key "…" (did you mean "…"?)`},
		{strings.Repeat("x", 1000), false, strings.Repeat("x", 400) + "…"},
	} {
		if got := sanitizeMessage(c.msg, c.redact); got != c.want {
			t.Errorf("sanitizeMessage(%q, %v) = %q, want %q", c.msg, c.redact, got, c.want)
		}
	}
	if got := Printable("a\nb\tc"); got != "a?b?c" {
		t.Errorf("Printable: %q", got)
	}
}
