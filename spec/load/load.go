// Package load reads experiment files (YAML, the format in
// experiment-format.md) into typed, validated experiments (package spec):
// it parses the YAML, resolves every expression against the function
// registry, reads data files and draws random matrices, and reports every
// problem with its file, line and column.
//
// load knows YAML and files; it knows nothing of derivatives.
package load

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/ops"
	"github.com/runner-dev/runner/rng"
	"github.com/runner-dev/runner/spec"
)

// Options are the settings a file does not choose itself.
type Options struct {
	// Defaults apply where the file is silent (from the environment, the
	// config file, or the format's own Defaults).
	Defaults spec.Settings
	// MaxPoints is the most points one function or chain may have.
	MaxPoints int
	// MaxElements is the most elements one matrix may have.
	MaxElements int
	// MaxDerivatives is the most derivative values (CSV rows) one function
	// or chain may have: points × (variables, plus variables·(variables+1)/2
	// for order 2).
	MaxDerivatives int
	// MaxCost is the most floating-point operations, estimated before
	// anything is computed (see Cost), that one item may take.
	MaxCost float64
	// Roots widen the root that data paths may not leave (DefaultRoot).
	Roots []string

	root Root // the file's root, once known
}

// DefaultOptions are the format's defaults and the documented limits.
var DefaultOptions = Options{Defaults: spec.Defaults, MaxPoints: 10_000_000, MaxElements: 16_777_216, MaxDerivatives: 10_000_000, MaxCost: 1e12}

// Load reads and validates the experiment file at path. The error, when not
// nil, is an Errors listing every problem found.
//
// The file is read only when it is a regular file (or a symlink to one
// inside its root, DefaultRoot), and at most MaxFileBytes of it. Errors
// quote at most a short, sanitised excerpt of the file's own text, and
// nothing of it when the file was reached through a symlink.
func Load(path string, opts Options) (*spec.Experiment, error) {
	root := DefaultRoot(path, opts.Roots...)
	redact := false
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		redact = true
		real, err := filepath.EvalSymlinks(path)
		if err == nil {
			real, err = filepath.Abs(real)
		}
		if err != nil || !root.Contains(real) {
			return nil, spec.Errors{{Pos: spec.Pos{File: path}, Msg: "is a symlink that leads out of " + root.describe() + ": not read"}}
		}
	}
	src, err := ReadLimited(path, MaxFileBytes)
	if err != nil {
		var le *LimitError
		if errors.As(err, &le) {
			return nil, spec.Errors{{Pos: spec.Pos{File: path}, Msg: fmt.Sprintf("the file is more than the limit of %d bytes for an experiment file", MaxFileBytes)}}
		}
		return nil, spec.Errors{{Pos: spec.Pos{File: path}, Msg: "cannot read: " + describeIOError(err)}}
	}
	opts.root = root
	return parseFile(path, src, opts, redact)
}

// MaxFileBytes is the largest experiment file read (data files read by csv:
// and npy: are limited by the element count instead).
const MaxFileBytes = 16 << 20

func describeIOError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

var yamlLineErr = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse validates an experiment file whose bytes are src; path names it in
// errors and anchors relative data-file paths.
func Parse(path string, src []byte, opts Options) (*spec.Experiment, error) {
	return parseFile(path, src, opts, false)
}

func parseFile(path string, src []byte, opts Options, redact bool) (*spec.Experiment, error) {
	e, err := parseUnsafe(path, src, opts)
	var es spec.Errors
	if errors.As(err, &es) {
		return nil, sanitizeErrors(es, redact)
	}
	return e, err
}

