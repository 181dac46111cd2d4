package expr

import (
	"strconv"

	"github.com/runner-dev/runner/funcs"
)

type tokKind int

const (
	tEOF tokKind = iota
	tNum
	tName
	tOp // one of + - * / @ ^ ( ) , ; "**" is lexed as '^'
)

type token struct {
	kind tokKind
	text string
	op   byte
	off  int
}

func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of expression"
	case tNum:
		return "number " + strconv.Quote(t.text)
	case tName:
		return "name " + strconv.Quote(t.text)
	}
	return strconv.Quote(t.text)
}

func isLetter(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

func lex(src string) ([]token, *Error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isLetter(c):
			j := i + 1
			for j < len(src) && (isLetter(src[j]) || isDigit(src[j])) {
				j++
			}
			toks = append(toks, token{kind: tName, text: src[i:j], off: i})
			i = j
		case isDigit(c) || c == '.':
			j := i
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			if j < len(src) && src[j] == '.' {
				j++
				for j < len(src) && isDigit(src[j]) {
					j++
				}
			}
			if j == i+1 && c == '.' {
				return nil, errorf(i, "expected a digit after '.'")
			}
			if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
				k := j + 1
				if k < len(src) && (src[k] == '+' || src[k] == '-') {
					k++
				}
				if k >= len(src) || !isDigit(src[k]) {
					return nil, errorf(k, "expected the exponent's digits in %q", src[i:min(k+1, len(src))])
				}
				for k < len(src) && isDigit(src[k]) {
					k++
				}
				j = k
			}
			if j < len(src) && isLetter(src[j]) {
				return nil, errorf(j, "expected an operator after the number %q, found %q (write 2*x, not 2x)", src[i:j], src[j:j+1])
			}
			toks = append(toks, token{kind: tNum, text: src[i:j], off: i})
			i = j
		case c == '*' && i+1 < len(src) && src[i+1] == '*':
			toks = append(toks, token{kind: tOp, text: "**", op: '^', off: i})
			i += 2
		case c == '+' || c == '-' || c == '*' || c == '/' || c == '@' || c == '^' || c == '(' || c == ')' || c == ',':
			toks = append(toks, token{kind: tOp, text: src[i : i+1], op: c, off: i})
			i++
		default:
			r := []rune(src[i:])[0]
			return nil, errorf(i, "unexpected character %q", r)
		}
	}
	toks = append(toks, token{kind: tEOF, off: len(src)})
	return toks, nil
}

type parser struct {
	toks  []token
	i     int
	depth int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }
func (p *parser) isOp(c byte) bool {
	t := p.peek()
	return t.kind == tOp && t.op == c
}

func (p *parser) enter(off int) *Error {
	p.depth++
	if p.depth > MaxDepth {
		return errorf(off, "expression nested more than %d deep", MaxDepth)
	}
	return nil
}

// Parse parses src by the grammar in the package doc. Names stay unresolved
// (see Resolve), except the constants pi and e, which become numbers.
func Parse(src string) (Node, error) {
	toks, lerr := lex(src)
	if lerr != nil {
		return nil, lerr
	}
	if err := countNodes(toks); err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if p.peek().kind == tEOF {
		return nil, errorf(0, "empty expression")
	}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tOp && t.op == ')' {
			return nil, errorf(t.off, "unmatched ')'")
		}
		return nil, errorf(t.off, "expected an operator or end of expression, found %s", t.describe())
	}
	return n, nil
}

func (p *parser) expr() (Node, *Error) {
	l, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.isOp('+') || p.isOp('-') {
		op := p.next()
		r, err := p.term()
		if err != nil {
			return nil, err
		}
		l = &Binary{Op: op.op, L: l, R: r, Off: op.off}
	}
	return l, nil
}

func (p *parser) term() (Node, *Error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.isOp('*') || p.isOp('/') || p.isOp('@') {
		op := p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = &Binary{Op: op.op, L: l, R: r, Off: op.off}
	}
	return l, nil
}

func (p *parser) unary() (Node, *Error) {
	if p.isOp('-') {
		op := p.next()
		if err := p.enter(op.off); err != nil {
			return nil, err
		}
		x, err := p.unary()
		p.depth--
		if err != nil {
			return nil, err
		}
		return &Neg{X: x, Off: op.off}, nil
	}
	return p.power()
}

func (p *parser) power() (Node, *Error) {
	base, err := p.atom()
	if err != nil {
		return nil, err
	}
	if !p.isOp('^') {
		return base, nil
	}
	op := p.next()
	if err := p.enter(op.off); err != nil {
		return nil, err
	}
	exp, err := p.unary()
	p.depth--
	if err != nil {
		return nil, err
	}
	return &Binary{Op: '^', L: base, R: exp, Off: op.off}, nil
}

func (p *parser) atom() (Node, *Error) {
	t := p.next()
	switch t.kind {
	case tNum:
		v, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, errorf(t.off, "number %q is out of range", t.text)
		}
		return &Num{Val: v, Text: t.text, Off: t.off}, nil
	case tName:
		if !p.isOp('(') {
			if v, ok := funcs.Constants[t.text]; ok {
				return &Num{Val: v, Text: t.text, Off: t.off}, nil
			}
			return &Ident{Name: t.text, Off: t.off}, nil
		}
		open := p.next()
		if err := p.enter(open.off); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		call := &Call{Name: t.text, Off: t.off}
		if p.isOp(')') {
			return nil, errorf(p.peek().off, "%s() needs an argument", t.text)
		}
		for {
			a, err := p.expr()
			if err != nil {
				return nil, err
			}
			call.Args = append(call.Args, a)
			if p.isOp(',') {
				p.next()
				continue
			}
			if p.isOp(')') {
				p.next()
				return call, nil
			}
			return nil, errorf(p.peek().off, "expected ',' or ')' in the call of %s, found %s", t.text, p.peek().describe())
		}
	case tOp:
		if t.op == '(' {
			if err := p.enter(t.off); err != nil {
				return nil, err
			}
			defer func() { p.depth-- }()
			n, err := p.expr()
			if err != nil {
				return nil, err
			}
			if !p.isOp(')') {
				return nil, errorf(p.peek().off, "expected ')' to close the '(' at col %d, found %s", t.off+1, p.peek().describe())
			}
			p.next()
			return n, nil
		}
	}
	return nil, errorf(t.off, "expected a number, a name or '(', found %s", t.describe())
}
