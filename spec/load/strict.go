package load

import (
	"bytes"
	"errors"
	"io"
	"regexp"

	"gopkg.in/yaml.v3"
)

// coreTags are the only tags an experiment file may write out: what a
// reader sees is what runs, so no !!binary, !!timestamp or local tags.
var coreTags = map[string]bool{"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!null": true, "!!seq": true, "!!map": true}

// octal11 is an integer YAML 1.1 reads as octal (017 is 15) or binary
// (0b101), which YAML 1.2 and a reader take for decimal or text.
var octal11 = regexp.MustCompile(`^[-+]?(0[0-9_]+|0b[01_]+)$`)

// decodeStrict parses src into doc, refusing what a reviewer would read
// differently from the runner: a second document, a key given twice, a tag
// beyond the core ones and a YAML 1.1 octal or binary number. It returns
// the file's errors, or nil.
func (l *loader) decodeStrict(src []byte, doc *yaml.Node) error {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	if err := dec.Decode(doc); err != nil {
		if errors.Is(err, io.EOF) {
			*doc = yaml.Node{}
			return nil
		}
		l.yamlError(err)
		return l.errs
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		at := &extra
		if len(extra.Content) > 0 {
			at = extra.Content[0]
		}
		l.errf(at, "a second YAML document (after '---'): an experiment file is one document")
	case !errors.Is(err, io.EOF):
		l.yamlError(err)
	}
	// walk the tree as written: aliases are not followed, so the walk is
	// as long as the file
	stack := []*yaml.Node{doc}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Style&yaml.TaggedStyle != 0 && !coreTags[n.Tag] {
			l.errf(n, "the tag %q is not allowed: an experiment file uses only the core tags !!str, !!int, !!float, !!bool, !!null, !!seq and !!map", n.Tag)
		}
		switch n.Kind {
		case yaml.ScalarNode:
			if n.Tag == "!!int" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 && octal11.MatchString(n.Value) {
				l.errf(n, "%q: a leading 0 or 0b is YAML 1.1's octal or binary, read differently by different tools; write the decimal number, or 0o17 for octal", n.Value)
			}
		case yaml.MappingNode:
			seen := map[string]int{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Kind == yaml.ScalarNode {
					if line, ok := seen[k.Value]; ok {
						l.errf(k, "the key %q is given twice (first at line %d): a reader would see one, the runner the other", k.Value, line)
					} else {
						seen[k.Value] = k.Line
					}
				}
			}
			stack = append(stack, n.Content...)
		case yaml.DocumentNode, yaml.SequenceNode:
			stack = append(stack, n.Content...)
		}
	}
	if len(l.errs) > 0 {
		return l.errs.Sorted()
	}
	return nil
}
