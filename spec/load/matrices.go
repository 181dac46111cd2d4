package load

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
	"gonum.org/v1/gonum/mat"
	"gopkg.in/yaml.v3"

	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/funcs"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/ops"
	"github.com/runner-dev/runner/rng"
	"github.com/runner-dev/runner/spec"
)

var matrixForms = []string{"randn", "rand", "uniform", "zeros", "ones", "full", "eye", "csv", "npy", "binomial"}

// matricesNode reads matrices: in declaration order, drawing random ones
// from the file's one stream r.
func (l *loader) matricesNode(n *yaml.Node, r *rng.Source) []*spec.Matrix {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		l.errf(n, "matrices: expected a mapping of names to matrices, found %s", kindName(n))
		return nil
	}
	var out []*spec.Matrix
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if !identRE.MatchString(k.Value) {
			l.errf(k, "matrix name %q: expected an identifier (a letter or _, then letters, digits or _)", k.Value)
			continue
		}
		if funcs.Lookup(k.Value) != nil || ops.Lookup(k.Value) != nil {
			l.errf(k, "matrix name %q is a function's name; choose another", k.Value)
			continue
		}
		if _, ok := funcs.Constants[k.Value]; ok {
			l.errf(k, "matrix name %q is a constant's name; choose another", k.Value)
			continue
		}
		if m := l.matrix(k.Value, v, r); m != nil {
			m.Pos = l.pos(k)
			out = append(out, m)
		} else {
			l.failed[k.Value] = true
		}
	}
	return out
}

func (l *loader) matrix(name string, n *yaml.Node, r *rng.Source) *spec.Matrix {
	return l.matrixAs(name, "matrix "+name, n, r)
}