func parseUnsafe(path string, src []byte, opts Options) (*spec.Experiment, error) {
	if opts.MaxPoints == 0 {
		opts.MaxPoints = DefaultOptions.MaxPoints
	}
	if opts.MaxElements == 0 {
		opts.MaxElements = DefaultOptions.MaxElements
	}
	if opts.MaxDerivatives == 0 {
		opts.MaxDerivatives = DefaultOptions.MaxDerivatives
	}
	if opts.MaxCost == 0 {
		opts.MaxCost = DefaultOptions.MaxCost
	}
	if opts.Defaults == (spec.Settings{}) {
		opts.Defaults = spec.Defaults
	}
	if opts.root == nil {
		opts.root = DefaultRoot(path, opts.Roots...)
	}
	l := &loader{path: path, dir: filepath.Dir(path), lines: strings.Split(string(src), "\n"), opts: opts, root: opts.root}
	if len(src) > MaxFileBytes {
		return nil, spec.Errors{{Pos: spec.Pos{File: path}, Msg: fmt.Sprintf("the file is %d bytes, more than the limit of %d for an experiment file", len(src), MaxFileBytes)}}
	}
	var doc yaml.Node
	if err := l.decodeStrict(src, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, spec.Errors{{Pos: spec.Pos{File: path}, Msg: "the file is empty: expected a mapping with at least one of functions, chains or gradients"}}
	}
	root := deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		l.errf(root, "expected a mapping with at least one of functions, chains or gradients, found %s", kindName(root))
		return nil, l.errs
	}
	e := l.experiment(root)
	if len(l.errs) > 0 {
		return nil, l.errs.Sorted()
	}
	return e, nil
}

type loader struct {
	root      Root
	path, dir string
	lines     []string
	opts      Options
	errs      spec.Errors
	sets      map[string]*yaml.Node
	matrices  map[string]*spec.Matrix
	failed    map[string]bool // matrices that could not be read
	explain   bool            // the file's explain:, the items' default
	claimData bool            // reading a claim: values that are not finite are the claim's failure, not an error
}

// boolean reads true or false, or returns def when n is nil.
func (l *loader) boolean(n *yaml.Node, what string, def bool) bool {
	if n == nil {
		return def
	}
	n = deref(n)
	var v bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&v) != nil {
		l.errf(n, "%s: expected true or false, found %s", what, kindName(n))
		return def
	}
	return v
}

func (l *loader) pos(n *yaml.Node) spec.Pos {
	return spec.Pos{File: l.path, Line: n.Line, Col: n.Column}
}

func (l *loader) errf(n *yaml.Node, format string, args ...any) {
	l.errs = append(l.errs, &spec.Error{Pos: l.pos(n), Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) errAt(p spec.Pos, format string, args ...any) {
	l.errs = append(l.errs, &spec.Error{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) yamlError(err error) {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, m := range te.Errors {
			l.yamlMessage(m)
		}
		return
	}
	l.yamlMessage(err.Error())
}

// yamlMessage reports a YAML syntax error. yaml.v3 gives no line for some
// errors and the enclosing block's line for others, so the line is found by
// parsing ever longer prefixes of the file: the first prefix that fails with
// the same message ends at the line at fault.
func (l *loader) yamlMessage(msg string) {
	text := strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if m := yamlLineErr.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		text = m[2]
	}
	if len(l.lines) <= 2000 && len(l.lines) > 0 && sumLen(l.lines) <= 256<<10 {
		for k := 1; k <= len(l.lines); k++ {
			var n yaml.Node
			err := yaml.Unmarshal([]byte(strings.Join(l.lines[:k], "\n")), &n)
			if err == nil {
				continue
			}
			got := strings.TrimPrefix(err.Error(), "yaml: ")
			if m := yamlLineErr.FindStringSubmatch(err.Error()); m != nil {
				got = m[2]
			}
			if got == text {
				line = k
				break
			}
		}
	}
	if line < 1 || line > len(l.lines) {
		l.errAt(spec.Pos{File: l.path}, "invalid YAML: %s", text)
		return
	}
	src := l.lines[line-1]
	col := len(src) - len(strings.TrimLeft(src, " ")) + 1
	if strings.Contains(text, "tab") {
		if i := strings.IndexByte(src, '\t'); i >= 0 {
			col = i + 1
		}
	}
	l.errAt(spec.Pos{File: l.path, Line: line, Col: col}, "invalid YAML: %s", text)
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!int", "!!float":
			return "the number " + sanitize(n.Value)
		case "!!bool":
			return "the boolean " + sanitize(n.Value)
		}
		return strconv.Quote(sanitize(n.Value))
	}
	return "something else"
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// fields walks a mapping, checking every key against allowed; it returns
// the value nodes by key (and the key nodes, for positions).
func (l *loader) fields(n *yaml.Node, what string, allowed ...string) (map[string]*yaml.Node, map[string]*yaml.Node, bool) {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		l.errf(n, "%s: expected a mapping with keys %s, found %s", what, strings.Join(allowed, ", "), kindName(n))
		return nil, nil, false
	}
	vals, keys := map[string]*yaml.Node{}, map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		ok := false
		for _, a := range allowed {
			if k.Value == a {
				ok = true
			}
		}
		if !ok {
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, what)
			if s := funcs.Closest(k.Value, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += fmt.Sprintf(" (expected one of %s)", strings.Join(allowed, ", "))
			}
			l.errf(k, "%s", msg)
			continue
		}
		vals[k.Value], keys[k.Value] = v, k
	}
	return vals, keys, true
}

