package load

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/runner-dev/runner/spec"
)

// MaxExcerpt is the most characters of the experiment file's own text that
// an error quotes: a token, a name, a path. Longer text is cut with "…".
const MaxExcerpt = 40

// sanitize is s as an error may show it: printable characters only (each
// control or invalid byte becomes '?') and at most MaxExcerpt characters.
func sanitize(s string) string {
	var b strings.Builder
	n := 0
	for i, r := range s {
		if n == MaxExcerpt {
			if i < len(s) {
				b.WriteString("…")
			}
			break
		}
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// Printable is s with every control character or invalid byte replaced
// by '?', for a path that is printed whole (in a file:line:col, say): a
// name with a newline cannot start a line of the output of its own.
func Printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return '?'
		}
		return r
	}, s)
}

// quoted matches what %q (double quotes, escapes) and yaml.v3 (back quotes)
// put around text taken from a file.
var quoted = regexp.MustCompile("\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`")

// sanitizeMessage makes msg safe to print: every quoted excerpt is cut to
// MaxExcerpt characters (or, with redact, replaced by "…", for a file
// reached through a symlink), control characters go, and the whole stays
// under a few hundred bytes.
func sanitizeMessage(msg string, redact bool) string {
	msg = quoted.ReplaceAllStringFunc(msg, func(q string) string {
		if redact {
			return `"…"`
		}
		s := q[1 : len(q)-1]
		if q[0] == '"' {
			if u, err := strconv.Unquote(q); err == nil {
				s = u
			}
		}
		return strconv.Quote(sanitize(s))
	})
	var b strings.Builder
	for _, r := range msg {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			r = '?'
		}
		if b.Len() >= 400 {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sanitizeErrors applies sanitizeMessage to every error of one file.
func sanitizeErrors(es spec.Errors, redact bool) spec.Errors {
	for _, e := range es {
		e.Msg = sanitizeMessage(e.Msg, redact)
	}
	return es
}
