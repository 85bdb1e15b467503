package pdf

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	pdfcpu "github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	pdfmodel "github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
)

func TestMain(m *testing.M) {
	api.DisableConfigDir() // pdfcpu would otherwise write a configuration folder
	os.Exit(m.Run())
}

func conf() *pdfmodel.Configuration {
	c := pdfmodel.NewDefaultConfiguration()
	c.ValidationMode = pdfmodel.ValidationStrict
	return c
}

// renderT renders and fails the test on an error or a layout warning.
func renderT(t testing.TB, s *assessment.Snapshot, opt Options) ([]byte, *doc) {
	t.Helper()
	b, d, err := render(s, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.warnings) > 0 {
		t.Errorf("layout warnings:\n%s", strings.Join(d.warnings, "\n"))
	}
	return b, d
}

// shown is how fpdf writes text with the embedded font in an uncompressed content stream:
// UTF-16BE inside a literal string with \, ( and ) escaped.
func shown(s string) []byte {
	var b bytes.Buffer
	for _, u := range utf16.Encode([]rune(s)) {
		for _, c := range []byte{byte(u >> 8), byte(u)} {
			switch c {
			case '\\', '(', ')':
				b.WriteByte('\\')
			case '\r':
				b.WriteString("\\r")
				continue
			}
			b.WriteByte(c)
		}
	}
	return b.Bytes()
}

func hasText(b []byte, s string) bool { return bytes.Contains(b, shown(s)) }

// flatten lists the bookmarks depth first with their levels.
type mark struct {
	title string
	level int
	page  int
}

func flatten(bms []pdfcpu.Bookmark, level int, out *[]mark) {
	for _, b := range bms {
		*out = append(*out, mark{b.Title, level, b.PageFrom})
		flatten(b.Kids, level+1, out)
	}
}

func outline(t *testing.T, b []byte) []mark {
	t.Helper()
	bms, err := api.Bookmarks(bytes.NewReader(b), conf())
	if err != nil {
		t.Fatalf("reading the outline: %v", err)
	}
	var out []mark
	flatten(bms, 0, &out)
	return out
}

func TestDemoReportStructure(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	b, d := demoReport.get(t)
	writeArtifact(t, "demo.pdf", b)
	if err := api.Validate(bytes.NewReader(b), conf()); err != nil {
		t.Fatalf("pdfcpu does not validate the report: %v", err)
	}
	pages, err := api.PageCount(bytes.NewReader(b), conf())
	if err != nil {
		t.Fatal(err)
	}
	if pages < 40 || pages > 400 {
		t.Errorf("the demo report has %d pages; expected between 40 and 400", pages)
	}

	marks := outline(t, b)
	byTitle := map[string]mark{}
	for _, m := range marks {
		byTitle[m.title] = m
	}
	if m, ok := byTitle["Cover"]; !ok || m.page != 1 {
		t.Errorf("outline: Cover should open page 1, got %+v", m)
	}
	if m, ok := byTitle["Contents"]; !ok || m.page != 2 {
		t.Errorf("outline: Contents should open page 2, got %+v", m)
	}
	for i, title := range SectionTitles(true) {
		num := fmt.Sprint(i + 1)
		if n := len(SectionTitles(true)); i >= n-2 {
			num = string(rune('A' + i - (n - 2)))
		}
		want := num + " " + title
		m, ok := byTitle[want]
		if !ok || m.level != 0 {
			t.Errorf("outline has no top-level entry %q", want)
		}
		if plain, _ := demoPlain.get(t); !hasText(plain, title) {
			t.Errorf("section heading %q is not in the page text", title)
		}
	}
	// every safeguard under Findings, every standard under its safeguard
	for i, sg := range s.Catalog.Safeguards {
		want := fmt.Sprintf("%s.%d %s", d.num[secFindings], i+1, sg.Title)
		if m, ok := byTitle[want]; !ok || m.level != 1 {
			t.Errorf("outline has no safeguard entry %q at level 1 (got %+v)", want, m)
		}
	}
	for _, st := range s.Catalog.Standards {
		want := "§" + st.ID + " " + st.Title
		if m, ok := byTitle[want]; !ok || m.level != 2 {
			t.Errorf("outline has no standard entry %q at level 2", want)
		}
	}
	// bookmarks and the contents agree on where each section starts
	for _, e := range d.toc {
		want := e.title
		if e.num != "" {
			want = e.num + " " + e.title
		}
		if m := byTitle[want]; m.page != e.page {
			t.Errorf("%q: outline opens page %d, contents says %d", want, m.page, e.page)
		}
	}
	if len(d.toc) != d.tocPlan {
		t.Errorf("contents has %d entries, planned %d", len(d.toc), d.tocPlan)
	}
}