func (l *loader) str(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		l.errf(n, "%s: expected text, found %s", what, kindName(n))
		return "", false
	}
	return n.Value, true
}

func (l *loader) num(n *yaml.Node, what string) (float64, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		l.errf(n, "%s: expected a number, found %s", what, kindName(n))
		return 0, false
	}
	var v float64
	if err := n.Decode(&v); err != nil {
		l.errf(n, "%s: expected a number, found %q", what, n.Value)
		return 0, false
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		l.errf(n, "%s: expected a finite number, found %s", what, sanitize(n.Value))
		return 0, false
	}
	return v, true
}

func (l *loader) int(n *yaml.Node, what string, lo, hi int64) (int64, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		l.errf(n, "%s: expected a whole number, found %s", what, kindName(n))
		return 0, false
	}
	var v int64
	if err := n.Decode(&v); err != nil || v < lo || v > hi {
		l.errf(n, "%s: expected a whole number from %d to %d, found %s", what, lo, hi, sanitize(n.Value))
		return 0, false
	}
	return v, true
}

func (l *loader) experiment(root *yaml.Node) *spec.Experiment {
	f, keys, _ := l.fields(root, "the experiment file", "title", "about", "numeric", "tolerance", "explain", "random", "points", "functions", "chains", "matrices", "gradients", "jacobians")
	base := filepath.Base(l.path)
	e := &spec.Experiment{Path: l.path, Name: strings.TrimSuffix(strings.TrimSuffix(base, ".yaml"), ".yml")}
	e.Title = e.Name
	if n := f["title"]; n != nil {
		if s, ok := l.str(n, "title"); ok {
			e.Title = strings.TrimSpace(s)
		}
	}
	if n := f["about"]; n != nil {
		if s, ok := l.str(n, "about"); ok {
			e.About = strings.TrimSpace(s)
		}
	}
	e.Settings = l.settings(f["numeric"], f["tolerance"], l.opts.Defaults)
	e.Explain = l.boolean(f["explain"], "explain", true)
	l.explain = e.Explain
	if n := f["random"]; n != nil {
		if r, _, ok := l.fields(n, "random", "seed"); ok && r["seed"] != nil {
			if s, ok := l.int(r["seed"], "random.seed", 0, math.MaxUint32); ok {
				e.Seed = uint32(s)
			}
		}
	}
	l.sets = map[string]*yaml.Node{}
	if n := f["points"]; n != nil {
		l.pointSets(n)
	}
	if f["functions"] == nil && f["chains"] == nil && f["gradients"] == nil && f["jacobians"] == nil {
		l.errf(root, "nothing to compute: the file needs at least one of functions, chains or gradients")
	}
	names := map[string]spec.Pos{}
	for k := range l.sets {
		names[k] = l.pos(keys["points"])
	}
	l.matrices, l.failed = map[string]*spec.Matrix{}, map[string]bool{}
	if n := f["matrices"]; n != nil {
		e.Matrices = l.matricesNode(n, rng.New(e.Seed))
		for _, m := range e.Matrices {
			l.matrices[m.Name] = m
		}
	}
	if n := f["functions"]; n != nil {
		l.list(n, "functions", func(i int, item *yaml.Node) {
			if fn := l.function(item, e.Settings); fn != nil {
				e.Functions = append(e.Functions, fn)
			}
		})
	}
	if n := f["chains"]; n != nil {
		l.list(n, "chains", func(i int, item *yaml.Node) {
			if c := l.chain(item, e.Settings); c != nil {
				e.Chains = append(e.Chains, c)
			}
		})
	}
	if n := f["gradients"]; n != nil {
		if f["matrices"] == nil {
			l.errf(n, "gradients need matrices: declare them under matrices:")
		} else {
			l.list(n, "gradients", func(i int, item *yaml.Node) {
				if g := l.gradient(item, e); g != nil {
					e.Gradients = append(e.Gradients, g)
				}
			})
		}
	}
	if n := f["jacobians"]; n != nil {
		if f["matrices"] == nil {
			l.errf(n, "jacobians need matrices: declare them under matrices:")
		} else {
			l.list(n, "jacobians", func(i int, item *yaml.Node) {
				if j := l.jacobian(item, e); j != nil {
					e.Jacobians = append(e.Jacobians, j)
				}
			})
		}
	}
	// Names are unique within a file: items, matrices and point sets.
	seen := map[string]spec.Pos{}
	check := func(name string, p spec.Pos) {
		if prev, ok := seen[name]; ok {
			l.errAt(p, "the name %q is already used at line %d", name, prev.Line)
			return
		}
		seen[name] = p
	}
	for _, m := range e.Matrices {
		check(m.Name, m.Pos)
	}
	for _, fn := range e.Functions {
		check(fn.Name, fn.Pos)
	}
	for _, c := range e.Chains {
		check(c.Name, c.Pos)
	}
	for _, g := range e.Gradients {
		check(g.Name, g.Pos)
	}
	for _, j := range e.Jacobians {
		check(j.Name, j.Pos)
	}
	return e
}