// matrixAs reads a matrix in any form, naming it what in errors.
func (l *loader) matrixAs(name, what string, n *yaml.Node, r *rng.Source) *spec.Matrix {
	switch n.Kind {
	case yaml.SequenceNode:
		d, ok := l.rows(n, what)
		if !ok {
			return nil
		}
		rr, cc := d.Dims()
		return &spec.Matrix{Name: name, Source: fmt.Sprintf("literal %d×%d", rr, cc), Value: d}
	case yaml.MappingNode:
	default:
		l.errf(n, "%s: expected literal rows like [[1, 2], [3, 4]] or a mapping like {randn: [3, 3]}, found %s", what, kindName(n))
		return nil
	}
	f, _, ok := l.fields(n, what, append(matrixForms, "low", "high", "value", "labels", "p", "delimiter", "header")...)
	if !ok {
		return nil
	}
	labels := false
	if ln := f["labels"]; ln != nil {
		if ln.Kind == yaml.SequenceNode { // {labels: [[3], [0], [2]]}
			if len(f) > 1 {
				l.errf(n, "%s: labels: [[…]] gives the label matrix itself; it takes no other key", what)
				return nil
			}
			d, ok := l.rowsOf(ln, what+": labels", l.label)
			if !ok {
				return nil
			}
			rr, cc := d.Dims()
			return &spec.Matrix{Name: name, Source: fmt.Sprintf("labels %d×%d", rr, cc), Value: d, Labels: true}
		}
		labels = l.boolean(ln, what+": labels", false)
		if f["csv"] == nil && f["npy"] == nil {
			l.errf(ln, "%s: labels: true belongs with csv (an .npy of an integer dtype is read as labels anyway); literal labels are written {labels: [[3], [0], [2]]}", what)
			return nil
		}
	}
	var form string
	for _, k := range matrixForms {
		if f[k] != nil {
			if form != "" {
				l.errf(n, "%s: give one of %s, not both %s and %s", what, strings.Join(matrixForms, ", "), form, k)
				return nil
			}
			form = k
		}
	}
	if form == "" {
		l.errf(n, "%s: expected one of %s", what, strings.Join(matrixForms, ", "))
		return nil
	}
	for _, k := range []string{"low", "high"} {
		if f[k] != nil && form != "uniform" {
			l.errf(f[k], "%s: %s belongs with uniform", what, k)
			return nil
		}
	}
	if f["value"] != nil && form != "full" {
		l.errf(f["value"], "%s: value belongs with full", what)
		return nil
	}
	if f["p"] != nil && form != "binomial" {
		l.errf(f["p"], "%s: p belongs with binomial", what)
		return nil
	}
	format, ok := l.csvFormatOf(f, form, what)
	if !ok {
		return nil
	}
	switch form {
	case "csv":
		return l.csvMatrix(name, f[form], what, labels, format)
	case "npy":
		return l.npyMatrix(name, f[form], what, labels)
	case "eye":
		k, ok := l.int(f[form], what+": eye", 1, int64(math.Sqrt(float64(l.opts.MaxElements))))
		if !ok {
			return nil
		}
		d := mat.NewDense(int(k), int(k), nil)
		for i := 0; i < int(k); i++ {
			d.Set(i, i, 1)
		}
		return &spec.Matrix{Name: name, Source: fmt.Sprintf("eye(%d)", k), Value: d}
	}
	rows, cols, ok := l.shape(f[form], what+": "+form)
	if !ok {
		return nil
	}
	d := mat.NewDense(rows, cols, nil)
	raw := d.RawMatrix().Data
	src := fmt.Sprintf("%s(%d, %d)", form, rows, cols)
	switch form {
	case "randn":
		r.NormFill(raw)
	case "rand":
		for i := range raw {
			raw[i] = r.Float64()
		}
	case "uniform":
		lo, hi := 0.0, 1.0
		if f["low"] != nil {
			lo, ok = l.num(f["low"], what+": low")
		}
		if f["high"] != nil {
			var ok2 bool
			hi, ok2 = l.num(f["high"], what+": high")
			ok = ok && ok2
		}
		if !ok {
			return nil
		}
		for i := range raw {
			raw[i] = r.Uniform(lo, hi)
		}
		src = fmt.Sprintf("uniform(%g, %g, (%d, %d))", lo, hi, rows, cols)
	case "binomial":
		// np.random.binomial(1, p, (rows, cols)): 0 or 1, a dropout mask
		if f["p"] == nil {
			l.errf(n, "%s: binomial needs p, the probability of a 1, e.g. {binomial: [3, 4], p: 0.5}", what)
			return nil
		}
		p, ok := l.num(f["p"], what+": p")
		if !ok {
			return nil
		}
		if p < 0 || p > 1 {
			l.errf(f["p"], "%s: p: expected a probability from 0 to 1, found %s", what, f["p"].Value)
			return nil
		}
		for i := range raw {
			raw[i] = r.Bernoulli(p)
		}
		src = fmt.Sprintf("binomial(1, %g, (%d, %d))", p, rows, cols)
	case "ones":
		for i := range raw {
			raw[i] = 1
		}
	case "full":
		if f["value"] == nil {
			l.errf(n, "%s: full needs value, e.g. {full: [2, 2], value: 0.5}", what)
			return nil
		}
		v, ok := l.num(f["value"], what+": value")
		if !ok {
			return nil
		}
		for i := range raw {
			raw[i] = v
		}
		src = fmt.Sprintf("full((%d, %d), %g)", rows, cols, v)
	}
	return &spec.Matrix{Name: name, Source: src, Value: d}
}

// shape reads [rows, cols] (or [n], meaning 1×n) and checks the element
// limit before anything is allocated.
func (l *loader) shape(n *yaml.Node, what string) (int, int, bool) {
	n = deref(n)
	if n.Kind != yaml.SequenceNode || len(n.Content) < 1 || len(n.Content) > 2 {
		l.errf(n, "%s: expected a shape [rows, columns], found %s", what, kindName(n))
		return 0, 0, false
	}
	dims := []int64{1, 1}
	for i, c := range n.Content {
		v, ok := l.int(c, what, 1, math.MaxInt32)
		if !ok {
			return 0, 0, false
		}
		dims[i+2-len(n.Content)] = v
	}
	if !l.elements(n, what, dims[0], dims[1]) {
		return 0, 0, false
	}
	return int(dims[0]), int(dims[1]), true
}

