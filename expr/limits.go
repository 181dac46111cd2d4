package expr

// MaxNodes is the most nodes (numbers, names, calls and operators) one
// expression may have. Every pass over an expression (resolving, shapes,
// evaluation, differentiation, formulas) recurses along it, and a sum of n
// terms is n deep, so the limit bounds the depth of every recursion too;
// it is checked on the tokens, before the parser builds anything.
const MaxNodes = 10_000

// countNodes refuses an expression of more than MaxNodes nodes, counted
// from its tokens (each number, name and operator is one node; parentheses
// and commas are none), at the token that passes the limit.
func countNodes(toks []token) *Error {
	n := 0
	for _, t := range toks {
		if t.kind == tEOF || t.kind == tOp && (t.op == '(' || t.op == ')' || t.op == ',') {
			continue
		}
		n++
		if n > MaxNodes {
			total := 0
			for _, t := range toks {
				if t.kind != tEOF && !(t.kind == tOp && (t.op == '(' || t.op == ')' || t.op == ',')) {
					total++
				}
			}
			return errorf(t.off, "the expression has %d numbers, names and operators, more than the limit of %d", total, MaxNodes)
		}
	}
	return nil
}
