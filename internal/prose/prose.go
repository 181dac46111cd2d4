// Package prose holds the small pieces of English the reports and the
// engine's descriptions share.
package prose

import "strings"

// List joins items as a sentence lists them: "X", "X and W", "X, W and b"
// (conj "and" or "or").
func List(items []string, conj string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}