func (l *loader) elements(n *yaml.Node, what string, r, c int64) bool {
	if r*c > int64(l.opts.MaxElements) {
		l.errf(n, "%s: %d×%d is %d elements, more than the limit of %d (raise it with --max-elements)", what, r, c, r*c, l.opts.MaxElements)
		return false
	}
	return true
}

// rows reads literal rows: [1, 2, 3] is one row; [[1, 2], [3, 4]] two.
func (l *loader) rows(n *yaml.Node, what string) (*mat.Dense, bool) {
	return l.rowsOf(n, what, l.num)
}

// label reads one label: a whole number ≥ 0.
func (l *loader) label(n *yaml.Node, what string) (float64, bool) {
	n = deref(n)
	var v int64
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&v) != nil || v < 0 || v > maxLabel {
		l.errf(n, "%s: expected a label, a whole number from 0 to %d, found %s", what, maxLabel, kindName(n))
		return 0, false
	}
	return float64(v), true
}

// maxLabel is the largest label read: every label is exact as a float64,
// and far above any number of classes or table rows a matrix can have.
const maxLabel = 1 << 53

// rowsOf reads literal rows, each value by num.
func (l *loader) rowsOf(n *yaml.Node, what string, num func(*yaml.Node, string) (float64, bool)) (*mat.Dense, bool) {
	if len(n.Content) == 0 {
		l.errf(n, "%s: no rows", what)
		return nil, false
	}
	rowNodes := n.Content
	if deref(n.Content[0]).Kind != yaml.SequenceNode {
		rowNodes = []*yaml.Node{n}
	}
	var data []float64
	cols := -1
	good := true
	for _, row := range rowNodes {
		row = deref(row)
		if row.Kind != yaml.SequenceNode {
			l.errf(row, "%s: expected a row like [1, 2, 3], found %s", what, kindName(row))
			return nil, false
		}
		if cols >= 0 && len(row.Content) != cols {
			l.errf(row, "%s: this row has %d values, the first row has %d", what, len(row.Content), cols)
			return nil, false
		}
		cols = len(row.Content)
		if cols == 0 {
			l.errf(row, "%s: empty row", what)
			return nil, false
		}
		for _, c := range row.Content {
			v, ok := num(c, what)
			good = good && ok
			data = append(data, v)
		}
	}
	if !good {
		return nil, false
	}
	return mat.NewDense(len(rowNodes), cols, data), true
}

// dataPath reads a data file's path and confines it to the root
// (Root.Confine); it returns the path as written, the path to show in
// errors (relative to the experiment file's folder) and the resolved one.
func (l *loader) dataPath(n *yaml.Node, what string) (string, string, string, bool) {
	p, ok := l.str(n, what)
	if !ok {
		return "", "", "", false
	}
	if p == "" {
		l.errf(n, "%s: expected a file path", what)
		return "", "", "", false
	}
	real, err := l.root.Confine(l.dir, p)
	if err != nil {
		if errors.Is(err, ErrOutside) {
			l.errf(n, "%s: %v", what, err)
		} else {
			l.errf(n, "%s: cannot read %s: %s", what, sanitize(p), describeIOError(err))
		}
		return "", "", "", false
	}
	return p, filepath.Join(l.dir, Printable(p)), real, true
}

// openData opens the data file n names (form "csv" or "npy"), confined
// to the root and only if it is a regular file: its path as written, as
// shown in errors, and the open file; ok is false after an error.
func (l *loader) openData(n *yaml.Node, what, form string) (p, shown string, f *os.File, ok bool) {
	p, shown, full, ok := l.dataPath(n, what+": "+form)
	if !ok {
		return "", "", nil, false
	}
	f, err := OpenRegular(full)
	if err != nil {
		l.errf(n, "%s: cannot read %s: %s", what, p, describeIOError(err))
		return "", "", nil, false
	}
	return p, shown, f, true
}

