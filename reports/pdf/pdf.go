// Package pdf renders an assessment snapshot as the audit-ready PDF risk analysis: cover,
// contents, executive summary, scope and method, inventory, shared responsibility,
// vendors, findings, decisions, encryption, Part 2, risks, evidence, audit trail and
// sign-off.
//
// Output is deterministic: the same snapshot and options give byte-identical files. The
// dates in the document come from the snapshot, the producer string is fixed, fonts are
// embedded from the Go font family, and nothing is laid out in map order.
package pdf

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/go-pdf/fpdf"

	"safeguard/assessment"
)

// Options change what the report contains and let a caller follow its progress.
type Options struct {
	// AttachEvidence embeds every evidence item's content as a PDF attachment, linked from
	// its row in the evidence index. Evidence must then be set.
	AttachEvidence bool
	// Evidence writes the content of the evidence item with the given SHA-256 to w. The
	// report checks the content against the hash. An error wrapping fs.ErrNotExist (as
	// store.ErrNotFound does) means "not in this vault": the item is listed, not attached.
	Evidence func(sha string, w io.Writer) error
	// Progress, when set, is called with work done out of the total, monotonically, ending
	// with done == total. It is called from the rendering goroutine.
	Progress func(done, total int)
	// MaxAttachmentBytes bounds the evidence embedded in one report (0 means
	// DefaultMaxAttachmentBytes), because the whole PDF is built in memory.
	MaxAttachmentBytes int64
	// Font is a TrueType font added for scripts the embedded Liberation fonts lack (CJK,
	// Arabic, Hebrew, Thai, …): strings that need it are set in it (see fonts.go).
	Font []byte
	// Undrawable, when set, is called once the report is laid out with the characters no
	// font of the report could draw (sorted; none: not called). The report prints each as
	// its code point in brackets, "[U+65E5]", where it occurs.
	Undrawable func(chars []rune)

	uncompressed bool // tests: leave page content readable
	fpdfCompress bool // tests: let fpdf compress the pages itself (see compress.go)
}

// DefaultMaxAttachmentBytes is the most evidence content one report embeds by default.
const DefaultMaxAttachmentBytes = 256 << 20

// Producer is the fixed producer string written into every report's metadata.
const Producer = "safeguard report writer (go-pdf/fpdf)"

// Render writes the report for a snapshot and returns the PDF bytes.
func Render(s *assessment.Snapshot, opt Options) ([]byte, error) {
	b, _, err := render(s, opt)
	return b, err
}

// render is Render that also returns the laid-out document, for tests.
func render(s *assessment.Snapshot, opt Options) ([]byte, *doc, error) {
	if s == nil || s.Catalog == nil {
		return nil, nil, errors.New("the report needs an assessment snapshot loaded with its catalog")
	}
	if opt.AttachEvidence && opt.Evidence == nil {
		return nil, nil, errors.New("evidence contents are not available here, so they cannot be attached; run the report without --attach-evidence")
	}
	d, err := newDoc(s, opt)
	if err != nil {
		return nil, nil, err
	}
	if opt.AttachEvidence {
		if err := d.loadAttachments(); err != nil {
			return nil, d, err
		}
	}
	d.render()
	if d.lastErr != nil {
		return nil, d, d.lastErr
	}
	if err := d.f.Error(); err != nil {
		return nil, d, fmt.Errorf("the PDF could not be laid out (%v); this is a bug in safeguard, please report it", err)
	}
	// The layout is done: the model (with its Analysis) can go before fpdf writes the file,
	// the moment memory peaks (the caller still holds the snapshot).
	d.m = nil
	pdf, err := d.output()
	if err != nil {
		return nil, d, err
	}
	out, err := d.update(pdf)
	if err != nil {
		return nil, d, err
	}
	d.prog.finish()
	if opt.Undrawable != nil && len(d.g.missing) > 0 {
		opt.Undrawable(slices.Clone(d.g.missing))
	}
	return out, d, nil
}