func (l *loader) list(n *yaml.Node, what string, fn func(int, *yaml.Node)) {
	n = deref(n)
	if n.Kind != yaml.SequenceNode {
		l.errf(n, "%s: expected a list of items (each starting with '- name:'), found %s", what, kindName(n))
		return
	}
	if len(n.Content) == 0 {
		l.errf(n, "%s: the list is empty", what)
	}
	for i, item := range n.Content {
		fn(i, deref(item))
	}
}

// settings reads numeric: and tolerance: mappings over base.
func (l *loader) settings(numeric, tolerance *yaml.Node, base spec.Settings) spec.Settings {
	s := base
	if numeric != nil {
		if f, _, ok := l.fields(numeric, "numeric", "method", "step"); ok {
			if n := f["method"]; n != nil {
				if m, ok := l.str(n, "numeric.method"); ok {
					if err := CheckMethod(m); err != "" {
						l.errf(n, "%s", err)
					} else {
						s.Method = m
					}
				}
			}
			if n := f["step"]; n != nil {
				if h, ok := l.num(n, "numeric.step"); ok {
					if h <= 0 {
						l.errf(n, "numeric.step: expected a positive step h, found %s", sanitize(n.Value))
					} else {
						s.Step, s.StepSet = h, true
					}
				}
			}
		}
	}
	if tolerance != nil {
		if f, _, ok := l.fields(tolerance, "tolerance", "rtol", "atol", "mode", "claim_rtol", "claim_atol"); ok {
			if n := f["mode"]; n != nil {
				if m, ok := l.str(n, "tolerance.mode"); ok {
					if m != spec.ModeBound && m != spec.ModeFixed {
						l.errf(n, "tolerance.mode: expected %s, found %q", strings.Join(spec.Modes, " or "), m)
					} else {
						s.Mode = m
					}
				}
			}
			for _, k := range []string{"rtol", "atol", "claim_rtol", "claim_atol"} {
				n := f[k]
				if n == nil {
					continue
				}
				v, ok := l.num(n, "tolerance."+k)
				if !ok {
					continue
				}
				if v < 0 {
					l.errf(n, "tolerance.%s: expected a number ≥ 0, found %s", k, sanitize(n.Value))
					continue
				}
				switch k {
				case "rtol":
					s.Rtol = v
				case "atol":
					s.Atol = v
				case "claim_rtol":
					s.ClaimRtol = v
				case "claim_atol":
					s.ClaimAtol = v
				}
			}
		}
	}
	return s
}