func (l *loader) csvMatrix(name string, n *yaml.Node, what string, labels bool, format csvFormat) *spec.Matrix {
	p, shown, f, ok := l.openData(n, what, "csv")
	if !ok {
		return nil
	}
	defer f.Close()
	limit := CSVBytesPerElement * int64(l.opts.MaxElements)
	data, rows, cols, err := readCSVAs(f, limit, l.opts.MaxElements, labels, format)
	var ce *csvError
	var le *LimitError
	switch {
	case errors.As(err, &ce):
		l.errAt(csvPos(shown, ce), "%s: %s", what, ce.msg)
		return nil
	case errors.As(err, &le):
		l.errf(n, "%s: %s is more than %d bytes, too large for the limit of %d elements (raise it with --max-elements)", what, p, limit, l.opts.MaxElements)
		return nil
	case err != nil:
		l.errf(n, "%s: cannot read %s: %s", what, p, describeIOError(err))
		return nil
	case rows == 0:
		l.errf(n, "%s: %s has no numbers", what, p)
		return nil
	}
	source := "csv " + p
	if labels {
		source = "labels, csv " + p
	}
	return &spec.Matrix{Name: name, Source: source, Value: mat.NewDense(rows, cols, data), Labels: labels}
}

func (l *loader) npyMatrix(name string, n *yaml.Node, what string, labels bool) *spec.Matrix {
	p, _, f, ok := l.openData(n, what, "npy")
	if !ok {
		return nil
	}
	defer f.Close()
	limited := io.LimitReader(f, MaxNpyHeader+16+8*int64(l.opts.MaxElements))
	r, err := newNpyReader(limited)
	if err != nil {
		l.errf(n, "%s: %s is not a valid .npy file: %v", what, p, err)
		return nil
	}
	h := r.Header.Descr
	kind := strings.Trim(h.Type, `'"<>|=`)
	switch {
	case kind == "f8" || kind == "f4":
		if labels {
			l.errf(n, "%s: %s holds %s; labels: true needs an integer dtype (such as <i8)", what, p, h.Type)
			return nil
		}
	case intDtypes[kind] && l.claimData:
		l.errf(n, "%s: %s holds %s; expected float64 (<f8) or float32 (<f4)", what, p, dtypeName(h.Type))
		return nil
	case intDtypes[kind]:
		labels = true
	default:
		l.errf(n, "%s: %s holds %s; expected float64 (<f8) or float32 (<f4), or an integer dtype (<i8, <i4, |u1, …) for labels", what, p, dtypeName(h.Type))
		return nil
	}
	var rows, cols int64
	switch len(h.Shape) {
	case 1:
		rows, cols = 1, int64(h.Shape[0])
	case 2:
		rows, cols = int64(h.Shape[0]), int64(h.Shape[1])
	default:
		l.errf(n, "%s: %s has %d dimensions; expected 1 or 2", what, p, len(h.Shape))
		return nil
	}
	if rows <= 0 || cols <= 0 || rows > int64(l.opts.MaxElements) || cols > int64(l.opts.MaxElements) {
		if rows == 0 || cols == 0 {
			l.errf(n, "%s: %s is empty (shape %d×%d)", what, p, rows, cols)
		} else {
			l.errf(n, "%s: %s has the shape %d×%d, more than the limit of %d elements (raise it with --max-elements)", what, p, rows, cols, l.opts.MaxElements)
		}
		return nil
	}
	if !l.elements(n, what, rows, cols) {
		return nil
	}
	var data []float64
	if labels {
		data, err = readInts(r, kind)
	} else if strings.Contains(h.Type, "f4") {
		var f32 []float32
		err = r.Read(&f32)
		for _, v := range f32 {
			data = append(data, float64(v))
		}
	} else {
		err = r.Read(&data)
	}
	if err != nil && !errors.Is(err, io.EOF) || int64(len(data)) != rows*cols {
		l.errf(n, "%s: cannot read the %d values %s's header promises", what, rows*cols, p)
		return nil
	}
	out := mat.NewDense(int(rows), int(cols), data)
	if h.Fortran && len(h.Shape) == 2 {
		// column-major on disk: element (i, j) is at j·rows + i
		out = mat.NewDense(int(rows), int(cols), nil)
		for j := 0; j < int(cols); j++ {
			for i := 0; i < int(rows); i++ {
				out.Set(i, j, data[j*int(rows)+i])
			}
		}
	}
	for k, v := range out.RawMatrix().Data {
		if (math.IsNaN(v) || math.IsInf(v, 0)) && !l.claimData {
			l.errf(n, "%s: %s holds a value that is not finite (NaN or ±Inf)", what, p)
			return nil
		}
		if labels && (v < 0 || v > maxLabel) {
			l.errf(n, "%s: %s, element [%d,%d]: expected a label, a whole number from 0 to %d", what, p, k/int(cols), k%int(cols), int64(maxLabel))
			return nil
		}
	}
	order := ""
	if h.Fortran {
		order = ", Fortran order"
	}
	return &spec.Matrix{Name: name, Source: fmt.Sprintf("npy %s (%s%s)", p, h.Type, order), Value: out, Labels: labels}
}