// Write renders the report for a snapshot to w.
func Write(w io.Writer, s *assessment.Snapshot, opt Options) error {
	b, err := Render(s, opt)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Page geometry in millimetres: US Letter portrait.
const (
	pageW    = 215.9
	pageH    = 279.4
	marginL  = 19.0
	marginR  = 19.0
	marginT  = 24.0
	marginB  = 22.0
	contentW = pageW - marginL - marginR
	bottomY  = pageH - marginB
	cellPad  = 1.6 // horizontal padding inside table cells
	ptToMM   = 25.4 / 72
)

// rgb is a color.
type rgb struct{ r, g, b int }

// The palette: a navy accent, neutral inks and rules, and tints for statuses, owners and
// risk levels that stay readable in greyscale print.
var (
	colInk      = rgb{33, 37, 41}
	colMuted    = rgb{100, 108, 116}
	colAccent   = rgb{22, 54, 92}
	colAccent2  = rgb{52, 101, 164}
	colRule     = rgb{196, 202, 208}
	colFaint    = rgb{242, 244, 246}
	colHeadFill = rgb{22, 54, 92}
	colWhite    = rgb{255, 255, 255}
	colWarn     = rgb{163, 38, 38}
	colWarnFill = rgb{251, 228, 226}
	colOKFill   = rgb{222, 239, 220}
	colAmber    = rgb{253, 239, 200}
	colTrack    = rgb{229, 233, 237}
)

// doc is one report being laid out.
type doc struct {
	f    *fpdf.Fpdf
	m    *model
	s    *assessment.Snapshot
	opt  Options
	prog progress
	g    *glyphs

	// the font text is measured and drawn in next (font); fpdf gets it when text is drawn
	style string
	size  float64
	// inEffect is the font fpdf last wrote on the current page (useFont)
	inEffect fontState
	// colorsKnown says the colors and line width fpdf remembers are the page's (setPage;
	// the memo leaves it false and writes every color); wantFill is the fill color the
	// drawing asked for (inkText lends the fill color to text).
	colorsKnown bool
	wantFill    rgb

	final    bool
	num      map[string]string // section key → number ("1", "A")
	title    map[string]string // section key → title
	toc      []tocEntry
	tocPlan  int // entries the contents pages were sized for
	tocFirst int // first contents page
	tocPages int

	// head is the latest section or subsection title, which a table broken by a page
	// repeats above its header on the next page.
	head string

	// pending are headings waiting to be drawn with the first content below them, so a
	// heading never sits alone at the foot of a page (see heading2 and room).
	pending  []func()
	pendingH float64

	warnings []string // layout problems found while rendering, for tests
	marks    []int    // outline levels, in the order the bookmarks were added

	attached []attachment   // evidence contents to embed, by SHA-256 order of first use
	bySHA    map[string]int // SHA-256 → index in attached
	annots   []annotation   // where each attachment is linked from
	lastErr  error
}

type tocEntry struct {
	level int
	num   string
	title string
	page  int
	y     float64 // where the entry's heading starts on its page, in millimetres
}

func newDoc(s *assessment.Snapshot, opt Options) (*doc, error) {
	g, err := newGlyphs(opt.Font)
	if err != nil {
		return nil, err
	}
	m := newModel(s)
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "Letter"})
	f.SetCompression(opt.fpdfCompress) // compressStreams compresses the pages after
	f.SetCatalogSort(true)
	f.SetCreationDate(m.Generated)
	f.SetModificationDate(m.Generated)
	f.SetProducer(Producer, true)
	f.SetCreator("safeguard", true)
	title := cleanLine(s.Assessment.Title)
	if title == "" {
		title = "HIPAA Security Rule risk analysis"
	}
	f.SetTitle(title+" — "+cleanLine(s.Assessment.Organization), true)
	author := cleanLine(strings.Join(s.Profile.Assessors, ", "))
	if author == "" {
		author = cleanLine(s.Assessment.Organization)
	}
	f.SetAuthor(author, true)
	f.SetSubject("HIPAA Security Rule risk analysis (45 CFR §164.308(a)(1)(ii)(A)) of "+cleanLine(s.Assessment.Organization), true)
	keywords := "HIPAA, Security Rule, risk analysis, risk management, 45 CFR 164, NIST SP 800-66r2, NIST SP 800-30, ePHI"
	if a := s.Audit.Seal; a.Seq > 0 {
		// The anchor in plain ASCII, for `safeguard verify --anchor FILE.pdf`.
		keywords += fmt.Sprintf(", safeguard-anchor:%s:%d:%s", a.Workspace, a.Seq, a.Head)
	}
	f.SetKeywords(keywords, false)
	f.SetLang("en-US")
	f.SetMargins(marginL, marginT, marginR)
	f.SetAutoPageBreak(true, marginB)
	f.SetCellMargin(cellPad)
	f.SetDisplayMode("fullwidth", "continuous")
	start := startFonts(f, opt.Font)
	d := &doc{f: f, m: m, s: s, opt: opt, g: g, final: s.Assessment.Status == assessment.StatusFinal, bySHA: map[string]int{}, colorsKnown: true, inEffect: start}
	d.planSections()
	d.prog = newProgress(opt.Progress, d.workUnits())
	return d, nil
}

// unverified reports whether the workspace failed its check before this report: the
// report then says so on the cover, in every page header and in the summary.
func (d *doc) unverified() bool { return len(d.s.Audit.Problems) > 0 }

// render lays out every page.
func (d *doc) render() {
	d.cover()
	d.reserveContents()
	d.executiveSummary()
	d.scope()
	d.method()
	d.review()
	d.profile()
	d.inventory()
	d.responsibility()
	d.vendors()
	d.findings()
	d.decisions()
	d.encryption()
	if d.m.Part2 {
		d.part2()
	}
	d.riskRegister()
	d.traceability()
	d.riskPlan()
	d.incidents()
	d.evidenceIndex()
	d.auditTrail()
	d.signOff()
	d.openItems()
	d.glossary()
	d.drawContents()
	d.decorate()
}