// CheckMethod returns "" when m names one of method.All, or what is wrong
// with it.
func CheckMethod(m string) string {
	if method.Named(m) != nil {
		return ""
	}
	msg := fmt.Sprintf("unknown numeric.method %q", m)
	if s := funcs.Closest(m, spec.Methods); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else {
		msg += fmt.Sprintf(" (expected one of %s)", strings.Join(spec.Methods, ", "))
	}
	return msg
}

func (l *loader) itemName(f map[string]*yaml.Node, item *yaml.Node, what string) (string, bool) {
	n := f["name"]
	if n == nil {
		l.errf(item, "%s: missing key name", what)
		return "", false
	}
	s, ok := l.str(n, what+".name")
	if !ok {
		return "", false
	}
	if !identRE.MatchString(s) {
		l.errf(n, "name %q: expected an identifier (a letter or _, then letters, digits or _)", s)
		return "", false
	}
	return s, true
}

func (l *loader) require(f map[string]*yaml.Node, item *yaml.Node, what string, keys ...string) bool {
	ok := true
	for _, k := range keys {
		if f[k] == nil {
			l.errf(item, "%s: missing key %s", what, k)
			ok = false
		}
	}
	return ok
}

// exprPos is the file position of byte off of the expression in scalar n.
func (l *loader) exprPos(n *yaml.Node, off int) spec.Pos {
	p := l.pos(n)
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		p.Col += 1 + off
	case yaml.LiteralStyle, yaml.FoldedStyle:
		line := n.Line + 1 + strings.Count(n.Value[:min(off, len(n.Value))], "\n")
		lineStart := strings.LastIndex(n.Value[:min(off, len(n.Value))], "\n") + 1
		indent := 0
		if line-1 < len(l.lines) {
			indent = len(l.lines[line-1]) - len(strings.TrimLeft(l.lines[line-1], " "))
		}
		p.Line, p.Col = line, indent+1+off-lineStart
	default:
		p.Col += off
	}
	return p
}

// parseExpr parses the expression in scalar n; a bare registry name f
// becomes f(x) when bareOK.
//
// A bare name that is not in the registry is refused when it looks like a
// misspelt function, and always in a chain link (whose variable is x).
func (l *loader) parseExpr(n *yaml.Node, what string, bareOK bool) (string, expr.Node, bool) {
	chainLink := strings.Contains(what, ": link")
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Tag == "!!bool" {
		l.errf(n, "%s: expected an expression, found %s", what, kindName(n))
		return "", nil, false
	}
	src := n.Value
	tree, err := expr.Parse(src)
	if err != nil {
		var ee *expr.Error
		errors.As(err, &ee)
		msg := ee.Msg
		if ee.Off == len(src) && l.commaAfter(n) {
			msg += "; inside {…} or […] a comma ends the value: quote the expression, as expr: '" + src + ", …)'"
		}
		l.errAt(l.exprPos(n, ee.Off), "%s", msg)
		return "", nil, false
	}
	if id, ok := tree.(*expr.Ident); ok && bareOK && id.Name != "x" {
		if funcs.Lookup(id.Name) != nil {
			tree = &expr.Call{Name: id.Name, Args: []expr.Node{&expr.Ident{Name: "x", Off: id.Off}}, Off: id.Off}
		} else if s := funcs.Suggest(id.Name, ops.Names()...); s != "" || chainLink {
			msg := fmt.Sprintf("unknown function %q", id.Name)
			if s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			l.errAt(l.exprPos(n, id.Off), "%s", msg)
			return "", nil, false
		}
	}
	return src, tree, true
}

