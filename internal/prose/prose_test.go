package prose

import "testing"

func TestList(t *testing.T) {
	for _, c := range []struct {
		items []string
		conj  string
		want  string
	}{
		{nil, "and", ""},
		{[]string{"X"}, "and", "X"},
		{[]string{"X", "W"}, "or", "X or W"},
		{[]string{"W1", "b1", "W2", "b2"}, "and", "W1, b1, W2 and b2"},
	} {
		if got := List(c.items, c.conj); got != c.want {
			t.Errorf("List(%q, %q) = %q, want %q", c.items, c.conj, got, c.want)
		}
	}
}