// Section keys, in report order, with their titles.
const (
	secSummary   = "summary"
	secScope     = "scope"
	secMethod    = "method"
	secReview    = "review"
	secProfile   = "profile"
	secInventory = "inventory"
	secResp      = "responsibility"
	secVendors   = "vendors"
	secFindings  = "findings"
	secDecisions = "decisions"
	secEncrypt   = "encryption"
	secPart2     = "part2"
	secRegister  = "register"
	secTrace     = "traceability"
	secPlan      = "plan"
	secIncidents = "incidents"
	secEvidence  = "evidence"
	secAudit     = "audit"
	secSignOff   = "signoff"
	secOpen      = "open-items"
	secGlossary  = "glossary"
)

// sections are the report's sections in order; appendices are lettered.
var sections = []struct {
	key, title string
	appendix   bool
}{
	{secSummary, "Executive summary", false},
	{secScope, "Scope of the analysis", false},
	{secMethod, "Method, data collection and risk scales", false},
	{secReview, "Periodic review", false},
	{secProfile, "Organization profile", false},
	{secInventory, "Asset inventory and data flows", false},
	{secResp, "Shared-responsibility matrix", false},
	{secVendors, "Vendors, BAAs and attestations", false},
	{secFindings, "Findings by safeguard", false},
	{secDecisions, "Addressable specification decisions", false},
	{secEncrypt, "Encryption and breach safe harbor", false},
	{secPart2, "42 CFR Part 2 records", false},
	{secRegister, "Risk register", false},
	{secTrace, "Gap-to-risk traceability", false},
	{secPlan, "Risk management plan", false},
	{secIncidents, "Incidents and breach decisions", false},
	{secEvidence, "Evidence index", false},
	{secAudit, "Audit trail and integrity", false},
	{secSignOff, "Sign-off", false},
	{secOpen, "Open items", true},
	{secGlossary, "Glossary and abbreviations", true},
}

// SectionTitles lists the titles of the report's sections and appendices in order; the
// Part 2 section appears only for assessments with 42 CFR Part 2 records.
func SectionTitles(part2 bool) []string {
	var out []string
	for _, s := range sections {
		if s.key == secPart2 && !part2 {
			continue
		}
		out = append(out, s.title)
	}
	return out
}

// planSections numbers the sections this report has: 1, 2, … and appendices A, B.
func (d *doc) planSections() {
	d.num = map[string]string{}
	d.title = map[string]string{}
	n, a := 0, 0
	for _, s := range sections {
		if s.key == secPart2 && !d.m.Part2 {
			continue
		}
		if s.appendix {
			d.num[s.key] = string(rune('A' + a))
			a++
		} else {
			n++
			d.num[s.key] = fmt.Sprintf("%d", n)
		}
		d.title[s.key] = s.title
	}
}

// tocEntries is the number of contents lines: the sections and the safeguards.
func (d *doc) tocEntries() int { return len(d.num) + len(d.m.groups) }

// ref is "section N" or "appendix A" for a section key.
func (d *doc) ref(key string) string {
	n := d.num[key]
	if n != "" && n[0] >= 'A' && n[0] <= 'Z' {
		return "appendix " + n
	}
	return "section " + n
}

// ---- progress ----

// progress reports work done to the caller's callback, at most once per percent.
type progress struct {
	fn          func(done, total int)
	done, total int
	last        int
}

func newProgress(fn func(int, int), total int) progress {
	return progress{fn: fn, total: max(total, 1), last: -1}
}

func (p *progress) step(n int) {
	if p.fn == nil {
		return
	}
	p.done = min(p.done+n, p.total-1) // the last unit is the finished file
	if pc := p.done * 100 / p.total; pc != p.last {
		p.last = pc
		p.fn(p.done, p.total)
	}
}

func (p *progress) finish() {
	if p.fn == nil {
		return
	}
	p.done = p.total
	p.fn(p.total, p.total)
}

// workUnits estimates the work: a unit per section, item, risk row and evidence item,
// and a tenth more for writing the file.
func (d *doc) workUnits() int {
	n := 25 + len(d.m.Items) + 3*len(d.m.Risks) + len(d.m.Evidence) + len(d.m.Gaps)
	return n + n/10 + 1
}

// ---- drawing primitives ----

// font sets the style ("", "B", "I", "BI", or "M" for monospaced) and size in points for
// the text measured and drawn next. It writes nothing: the font is set in fpdf when text
// is drawn (applyFont), so a font used only to measure never reaches the page.
func (d *doc) font(style string, size float64) {
	d.style, d.size = style, size
}

// applyFont sets the current font in fpdf before text is drawn in it.
func (d *doc) applyFont() {
	if d.style == "M" {
		d.useFont(famMono, "", d.size)
		return
	}
	d.useFont(famSans, d.style, d.size)
}