// intDtypes are the .npy integer dtypes read as labels.
var intDtypes = map[string]bool{"i1": true, "i2": true, "i4": true, "i8": true, "u1": true, "u2": true, "u4": true, "u8": true}

// readInts reads an .npy of integer dtype kind (one of intDtypes) as
// float64 values.
func readInts(r *npy.Reader, kind string) ([]float64, error) {
	var out []float64
	var err error
	switch kind {
	case "i1":
		out, err = readAs[int8](r)
	case "i2":
		out, err = readAs[int16](r)
	case "i4":
		out, err = readAs[int32](r)
	case "i8":
		out, err = readAs[int64](r)
	case "u1":
		out, err = readAs[uint8](r)
	case "u2":
		out, err = readAs[uint16](r)
	case "u4":
		out, err = readAs[uint32](r)
	case "u8":
		out, err = readAs[uint64](r)
	}
	return out, err
}

func readAs[T int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64](r *npy.Reader) ([]float64, error) {
	var vals []T
	err := r.Read(&vals)
	out := make([]float64, len(vals))
	for i, v := range vals {
		out[i] = float64(v)
	}
	return out, err
}

func (l *loader) gradient(item *yaml.Node, e *spec.Experiment) *spec.Gradient {
	f, it, ok := l.item(item, "gradient", e.Settings, []string{"expr", "let", "wrt", "reference", "sweep", "full_gradients", "claims", "order"}, "expr")
	if !ok {
		return nil
	}
	name := it.Name
	g := &spec.Gradient{Item: it, FullGradients: l.fullGradients(f["full_gradients"], "gradient "+name+": full_gradients")}
	if m := method.Named(g.Settings.Method); m != nil && !m.Gradients {
		l.errf(item, "gradient %s: %s works on functions and chains; a gradient needs a difference method (central, five-point, richardson, …) or none", name, m.Name)
		return nil
	}
	lets, src, tree, sh, shapes, isUsed, ok := l.letExpr(f["let"], f["expr"], "gradient "+name)
	if !ok {
		return nil
	}
	g.Let = lets
	known := l.matrixSet()
	for _, lt := range lets {
		known[lt.Name] = true
	}
	if sh != [2]int{1, 1} {
		l.errf(f["expr"], "gradient %s: %q is %d×%d; a gradient needs a scalar: reduce it with sum(…) or mean(…)", name, src, sh[0], sh[1])
		return nil
	}
	g.Src, g.Expr = src, tree
	usesMatrix := false
	for u := range isUsed {
		usesMatrix = usesMatrix || l.matrices[u] != nil
	}
	if !usesMatrix {
		l.errf(f["expr"], "gradient %s: %q uses no matrix, so there is nothing to differentiate", name, src)
		return nil
	}
	if g.Wrt, ok = l.wrtList(f["wrt"], f["expr"], "gradient "+name, src, isUsed, lets, e); !ok {
		return nil
	}
	if c := f["claims"]; c != nil {
		if g.Claims, ok = l.gradientClaims(c, g, isUsed, known, shapes); !ok {
			return nil
		}
		g.Wrt = joinWrt(g.Wrt, g.Claims, e.Matrices, lets)
	}
	if r := f["reference"]; r != nil {
		g.Reference = l.reference(r, g, shapes)
	}
	if sw := f["sweep"]; sw != nil {
		if g.Sweep = l.sweep(sw, g); g.Sweep == nil {
			return nil
		}
	}
	if !l.gradientBudget(f["expr"], g, shapes) {
		return nil
	}
	return g
}

