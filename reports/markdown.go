package reports

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
	"gonum.org/v1/gonum/mat"

	"github.com/runner-dev/runner/diff"
	"github.com/runner-dev/runner/expr"
	"github.com/runner-dev/runner/internal/fmath"
	"github.com/runner-dev/runner/method"
	"github.com/runner-dev/runner/spec"
)

// MaxShownDim is the largest number of rows or columns a matrix may have to
// be printed whole in Markdown; a larger one is summarised (Large).
const MaxShownDim = 12

// MaxShownElements is how many checked elements of a large matrix the
// Markdown lists (the largest errors, plus every element that is not ok).
const MaxShownElements = 10

// worstElements returns the n elements with the largest errors and every
// element that is not ok, in row-major order.
func worstElements(els []diff.Element, n int) []diff.Element {
	if len(els) <= n {
		return els
	}
	order := make([]int, len(els))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ea, eb := els[order[a]].AbsErr, els[order[b]].AbsErr
		return ea > eb || !math.IsNaN(ea) && math.IsNaN(eb)
	})
	keep := map[int]bool{}
	for _, i := range order[:n] {
		keep[i] = true
	}
	var out []diff.Element
	for i, e := range els {
		if keep[i] || e.Status != diff.OK {
			out = append(out, e)
		}
	}
	return out
}

// Large reports whether m is summarised rather than printed whole.
func Large(m *mat.Dense) bool {
	r, c := m.Dims()
	return r > MaxShownDim || c > MaxShownDim
}

// fmtNum rounds v to 6 significant digits for reading.
func fmtNum(v float64) string {
	if w, ok := notFinite(v); ok {
		return w
	}
	return strconv.FormatFloat(v+0, 'g', 6, 64) // v+0: 0, not −0
}

// notFinite spells a value that is not a finite number, the same way
// everywhere in the Markdown (diff.NotFinite: ∞, −∞, undefined). The CSV
// keeps Go's "+Inf", "-Inf" and "NaN"; a "—" cell is a value not computed.
func notFinite(v float64) (string, bool) { return diff.NotFinite(v) }

// numericCell is a numeric derivative's cell: "—" where none was taken
// (method none), else its value.
func numericCell(v float64, none bool) string {
	if none {
		return "—"
	}
	return fmtNum(v)
}

// fmtErr writes an error size with 2 significant digits; "—" for none (an
// undefined numeric derivative has no error).
func fmtErr(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case math.IsInf(v, 1):
		return "∞"
	case v == 0:
		return "0"
	}
	return strconv.FormatFloat(v, 'e', 1, 64)
}

func escape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// inlineText is an expression, a chain link or a note written outside a
// code span, escaped so that Markdown reads none of it as markup: x*x*2
// stays x*x*2, not x, italic x, 2; nor as HTML. (A table cell's | is
// escaped by table.)
func inlineText(s string) string { return inlineEscaper.Replace(s) }

var inlineEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "&", "&amp;", "<", "&lt;")

// table renders a Markdown table; right[i] says whether column i holds
// numbers (right-aligned).
func table(b *bytes.Buffer, header []string, right []bool, rows [][]string) {
	align := make([]tw.Align, len(header))
	for i := range align {
		align[i] = tw.AlignLeft
		if i < len(right) && right[i] {
			align[i] = tw.AlignRight
		}
	}
	h := make([]any, len(header))
	for i, s := range header {
		h[i] = escape(s)
	}
	cells := make([][]any, len(rows))
	for k, r := range rows {
		cells[k] = make([]any, len(r))
		for i, s := range r {
			cells[k][i] = escape(s)
		}
	}
	var out bytes.Buffer
	// A new table for each: measured with tablewriter v1.1.5
	// (BenchmarkTable), reusing tables saved about 5% of drawing one, the
	// 10,240-entry stringer cache NewTable allocates included.
	t := tablewriter.NewTable(&out,
		tablewriter.WithRenderer(renderer.NewMarkdown()),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{PerColumn: align}),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
	)
	t.Header(h...)
	for _, c := range cells {
		_ = t.Append(c...)
	}
	_ = t.Render()
	b.Write(out.Bytes())
	b.WriteByte('\n')
}