// fontState is a font as fpdf last wrote it into the current page's content.
type fontState struct {
	family, style string
	size          float64
}

// useFont selects a font in fpdf unless it is the one already in effect. fpdf (v0.9)
// writes a font operator for every SetFont call, even for the font in effect; in a
// table-heavy report those repeats were over a third of every page's content, held in
// memory until the file is written. fpdf carries the font over to each new page itself,
// so only going back to an earlier page (setPage) makes the page's font unknown.
func (d *doc) useFont(family, style string, size float64) {
	want := fontState{family, style, size}
	if d.inEffect == want {
		return
	}
	d.f.SetFont(family, style, size)
	d.inEffect = want
}

// styleInEffect is the doc style of the font fpdf last set ("" when it is the added font).
func (d *doc) styleInEffect() string {
	if d.inEffect.family == famMono {
		return "M"
	}
	if d.inEffect.family == famSans {
		return d.inEffect.style
	}
	return ""
}

// setPage goes to page p to draw on it. The page's content may end in another font and
// other colors than fpdf last recorded, so the next font is written whatever it is, and
// the fill and draw colors and the line width are written again now.
func (d *doc) setPage(p int) {
	d.f.SetPage(p)
	d.inEffect = fontState{}
	d.colorsKnown = false
	d.fillColor(colWhite)
	d.drawColor(colRule)
	d.lineWidth(0.2)
	d.colorsKnown = true
}

// useExtra sets the added font, in the current style and size, when s needs it (fonts.go),
// and reports whether it did.
func (d *doc) useExtra(s string) bool {
	if !d.g.needsExtra(s) {
		return false
	}
	st := d.style
	if st == "M" {
		st = ""
	}
	d.useFont(famFallback, st, d.size)
	return true
}

// draw runs fn, which draws s, with fpdf set to the font s is drawn in: the current one,
// or the added one when s needs it.
func (d *doc) draw(s string, fn func()) {
	if !d.useExtra(s) {
		d.applyFont()
	}
	fn()
}

// cell draws one line of text in a box, in the current font (or the added one).
func (d *doc) cell(w, h float64, s, border string, ln int, align string) {
	if s != "" {
		d.inkText()
	}
	d.text(w, h, s, border, ln, align)
}

// text draws one line of text in a box in the current text color, which fpdf sets around
// the text when it is not the fill color.
func (d *doc) text(w, h float64, s, border string, ln int, align string) {
	d.draw(s, func() { d.f.CellFormat(w, h, s, border, ln, align, false, 0, "") })
}

// width is the width of s in the current font (or the added one), in millimetres.
func (d *doc) width(s string) float64 {
	return d.measurer(s)(s)
}

// measurer measures strings in the font text is drawn in: the embedded face of the current
// style, from its widths (fonts.go), or the added font through fpdf when text needs it.
// It computes what fpdf's GetStringWidth would, to the last bit.
func (d *doc) measurer(text string) func(string) float64 {
	if d.useExtra(text) {
		return d.f.GetStringWidth
	}
	a, size := widthsOf(d.style), d.size/d.f.GetConversionRatio()
	return func(s string) float64 { return float64(a.symbols(s)) * size / 1000 }
}

func (d *doc) clean(s string) string     { return d.g.clean(s) }
func (d *doc) cleanLine(s string) string { return d.g.cleanLine(s) }

func (d *doc) textColor(c rgb) { d.f.SetTextColor(c.r, c.g, c.b) }

// fillColor sets the color the next fills use (rect). Like fonts, fpdf writes a color
// operator on every call; it is written here only when the color changes.
func (d *doc) fillColor(c rgb) {
	d.wantFill = c
	if d.colorsKnown && d.fill() == c {
		return
	}
	d.f.SetFillColor(c.r, c.g, c.b)
}

func (d *doc) drawColor(c rgb) {
	if r, g, b := d.f.GetDrawColor(); d.colorsKnown && (rgb{r, g, b}) == c {
		return
	}
	d.f.SetDrawColor(c.r, c.g, c.b)
}

// lineWidth sets the width of the lines drawn next, written only when it changes.
func (d *doc) lineWidth(w float64) {
	if d.colorsKnown && d.f.GetLineWidth() == w {
		return
	}
	d.f.SetLineWidth(w)
}

// fill is the fill color fpdf last wrote.
func (d *doc) fill() rgb {
	r, g, b := d.f.GetFillColor()
	return rgb{r, g, b}
}

// rect draws a rectangle ("F" filled, "D" outlined, "FD" both) in the colors last set.
func (d *doc) rect(x, y, w, h float64, style string) {
	d.restoreFill()
	d.f.Rect(x, y, w, h, style)
}

// restoreFill writes the fill color back before a fill, where inkText lent it to text.
func (d *doc) restoreFill() {
	if d.fill() != d.wantFill {
		d.f.SetFillColor(d.wantFill.r, d.wantFill.g, d.wantFill.b)
	}
}