// labelsOK checks the label matrices of a gradient's expression: each is
// used only where a call takes labels, every argument taken as labels is
// one, and every label is below the bound its call sets (the columns of
// pick's matrix, one_hot's k, the rows of embed's table). A label out of
// range is reported at the label matrix's declaration.
func (l *loader) labelsOK(n *yaml.Node, tree expr.Node, shapes map[string][2]int) bool {
	labels := map[string]bool{}
	for k, m := range l.matrices {
		labels[k] = m.Labels
	}
	uses, err := expr.Labels(tree, labels, shapes)
	if err != nil {
		ee := err.(*expr.Error)
		l.errAt(l.exprPos(n, ee.Off), "%s", ee.Msg)
		return false
	}
	ok := true
	for _, u := range uses {
		m := l.matrices[u.Name]
		r, c := m.Value.Dims()
		bad := false
		for i := 0; i < r && !bad; i++ {
			for j := 0; j < c && !bad; j++ {
				if v := m.Value.At(i, j); v >= float64(u.Bound) {
					call := l.exprPos(n, u.Off)
					l.errAt(m.Pos, "labels %s: %s[%d,%d] = %.0f is out of range: %s at line %d, column %d takes labels from 0 to %d (%s)",
						u.Name, u.Name, i, j, v, u.Call, call.Line, call.Col, u.Bound-1, u.Why)
					bad = true
				}
			}
		}
		ok = ok && !bad
	}
	return ok
}

// matrixExpr reads an item's matrix-valued expression in the names known
// (the file's matrices and the item's intermediates, whose shapes are in
// shapes): parsed, resolved, its label matrices checked, and its shape.
// used are the names it uses directly.
func (l *loader) matrixExpr(n *yaml.Node, what string, known map[string]bool, shapes map[string][2]int) (src string, tree expr.Node, used []string, shape [2]int, ok bool) {
	src, tree, ok = l.parseExpr(n, what+": expr", false)
	if !ok || l.usesFailed(tree) {
		return "", nil, nil, shape, false
	}
	if used, ok = l.resolveIn(n, tree, known); !ok {
		return "", nil, nil, shape, false
	}
	if !l.labelsOK(n, tree, shapes) {
		return "", nil, nil, shape, false
	}
	shape, err := expr.Shape(tree, shapes)
	if err != nil {
		ee := err.(*expr.Error)
		l.errAt(l.exprPos(n, ee.Off), "%s", ee.Msg)
		return "", nil, nil, shape, false
	}
	if !l.sizeOK(n, tree, shapes, what) {
		return "", nil, nil, shape, false
	}
	if len(used) == 0 {
		l.errf(n, "%s: %q uses no matrix, so there is nothing to differentiate", what, src)
		return "", nil, nil, shape, false
	}
	return src, tree, used, shape, true
}