func (l *loader) resolve(n *yaml.Node, tree expr.Node, mode expr.Mode) ([]string, bool) {
	if mode == expr.Matrix {
		return l.resolveIn(n, tree, l.matrixSet())
	}
	return l.resolveNames(n, tree, mode, nil)
}

// resolveIn resolves a matrix expression whose names are those in known
// (matrices and intermediates).
func (l *loader) resolveIn(n *yaml.Node, tree expr.Node, known map[string]bool) ([]string, bool) {
	return l.resolveNames(n, tree, expr.Matrix, known)
}

func (l *loader) resolveNames(n *yaml.Node, tree expr.Node, mode expr.Mode, known map[string]bool) ([]string, bool) {
	names, err := expr.Resolve(tree, mode, known)
	if err != nil {
		var ee *expr.Error
		errors.As(err, &ee)
		l.errAt(l.exprPos(n, ee.Off), "%s", ee.Msg)
		return nil, false
	}
	return names, true
}

func (l *loader) matrixSet() map[string]bool {
	m := map[string]bool{}
	for k := range l.matrices {
		m[k] = true
	}
	return m
}

func identOffset(tree expr.Node, name string) int {
	off := -1
	expr.Walk(tree, func(n expr.Node) {
		if id, ok := n.(*expr.Ident); ok && id.Name == name && off < 0 {
			off = id.Off
		}
	})
	return max(off, 0)
}

// item reads what every function, chain and gradient has: its keys (each
// checked against keys, those in required present), its name and settings.
func (l *loader) item(n *yaml.Node, kind string, base spec.Settings, keys []string, required ...string) (map[string]*yaml.Node, spec.Item, bool) {
	f, _, ok := l.fields(n, "a "+kind, append([]string{"name", "numeric", "tolerance", "explain"}, keys...)...)
	if !ok {
		return nil, spec.Item{}, false
	}
	name, ok := l.itemName(f, n, "a "+kind)
	if !ok || !l.require(f, n, kind+" "+name, required...) {
		return nil, spec.Item{}, false
	}
	it := spec.Item{Name: name, Pos: l.pos(f["name"]), Settings: l.settings(f["numeric"], f["tolerance"], base), Order: 1,
		Explain: l.boolean(f["explain"], kind+" "+name+": explain", l.explain)}
	if o := f["order"]; o != nil {
		v, ok := l.int(o, kind+" "+name+": order", 1, 2)
		if !ok {
			return nil, spec.Item{}, false
		}
		it.Order = int(v)
	}
	if st := f["study"]; st != nil {
		if it.Study = l.study(st, kind+" "+name); it.Study == nil {
			return nil, spec.Item{}, false
		}
	}
	if it.CSVEvery, ok = l.csvRows(f["csv"], kind+" "+name+": csv"); !ok {
		return nil, spec.Item{}, false
	}
	return f, it, true
}

// MaxStudySteps is the most steps a step study may take.
const MaxStudySteps = 200

