package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// laughs is a YAML file whose aliases would expand to 9⁹ elements if
// anything expanded them.
func laughs() string {
	s := "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
	for i := 1; i < 10; i++ {
		s += "a" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [" + strings.TrimSuffix(strings.Repeat("*a"+strconv.Itoa(i-1)+", ", 9), ", ") + "]\n"
	}
	return s + "functions:\n  - {name: f, expr: x, at: *a9}\n"
}

// TestCatalogue runs the command on one bad experiment file at a time, beside
// a good one, and asks for exit status 2, the good file's report, and an
// error at file:line:col (col: where marker starts on that line) that says
// what was expected. A negative line is a line of the data file the case
// reads (m.csv or r.csv) rather than of the experiment file.
func TestCatalogue(t *testing.T) {
	for _, c := range []struct {
		name, src string
		line      int    // 0: the error names the file only
		marker    string // "": any column
		msg       string
	}{
		{"unknown function", "functions:\n  - name: f\n    expr: sigmiod(x)\n    at: 1\n", 3, "sigmiod", `unknown function "sigmiod" (did you mean "sigmoid"?)`},
		{"quoted expr column", "functions:\n  - name: f\n    expr: \"x + sigmiod(x)\"\n    at: 1\n", 3, "sigmiod", `unknown function "sigmiod"`},
		{"block expr column", "functions:\n  - name: f\n    expr: |\n      x + sigmiod(x)\n    at: 1\n", 4, "sigmiod", `unknown function "sigmiod"`},
		{"yaml tab", "functions:\n  - name: f\n\texpr: x\n", 3, "\t", "invalid YAML: found a tab character"},
		{"yaml unclosed", "title: t\nfunctions: [1, 2\nchains: []\n", 2, "functions", "invalid YAML: did not find expected ',' or ']'"},
		{"yaml syntax", "title: a: b\nfunctions: []\n", 1, "title", "invalid YAML: mapping values are not allowed in this context"},
		{"empty", "", 0, "", "the file is empty"},
		{"comment only", "# nothing\n", 0, "", "the file is empty"},
		{"not a mapping", "- 1\n", 1, "- 1", "expected a mapping"},
		{"unknown key", "functoins: []\n", 1, "functoins", `unknown key "functoins" in the experiment file (did you mean "functions"?)`},
		{"unknown item key", "functions:\n  - {name: f, expr: x, at: 1, tol: 1}\n", 2, "tol:", `unknown key "tol"`},
		{"nothing to compute", "title: t\n", 1, "title", "nothing to compute"},
		{"missing at", "functions:\n  - {name: f, expr: x}\n", 2, "{name", "missing key at"},
		{"bad name", "functions:\n  - {name: 1f, expr: x, at: 1}\n", 2, "1f", "expected an identifier"},
		{"duplicate name", "functions:\n  - {name: f, expr: x, at: 1}\n  - {name: f, expr: x, at: 2}\n", 3, "f, expr: x, at: 2", `"f" is already used at line 2`},
		{"unused variable", "functions:\n  - {name: f, expr: x, at: {x: 1, y: 2}}\n", 2, "y: 2", `"y" is given but not used`},
		{"missing variable", "functions:\n  - {name: f, expr: x + y, at: {x: 1}}\n", 2, "{x: 1}", `"y" has no value`},
		{"number for two vars", "functions:\n  - {name: f, expr: x + y, at: 1}\n", 2, "1}", "expected a mapping of each variable"},
		{"step zero", "functions:\n  - {name: f, expr: x, at: {x: {from: 0, to: 1, step: 0}}}\n", 2, "0}}}", "non-zero step"},
		{"step wrong sign", "functions:\n  - {name: f, expr: x, at: {x: {from: 0, to: 1, step: -1}}}\n", 2, "-1}", "needs the sign of to − from"},
		{"count 1", "functions:\n  - {name: f, expr: x, at: {x: {from: 0, to: 1, count: 1}}}\n", 2, "1}}}", "from 2 to"},
		{"inf bound", "functions:\n  - {name: f, expr: x, at: {x: {from: 0, to: .inf, step: 1}}}\n", 2, ".inf", "finite number"},
		{"too many points", "functions:\n  - {name: f, expr: x, at: {x: {from: 0, to: 1, step: 1e-9}}}\n", 2, "{from", "more than the limit"},
		{"unknown set", "functions:\n  - {name: f, expr: x, at: gird}\npoints:\n  grid: [1]\n", 2, "gird", `no point set called "gird" under points: (did you mean "grid"?)`},
		{"bad method", "numeric: {method: centre}\nfunctions:\n  - {name: f, expr: x, at: 1}\n", 1, "centre", `unknown numeric.method "centre" (did you mean "central"?)`},
		{"negative step", "numeric: {step: -1}\nfunctions:\n  - {name: f, expr: x, at: 1}\n", 1, "-1", "positive step"},
		{"chain link var", "chains:\n  - {name: c, of: [square, y + 1], at: 1}\n", 2, "y + 1", `found the variable "y"`},
		{"shape mismatch", "matrices:\n  X: {randn: [3, 3]}\n  W: {randn: [2, 3]}\ngradients:\n  - name: L\n    expr: sum(X @ W)\n", 6, "@", "X @ W: 3×3 and 2×3 do not match"},
		{"not scalar", "matrices:\n  X: {randn: [3, 3]}\ngradients:\n  - name: L\n    expr: sigmoid(X)\n", 5, "sigmoid", "a gradient needs a scalar"},
		{"unknown matrix", "matrices:\n  X: [1]\ngradients:\n  - {name: L, expr: sum(Y)}\n", 4, "Y)", `unknown matrix "Y"`},
		{"ragged rows", "matrices:\n  X: [[1, 2], [3]]\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "[3]", "this row has 1 values, the first row has 2"},
		{"non-numeric row", "matrices:\n  X: [[1, a]]\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "a]", "expected a number"},
		{"too large", "matrices:\n  X: {zeros: [100000, 100000]}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "[100000", "more than the limit of"},
		{"missing csv", "matrices:\n  X: {csv: nope.csv}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "nope", "cannot read nope.csv"},
		{"wrt unused", "matrices:\n  X: [1]\n  W: [1]\ngradients:\n  - {name: L, expr: sum(X), wrt: [W]}\n", 5, "W]", "does not use W"},
		{"two forms", "matrices:\n  X: {zeros: [1, 1], ones: [1, 1]}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "{zeros", "not both"},
		{"anchors", "a: &a [1, 1]\n", 1, "a:", `unknown key "a"`},
		// wrong types
		{"title list", "title: [1]\nfunctions:\n  - {name: f, expr: x, at: 1}\n", 1, "[1]", "title: expected text, found a list"},
		{"numeric not mapping", "numeric: 5\nfunctions:\n  - {name: f, expr: x, at: 1}\n", 1, "5", "numeric: expected a mapping with keys method, step"},
		{"step text", "numeric: {step: small}\nfunctions:\n  - {name: f, expr: x, at: 1}\n", 1, "small", `numeric.step: expected a number, found "small"`},
		{"rtol negative", "tolerance: {rtol: -1}\nfunctions:\n  - {name: f, expr: x, at: 1}\n", 1, "-1", "tolerance.rtol: expected a number ≥ 0"},
		{"seed negative", "random: {seed: -1}\nfunctions:\n  - {name: f, expr: x, at: 1}\n", 1, "-1", "random.seed: expected a whole number from 0 to 4294967295"},
		{"seed fraction", "random: {seed: 1.5}\nfunctions:\n  - {name: f, expr: x, at: 1}\n", 1, "1.5", "random.seed: expected a whole number"},
		{"functions mapping", "functions: {name: f}\n", 1, "{name", "functions: expected a list of items"},
		{"functions empty", "functions: []\n", 1, "[]", "functions: the list is empty"},
		{"at boolean", "functions:\n  - {name: f, expr: x, at: true}\n", 2, "true", "at: expected a number, a list, a mapping or the name of a point set, found the boolean true"},
		{"expr list", "functions:\n  - {name: f, expr: [x], at: 1}\n", 2, "[x]", "expr: expected an expression, found a list"},
		{"full_gradients text", "matrices:\n  X: [1]\ngradients:\n  - {name: L, expr: sum(X), full_gradients: sometimes}\n", 4, "sometimes", "gradient L: full_gradients: expected npy, csv or false"},
		{"matrices list", "matrices: [1]\ngradients:\n  - {name: L, expr: sum(X)}\n", 1, "[1]", "matrices: expected a mapping of names to matrices"},
		{"of not list", "chains:\n  - {name: c, of: square, at: 1}\n", 2, "square", "of: expected a list of functions"},
		{"decimals too many", "matrices:\n  X: [1]\ngradients:\n  - {name: L, expr: sum(X), reference: {decimals: 40}}\n", 4, "40", "reference.decimals: expected a whole number from 0 to 15"},
		{"shape text", "matrices:\n  X: {randn: [a, 2]}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "a,", "expected a whole number"},
		{"shape zero", "matrices:\n  X: {zeros: [0, 2]}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "0,", "expected a whole number from 1"},
		{"full without value", "matrices:\n  X: {full: [1, 2]}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "{full", "full needs value"},
		// names, parameters, variables
		{"too many params", "functions:\n  - {name: f, expr: 'leaky_relu(x, 1, 2)', at: 1}\n", 2, "leaky_relu", "leaky_relu takes an input and optionally a (default 0.2)"},
		{"param not number", "functions:\n  - {name: f, expr: 'pow(x, x)', at: 1}\n", 2, "x)", "pow's parameter p must be a number"},
		{"no variable", "functions:\n  - {name: f, expr: 3, at: 1}\n", 2, "3", "uses no variable"},
		{"matrix named like a function", "matrices:\n  exp: [1]\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "exp", `matrix name "exp" is a function's name`},
		{"matrix named like an operation", "matrices:\n  softmax: [1]\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "softmax", `matrix name "softmax" is a function's name`},
		{"matrix and item share a name", "matrices:\n  L: [1]\ngradients:\n  - {name: L, expr: sum(L)}\n", 4, "L,", `the name "L" is already used at line 2`},
		{"nan bound", "functions:\n  - {name: f, expr: x, at: {x: {from: .nan, to: 1, step: 1}}}\n", 2, ".nan", "expected a finite number"},
		{"range missing to", "functions:\n  - {name: f, expr: x, at: {x: {from: 0, step: 1}}}\n", 2, "{from", "a range is {from: A, to: B, step: S}"},
		{"deep nesting", "functions:\n  - name: f\n    expr: " + strings.Repeat("(", 3000) + "x" + strings.Repeat(")", 3000) + "\n    at: 1\n", 3, "", "expression nested more than 200 deep"},
		{"comma in a flow mapping", "functions:\n  - {name: f, expr: leaky_relu(x, 0.1), at: 1}\n", 2, ", 0.1", "a comma ends the value: quote the expression"},
		{"complex-step gradient", "numeric: {method: complex-step}\nmatrices:\n  X: [1]\ngradients:\n  - {name: L, expr: sum(X)}\n", 5, "{name", "gradient L: complex-step works on functions and chains"},
		{"order 3", "functions:\n  - {name: f, expr: x, at: 1, order: 3}\n", 2, "3}", "order: expected a whole number from 1 to 2"},
		{"study of two variables", "functions:\n  - {name: f, expr: x*y, at: {x: 1, y: 1}, study: {at: 1}}\n", 2, "{at: 1}}", "a step study takes a function of one variable"},
		{"study upside down", "functions:\n  - {name: f, expr: x, at: 1, study: {at: 1, from: 1e-9, to: 1e-2}}\n", 2, "{at: 1,", "from (1e-09) must be larger than to (0.01)"},
		{"study method none", "functions:\n  - {name: f, expr: x, at: 1, study: {at: 1, methods: [none]}}\n", 2, "none", "none takes no numeric derivative"},
		// data files
		{"csv not a number", "matrices:\n  X: {csv: m.csv}\ngradients:\n  - {name: L, expr: sum(X)}\n", -2, "x", "row 2, column 2: expected a finite number"},
		{"csv ragged", "matrices:\n  X: {csv: r.csv}\ngradients:\n  - {name: L, expr: sum(X)}\n", -2, "3", "this row has 1 values, the first row has 2"},
		{"csv empty", "matrices:\n  X: {csv: e.csv}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "e.csv", "e.csv has no numbers"},
		{"csv is a folder", "matrices:\n  X: {csv: sub}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "sub", "cannot read sub: is a directory"},
		{"npy truncated", "matrices:\n  X: {npy: t.npy}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "t.npy", "cannot read the 6 values t.npy's header promises"},
		{"npy not npy", "matrices:\n  X: {npy: m.csv}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "m.csv", "m.csv is not a valid .npy file"},
		// issue 15: operations over an axis, conv2d, reshape, var, clip
		{"axis 2", "matrices:\n  X: [[1, 2]]\ngradients:\n  - {name: L, expr: 'sum(X, 2)'}\n", 4, "2)'", "sum's parameter a: the axis must be 0 (down the rows) or 1 (across the columns), found 2"},
		{"axis pi/2", "matrices:\n  X: [[1, 2]]\ngradients:\n  - {name: L, expr: 'sum(softmax(X, pi/2))'}\n", 4, "pi/2", "softmax's parameter a: the axis must be 0 (down the rows) or 1 (across the columns), found 1.5708"},
		{"axis a matrix", "matrices:\n  X: [[1, 2]]\ngradients:\n  - {name: L, expr: 'max(X, X)'}\n", 4, "X)'", `max's parameter a must be a number: "X" is not a number`},
		{"conv kernel too large", "matrices:\n  X: [[1, 2]]\n  K: {ones: [3, 3]}\ngradients:\n  - {name: L, expr: 'sum(conv2d(X, K))'}\n", 5, "conv2d", "conv2d(X, K, 0): the kernel 3×3 is larger than the input 1×2 padded to 1×2"},
		// an intermediate past the element limit is refused before anything is
		// allocated (conv2d padding of 30000 on 2×2 once ran out of memory)
		{"conv padding too large", "matrices:\n  X: [[1, 2], [3, 4]]\ngradients:\n  - {name: L, expr: 'sum(conv2d(X, X, 30000))'}\n", 4, "conv2d", "gradient L: conv2d(X, X, 30000) would hold 3.6e+09 elements, more than the limit of"},
		{"product too large in a let", "matrices:\n  X: {ones: [5000, 1]}\ngradients:\n  - name: L\n    let: {O: 'X @ transpose(X)'}\n    expr: sum(O)\n", 5, "@ ", "gradient L: let O: X @ transpose(X) would hold 2.5e+07 elements, more than the limit of"},
		{"conv padding fraction", "matrices:\n  X: [[1, 2]]\n  K: [[1]]\ngradients:\n  - {name: L, expr: 'sum(conv2d(X, K, 0.5))'}\n", 5, "0.5", "conv2d's parameter ph: expected a whole number from 0, found 0.5"},
		{"conv labels of one argument", "matrices:\n  X: [[1, 2]]\ngradients:\n  - {name: L, expr: 'sum(conv2d(X))'}\n", 4, "conv2d", "conv2d takes 2 to 4 arguments: conv2d(X, K, ph, pw), got 1"},
		{"reshape count", "matrices:\n  X: [[1, 2, 3]]\ngradients:\n  - {name: L, expr: 'sum(reshape(X, 2, 2))'}\n", 4, "reshape", "1×3 has 3 elements, which cannot be reshaped to 2×2"},
		{"var ddof", "matrices:\n  X: [[1, 2]]\ngradients:\n  - {name: L, expr: 'sum(var(X, 1, 2))'}\n", 4, "var", "the variance of 2 elements with ddof 2 divides by zero or less"},
		{"clip without bounds", "matrices:\n  X: [[1, 2]]\ngradients:\n  - {name: L, expr: 'sum(clip(X))'}\n", 4, "clip", "clip takes an input and lo and hi"},
		// let:
		{"let shadows a matrix", "matrices:\n  X: [[1]]\ngradients:\n  - name: L\n    let: {X: X + 1}\n    expr: sum(X)\n", 5, "X:", `let: "X" is a declared matrix; an intermediate may not shadow it`},
		{"let used before defined", "matrices:\n  X: [[1]]\ngradients:\n  - name: L\n    let:\n      A: B + 1\n      B: X\n    expr: sum(A)\n", 6, "B + 1", `unknown matrix "B"`},
		{"let not a mapping", "matrices:\n  X: [[1]]\ngradients:\n  - name: L\n    let: [X]\n    expr: sum(X)\n", 5, "[X]", "let: expected a mapping of names to expressions"},
		{"let named like a function", "matrices:\n  X: [[1]]\ngradients:\n  - name: L\n    let: {softmax: X}\n    expr: sum(X)\n", 5, "softmax", `let: "softmax" is the name of a function or constant`},
		{"let unused", "matrices:\n  X: [[1]]\ngradients:\n  - name: L\n    let: {N: X * 2}\n    expr: sum(X)\n", 5, "N:", `let: N is not used by "sum(X)"`},
		{"let shape", "matrices:\n  X: [[1, 2]]\ngradients:\n  - name: L\n    let: {N: X @ X}\n    expr: sum(N)\n", 5, "@", "X @ X: 1×2 and 1×2 do not match"},
		{"let without a matrix", "matrices:\n  X: [[1]]\ngradients:\n  - name: L\n    let: {N: '2'}\n    expr: sum(N)\n", 6, "sum", `"sum(N)" uses no matrix`},
		{"sweep of a let", "matrices:\n  X: [[1]]\ngradients:\n  - name: L\n    let: {N: X * 2}\n    expr: sum(N)\n    wrt: [X, N]\n    sweep: {element: 'N[0,0]'}\n", 8, "'N[0,0]'", "element: N is not one of the matrices the gradient is taken for (X)"},
		{"wrt not a let", "matrices:\n  X: [[1]]\ngradients:\n  - name: L\n    let: {N: X * 2}\n    expr: sum(N)\n    wrt: [M]\n", 7, "M]", `"M" is neither a declared matrix nor one of the item's let: names`},
		{"jacobian let unused", "matrices:\n  X: [[1]]\njacobians:\n  - name: J\n    let: {N: X * 2}\n    expr: X + 1\n", 5, "N:", `jacobian J: let: N is not used by "X + 1"`},
		{"jacobian let shadows a matrix", "matrices:\n  X: [[1]]\njacobians:\n  - name: J\n    let: {X: X + 1}\n    expr: X\n", 5, "X:", `jacobian J: let: "X" is a declared matrix; an intermediate may not shadow it`},
		{"jacobian wrt not a let", "matrices:\n  X: [[1]]\njacobians:\n  - name: J\n    let: {N: X * 2}\n    expr: tanh(N)\n    wrt: [M]\n", 7, "M]", `jacobian J: wrt: "M" is neither a declared matrix nor one of the item's let: names`},
		{"jacobian too large through a let", "matrices:\n  X: {ones: [1, 11]}\njacobians:\n  - name: J\n    let: {N: transpose(X) @ X}\n    expr: N @ N\n    wrt: [N]\n", 6, "N @ N", "its Jacobian has 14641 entries"},
		// claims (derivative:, claims:)
		{"derivative unknown variable", "functions:\n  - {name: f, expr: x^2, derivative: 2*xx, at: 1}\n", 2, "xx", `function f: derivative: unknown variable "xx" (did you mean "x"?)`},
		{"derivative for two variables", "functions:\n  - {name: f, expr: x*y, derivative: y, at: {x: 1, y: 2}}\n", 2, "y, at", "give one derivative per variable, as {x: …, y: …}"},
		{"derivative unknown key", "functions:\n  - name: f\n    expr: x*y\n    derivative: {x: y, z: x}\n    at: {x: 1, y: 2}\n", 4, "z:", `function f: derivative: unknown variable "z"`},
		{"derivative not an expression", "chains:\n  - {name: c, of: [square], derivative: [2], at: 1}\n", 2, "[2]", "expected an expression, found a list"},
		{"claim unknown matrix", "matrices:\n  X: [1]\n  W: [2]\ngradients:\n  - name: L\n    expr: sum(X * W)\n    claims: {Wx: X}\n", 7, "Wx", `gradient L: claims: unknown matrix or intermediate "Wx" (did you mean "W"?)`},
		{"claim names an unknown matrix", "matrices:\n  X: [1]\n  W: [2]\ngradients:\n  - name: L\n    expr: sum(X * W)\n    claims: {W: 2 * Xq}\n", 7, "Xq", `unknown matrix "Xq" (did you mean "X"?)`},
		{"claim twice", "matrices:\n  X: [1]\n  W: [2]\ngradients:\n  - name: L\n    expr: sum(X * W)\n    claims:\n      W: X\n      W: X\n", 9, "W", `the key "W" is given twice (first at line 8)`},
		{"claim a random draw", "matrices:\n  X: [1]\n  W: [2]\ngradients:\n  - name: L\n    expr: sum(X * W)\n    claims: {W: {randn: [1, 1]}}\n", 7, "randn", "not a random draw"},
		{"claim a matrix not used", "matrices:\n  X: [1]\n  W: [2]\ngradients:\n  - name: L\n    expr: sum(X)\n    claims: {W: X}\n", 7, "W:", "does not use W, so its gradient is zero"},
		{"claim npy of integers", "matrices:\n  X: [1]\n  W: [2]\ngradients:\n  - name: L\n    expr: sum(X * W)\n    claims: {W: {npy: i.npy}}\n", 7, "i.npy", "gradient L: claims: W: i.npy holds '<i8'; expected float64"},
		{"claim shapes that do not match", "matrices:\n  X: [1, 2]\n  W: [2, 3]\ngradients:\n  - name: L\n    expr: sum(X * W)\n    claims: {W: X @ X}\n", 7, "@", "X @ X: 1×2 and 1×2 do not match"},
		{"claim literal NaN", "matrices:\n  X: [1]\n  W: [2]\ngradients:\n  - name: L\n    expr: sum(X * W)\n    claims: {W: [.nan]}\n", 7, ".nan", "expected a finite number"},
		{"claim a label matrix", "matrices:\n  C: [[1, 2], [3, 4]]\n  y: {labels: [[1], [0]]}\ngradients:\n  - name: L\n    expr: sum(embed(C, y))\n    claims: {y: C}\n", 7, "y:", "gradient L: claims: y is a label matrix (whole numbers that choose classes or rows), which is never differentiated"},
		{"claims not a mapping", "matrices:\n  X: [1]\ngradients:\n  - name: L\n    expr: sum(X)\n    claims: [X]\n", 6, "[X]", "claims: expected a mapping of matrix names"},
		{"claim_rtol negative", "tolerance: {claim_rtol: -1}\nfunctions:\n  - {name: f, expr: x, at: 1}\n", 1, "-1", "tolerance.claim_rtol: expected a number ≥ 0"},
		// label matrices
		{"label out of range", "matrices:\n  Z: [[1, 2, 3]]\n  y: {labels: [[3]]}\ngradients:\n  - {name: L, expr: 'cross_entropy(Z, y)'}\n", 3, "y:", "labels y: y[0,0] = 3 is out of range: cross_entropy(Z, y) at line 5, column 22 takes labels from 0 to 2 (the 3 columns of its first argument)"},
		{"embed row out of range", "matrices:\n  C: [[1, 2], [3, 4]]\n  I: {labels: [[0, 2]]}\ngradients:\n  - {name: L, expr: 'sum(embed(C, I))'}\n", 3, "I:", "I[0,1] = 2 is out of range: embed(C, I) at line 5, column 26 takes labels from 0 to 1 (the 2 rows of the table"},
		{"one_hot label out of range", "matrices:\n  Z: [[1, 2]]\n  y: {labels: [[2]]}\ngradients:\n  - {name: L, expr: 'sum(one_hot(y, 2) * Z)'}\n", 3, "y:", "takes labels from 0 to 1 (k = 2 classes)"},
		{"float where labels are needed", "matrices:\n  Z: [[1, 2]]\n  W: [[1]]\ngradients:\n  - {name: L, expr: 'sum(pick(Z, W))'}\n", 5, "W)", "pick's argument y must be a label matrix (declared as {labels: …}, an integer .npy or {csv: …, labels: true}), found W, a matrix of numbers"},
		{"expression where labels are needed", "matrices:\n  Z: [[1, 2]]\n  y: {labels: [[1]]}\ngradients:\n  - {name: L, expr: 'cross_entropy(Z, y + 1)'}\n", 5, "+ 1", "cross_entropy's argument y must be a label matrix"},
		{"labels used as numbers", "matrices:\n  Z: [[1, 2]]\n  y: {labels: [[1]]}\ngradients:\n  - {name: L, expr: 'sum(Z * y)'}\n", 5, "y)", "y is a label matrix (whole numbers, never differentiated): it may appear only where a call takes labels (cross_entropy, embed, one_hot, pick)"},
		{"label matrix in wrt", "matrices:\n  Z: [[1, 2]]\n  y: {labels: [[1]]}\ngradients:\n  - {name: L, expr: 'sum(pick(Z, y))', wrt: [Z, y]}\n", 5, "y]", "gradient L: wrt: y is a label matrix (whole numbers that choose classes or rows), which is never differentiated"},
		{"only labels", "matrices:\n  y: {labels: [[1]]}\ngradients:\n  - {name: L, expr: 'sum(one_hot(y, 2))'}\n", 4, "'sum", "uses only label matrices"},
		{"negative label", "matrices:\n  y: {labels: [[0], [-1]]}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "-1", "matrix y: labels: expected a label, a whole number from 0 to 9007199254740992, found the number -1"},
		{"fractional label", "matrices:\n  y: {labels: [1.5]}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "1.5", "expected a label, a whole number"},
		{"labels with another key", "matrices:\n  y: {labels: [1], csv: l.csv}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "{labels", "labels: [[…]] gives the label matrix itself; it takes no other key"},
		{"labels true without a file", "matrices:\n  y: {zeros: [2, 1], labels: true}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "true", "labels: true belongs with csv"},
		{"csv label fraction", "matrices:\n  y: {csv: l.csv, labels: true}\ngradients:\n  - {name: L, expr: sum(X)}\n", -2, "1.5", `matrix y: row 2, column 1: expected a label, a whole number from 0 to 9007199254740992`},
		{"float npy as labels", "matrices:\n  y: {npy: f.npy, labels: true}\ngradients:\n  - {name: L, expr: sum(X)}\n", 2, "f.npy", "f.npy holds '<f8'; labels: true needs an integer dtype"},
		{"label column shape", "matrices:\n  Z: [[1, 2]]\n  y: {labels: [[1], [0]]}\ngradients:\n  - {name: L, expr: 'sum(pick(Z, y))'}\n", 5, "pick", "pick(Z, y): the labels y are 2×1; pick(M, y) needs one label per row of M: 1×1"},
		{"one_hot classes", "matrices:\n  y: {labels: [[1]]}\n  Z: [[1, 2]]\ngradients:\n  - {name: L, expr: 'sum(one_hot(y, 2.5) * Z)'}\n", 5, "one_hot", "k = 2.5: one_hot(y, k) needs the number of classes, a whole number"},
		{"binomial without p", "matrices:\n  D: {binomial: [2, 2]}\ngradients:\n  - {name: L, expr: sum(D)}\n", 2, "{binomial", "matrix D: binomial needs p, the probability of a 1"},
		{"binomial p above 1", "matrices:\n  D: {binomial: [2, 2], p: 1.5}\ngradients:\n  - {name: L, expr: sum(D)}\n", 2, "1.5", "matrix D: p: expected a probability from 0 to 1, found 1.5"},
		{"p without binomial", "matrices:\n  D: {rand: [2, 2], p: 0.5}\ngradients:\n  - {name: L, expr: sum(D)}\n", 2, "0.5", "matrix D: p belongs with binomial"},
		{"gradient order 3", "matrices:\n  X: [1]\ngradients:\n  - {name: L, expr: sum(X), order: 3}\n", 4, "3}", "gradient L: order: expected a whole number from 1 to 2"},
		// Jacobians
		{"jacobian too large", "matrices:\n  X: {randn: [20, 20]}\njacobians:\n  - {name: J, expr: sigmoid(X)}\n", 4, "sigmoid", `jacobian J: "sigmoid(X)" is 20×20 and its wrt matrices hold 400 elements, so its Jacobian has 160000 entries, more than the limit of 10000`},
		{"jacobian wrt labels", "matrices:\n  Z: [[1, 2]]\n  y: {labels: [[1]]}\njacobians:\n  - {name: J, expr: 'pick(Z, y)', wrt: [y]}\n", 5, "y]", "jacobian J: wrt: y is a label matrix"},
		{"jacobian complex-step", "matrices:\n  X: [1]\njacobians:\n  - {name: J, expr: sigmoid(X), numeric: {method: complex-step}}\n", 4, "{name", "jacobian J: complex-step works on functions and chains"},
		{"jacobian unknown key", "matrices:\n  X: [1]\njacobians:\n  - {name: J, expr: sigmoid(X), order: 2}\n", 4, "order", `unknown key "order" in a jacobian`},
		// the shape of the file
		{"alias bombs", laughs(), 1, "a0", `unknown key "a0"`},
	} {
		dir := t.TempDir()
		write(t, dir, "m.csv", "1,2\n3,x\n")
		write(t, dir, "r.csv", "1,2\n3\n")
		write(t, dir, "e.csv", "\n\n")
		write(t, dir, "l.csv", "0\n1.5\n")
		os.Mkdir(filepath.Join(dir, "sub"), 0o755)
		npy, _ := os.ReadFile("../testdata/ref/m_f8_c.npy")
		write(t, dir, "t.npy", string(npy[:len(npy)-10]))
		ints, _ := os.ReadFile("../testdata/ref/m_i8.npy")
		write(t, dir, "i.npy", string(ints))
		write(t, dir, "f.npy", string(npy))
		good := write(t, dir, "good.yaml", "functions:\n  - {name: f, expr: x^2, at: 2}\n")
		bad := write(t, dir, "x.yaml", c.src)
		// the bad file's reports from an earlier, valid version stay as they were
		os.Mkdir(filepath.Join(dir, "reports"), 0o755)
		old := write(t, dir, "reports/x.md", "# the report of an earlier run\n")
		code, _, stderr := invoke(t, good, bad)
		if code != ExitInvalid {
			t.Errorf("%s: exit %d, want %d\n%s", c.name, code, ExitInvalid, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "reports", "good.md")); err != nil {
			t.Errorf("%s: the good file's report is missing", c.name)
		}
		if b, _ := os.ReadFile(old); string(b) != "# the report of an earlier run\n" {
			t.Errorf("%s: the bad file's earlier report changed: %q", c.name, b)
		}
		if _, err := os.Stat(filepath.Join(dir, "reports", "x.csv")); err == nil {
			t.Errorf("%s: the bad file got a report", c.name)
		}
		file, src, line := bad, c.src, c.line
		if line < 0 {
			dataFile := map[string]string{"csv ragged": "r.csv", "csv label fraction": "l.csv"}[c.name]
			if dataFile == "" {
				dataFile = "m.csv"
			}
			file, line = filepath.Join(dir, dataFile), -line
			b, _ := os.ReadFile(file)
			src = string(b)
		}
		want := file + ":"
		if line > 0 {
			want += strconv.Itoa(line) + ":"
			if c.marker != "" {
				want += strconv.Itoa(strings.Index(strings.Split(src, "\n")[line-1], c.marker)+1) + ":"
			}
		}
		if c.name == "deep nesting" {
			want += "211:" // the 201st '(' of the expression, which starts at col 11
		}
		first := strings.SplitN(stderr, "\n", 2)[0]
		if !strings.HasPrefix(first, want) || !strings.Contains(first, c.msg) {
			t.Errorf("%s: got\n  %s\nwant %s … %s", c.name, first, want, c.msg)
		}
	}
}