func TestEveryPageHasHeaderAndFooter(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	b, d := demoPlain.get(t)
	n := d.f.PageCount()
	for _, want := range []string{
		"Confidential — contains security-sensitive information",
		"Assessment " + s.Assessment.ID,
		s.Assessment.Organization + "  ·  ",
	} {
		if got := bytes.Count(b, shown(want)); got != n {
			t.Errorf("%q appears %d times, want once on each of %d pages", want, got, n)
		}
	}
	for _, p := range []int{1, n / 2, n} {
		if want := fmt.Sprintf("Page %d of %d", p, n); !hasText(b, want) {
			t.Errorf("%q missing", want)
		}
	}
	if !hasText(b, "DRAFT") {
		t.Error("a draft report should say DRAFT")
	}
	// the characters the report relies on come through
	for _, want := range []string{"§164.308(a)(1)(ii)(A)", "5×5", "“", "•"} {
		if !hasText(b, want) {
			t.Errorf("%q is missing from the report", want)
		}
	}
}

func TestMetadata(t *testing.T) {
	t.Parallel()
	b, _ := demoPlain.get(t)
	for _, want := range []string{"/Lang (en-US)", "/CreationDate (D:20261001150405)", "/ModDate (D:20261001150405)", "/Title ", "/Author ", "/Subject ", "/Keywords ", "/Producer "} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("metadata %q missing", want)
		}
	}
	ctx, err := api.ReadContext(bytes.NewReader(b), conf())
	if err != nil {
		t.Fatal(err)
	}
	if err := api.ValidateContext(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ctx.Title, "Riverbend Family Health") || ctx.Producer != Producer || !strings.Contains(ctx.Author, "Dana Whitfield") {
		t.Errorf("metadata: title %q, producer %q, author %q", ctx.Title, ctx.Producer, ctx.Author)
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	// each pair: the package's render and one made here
	a, _ := demoAttached.get(t)
	b, _ := renderT(t, demoSnapshot(t), Options{AttachEvidence: true, Evidence: noteContents(t, nil)})
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same snapshot differ")
	}
	c, _ := demoReport.get(t)
	d, _ := renderT(t, demoSnapshot(t), Options{})
	if !bytes.Equal(c, d) {
		t.Fatal("two renders without attachments differ")
	}
}