// wrtList reads an item's wrt: (w; nil for the default: every matrix the
// expression uses, label matrices excepted, and none of its
// intermediates): the matrices in declaration order, then the
// intermediates in let order. isUsed are the names the expression uses,
// directly or through intermediates.
func (l *loader) wrtList(w, exprNode *yaml.Node, what, src string, isUsed map[string]bool, lets []spec.Let, e *spec.Experiment) ([]string, bool) {
	isLet := map[string]bool{}
	for _, lt := range lets {
		isLet[lt.Name] = true
	}
	var out []string
	if w != nil {
		names := []*yaml.Node{w}
		if w.Kind == yaml.SequenceNode {
			names = w.Content
		}
		seen := map[string]bool{}
		for _, wn := range names {
			wn = deref(wn)
			s, ok := l.str(wn, what+": wrt")
			if !ok {
				return nil, false
			}
			switch {
			case l.matrices[s] == nil && !isLet[s]:
				if len(lets) > 0 {
					l.errf(wn, "%s: wrt: %q is neither a declared matrix nor one of the item's let: names", what, s)
				} else {
					l.errf(wn, "%s: wrt: %q is not a declared matrix", what, s)
				}
				return nil, false
			case l.matrices[s] != nil && l.matrices[s].Labels:
				l.errf(wn, "%s: wrt: %s is a label matrix (whole numbers that choose classes or rows), which is never differentiated; list the matrices of numbers", what, s)
				return nil, false
			case !isUsed[s]:
				l.errf(wn, "%s: wrt: %q does not use %s, so its gradient is zero", what, src, s)
				return nil, false
			case seen[s]:
				l.errf(wn, "%s: wrt: %s is listed twice", what, s)
				return nil, false
			}
			seen[s] = true
		}
		for _, m := range e.Matrices { // declaration order
			if seen[m.Name] {
				out = append(out, m.Name)
			}
		}
		for _, lt := range lets { // then the intermediates, in let order
			if seen[lt.Name] {
				out = append(out, lt.Name)
			}
		}
		return out, true
	}
	for _, m := range e.Matrices {
		if isUsed[m.Name] && !m.Labels {
			out = append(out, m.Name)
		}
	}
	if len(out) == 0 {
		l.errf(exprNode, "%s: %q uses only label matrices, which are never differentiated, so there is nothing to differentiate", what, src)
		return nil, false
	}
	return out, true
}

// MaxJacobianEntries is the most entries (output elements × input
// elements) a Jacobian may have: each is computed and checked one by one.
const MaxJacobianEntries = 10_000

func (l *loader) jacobian(item *yaml.Node, e *spec.Experiment) *spec.Jacobian {
	f, it, ok := l.item(item, "jacobian", e.Settings, []string{"expr", "let", "wrt"}, "expr")
	if !ok {
		return nil
	}
	what := "jacobian " + it.Name
	if m := method.Named(it.Settings.Method); m != nil && !m.Gradients {
		l.errf(item, "%s: %s works on functions and chains; a Jacobian needs a difference method (central, five-point, richardson, …) or none", what, m.Name)
		return nil
	}
	lets, src, tree, sh, shapes, isUsed, ok := l.letExpr(f["let"], f["expr"], what)
	if !ok {
		return nil
	}
	j := &spec.Jacobian{Item: it, Let: lets, Src: src, Expr: tree, Shape: sh}
	if j.Wrt, ok = l.wrtList(f["wrt"], f["expr"], what, src, isUsed, lets, e); !ok {
		return nil
	}
	in := 0
	for _, w := range j.Wrt {
		in += shapes[w][0] * shapes[w][1]
	}
	if entries := sh[0] * sh[1] * in; entries > MaxJacobianEntries {
		l.errf(f["expr"], "%s: %q is %d×%d and its wrt matrices hold %d elements, so its Jacobian has %d entries, more than the limit of %d: take it with respect to fewer or smaller matrices",
			what, src, sh[0], sh[1], in, entries, MaxJacobianEntries)
		return nil
	}
	return j
}