// study reads a step study: {at: X, from: 1e-1, to: 1e-13, per_decade: 2,
// methods: [...]}.
func (l *loader) study(n *yaml.Node, what string) *spec.Study {
	f, _, ok := l.fields(n, what+": study", "at", "from", "to", "per_decade", "methods")
	if !ok {
		return nil
	}
	st := &spec.Study{From: 1e-1, To: 1e-13, PerDecade: 2, Methods: spec.StudyMethods}
	if f["at"] == nil {
		l.errf(n, "%s: study: missing key at (the point to study, e.g. at: 1)", what)
		return nil
	}
	var good = true
	var v float64
	if v, ok = l.pointValue(f["at"], what+": study: at"); ok {
		st.At = v
	}
	good = good && ok
	for _, k := range []struct {
		key string
		dst *float64
	}{{"from", &st.From}, {"to", &st.To}} {
		if f[k.key] == nil {
			continue
		}
		v, ok := l.num(f[k.key], what+": study: "+k.key)
		if ok && !(v > 0) {
			l.errf(f[k.key], "%s: study: %s: expected a positive step, found %s", what, k.key, sanitize(f[k.key].Value))
			ok = false
		}
		if ok {
			*k.dst = v
		}
		good = good && ok
	}
	if good && !(st.From > st.To) {
		l.errf(n, "%s: study: from (%g) must be larger than to (%g): the study goes down from one to the other", what, st.From, st.To)
		good = false
	}
	if pd := f["per_decade"]; pd != nil {
		v, ok := l.int(pd, what+": study: per_decade", 1, 10)
		st.PerDecade = int(v)
		good = good && ok
	}
	if good {
		// the count from the logarithms, before Steps allocates it: from
		// 1e300 to 1e-300 is 600 decades
		if k := (math.Log10(st.From) - math.Log10(st.To)) * float64(st.PerDecade); !(k+1 <= MaxStudySteps) {
			l.errf(n, "%s: study: %.0f steps is more than the limit of %d", what, math.Round(k)+1, MaxStudySteps)
			good = false
		}
	}
	if ms := f["methods"]; ms != nil {
		if ms.Kind != yaml.SequenceNode || len(ms.Content) == 0 {
			l.errf(ms, "%s: study: methods: expected a list such as [forward, central], found %s", what, kindName(ms))
			return nil
		}
		st.Methods = nil
		for _, m := range ms.Content {
			m = deref(m)
			name, ok := l.str(m, what+": study: methods")
			if ok {
				if msg := CheckMethod(name); msg != "" {
					l.errf(m, "%s", msg)
					ok = false
				} else if !method.Named(name).Numeric() {
					l.errf(m, "%s: study: methods: %s takes no numeric derivative to study", what, name)
					ok = false
				}
			}
			good = good && ok
			st.Methods = append(st.Methods, name)
		}
	}
	if !good {
		return nil
	}
	return st
}

func (l *loader) function(item *yaml.Node, base spec.Settings) *spec.Function {
	f, it, ok := l.item(item, "function", base, []string{"expr", "at", "order", "study", "derivative", "csv"}, "expr", "at")
	if !ok {
		return nil
	}
	name := it.Name
	fn := &spec.Function{Item: it}
	src, tree, ok := l.parseExpr(f["expr"], "function "+name+": expr", true)
	if !ok {
		return nil
	}
	vars, ok := l.resolve(f["expr"], tree, expr.Scalar)
	if !ok {
		return nil
	}
	if len(vars) == 0 {
		l.errf(f["expr"], "function %s: %q uses no variable, so there is nothing to differentiate", name, src)
		return nil
	}
	if it.Study != nil && len(vars) != 1 {
		l.errf(f["study"], "function %s: a step study takes a function of one variable; %q uses %s", name, src, strings.Join(vars, ", "))
		return nil
	}
	fn.Src, fn.Expr, fn.Vars = src, tree, vars
	pts, ok := l.points(f["at"], vars, "function "+name, src, 0)
	if !ok {
		return nil
	}
	fn.Points = pts
	if !l.scalarBudget(f["at"], "function "+name, it, len(pts), len(vars), nodes(tree)) {
		return nil
	}
	if fn.Claims, ok = l.scalarClaims(f["derivative"], "function "+name, vars); !ok {
		return nil
	}
	return fn
}