// methodText is the method's sentence at the step in force.
func methodText(s spec.Settings) string { return method.Get(s.Method).Sentence(s.H()) }

// tolText is the rule of t, naming its mode.
func tolText(t spec.Tolerance) string {
	if t.Fixed() {
		return fmt.Sprintf("|numeric − exact| ≤ %g + %g·|exact| (mode fixed)", t.Atol, t.Rtol)
	}
	return fmt.Sprintf("|numeric − exact| ≤ %g + %g·|exact| + err_bound (mode bound)", t.Atol, t.Rtol)
}

// boundText is what err_bound is, for the settings table.
const boundText = "2·|D(h) − D(2h)| + 16·ε·Σ|cᵢ·f(xᵢ)|/hᵏ: the numeric derivative's truncation and round-off, without the exact value"

// Markdown is the results as a report to read on a code host.
func Markdown(r *diff.Results) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n", EscapeInline(r.Title))
	if r.About != "" {
		b.WriteString(EscapeText(r.About) + "\n\n")
	}
	b.WriteString(summaryLine(r.Count()))
	b.WriteString("\n\n")
	rows := [][]string{
		{"numeric method", methodText(r.Settings)},
		{"tolerance", tolText(r.Settings.Tolerance)},
	}
	if !r.Settings.Fixed() {
		rows = append(rows, []string{"err_bound", boundText})
	}
	if len(r.Matrices) > 0 {
		rows = append(rows, []string{"random seed", fmt.Sprintf("%d (NumPy's legacy generator; about 1 normal draw in 3,000 differs in the last bit, see the README)", r.Seed)})
		for _, m := range r.Matrices {
			rr, cc := m.Value.Dims()
			rows = append(rows, []string{"matrix " + m.Name, fmt.Sprintf("%d×%d, %s", rr, cc, EscapeInline(m.Source))})
		}
		if r.BLAS != "" {
			rows = append(rows, []string{"matrix products", EscapeInline(r.BLAS)})
		}
	}
	table(&b, []string{"setting", "value"}, nil, rows)
	for _, it := range r.Items {
		if f := it.Function; f != nil {
			function(&b, r.Name, f, r.Settings)
		}
		if g := it.Gradient; g != nil {
			gradient(&b, r.Name, g, r.Settings)
		}
		if j := it.Jacobian; j != nil {
			jacobian(&b, j, r.Settings)
		}
	}
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n')
}

func settingsLine(b *bytes.Buffer, s, file spec.Settings) {
	if s.Numeric != file.Numeric {
		fmt.Fprintf(b, "Numeric method for this item: %s.\n\n", methodText(s))
	}
	if s.Rtol != file.Rtol || s.Atol != file.Atol {
		fmt.Fprintf(b, "Tolerance for this item: %s.\n\n", escape(tolText(s.Tolerance)))
	}
}