var elementRE = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\[\s*(\d+)\s*,\s*(\d+)\s*\]\s*$`)

// sweep reads {element: "X[i,j]", from: A, to: B, count: N}; from and to
// default to the element's value ∓ 1 (the seed's sweep), count to 101.
func (l *loader) sweep(n *yaml.Node, g *spec.Gradient) *spec.Sweep {
	what := "gradient " + g.Name + ": sweep"
	f, _, ok := l.fields(n, what, "element", "from", "to", "count")
	if !ok {
		return nil
	}
	if f["element"] == nil {
		l.errf(n, "%s: missing key element, e.g. element: \"X[0,0]\"", what)
		return nil
	}
	el, ok := l.str(f["element"], what+": element")
	if !ok {
		return nil
	}
	m := elementRE.FindStringSubmatch(el)
	if m == nil {
		l.errf(f["element"], "%s: element: expected a matrix element such as \"X[0,0]\" (0-based row, column), found %q", what, el)
		return nil
	}
	mat := l.matrices[m[1]]
	used := false
	var mats []string // the matrices (not intermediates) the gradient is taken for
	for _, w := range g.Wrt {
		used = used || w == m[1]
		if l.matrices[w] != nil {
			mats = append(mats, w)
		}
	}
	if mat == nil || !used {
		l.errf(f["element"], "%s: element: %s is not one of the matrices the gradient is taken for (%s)", what, m[1], strings.Join(mats, ", "))
		return nil
	}
	i, _ := strconv.Atoi(m[2])
	j, _ := strconv.Atoi(m[3])
	r, c := mat.Value.Dims()
	if i >= r || j >= c {
		l.errf(f["element"], "%s: element: %s is %d×%d, so [%d,%d] is outside it", what, m[1], r, c, i, j)
		return nil
	}
	x := mat.Value.At(i, j)
	sw := &spec.Sweep{Matrix: m[1], I: i, J: j, From: x - 1, To: x + 1, Count: 101}
	if n := f["from"]; n != nil {
		if sw.From, ok = l.pointValue(n, what+": from"); !ok {
			return nil
		}
	}
	if n := f["to"]; n != nil {
		if sw.To, ok = l.pointValue(n, what+": to"); !ok {
			return nil
		}
	}
	if n := f["count"]; n != nil {
		c, ok := l.int(n, what+": count", 2, 10_000)
		if !ok {
			return nil
		}
		sw.Count = int(c)
	}
	if !(sw.From < sw.To) {
		l.errf(n, "%s: from (%g) must be below to (%g)", what, sw.From, sw.To)
		return nil
	}
	return sw
}

func (l *loader) reference(n *yaml.Node, g *spec.Gradient, shapes map[string][2]int) *spec.Reference {
	f, _, ok := l.fields(n, "reference", "source", "decimals", "value", "inputs", "gradient")
	if !ok {
		return nil
	}
	ref := &spec.Reference{Decimals: 4}
	if s := f["source"]; s != nil {
		ref.Source, _ = l.str(s, "reference.source")
	}
	if d := f["decimals"]; d != nil {
		v, _ := l.int(d, "reference.decimals", 0, 15)
		ref.Decimals = int(v)
	}
	if v := f["value"]; v != nil {
		x, ok := l.num(v, "reference.value")
		if ok {
			ref.Value = &x
		}
	}
	named := func(key string, allowed func(string) bool) []spec.NamedMatrix {
		m := f[key]
		if m == nil {
			return nil
		}
		if m.Kind != yaml.MappingNode {
			l.errf(m, "reference.%s: expected a mapping of matrix names to rows, found %s", key, kindName(m))
			return nil
		}
		var out []spec.NamedMatrix
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := deref(m.Content[i]), deref(m.Content[i+1])
			if !allowed(k.Value) {
				l.errf(k, "reference.%s: %q is not one of the matrices here", key, k.Value)
				continue
			}
			if v.Kind != yaml.SequenceNode {
				l.errf(v, "reference.%s.%s: expected rows like [[1, 2], [3, 4]], found %s", key, k.Value, kindName(v))
				continue
			}
			d, ok := l.rows(v, "reference."+key+"."+k.Value)
			if !ok {
				continue
			}
			want := shapes[k.Value]
			if dr, dc := d.Dims(); dr != want[0] || dc != want[1] {
				l.errf(v, "reference.%s.%s: %d×%d, but %s is %d×%d", key, k.Value, dr, dc, k.Value, want[0], want[1])
				continue
			}
			out = append(out, spec.NamedMatrix{Name: k.Value, Value: d})
		}
		return out
	}
	ref.Inputs = named("inputs", func(s string) bool { return l.matrices[s] != nil })
	ref.Gradient = named("gradient", func(s string) bool {
		for _, w := range g.Wrt {
			if w == s {
				return true
			}
		}
		return false
	})
	return ref
}

// usesFailed reports whether tree names a matrix that could not be read (its
// error is already reported).
func (l *loader) usesFailed(tree expr.Node) bool {
	found := false
	expr.Walk(tree, func(n expr.Node) {
		if id, ok := n.(*expr.Ident); ok && l.failed[id.Name] {
			found = true
		}
	})
	return found
}