// inkText makes the text color the fill color before a line of text is drawn. fpdf draws
// text in the fill color, and when the two differ it wraps every cell in "q <color> …
// Q"; in a table of one color that repeated the color on every cell (a sixth of a large
// report's page content, held in memory until the file is written). The fill color the
// drawing asked for is written back before the next fill (rect).
func (d *doc) inkText() {
	if r, g, b := d.f.GetTextColor(); d.fill() != (rgb{r, g, b}) {
		d.f.SetFillColor(r, g, b)
	}
}

// lineH is the leading for a font size in points, in millimetres.
func lineH(size float64) float64 { return size * ptToMM * 1.3 }

func (d *doc) y() float64 { return d.f.GetY() }

// newPage starts a page; the header and footer are drawn at the end, when the page
// count is known.
func (d *doc) newPage() {
	d.f.AddPage()
	d.f.SetXY(marginL, marginT)
}

// ensure starts a new page unless h millimetres fit above the bottom margin. It reports
// whether it did.
func (d *doc) ensure(h float64) bool {
	if d.y()+h > bottomY {
		d.newPage()
		return true
	}
	return false
}

// room makes room for h millimetres of content together with the headings waiting above
// it, starting a new page when they do not all fit, then draws those headings. Every
// drawing of content calls it first, so a heading is always followed by content on its
// page.
func (d *doc) room(h float64) {
	if len(d.pending) == 0 {
		d.ensure(h)
		return
	}
	if d.y()+d.pendingH+h > bottomY && d.y() > marginT+0.01 {
		d.newPage()
	}
	pend := d.pending
	d.pending, d.pendingH = nil, 0
	for _, p := range pend {
		p()
	}
}

// gap moves down by h unless at the top of a page.
func (d *doc) gap(h float64) {
	if d.y() <= marginT+0.01 {
		return
	}
	if d.y()+h > bottomY {
		d.newPage()
		return
	}
	d.f.SetY(d.y() + h)
}