// TestDeterministicAcrossProcesses renders in a fresh process too: nothing in the output
// may depend on state a process builds up (map seeds, shared font data, the clock).
func TestDeterministicAcrossProcesses(t *testing.T) {
	t.Parallel()
	if path := os.Getenv("SAFEGUARD_PDF_CHILD"); path != "" {
		b, _ := demoAttached.get(t)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	if testing.Short() {
		t.Skip("starts a second process")
	}
	here, _ := demoAttached.get(t)
	path := t.TempDir() + "/child.pdf"
	cmd := exec.Command(os.Args[0], "-test.run=^TestDeterministicAcrossProcesses$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SAFEGUARD_PDF_CHILD="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	there, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(here, there) {
		t.Fatal("the report differs between processes")
	}
}

func TestAttachments(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	b, d := demoAttached.get(t)
	writeArtifact(t, "demo-attached.pdf", b)
	if err := api.Validate(bytes.NewReader(b), conf()); err != nil {
		t.Fatalf("pdfcpu does not validate the report with attachments: %v", err)
	}
	aa, err := api.Attachments(bytes.NewReader(b), conf())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, a := range aa {
		names[a.FileName] = true
	}
	for _, e := range s.Evidence {
		if !names[attachmentName(e)] {
			t.Errorf("evidence %q is not attached (attachments: %v)", e.Name, names)
		}
	}
	// content round trip through pdfcpu
	raw, err := api.ExtractAttachmentsRaw(bytes.NewReader(b), "", nil, conf())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range raw {
		c, err := io.ReadAll(a.Reader)
		if err != nil {
			t.Fatal(err)
		}
		got[a.FileName] = string(c)
	}
	for _, e := range assessmenttest.DemoDocument(t).Evidence {
		if g := got[attachmentName(e.Evidence)]; g != e.NoteText {
			t.Errorf("attachment %q holds %q", e.Name, g)
		}
	}
	// each index row links its file
	links := 0
	for _, a := range d.annots {
		if a.att >= 0 {
			links++
		} else if a.page != d.tocFirst {
			t.Errorf("a document link on page %d; only the contents (page %d) has them", a.page, d.tocFirst)
		}
	}
	if links != len(s.Evidence) {
		t.Errorf("%d attachment links for %d evidence rows", links, len(s.Evidence))
	}
	if c := bytes.Count(b, []byte("/Subtype /FileAttachment")); c != len(s.Evidence) {
		t.Errorf("%d file-attachment annotations, want %d", c, len(s.Evidence))
	}
	// the outline still points at the right pages after the update
	plain, _ := demoReport.get(t)
	if !slices.Equal(outline(t, plain), outline(t, b)) {
		t.Error("attaching evidence changed the outline")
	}
	// without the option nothing is attached
	if aa, _ := api.Attachments(bytes.NewReader(plain), conf()); len(aa) != 0 {
		t.Errorf("report without --attach-evidence has %d attachments", len(aa))
	}
}

func TestAttachmentErrors(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	if _, err := Render(s, Options{AttachEvidence: true}); err == nil {
		t.Error("attaching without a content provider should fail")
	}
	tampered := func(sha string, w io.Writer) error { _, err := io.WriteString(w, "not what was hashed"); return err }
	if _, err := Render(s, Options{AttachEvidence: true, Evidence: tampered}); err == nil || !strings.Contains(err.Error(), "SHA-256") {
		t.Errorf("content that does not match its hash: %v", err)
	}
	failing := func(sha string, w io.Writer) error { return fmt.Errorf("blob missing") }
	if _, err := Render(s, Options{AttachEvidence: true, Evidence: failing}); err == nil || !strings.Contains(err.Error(), "blob missing") {
		t.Errorf("a failing provider: %v", err)
	}
	if _, err := Render(s, Options{AttachEvidence: true, Evidence: noteContents(t, nil), MaxAttachmentBytes: 500}); err == nil || !strings.Contains(err.Error(), "too much") {
		t.Errorf("over the attachment limit: %v", err)
	}
	if _, err := Render(nil, Options{}); err == nil {
		t.Error("a nil snapshot should fail")
	}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	var calls [][2]int
	_, err := Render(demoSnapshot(t), Options{AttachEvidence: true, Evidence: noteContents(t, nil),
		Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) < 10 {
		t.Fatalf("progress called %d times", len(calls))
	}
	total := calls[0][1]
	for i, c := range calls {
		if c[1] != total || c[0] < 0 || c[0] > total || (i > 0 && c[0] < calls[i-1][0]) {
			t.Fatalf("progress call %d = %v is not monotonic within total %d", i, c, total)
		}
	}
	if last := calls[len(calls)-1]; last[0] != total {
		t.Fatalf("progress ends at %v, not at 100%%", last)
	}
}

func TestFinalReport(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	s.Assessment.Status = assessment.StatusFinal
	s.SignOff = &assessment.SignOff{Name: "Dana Whitfield", Role: "Security official", Date: "2026-09-30",
		Statement: "I reviewed this analysis and accept it as the practice's risk analysis for 2026.", ChainHead: s.Audit.Head}
	b, _ := renderT(t, s, Options{uncompressed: true})
	writeArtifact(t, "final.pdf", b)
	if hasText(b, "DRAFT") {
		t.Error("a final report must not say DRAFT")
	}
	for _, want := range []string{"Final (signed off)", "I reviewed this analysis"} {
		if !hasText(b, want) {
			t.Errorf("final report lacks %q", want)
		}
	}
}

func TestThreeByThreeMatrix(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	s.Profile.Matrix = assessment.MatrixHHS3x3
	for i := range s.Risks {
		r := &s.Risks[i]
		r.Likelihood, r.Impact = s.Profile.Matrix.FromHint(r.Likelihood), s.Profile.Matrix.FromHint(r.Impact)
		r.ResidualL, r.ResidualI = s.Profile.Matrix.FromHint(r.ResidualL), s.Profile.Matrix.FromHint(r.ResidualI)
	}
	b, _ := renderT(t, s, Options{uncompressed: true})
	writeArtifact(t, "demo-3x3.pdf", b)
	for _, want := range []string{"Medium", "three-level scale"} {
		if !hasText(b, want) {
			t.Errorf("3×3 report lacks %q", want)
		}
	}
}

func TestEmptyAssessment(t *testing.T) {
	t.Parallel()
	cat := catalog(t)
	s := &assessment.Snapshot{Catalog: cat, Assessment: assessment.Assessment{ID: "empty", Title: "Empty", Organization: "Nobody Yet"}}
	b, _ := renderT(t, s, Options{uncompressed: true})
	writeArtifact(t, "empty.pdf", b)
	for _, want := range []string{"No assets are recorded", "The risk register is empty", "No evidence has been added to this assessment",
		"No vendors are recorded and no statement says that no outside party handles ePHI", "No scope statement is recorded",
		"Answers are self-reported", "No review plan is complete"} {
		if !hasText(b, want) {
			t.Errorf("empty report lacks %q", want)
		}
	}
	for _, m := range outline(t, b) {
		if strings.HasSuffix(m.title, "42 CFR Part 2 records") {
			t.Error("the Part 2 section should be left out when there are no Part 2 records")
		}
	}
	if false {
		t.Error("the Part 2 section should be left out when there are no Part 2 records")
	}
	// rendering it twice gives the same bytes even though no date was recorded
	b2, _ := renderT(t, s, Options{uncompressed: true})
	if !bytes.Equal(b, b2) {
		t.Error("an assessment without dates renders differently each time")
	}
}

// TestHostileText feeds text that could break layout or encoding: control characters,
// characters the font lacks, unbroken long words and a note at the length limit.
func TestHostileText(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	long := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 180)[:assessment.MaxTextLen-12] + " ENDOFNOTE"
	s.Responses[0].Note = long
	s.Responses[1].Note = strings.Repeat("x", 3000) + "\x00\x07\r\n\ttab"
	s.Assets[0].Name = "EHR 🏥 \u202eevil\u202c (ÜBER-\U0001F600)"
	s.Assets[1].Notes = "line one\r\nline two\rline three"
	s.Vendors[0].Name = "Vendor (with) \\ backslash"
	s.Profile.Scope = strings.Repeat("word ", 2000)
	s.Assessment.Organization = strings.TrimSpace(strings.Repeat("Riverbend Regional Community Health ", 5))
	s.Assessment.Title = strings.TrimSpace(strings.Repeat("Annual Security Risk Analysis ", 6))
	b, _ := renderT(t, s, Options{uncompressed: true})
	writeArtifact(t, "hostile.pdf", b)
	if !hasText(b, "ENDOFNOTE") {
		t.Error("the end of a note at the length limit is lost")
	}
	if _, err := api.PageCount(bytes.NewReader(b), conf()); err != nil {
		t.Fatal(err)
	}
}

// TestLargeReport renders the large assessment and checks it is well formed.
func TestLargeReport(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("large report")
	}
	s := bigSnapshot(t, 1)
	b, d := largeReport.get(t)
	writeArtifact(t, "large.pdf", b)
	if err := api.Validate(bytes.NewReader(b), conf()); err != nil {
		t.Fatal(err)
	}
	n := d.f.PageCount()
	if n < 200 {
		t.Errorf("the large report has only %d pages", n)
	}
	marks := outline(t, b)
	if len(marks) < 2+len(SectionTitles(false))+len(s.Catalog.Safeguards)+len(s.Catalog.Standards) {
		t.Errorf("outline has %d entries", len(marks))
	}
}

func TestCleanText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain":              "plain",
		"a\r\nb\rc\td":       "a\nb\nc d",
		"bell\x07":           "bell",
		"§ — ≤ × “q” •":      "§ — ≤ × “q” •",
		"emoji 😀 here":       "emoji [U+1F600] here",
		"bad \xff byte":      "bad [invalid byte] byte",
		"c1 \u0085 control":  "c1  control",
		"invoice\u202efdp":   "invoice[U+202E]fdp",
		"Ma\u200bple":        "Ma[U+200B]ple",
		"\ufeffBOM":          "[U+FEFF]BOM",
		"Nguyễn Đặng":        "Nguyễn Đặng",
		"Ελληνικά Кириллица": "Ελληνικά Кириллица",
		"esc\x1b[2J":         "esc[2J",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReportStatesItsAnchor: the cover and the audit trail section print the anchor, the
// workspace and the signer's key; the sign-off section says what the chain gained since
// sign-off; the metadata carries the anchor for `safeguard verify --anchor FILE.pdf`;
// and the report says what the chain proves and what it does not.
func TestReportStatesItsAnchor(t *testing.T) {
	s := demoSnapshot(t)
	head := strings.Repeat("7c", 32)
	s.Audit.Seal = assessment.Seal{Workspace: "0b5c7f3e-1111-4222-8333-944455556666", Seq: 812, Head: head,
		KeyFingerprint: "SHA256:testfingerprintAAAA", PublicKey: "x", Signature: "y"}
	s.Assessment.Status = assessment.StatusFinal
	s.SignOff = &assessment.SignOff{Name: "Dana Whitfield", Role: "Security official", Date: "2026-09-30", Statement: "Accepted.",
		ChainHead: head, Seal: &assessment.Seal{Workspace: s.Audit.Seal.Workspace, Seq: 810, Head: head}}
	b, _ := renderT(t, s, Options{uncompressed: true})
	for _, want := range []string{"812:" + head[:20], "0b5c7f3e-1111-4222-8333-944455556666", "SHA256:testfingerprintAAAA",
		"Nothing was added to the chain after sign-off", "What this proves, exactly", "recompute every hash"} {
		if !hasText(b, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if !bytes.Contains(b, []byte("safeguard-anchor:0b5c7f3e-1111-4222-8333-944455556666:812:"+head)) {
		t.Error("the metadata does not carry the anchor")
	}
	s.Audit.SinceSignOff = []assessment.KindCount{{Kind: "answer", Entries: 2}, {Kind: "report or sign-off record", Entries: 3}}
	s.Audit.ChangesSinceSignOff = 2
	b, _ = renderT(t, s, Options{uncompressed: true})
	if !hasText(b, "5 entries were added after sign-off (2 answer, 3 report or sign-off record)") {
		t.Error("the report does not say which kinds of entries were added since sign-off")
	}
}

// TestReturnedAnswerCredited: an answer that came back on a questionnaire names its
// respondent in the findings, not only the assessor who imported it.
func TestReturnedAnswerCredited(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	s.Responses[0].Returned = &assessment.Returned{Packet: "p1", Respondent: "Dana Reyes, office manager", On: "2026-03-02"}
	b, _ := renderT(t, s, Options{uncompressed: true})
	if !hasText(b, "Answered by Dana") {
		t.Error("the findings do not credit the respondent of a returned answer")
	}
	s.Responses[0].Returned = nil
	if b, _ := renderT(t, s, Options{uncompressed: true}); hasText(b, "Answered by Dana") {
		t.Error("an answer not returned on a questionnaire is credited to a respondent")
	}
}