func function(b *bytes.Buffer, name string, f *diff.Function, file spec.Settings) {
	none := !method.Get(f.Settings.Method).Numeric()
	if f.Kind == "chain" {
		fmt.Fprintf(b, "## %s(x) = %s\n\n", f.Name, "`"+f.Src+"`")
		if len(f.Links) == 1 {
			fmt.Fprintf(b, "A chain of one link: %s. ", "`"+f.Links[0]+"`")
		} else {
			fmt.Fprintf(b, "A chain of %d links, applied in order: %s. ", len(f.Links), "`"+strings.Join(f.Links, "` → `")+"`")
		}
		if none {
			b.WriteString("Each link column is that link's exact derivative at its own input; their product is the exact derivative.\n\n")
		} else {
			b.WriteString("Each link column is that link's numeric derivative at its own input, as the seed computes it; " +
				"their product is the numeric column, and the exact column is the product of the exact link derivatives.\n\n")
		}
	} else {
		fmt.Fprintf(b, "## %s(%s) = %s\n\n", f.Name, strings.Join(f.Vars, ", "), "`"+f.Src+"`")
	}
	settingsLine(b, f.Settings, file)
	formulas(b, f)
	var header []string
	var right []bool
	header = append(header, f.Vars...)
	for range f.Vars {
		right = append(right, true)
	}
	multi := len(f.Vars) > 1
	header = append(header, f.Name)
	right = append(right, true)
	if f.Kind == "chain" {
		for i, l := range f.Links {
			header = append(header, fmt.Sprintf("%d: %s′", i+1, inlineText(l)))
			right = append(right, true)
		}
	}
	if multi {
		header = append(header, "wrt")
		right = append(right, false)
	}
	header = append(header, "exact", "numeric", "abs error")
	right = append(right, true, true, true)
	claimed := len(f.Claims) > 0
	if claimed {
		header = append(header[:len(header)-1], "claimed", "abs error")
		right = append(right, true)
	}
	estimate := method.Get(f.Settings.Method).Estimates()
	if estimate {
		header = append(header, "error estimate")
		right = append(right, true)
	}
	header = append(header, "status")
	right = append(right, false)
	var rows [][]string
	var notes []string
	total := f.Len() * len(f.Vars)
	for k := 0; k < total; k++ {
		p := f.Point(k / len(f.Vars))
		d := p.Partials[k%len(f.Vars)]
		if d.Status != diff.OK || d.Note != "" {
			notes = append(notes, note(PointLabel(f.Vars, p.At)+", ∂/∂"+d.Wrt, d))
		}
		if !shown(k, total) {
			continue
		}
		{
			var row []string
			for _, v := range p.At {
				row = append(row, fmtNum(v))
			}
			row = append(row, fmtNum(p.Value))
			for _, l := range f.LinksAt(k / len(f.Vars)) {
				if none {
					row = append(row, fmtNum(l.Exact))
				} else {
					row = append(row, fmtNum(l.Numeric))
				}
			}
			if multi {
				row = append(row, d.Wrt)
			}
			row = append(row, fmtNum(d.Exact), numericCell(d.Numeric, none))
			if claimed {
				row = append(row, claimCell(d))
			}
			row = append(row, fmtErr(d.AbsErr))
			if estimate {
				row = append(row, fmtErr(d.ErrEst))
			}
			rows = append(rows, append(row, string(d.Status)))
		}
	}
	table(b, header, right, elide(rows, total))
	csvSummaryLine(b, f)
	writeNotes(b, notes)
	scalarClaims(b, name, f)
	if f.Curve != nil {
		fmt.Fprintf(b, "![%s and its derivative](%s)\n\n", f.Name, CurveFile(name, f.Name))
	}
	if f.Surface != nil {
		fmt.Fprintf(b, "![%s over (%s), with its gradient at each point](%s)\n\n", f.Name, strings.Join(f.Vars, ", "), CurveFile(name, f.Name))
	}
	if f.Explain != nil {
		explainFunction(b, f)
	}
	if f.Explained && f.Len() > 0 {
		explainChain(b, f)
	}
	if f.Order == 2 {
		secondDerivatives(b, f)
		hessianLink(b, name, f.Name, functionHessian(f))
	}
	if f.Study != nil {
		study(b, name, f)
	}
}

// formulas writes f and its derivatives as display math, the derivatives
// found by symbolic differentiation of the parsed expression.
func formulas(b *bytes.Buffer, f *diff.Function) {
	if f.Formula == nil {
		return
	}
	args := strings.Join(f.Vars, ", ")
	fmt.Fprintf(b, "$$%s(%s) = %s$$\n\n", mathName(f.Name), args, LaTeX(f.Formula))
	for i, d := range f.Derivs {
		if len(f.Vars) == 1 {
			fmt.Fprintf(b, "$$%s'(%s) = %s$$\n\n", mathName(f.Name), args, LaTeX(d))
		} else {
			fmt.Fprintf(b, "$$\\frac{\\partial %s}{\\partial %s} = %s$$\n\n", mathName(f.Name), f.Vars[i], LaTeX(d))
		}
	}
	if uses(f.Derivs, "H") {
		b.WriteString("H is the Heaviside step: 1 for a positive argument, 0 for a negative one.\n\n")
	}
	if uses(f.Derivs, "Phi") {
		b.WriteString("Φ and φ are the standard normal distribution's CDF and density.\n\n")
	}
}

func mathName(s string) string {
	if len(s) == 1 {
		return s
	}
	return `\mathrm{` + texName(s) + "}"
}

