package reports

import "strings"

// EscapeText makes user text (a title, an about:, a reference's source, a
// data file's path) safe to put in Markdown: & and < become entities, so
// none of it is read as HTML (a tag or an entity); Markdown's own emphasis
// and code stay.
func EscapeText(s string) string { return htmlEscaper.Replace(s) }

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;")

// EscapeInline is EscapeText for a heading or a table cell: also one line,
// and no '|' to end the cell.
func EscapeInline(s string) string {
	s = EscapeText(s)
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", `\|`).Replace(s)
	return s
}