func (l *loader) chain(item *yaml.Node, base spec.Settings) *spec.Chain {
	f, it, ok := l.item(item, "chain", base, []string{"of", "at", "order", "study", "derivative", "csv"}, "of", "at")
	if !ok {
		return nil
	}
	name := it.Name
	c := &spec.Chain{Item: it}
	of := f["of"]
	if of.Kind != yaml.SequenceNode || len(of.Content) == 0 {
		l.errf(of, "chain %s: of: expected a list of functions, first applied first, e.g. [square, sigmoid]; found %s", name, kindName(of))
		return nil
	}
	good := true
	for _, ln := range l.rejoin(of) {
		src, tree, ok := l.parseExpr(ln, "chain "+name+": link", true)
		if !ok {
			good = false
			continue
		}
		vars, ok := l.resolve(ln, tree, expr.Scalar)
		if !ok {
			good = false
			continue
		}
		for _, v := range vars {
			if v != "x" {
				l.errAt(l.exprPos(ln, identOffset(tree, v)), "chain %s: a link is a registry name or an expression in x; found the variable %q", name, v)
				good = false
			}
		}
		c.Links = append(c.Links, spec.Link{Src: src, Expr: tree})
	}
	pts, ok := l.points(f["at"], []string{"x"}, "chain "+name, "", 0)
	if !ok || !good {
		return nil
	}
	size := 0
	for _, ln := range c.Links {
		size += nodes(ln.Expr)
	}
	if !l.scalarBudget(f["at"], "chain "+name, it, len(pts), 1, size) {
		return nil
	}
	c.Points = make([]float64, len(pts))
	for i, p := range pts {
		c.Points[i] = p[0]
	}
	if c.Claims, ok = l.scalarClaims(f["derivative"], "chain "+name, []string{"x"}); !ok {
		return nil
	}
	return c
}

// rejoin undoes YAML's splitting of a flow list at commas inside calls:
// [leaky_relu(x, 0.2), sigmoid] reads as "leaky_relu(x", "0.2)", "sigmoid".
// Plain items on one line whose parentheses do not balance are joined with
// the items after them, taking the text from the file itself so that columns
// stay right.
func (l *loader) rejoin(seq *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	items := seq.Content
	for i := 0; i < len(items); i++ {
		n := deref(items[i])
		if n.Kind != yaml.ScalarNode || n.Style != 0 || depth(n.Value) <= 0 {
			out = append(out, n)
			continue
		}
		d, j := depth(n.Value), i
		for d > 0 && j+1 < len(items) {
			next := deref(items[j+1])
			if next.Kind != yaml.ScalarNode || next.Style != 0 || next.Line != n.Line {
				break
			}
			j++
			d += depth(next.Value)
		}
		last := deref(items[j])
		if j == i || n.Line-1 >= len(l.lines) {
			out = append(out, n)
			continue
		}
		line := l.lines[n.Line-1]
		end := last.Column - 1 + len(last.Value)
		if end > len(line) {
			out = append(out, n)
			continue
		}
		joined := *n
		joined.Value = line[n.Column-1 : end]
		out = append(out, &joined)
		i = j
	}
	return out
}

// depth is the count of '(' less the count of ')' in s.
func depth(s string) int {
	return strings.Count(s, "(") - strings.Count(s, ")")
}

func sumLen(lines []string) int {
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	return n
}

// commaAfter reports whether a comma follows plain scalar n on its line, as
// when YAML's flow syntax cut "f(x, 2)" short at its comma.
func (l *loader) commaAfter(n *yaml.Node) bool {
	if n.Style != 0 || n.Line < 1 || n.Line > len(l.lines) {
		return false
	}
	rest := l.lines[n.Line-1]
	end := n.Column - 1 + len(n.Value)
	return end < len(rest) && strings.HasPrefix(strings.TrimLeft(rest[end:], " "), ",")
}