func uses(trees []expr.Node, name string) bool {
	found := false
	for _, t := range trees {
		expr.Walk(t, func(n expr.Node) {
			if c, ok := n.(*expr.Call); ok && c.Name == name {
				found = true
			}
		})
	}
	return found
}

// note is one line under a table for a derivative that is not ok.
func note(where string, d diff.Derivative) string {
	s := fmt.Sprintf("- %s: %s — %s", where, d.Status, inlineText(d.Note))
	if d.Status == diff.Kink && !math.IsNaN(d.Left) {
		s += fmt.Sprintf("; one-sided derivatives %s (left) and %s (right)", fmtNum(d.Left), fmtNum(d.Right))
	}
	return s
}

func secondDerivatives(b *bytes.Buffer, f *diff.Function) {
	if f.Kind == "chain" {
		b.WriteString("### Second derivative\n\nExact by hyper-dual numbers; numeric link by link, as the first derivative: " +
			"(g∘u)″ = g″(u)·u′² + g′(u)·u″ with each link's numeric first and second derivatives at its own input.\n\n")
	} else if len(f.Vars) > 1 {
		b.WriteString("### Second derivatives (the Hessian)\n\nExact by hyper-dual numbers; numeric by the method's second-difference " +
			"stencil on the diagonal and (f(x+h, y+h) − f(x+h, y−h) − f(x−h, y+h) + f(x−h, y−h)) / 4h² off it.\n\n")
	} else {
		b.WriteString("### Second derivative\n\nExact by hyper-dual numbers; numeric by the method's second-difference stencil.\n\n")
	}
	header := append(append([]string{}, f.Vars...), "wrt", "exact", "numeric", "abs error", "status")
	var right []bool
	for range f.Vars {
		right = append(right, true)
	}
	right = append(right, false, true, true, true, false)
	var rows [][]string
	var notes []string
	for k := range f.Len() {
		p := f.Point(k)
		for _, d := range p.Second {
			var row []string
			for _, v := range p.At {
				row = append(row, fmtNum(v))
			}
			rows = append(rows, append(row, secondName(d.Wrt), fmtNum(d.Exact), numericCell(d.Numeric, !method.Get(f.Settings.Method).Numeric()), fmtErr(d.AbsErr), string(d.Status)))
			if d.Status != diff.OK || d.Note != "" {
				notes = append(notes, note(PointLabel(f.Vars, p.At)+", "+secondName(d.Wrt), d))
			}
		}
	}
	table(b, header, right, elide(rows, len(rows)))
	writeNotes(b, notes)
}

// MaxTableRows is the most rows a Markdown table of points shows; a longer
// one shows its first and last MaxTableRows/2 rows, and the CSV has them all.
const MaxTableRows = 40

// MaxNotes is the most notes listed under a table.
const MaxNotes = 20

// shown reports whether row k of total is among those a table shows.
func shown(k, total int) bool {
	return total <= MaxTableRows || k < MaxTableRows/2 || k >= total-MaxTableRows/2
}

// elide puts a "⋮" row between the first and last halves of rows when total
// rows were more than MaxTableRows (rows holds all of them, or just those
// shown).
func elide(rows [][]string, total int) [][]string {
	if total <= MaxTableRows {
		return rows
	}
	half := MaxTableRows / 2
	if len(rows) == 2*half {
		rows = append(append(rows[:half:half], nil), rows[half:]...)
		rows[half] = gapRow(len(rows[0]), total-2*half)
		return rows
	}
	out := append(append([][]string{}, rows[:half]...), gapRow(len(rows[0]), total-2*half))
	return append(out, rows[len(rows)-half:]...)
}

func gapRow(width, hidden int) []string {
	gap := make([]string, width)
	for i := range gap {
		gap[i] = "⋮"
	}
	gap[0] = fmt.Sprintf("⋮ %d more rows in the CSV", hidden)
	return gap
}

func writeNotes(b *bytes.Buffer, notes []string) {
	if len(notes) == 0 {
		return
	}
	if len(notes) > MaxNotes {
		more := len(notes) - MaxNotes
		notes = append(notes[:MaxNotes], fmt.Sprintf("- … and %d more (the CSV's status and note columns list them all)", more))
	}
	b.WriteString(strings.Join(notes, "\n") + "\n\n")
}