// lines wraps text to width w (cell padding included) in the current font, breaking only
// at spaces and after hyphens and slashes; a word wider than the whole width is broken
// with a hyphen at the end of each piece, never silently. Explicit line breaks are kept.
func (d *doc) lines(text string, w float64) []string {
	if text == "" {
		return []string{""}
	}
	out := d.wrap(text, w-2*cellPad, d.measurer(text))
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

// wrap is lines with widths measured by width.
func (d *doc) wrap(text string, w float64, width func(string) float64) []string {
	var out []string
	sp := width(" ")
	for _, para := range strings.Split(text, "\n") {
		var cur strings.Builder
		curW := 0.0
		for _, word := range words(para, w, width) {
			for i, piece := range pieces(word, w, width) {
				pw := width(piece)
				space := i == 0 && cur.Len() > 0
				add := pw
				if space {
					add += sp
				}
				if cur.Len() > 0 && curW+add > w {
					out = append(out, cur.String())
					cur.Reset()
					curW, add, space = 0, pw, false
				}
				if space {
					cur.WriteByte(' ')
				}
				cur.WriteString(piece)
				curW += add
			}
		}
		out = append(out, cur.String())
	}
	return out
}

// words splits a paragraph at its spaces, except that a document date ("Nov 8, 2026") stays
// one word, so a narrow column never breaks it, unless it is wider than w.
func words(para string, w float64, width func(string) float64) []string {
	fs := strings.Fields(para)
	out := fs[:0:0]
	for i := 0; i < len(fs); i++ {
		if i+2 < len(fs) && isDateStart(fs[i], fs[i+1], fs[i+2]) {
			if date := fs[i] + " " + fs[i+1] + " " + fs[i+2]; w <= 0 || width(date) <= w {
				out = append(out, date)
				i += 2
				continue
			}
		}
		out = append(out, fs[i])
	}
	return out
}

// isDateStart reports whether three words are a date as assessment.DocDay writes it:
// "Nov", "8," and "2026" (with any punctuation after the year).
func isDateStart(mon, day, year string) bool {
	if !slices.Contains(monthAbbrev, mon) || len(day) < 2 || len(day) > 3 || day[len(day)-1] != ',' {
		return false
	}
	for _, c := range day[:len(day)-1] {
		if c < '0' || c > '9' {
			return false
		}
	}
	if len(year) < 4 {
		return false
	}
	for _, c := range year[:4] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

var monthAbbrev = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// pieces splits a word at its own break points (after "-" and "/") into pieces that fit w
// where it can, and breaks a piece wider than w with a hyphen.
func pieces(word string, w float64, width func(string) float64) []string {
	if width(word) <= w {
		return splitAfter(word)
	}
	var out []string
	for _, p := range splitAfter(word) {
		for width(p) > w {
			r := []rune(p)
			hy := width("-")
			n := 1
			for n < len(r) && width(string(r[:n+1]))+hy <= w {
				n++
			}
			out = append(out, string(r[:n])+"-")
			p = string(r[n:])
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// splitAfter splits a word after each "-" or "/" between two letters: the places a
// compound ("Organization-wide", "and/or") may be broken without adding a hyphen. Numbers
// and codes ("1-800-555-0100", "2026-12-06") are not split there.
func splitAfter(word string) []string {
	var out []string
	start := 0
	letter := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 }
	for i := 1; i < len(word)-1; i++ {
		if (word[i] == '-' || word[i] == '/') && letter(word[i-1]) && letter(word[i+1]) {
			out = append(out, word[start:i+1])
			start = i + 1
		}
	}
	return append(out, word[start:])
}

// para writes wrapped text across the content width, breaking pages between lines.
func (d *doc) para(text string, style string, size float64, c rgb) {
	d.paraAt(marginL, contentW, text, style, size, c)
}

func (d *doc) paraAt(x, w float64, text string, style string, size float64, c rgb) {
	d.font(style, size)
	lh := lineH(size)
	ls := d.lines(d.clean(text), w)
	// keep two lines together at a page foot, and the last two at the next page's head
	d.room(lh * float64(min(len(ls), 2)))
	for i, ln := range ls {
		if i > 0 && len(ls)-i == 2 && d.y()+2*lh > bottomY {
			d.newPage()
		}
		d.ensure(lh)
		d.font(style, size)
		d.textColor(c)
		d.f.SetXY(x, d.y())
		d.cell(w, lh, ln, "", 1, "L")
	}
}

// body writes a paragraph of body text followed by a small gap.
func (d *doc) body(text string) {
	d.para(text, "", 9.5, colInk)
	d.f.SetY(d.y() + 1.8)
}

// leadIn writes a body paragraph that introduces what follows it (it ends with a colon),
// kept on one page with the first keep millimetres of that content.
func (d *doc) leadIn(text string, keep float64) {
	d.font("", 9.5)
	h := lineH(9.5)*float64(len(d.lines(d.clean(text), contentW))) + keep
	d.room(min(h, (bottomY-marginT)/2))
	d.body(text)
}

// small writes a paragraph of muted small print.
func (d *doc) small(text string) {
	d.para(text, "I", 8, colMuted)
	d.f.SetY(d.y() + 1.2)
}

// warnBox writes text in a tinted box with a bar, for what a reader must not miss.
func (d *doc) warnBox(text string) {
	d.font("B", 9.5)
	ls := d.lines(d.clean(text), contentW-6)
	lh := lineH(9.5)
	h := float64(len(ls))*lh + 4
	d.room(h + 2)
	d.font("B", 9.5) // drawing the headings above may have changed it
	y := d.y()
	d.fillColor(colWarnFill)
	d.rect(marginL, y, contentW, h, "F")
	d.fillColor(colWarn)
	d.rect(marginL, y, 1.5, h, "F")
	d.textColor(colWarn)
	for i, ln := range ls {
		d.f.SetXY(marginL+4, y+2+float64(i)*lh)
		d.cell(contentW-6, lh, ln, "", 0, "L")
	}
	d.f.SetXY(marginL, y+h+3)
}

// bullets writes a list with hanging indents. A list broken by a page carries its heading
// on the next page, marked "(continued)".
func (d *doc) bullets(items []string, size float64) {
	d.bulletsCont("", items, size)
}

func (d *doc) bulletsCont(heading string, items []string, size float64) {
	lh := lineH(size)
	for _, it := range items {
		d.font("", size)
		ls := d.lines(d.clean(it), contentW-4)
		d.room(lh * float64(min(len(ls), 2)))
		if d.y() <= marginT+0.01 && heading != "" {
			d.continued(heading)
		}
		d.font("", size)
		d.textColor(colAccent2)
		d.f.SetXY(marginL, d.y())
		d.text(5, lh, "•", "", 0, "L")
		for i, ln := range ls {
			if i > 0 && d.ensure(lh) && heading != "" {
				d.continued(heading)
			}
			d.font("", size)
			d.textColor(colInk)
			d.f.SetXY(marginL+4, d.y())
			d.cell(contentW-4, lh, ln, "", 1, "L")
		}
		d.f.SetY(d.y() + 0.8)
	}
	d.f.SetY(d.y() + 1)
}

// continued writes a heading again at the top of a page, marked "(continued)".
func (d *doc) continued(heading string) {
	d.font("B", 9.5)
	d.textColor(colMuted)
	for _, ln := range d.lines(d.cleanLine(heading)+" (continued)", contentW) {
		d.f.SetXY(marginL, d.y())
		d.cell(contentW, lineH(9.5), ln, "", 1, "L")
	}
	d.f.SetY(d.y() + 1)
}

// ---- headings and the contents ----

// startSection begins a numbered top-level section on a new page, with its bookmark and
// contents entry.
func (d *doc) startSection(key string) {
	d.pending, d.pendingH = nil, 0
	d.newPage()
	title := d.title[key]
	num := d.num[key]
	label := num + "  " + title
	if d.ref(key)[0] == 'a' {
		label = "Appendix " + num + "  " + title
	}
	d.mark(0, num, title)
	d.head = title
	d.font("B", 18)
	d.textColor(colAccent)
	d.f.SetXY(marginL, d.y())
	d.cell(contentW, 9, d.cleanLine(label), "", 1, "L")
	d.drawColor(colAccent)
	d.lineWidth(0.5)
	d.f.Line(marginL, d.y()+0.5, marginL+contentW, d.y()+0.5)
	d.lineWidth(0.2)
	d.f.SetY(d.y() + 5)
	if d.unverified() {
		d.small("Integrity check failed: see the banner on the cover and " + d.ref(secAudit) + ". Records changed outside safeguard are marked where they are printed.")
	}
	d.prog.step(1)
}

// mark records a contents entry and bookmark at the current position.
func (d *doc) mark(level int, num, title string) {
	d.toc = append(d.toc, tocEntry{level: level, num: num, title: title, page: d.f.PageNo(), y: d.y()})
	bm := title
	if num != "" {
		bm = num + " " + title
	}
	d.bookmark(cleanLine(bm), level, -1)
}

// heading2 is a subsection title. It is drawn with the first content below it (room), so
// it never sits alone at a page foot; keep is how much of that content should fit with it.
func (d *doc) heading2(title string, keep float64) {
	d.head = title
	d.queueHeading(8+min(keep, 40), func() {
		d.gap(3)
		d.font("B", 12.5)
		d.textColor(colAccent)
		for _, ln := range d.lines(d.cleanLine(title), contentW) {
			d.f.SetXY(marginL, d.y())
			d.cell(contentW, 7, ln, "", 1, "L")
		}
		d.f.SetY(d.y() + 1)
	})
}

// heading3 is a minor title, drawn with what follows (see heading2).
func (d *doc) heading3(title string, keep float64) { d.heading3Sub(title, "", keep) }

// heading3Sub is heading3 with a line of small print under the title (counts, say), kept
// with it and with what follows.
func (d *doc) heading3Sub(title, sub string, keep float64) {
	d.head = title
	h := 6 + min(keep, 30)
	if sub != "" {
		h += 2 * lineH(7.5)
	}
	d.queueHeading(h, func() {
		d.gap(1.5)
		d.font("B", 10)
		d.textColor(colInk)
		for _, ln := range d.lines(d.cleanLine(title), contentW) {
			d.f.SetXY(marginL, d.y())
			d.cell(contentW, 5.2, ln, "", 1, "L")
		}
		if sub != "" {
			d.font("", 7.5)
			d.textColor(colMuted)
			for _, ln := range d.lines(d.cleanLine(sub), contentW) {
				d.f.SetXY(marginL, d.y())
				d.cell(contentW, lineH(7.5), ln, "", 1, "L")
			}
		}
		d.f.SetY(d.y() + 0.6)
	})
}

// queueHeading waits to draw a heading until the content below it is drawn (room).
func (d *doc) queueHeading(h float64, draw func()) {
	d.pending = append(d.pending, draw)
	d.pendingH += h
}

// contentsPerPage is how many contents lines fit on a contents page.
const (
	tocLineH       = 7.2
	tocTop         = marginT + 20
	contentsPerPge = 29 // (bottomY - tocTop) / tocLineH, rounded down
)

// reserveContents adds the blank contents pages; drawContents fills them once every
// section's page is known.
func (d *doc) reserveContents() {
	d.tocPlan = d.tocEntries()
	d.tocPages = max(1, (d.tocPlan+contentsPerPge-1)/contentsPerPge)
	d.newPage()
	d.tocFirst = d.f.PageNo()
	d.bookmark("Contents", 0, -1)
	for i := 1; i < d.tocPages; i++ {
		d.newPage()
	}
}

func (d *doc) drawContents() {
	last := d.f.PageNo()
	if len(d.toc) > d.tocPages*contentsPerPge {
		d.lastErr = fmt.Errorf("contents overflow: %d entries for %d pages", len(d.toc), d.tocPages)
	}
	page := d.tocFirst
	d.setPage(page)
	d.font("B", 18)
	d.textColor(colAccent)
	d.f.SetXY(marginL, marginT)
	d.text(contentW, 9, "Contents", "", 1, "L")
	d.drawColor(colAccent)
	d.lineWidth(0.5)
	d.f.Line(marginL, d.y()+0.5, marginL+contentW, d.y()+0.5)
	d.lineWidth(0.2)
	y := tocTop
	for i, e := range d.toc {
		if i > 0 && i%contentsPerPge == 0 && page < d.tocFirst+d.tocPages-1 {
			page++
			d.setPage(page)
			y = marginT
		}
		x := marginL
		size, style := 11.0, "B"
		numW := 10.0
		if e.level > 0 {
			x += numW
			size, style = 9.5, ""
			numW = 11
		}
		d.font(style, size)
		d.textColor(colAccent)
		if e.level > 0 {
			d.textColor(colMuted)
		}
		d.f.SetXY(x, y)
		d.text(numW, tocLineH, e.num, "", 0, "L")
		d.textColor(colInk)
		tx := x + numW
		title := d.cleanLine(e.title)
		d.f.SetXY(tx, y)
		tw := d.width(title) + 2*cellPad
		d.cell(tw, tocLineH, title, "", 0, "L")
		pn := fmt.Sprintf("%d", e.page)
		pw := d.width(pn) + 2*cellPad
		d.f.SetXY(marginL+contentW-pw, y)
		d.text(pw, tocLineH, pn, "", 0, "R")
		// dotted leader
		d.drawColor(colRule)
		d.f.SetDashPattern([]float64{0.4, 1.2}, 0)
		ly := y + tocLineH*0.68
		if x1, x2 := tx+tw+1, marginL+contentW-pw-1; x2 > x1 {
			d.f.Line(x1, ly, x2, ly)
		}
		d.f.SetDashPattern([]float64{}, 0)
		d.linkTo(x, y, contentW-(x-marginL), tocLineH, e.page, max(e.y-2, 0))
		y += tocLineH
	}
	d.setPage(last)
}

// decorate draws every page's header and footer, now that the page count is known. A
// report made from a workspace that failed its integrity check says so in every header.
func (d *doc) decorate() {
	n := d.f.PageCount()
	org := d.cleanLine(d.s.Assessment.Organization)
	title := d.cleanLine(d.s.Assessment.Title)
	id := "Assessment " + d.cleanLine(d.s.Assessment.ID)
	for p := 1; p <= n; p++ {
		d.setPage(p)
		d.f.SetAutoPageBreak(false, 0)
		if d.unverified() {
			d.fillColor(colWarn)
			d.rect(0, 0, pageW, 7.5, "F")
			d.font("B", 8)
			d.textColor(colWhite)
			d.f.SetXY(marginL, 1.5)
			d.text(contentW, 4.5, "INTEGRITY CHECK FAILED: records were changed outside safeguard (see "+d.ref(secAudit)+")", "", 0, "C")
		}
		// header
		right := id
		d.font("", 7.5)
		rw := d.width(right)
		draftW := 0.0
		if !d.final {
			d.font("B", 7.5)
			draftW = d.width("DRAFT") + 5
		}
		d.font("B", 7.5)
		left := d.fit(org, contentW*0.45)
		if title != "" {
			left += "  ·  "
		}
		lw := d.width(left)
		d.textColor(colAccent)
		d.f.SetXY(marginL-cellPad, 10)
		d.cell(lw+2*cellPad, 5, left, "", 0, "L")
		if room := contentW - lw - rw - draftW - 6; title != "" && room > 10 {
			d.font("", 7.5)
			d.textColor(colMuted)
			d.f.SetXY(marginL+lw-cellPad, 10)
			d.cell(room+2*cellPad, 5, d.fit(title, room), "", 0, "L")
		}
		d.font("", 7.5)
		d.textColor(colMuted)
		d.f.SetXY(marginL+contentW-rw-cellPad, 10)
		d.cell(rw+2*cellPad, 5, right, "", 0, "R")
		if !d.final {
			d.font("B", 7.5)
			d.textColor(colWarn)
			d.f.SetXY(marginL+contentW-rw-draftW-cellPad, 10)
			d.text(draftW, 5, "DRAFT", "", 0, "L")
		}
		d.drawColor(colRule)
		d.lineWidth(0.25)
		d.f.Line(marginL, 15.5, marginL+contentW, 15.5)
		// footer
		fy := pageH - 15
		d.f.Line(marginL, fy, marginL+contentW, fy)
		d.font("", 7.5)
		d.textColor(colMuted)
		d.f.SetXY(marginL-cellPad, fy+1.2)
		d.text(120, 5, "Confidential — contains security-sensitive information", "", 0, "L")
		pg := fmt.Sprintf("Page %d of %d", p, n)
		pw := d.width(pg) + 2*cellPad
		d.f.SetXY(marginL+contentW-pw+cellPad, fy+1.2)
		d.text(pw, 5, pg, "", 0, "R")
	}
	d.setPage(n)
}

// bookmark adds an outline entry at the current position.
func (d *doc) bookmark(title string, level, _ int) {
	d.f.Bookmark(title, level, -1)
	d.marks = append(d.marks, level)
}

// warn records a layout problem (a word wider than its column); tests fail on them, users
// never see them.
func (d *doc) warn(format string, args ...any) {
	if len(d.warnings) < 20 {
		d.warnings = append(d.warnings, fmt.Sprintf(format, args...))
	}
}

// fit shortens text with an ellipsis to width w in the current font: only for the page
// header's organization and title, which repeat what the cover prints in full.
func (d *doc) fit(text string, w float64) string {
	if d.width(text) <= w {
		return text
	}
	r := []rune(text)
	lo, hi := 0, len(r)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.width(string(r[:mid])+"…") <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(r[:lo]), " ") + "…"
}