// secondName writes "x,x" as ∂²/∂x² and "x,y" as ∂²/∂x∂y.
func secondName(wrt string) string {
	v := strings.SplitN(wrt, ",", 2)
	if len(v) == 2 && v[0] == v[1] {
		return "∂²/∂" + v[0] + "²"
	}
	return "∂²/∂" + strings.Join(v, "∂")
}

func study(b *bytes.Buffer, name string, f *diff.Function) {
	st := f.Study
	fmt.Fprintf(b, "### Step study at x = %s\n\n", fmtNum(st.At))
	fmt.Fprintf(b, "The error |numeric − exact| of each method as the step h shrinks, against the exact derivative %s. "+
		"A difference's truncation error falls as h shrinks (as h for forward differences, h² for central, h⁴ for five-point: "+
		"the dashed lines), until round-off, about ε·|f|/h, takes over and the error rises again; the best h sits where the two meet. "+
		"Complex step subtracts nothing, so it has no round-off rise.\n\n", fmtFull(st.Exact))
	file := StudyFile(name, f.Name)
	fmt.Fprintf(b, "![error against step for %s](%s)\n\n", f.Name, file)
	b.WriteString("In the plot, rings mark each method's best h, dashed lines the truncation slopes, and an error of exactly 0 is drawn at 1e-17.")
	if undefined := studyUndefined(st); undefined > 0 {
		fmt.Fprintf(b, " %d of the errors are undefined or infinite (the numeric derivative is not a finite number at that step): "+
			"the plot leaves a gap there rather than draw them on the floor, where they would look exact.", undefined)
	}
	b.WriteString("\n\n")
	header := []string{"h"}
	right := []bool{true}
	for _, m := range st.Methods {
		header = append(header, m)
		right = append(right, true)
	}
	var rows [][]string
	for k, h := range st.Steps {
		row := []string{strconv.FormatFloat(h, 'e', 1, 64)}
		for m := range st.Methods {
			cell := fmtErr(st.Err[m][k])
			if st.Best[m] == k {
				cell = "**" + cell + "**"
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	table(b, header, right, rows)
	var best []string
	for m, method := range st.Methods {
		best = append(best, fmt.Sprintf("%s at h = %s (error %s)", method, strconv.FormatFloat(st.Steps[st.Best[m]], 'e', 0, 64), fmtErr(st.Err[m][st.Best[m]])))
	}
	fmt.Fprintf(b, "Best step (in bold above): %s.\n\n", strings.Join(best, "; "))
}

// fmtFull writes v in Go's shortest round-trip form, or as notFinite
// spells it.
func fmtFull(v float64) string {
	if w, ok := notFinite(v); ok {
		return w
	}
	return strconv.FormatFloat(v+0, 'g', -1, 64)
}

// studyUndefined counts the errors in st that are not finite numbers.
func studyUndefined(st *diff.Study) int {
	n := 0
	for _, errs := range st.Err {
		for _, e := range errs {
			if math.IsNaN(e) || math.IsInf(e, 0) {
				n++
			}
		}
	}
	return n
}

// matrixText writes m as NumPy prints it, rounded to dec decimals:
// [[0.4723 0.6151 -1.7262]]; a 1×1 matrix is its number.
func matrixText(m *mat.Dense, dec int) string {
	r, c := m.Dims()
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', dec, 64) }
	if r == 1 && c == 1 {
		return f(m.At(0, 0))
	}
	return matrixRows(m, r, c, f)
}

// matrixRows writes the top-left r×c of m as NumPy prints a matrix,
// [[a b] [c d]], each number by f.
func matrixRows(m *mat.Dense, r, c int, f func(float64) string) string {
	var s strings.Builder
	s.WriteByte('[')
	for i := 0; i < r; i++ {
		if i > 0 {
			s.WriteByte(' ')
		}
		s.WriteByte('[')
		for j := 0; j < c; j++ {
			if j > 0 {
				s.WriteByte(' ')
			}
			s.WriteString(f(m.At(i, j)))
		}
		s.WriteByte(']')
	}
	s.WriteByte(']')
	return s.String()
}

func matrixTable(b *bytes.Buffer, corner string, m *mat.Dense, cell func(i, j int) string) {
	r, c := m.Dims()
	header := []string{corner}
	right := []bool{false}
	for j := 0; j < c; j++ {
		header = append(header, strconv.Itoa(j))
		right = append(right, true)
	}
	var rows [][]string
	for i := 0; i < r; i++ {
		row := []string{strconv.Itoa(i)}
		for j := 0; j < c; j++ {
			row = append(row, cell(i, j))
		}
		rows = append(rows, row)
	}
	table(b, header, right, rows)
}

func gradient(b *bytes.Buffer, name string, g *diff.Gradient, file spec.Settings) {
	fmt.Fprintf(b, "## %s = %s\n\n", g.Name, "`"+g.Src+"`")
	settingsLine(b, g.Settings, file)
	fmt.Fprintf(b, "%s = %s\n\n", g.Name, fmtFull(g.Value))
	fmt.Fprintf(b, "Exact gradients by reverse-mode automatic differentiation. Checked numerically: %s.\n\n", g.Check)
	if sw := g.Sweep; sw != nil {
		fmt.Fprintf(b, "![%s as %s[%d,%d] varies](%s)\n\n", g.Name, sw.Matrix, sw.I, sw.J, SweepFile(name, g.Name))
		fmt.Fprintf(b, "%s as %s[%d,%d] sweeps %s … %s with the rest held; the dashed line is the tangent at %s[%d,%d] = %s, "+
			"whose slope is the gradient's element ∂%s/∂%s[%d,%d] = %s.\n\n", g.Name, sw.Matrix, sw.I, sw.J, fmtNum(sw.T[0]), fmtNum(sw.T[len(sw.T)-1]),
			sw.Matrix, sw.I, sw.J, fmtNum(sw.X0), g.Name, sw.Matrix, sw.I, sw.J, fmtNum(sw.Slope))
	}
	none := !method.Get(g.Settings.Method).Numeric()
	for _, m := range g.Wrt {
		r, c := m.Input.Dims()
		d := fmt.Sprintf("∂%s/∂%s", g.Name, m.Name)
		fmt.Fprintf(b, "### %s (%d×%d)\n\n", d, r, c)
		if !Large(m.Exact) && m.Full || !Large(m.Exact) && none {
			numeric := mat.NewDense(r, c, nil)
			bad := []string{}
			for _, e := range m.Elements {
				numeric.Set(e.I, e.J, e.Numeric)
				if e.Status != diff.OK || e.Note != "" {
					bad = append(bad, fmt.Sprintf("- %s: %s — %s", e.Wrt, e.Status, e.Note))
				}
			}
			fmt.Fprintf(b, "The input %s:\n\n", m.Name)
			matrixTable(b, m.Name, m.Input, func(i, j int) string { return fmtNum(m.Input.At(i, j)) })
			fmt.Fprintf(b, "The gradient %s, exact:\n\n", d)
			matrixTable(b, d+" exact", m.Exact, func(i, j int) string { return fmtNum(m.Exact.At(i, j)) })
			if !none {
				fmt.Fprintf(b, "The gradient %s, numeric (%s):\n\n", d, methodText(g.Settings))
				matrixTable(b, d+" numeric", m.Exact, func(i, j int) string { return fmtNum(numeric.At(i, j)) })
				b.WriteString("Their difference, |numeric − exact|:\n\n")
				matrixTable(b, "abs error", m.Exact, func(i, j int) string { return fmtErr(math.Abs(numeric.At(i, j) - m.Exact.At(i, j))) })
			}
			if len(bad) > 0 {
				b.WriteString(strings.Join(bad, "\n") + "\n\n")
			}
			heatmapLink(b, name, g, m)
			matrixClaim(b, d, m, ClaimPlotFile(name, g.Name, m.Name))
			continue
		}
		norm, maxAbs := m.Norm, m.MaxAbs
		rows := [][]string{
			{"shape", fmt.Sprintf("%d×%d", r, c)},
			{"‖" + d + "‖ (Frobenius)", fmtNum(norm)},
			{"max |" + d + "|", fmtNum(maxAbs)},
		}
		if Large(m.Exact) {
			full := "not written (full_gradients: false)"
			if f, ok := fullGradientFile(g.FullGradients, name, g.Name, m.Name); ok {
				full = fmt.Sprintf("[%s](%s)", f, f)
			}
			rows = append(rows, []string{"full gradient", full})
		}
		fmt.Fprintf(b, "The gradient %s in summary:\n\n", d)
		table(b, []string{"", "value"}, []bool{false, true}, rows)
		if !Large(m.Exact) {
			heatmapLink(b, name, g, m)
		}
		if len(m.Elements) > 0 {
			worst := worstElements(m.Elements, MaxShownElements)
			fmt.Fprintf(b, "%d elements checked numerically (every row is in the CSV report); ", len(m.Elements))
			if len(worst) < len(m.Elements) {
				fmt.Fprintf(b, "the %d with the largest errors, and any not ok:\n\n", len(worst))
			} else {
				b.WriteString("all of them:\n\n")
			}
			var er [][]string
			var notes []string
			for _, e := range worst {
				er = append(er, []string{e.Wrt, fmtNum(m.Input.At(e.I, e.J)), fmtNum(e.Exact), fmtNum(e.Numeric), fmtErr(e.AbsErr), string(e.Status)})
				if e.Note != "" {
					notes = append(notes, note(e.Wrt, e.Derivative))
				}
			}
			table(b, []string{"element", "value", "exact", "numeric", "abs error", "status"}, []bool{false, true, true, true, true, false}, er)
			writeNotes(b, notes)
		}
		matrixClaim(b, d, m, ClaimPlotFile(name, g.Name, m.Name))
	}
	if g.Explain != nil {
		explainGradient(b, g)
	}
	if len(g.Second) > 0 {
		secondGradient(b, g)
		hessianLink(b, name, g.Name, gradientHessian(g))
	}
	if len(g.Directions) > 0 {
		fmt.Fprintf(b, "### Directional derivatives ∇%s·V\n\n", g.Name)
		var dr [][]string
		var notes []string
		for _, d := range g.Directions {
			dr = append(dr, []string{d.Wrt, fmtNum(d.Exact), fmtNum(d.Numeric), fmtErr(d.AbsErr), string(d.Status)})
			if d.Note != "" {
				notes = append(notes, note(d.Wrt, d.Derivative))
			}
		}
		table(b, []string{"direction", "exact", "numeric", "abs error", "status"}, []bool{false, true, true, true, false}, dr)
		writeNotes(b, notes)
	}
	if ref := g.Reference; ref != nil {
		src := EscapeInline(ref.Source)
		if src == "" {
			src = "the reference values"
		}
		fmt.Fprintf(b, "### Compared with %s\n\n", src)
		fmt.Fprintf(b, "Printed to %d decimals; a computed value agrees when it is within half a unit of the last printed decimal (%g).\n\n",
			ref.Decimals, 0.5*fmath.Pow(10, -float64(ref.Decimals)))
		var rr [][]string
		for _, row := range ref.Rows {
			agrees := "yes"
			if !row.Agrees {
				agrees = "**no**"
			}
			rr = append(rr, []string{row.What, matrixText(row.Printed, ref.Decimals), matrixText(row.Computed, ref.Decimals), fmtErr(row.MaxDiff), agrees})
		}
		table(b, []string{"quantity", "printed", fmt.Sprintf("computed, rounded to %d", ref.Decimals), "max difference", "agrees"},
			[]bool{false, false, false, true, false}, rr)
	}
}

// jacobian writes a Jacobian's section: the value, and for each matrix M
// the Jacobian ∂out/∂M, one row per output element and one column per
// element of M, exact beside numeric when small enough to print.
func jacobian(b *bytes.Buffer, j *diff.Jacobian, file spec.Settings) {
	fmt.Fprintf(b, "## %s = %s\n\n", j.Name, "`"+j.Src+"`")
	settingsLine(b, j.Settings, file)
	r, c := j.Value.Dims()
	fmt.Fprintf(b, "%s is %d×%d. Exact Jacobian by reverse-mode automatic differentiation, one backward pass per output element "+
		"(the gradient arriving at %s is 1 at that element and 0 elsewhere). Checked numerically: %s.\n\n", j.Name, r, c, j.Name, j.Check)
	matrixTable(b, j.Name, j.Value, func(i, k int) string { return fmtNum(j.Value.At(i, k)) })
	for _, blk := range j.Wrt {
		mr, mc := blk.Input.Dims()
		d := fmt.Sprintf("∂%s/∂%s", j.Name, blk.Name)
		fmt.Fprintf(b, "### %s (%d×%d: a row per element of %s, a column per element of %s)\n\n", d, r*c, mr*mc, j.Name, blk.Name)
		var bad []string
		for _, e := range blk.Entries {
			if e.Status != diff.OK {
				bad = append(bad, fmt.Sprintf("- ∂%s[%d,%d]/∂%s: %s — %s", j.Name, e.Out.I, e.Out.J, e.Wrt, e.Status, e.Note))
			}
		}
		if Large(blk.Exact) {
			norm, maxAbs := diff.NormMax(blk.Exact)
			table(b, []string{"", "value"}, []bool{false, true}, [][]string{
				{"shape", fmt.Sprintf("%d×%d", r*c, mr*mc)}, {"‖" + d + "‖ (Frobenius)", fmtNum(norm)}, {"max |" + d + "|", fmtNum(maxAbs)},
				{"entries checked", fmt.Sprintf("%d (every row is in the CSV report)", len(blk.Entries))}})
		} else {
			numeric := mat.NewDense(r*c, mr*mc, nil)
			for _, e := range blk.Entries {
				numeric.Set(e.Out.I*c+e.Out.J, e.In.I*mc+e.In.J, e.Numeric)
			}
			matrixTable(b, d+" exact", blk.Exact, func(i, k int) string { return fmtNum(blk.Exact.At(i, k)) })
			if method.Get(j.Settings.Method).Numeric() {
				matrixTable(b, "abs error", blk.Exact, func(i, k int) string { return fmtErr(math.Abs(numeric.At(i, k) - blk.Exact.At(i, k))) })
			}
		}
		if len(bad) > 0 {
			b.WriteString(strings.Join(bad, "\n") + "\n\n")
		}
	}
}

// secondGradient writes a gradient's second derivatives (order 2): how
// they were taken, and the rows (the worst MaxShownHessianRows when there
// are more; every row is in the CSV).
func secondGradient(b *bytes.Buffer, g *diff.Gradient) {
	fmt.Fprintf(b, "### Second derivatives of %s\n\n", g.Name)
	fmt.Fprintf(b, "Order 2: %s. Each is the derivative of the exact (reverse-mode) gradient, by Richardson extrapolation of its central differences, "+
		"checked against second differences of %s itself, Richardson-extrapolated from h = %g.\n\n", g.SecondCheck, g.Name, g.Settings.Step)
	rows := g.Second
	if len(rows) > MaxShownHessianRows {
		rows = append([]diff.Derivative(nil), rows...)
		sort.SliceStable(rows, func(i, j int) bool { return badness(rows[i].AbsErr) > badness(rows[j].AbsErr) })
		rows = rows[:MaxShownHessianRows]
		fmt.Fprintf(b, "%d second derivatives (every one is in the CSV report); the %d with the largest errors:\n\n", len(g.Second), len(rows))
	}
	var tr [][]string
	for _, d := range rows {
		u, v, ok := strings.Cut(d.Wrt, "],") // "A[i,j],B[k,l]"
		if ok {
			u += "]"
		} else {
			u, v, _ = strings.Cut(d.Wrt, ",") // "direction k,direction k"
		}
		tr = append(tr, []string{"∂²" + g.Name + "/∂" + u + "∂" + v, fmtNum(d.Exact), fmtNum(d.Numeric), fmtErr(d.AbsErr), string(d.Status)})
	}
	table(b, []string{"derivative", "exact", "numeric", "abs error", "status"}, []bool{false, true, true, true, false}, tr)
}

// MaxShownHessianRows is how many second derivatives of a gradient the
// Markdown lists.
const MaxShownHessianRows = 36
