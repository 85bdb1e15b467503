// Package report is the tab that writes an assessment's outputs: the PDF risk analysis
// (with a progress bar), the findings and risk-register CSVs, the importable JSON and the
// OSCAL assessment results, each with its path, size and SHA-256 once written. It writes
// through reports.Formats and store.LoadOutputSource, as the CLI does, so an output is
// loaded and checked the same way from either front end. Writing runs in the background;
// the job starts from a command.
package report

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"safeguard/assessment"
	"safeguard/reports"
	"safeguard/reports/pdf"
	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/exchange"
)

// output is one of reports.Formats with the key that writes it.
type output struct {
	reports.Format
	key key.Binding
}

func outputs(k common.ReportKeys) []output {
	var out []output
	for _, f := range reports.Formats {
		if b, ok := k.For(f.Name); ok {
			out = append(out, output{f, b})
		}
	}
	return out
}

// Model is the Report tab.
type Model struct {
	e       *common.Env
	data    *common.Data
	kinds   []output
	bar     progress.Model
	running string  // label of the output being written, "" when idle
	percent float64 // progress of a running PDF
	done    []writtenFile
	// retry is a PDF refused because the workspace failed verification, waiting for the
	// user to confirm writing it anyway (marked as unverified on every page).
	retry    *outputJob
	problems []string
	width    int
	height   int
	styles   common.Styles
}

type writtenFile struct {
	label, path, sha string
	size             int64
	anchor           string // the audit chain head the file states
	signed           string // the key fingerprint of its signature, "" when unsigned
	recorded         bool   // its SHA-256 is recorded in the audit trail
	undrawable       []rune // characters no font could draw (PDF)
}

// unverifiedError is a PDF refused because the workspace failed verification.
type unverifiedError struct {
	job      outputJob
	problems []string
}

func (e *unverifiedError) Error() string {
	return fmt.Sprintf("the workspace failed verification (%s; first: %s), so the report was not written", assessment.Plural(len(e.problems), "problem", "problems"), e.problems[0])
}

// Messages of a running output: the job starts in a command (startOutputMsg), then
// progress ticks and its completion arrive over a channel the screen reads. They are
// broadcast so they reach the report screen whichever tab or dialog is showing; otherwise
// the job's channel would stall.
type (
	startOutputMsg struct {
		label string
		ch    <-chan tea.Msg
	}
	outputProgressMsg struct {
		ch      <-chan tea.Msg
		percent float64
	}
	outputDoneMsg struct {
		file writtenFile
		err  error
	}
)

func (startOutputMsg) Broadcast()    {}
func (outputProgressMsg) Broadcast() {}
func (outputDoneMsg) Broadcast()     {}

// New is the Report tab.
func New(e *common.Env) *Model {
	return &Model{e: e, kinds: outputs(e.Keys.Report), bar: progress.New(progress.WithDefaultBlend(), progress.WithWidth(40))}
}

func (r *Model) Title() string             { return "Report" }
func (r *Model) Init() tea.Cmd             { return nil }
func (r *Model) SetData(d *common.Data)    { r.data = d }
func (r *Model) SetStyles(s common.Styles) { r.styles = s }
func (r *Model) Typing() bool              { return false }

// Back drops a pending "write it anyway?" question.
func (r *Model) Back() bool {
	if r.retry != nil {
		r.retry = nil
		return true
	}
	return false
}
func (r *Model) SetSize(w, h int) {
	r.width, r.height = w, h
	r.bar.SetWidth(min(50, max(w-20, 10)))
}
func (r *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) { return r, r.update(msg) }

func (r *Model) Keys() common.Help {
	if r.retry != nil {
		c := r.e.Keys.Confirm
		return common.HelpOf(common.Relabel(c.Yes, "y", "write it, marked unverified"), common.Relabel(c.No, "n/esc", "don't write it"))
	}
	var ks []key.Binding
	for _, o := range r.kinds {
		ks = append(ks, o.key)
	}
	x := r.e.Keys.Exchange
	return common.Help{Short: ks, Full: [][]key.Binding{ks, {x.Packet, x.Returned, x.Merge}}}
}

func (r *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if r.data == nil || r.running != "" {
			return nil
		}
		if r.retry != nil {
			c := r.e.Keys.Confirm
			switch {
			case key.Matches(msg, c.Yes):
				job := *r.retry
				job.allowUnverified = true
				r.retry = nil
				return job.start
			case key.Matches(msg, c.No):
				r.retry = nil
				return common.Notice("Nothing was written.")
			}
			return nil
		}
		for _, o := range r.kinds {
			if key.Matches(msg, o.key) {
				return common.Push(r.outputForm(o))
			}
		}
		// Working with people outside safeguard (issue 17).
		x := r.e.Keys.Exchange
		switch {
		case key.Matches(msg, x.Packet):
			return common.Push(exchange.PacketForm(r.e, r.data))
		case key.Matches(msg, x.Returned) && !r.data.Final():
			return common.Push(exchange.NewReturned(r.e, r.data))
		case key.Matches(msg, x.Merge) && !r.data.Final():
			return common.Push(exchange.NewMerge(r.e, r.data))
		}
	case startOutputMsg:
		r.running, r.percent = msg.label, 0
		return waitOutput(msg.ch)
	case outputProgressMsg:
		r.percent = msg.percent
		return waitOutput(msg.ch)
	case outputDoneMsg:
		r.running = ""
		var uv *unverifiedError
		if errors.As(msg.err, &uv) {
			job := uv.job
			r.retry, r.problems = &job, uv.problems
			return common.Notice("The workspace failed verification; nothing was written. Press y to write the report anyway, marked as unverified on every page.")
		}
		if msg.err != nil {
			return common.Fail(msg.err)
		}
		r.done = append([]writtenFile{msg.file}, r.done...)
		return common.Notice("Wrote " + msg.file.path + ".")
	}
	return nil
}

// waitOutput reads the job's next message; progress carries the channel on so the screen
// can wait for the one after.
func waitOutput(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		m := <-ch
		if p, ok := m.(outputProgressMsg); ok {
			p.ch = ch
			return p
		}
		return m
	}
}

// outputForm asks where to write, and for the PDF whether to embed the evidence.
func (r *Model) outputForm(o output) common.Screen {
	a := r.data.Snap.Assessment
	path := defaultOutputPath(a, o.Ext, time.Now())
	var attach, force bool
	build := func() *huh.Form {
		fields := []huh.Field{
			huh.NewInput().Title("Save as").Description("A file path; the folder must exist.").Value(&path).
				Validate(common.Required("file name", "give a file name")),
		}
		if o.Name == "pdf" {
			fields = append(fields, huh.NewConfirm().Title("Embed the evidence files as PDF attachments?").
				Description("Each attachment is linked from its row in the evidence index.").Value(&attach))
		}
		fields = append(fields, huh.NewConfirm().Title("Overwrite the file if it exists?").Value(&force))
		return huh.NewForm(huh.NewGroup(fields...))
	}
	submit := func() tea.Cmd {
		job := outputJob{e: r.e, id: a.ID, kind: o, path: strings.TrimSpace(path), attach: attach, force: force}
		return job.start
	}
	return common.NewForm(r.e, o.Label, build, submit)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// defaultOutputPath is organization-title-date plus the extension, in the current folder.
func defaultOutputPath(a assessment.Assessment, ext string, now time.Time) string {
	name := strings.Trim(unsafeName.ReplaceAllString(a.Organization+"-"+a.Title, "-"), "-")
	if len(name) > 80 {
		name = name[:80]
	}
	return name + "-" + assessment.ISODate(now) + ext
}

// outputJob writes one output off the UI goroutine and reports over a channel.
type outputJob struct {
	e               *common.Env
	id              string
	kind            output
	path            string
	attach          bool
	force           bool
	allowUnverified bool
}

// start is the job's command. It checks the folder first, so a mistyped path keeps the
// form open with what was typed; then it starts writing in the background and tells the
// report screen (startOutputMsg) and the form (SavedMsg, which closes it) at once.
func (j outputJob) start() tea.Msg {
	if err := checkFolder(j.path); err != nil {
		return common.SavedMsg{Err: err}
	}
	ch := make(chan tea.Msg, 8)
	go j.run(ch)
	return tea.BatchMsg{
		common.Emit(startOutputMsg{label: j.kind.Label, ch: ch}),
		common.Emit(common.SavedMsg{Notice: "Writing " + j.kind.Label + "…"}),
	}
}

// checkFolder refuses a path whose folder does not exist.
func checkFolder(path string) error {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("the folder %s does not exist; create it or choose another", dir)
	}
	return nil
}

func (j outputJob) run(ch chan<- tea.Msg) {
	var file writtenFile
	err := j.write(ch, &file)
	ch <- outputDoneMsg{file: file, err: err}
}

// write makes one output the way the CLI does: it loads the assessment as the format asks
// (store.LoadOutputSource: verified first for the PDF, which is refused when the check
// fails until the user confirms), signs the anchor it states with the workspace's signing
// key (store.ReportSeal; the JSON document's integrity block with store.SignDocument),
// writes the file atomically while hashing it, and records a PDF's SHA-256 in the audit
// trail (store.RecordReport), as `safeguard report` does.
func (j outputJob) write(ch chan<- tea.Msg, file *writtenFile) error {
	ctx, st, f := j.e.Ctx, j.e.Store, j.kind.Format
	src, err := st.LoadOutputSource(ctx, j.id, f.Verify, f.Document)
	if err != nil {
		return err
	}
	if src.Verified && !src.Result.OK() && !j.allowUnverified {
		return &unverifiedError{job: j, problems: src.Result.Problems}
	}
	key, err := st.ReportSeal(ctx, src.Snapshot)
	if err != nil {
		return err
	}
	seal := src.Snapshot.Audit.Seal
	if src.Document != nil {
		if err := store.SignDocument(src.Document, key); err != nil {
			return err
		}
		seal = *src.Document.Integrity
	}
	in := reports.Input{Snapshot: src.Snapshot, Document: src.Document, AttachEvidence: j.attach,
		Progress: func(done, total int) {
			select { // drop a tick rather than block rendering
			case ch <- outputProgressMsg{percent: float64(done) / float64(max(total, 1))}:
			default:
			}
		}}
	in.Undrawable = func(r []rune) { file.undrawable = r }
	if f.Name == "pdf" {
		if in.Font, err = workspaceFont(j.e); err != nil {
			return err
		}
	}
	if j.attach {
		// Content the workspace does not hold (imported by hash) is skipped by the PDF.
		in.Evidence = func(sha string, w io.Writer) error { return st.EvidenceContent(ctx, sha, w) }
	}
	h := sha256.New()
	var size int64
	err = reports.WriteFileAtomic(j.path, j.force, func(w io.Writer) error {
		return f.Write(&countWriter{w: io.MultiWriter(w, h), n: &size}, in)
	})
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(j.path)
	sha := hex.EncodeToString(h.Sum(nil))
	*file = writtenFile{label: f.Label, path: abs, sha: sha, size: size, anchor: seal.Anchor(), undrawable: file.undrawable}
	if seal.Signed() {
		file.signed = seal.KeyFingerprint
	}
	if f.Name == "pdf" {
		if _, err := st.RecordReport(ctx, j.id, seal, sha, filepath.Base(j.path), key); err != nil {
			return fmt.Errorf("the report %s was written, but recording its SHA-256 in the audit trail failed (%v); write it again to record it", abs, err)
		}
		file.recorded = true
	}
	return nil
}

// workspaceFont reads the font the workspace's reports add (`safeguard report --font F
// --save-font`), or nil.
func workspaceFont(e *common.Env) ([]byte, error) {
	path, err := e.Store.ReportFont(e.Ctx)
	if err != nil || path == "" {
		return nil, err
	}
	var b []byte
	f, err := store.OpenInput(path, "a TrueType font file (.ttf)")
	if err == nil {
		defer f.Close()
		b, err = pdf.ReadFont(f, path)
	}
	if err != nil {
		return nil, fmt.Errorf("the workspace's report font %s cannot be used (%v); set another with `safeguard report ID --out F.pdf --font FILE.ttf --save-font`", path, err)
	}
	return b, nil
}

type countWriter struct {
	w io.Writer
	n *int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	*c.n += int64(n)
	return n, err
}

func (r *Model) View() string {
	if r.data == nil {
		return ""
	}
	s := r.styles
	var b strings.Builder
	// On a short terminal the headings lose their blank lines so that the last result,
	// with its SHA-256, still fits under the menu at 80×24.
	gap := "\n"
	if r.height < 28 {
		gap = ""
	}
	b.WriteString(s.Header.Render("Reports and exports") + "\n" + gap)
	for _, o := range r.kinds {
		fmt.Fprintf(&b, "  %s  %s\n", s.Key.Render(o.key.Help().Key), o.Label)
	}
	b.WriteString("\n" + s.Header.Render("Working with others") + "\n" + gap)
	x := r.e.Keys.Exchange
	fmt.Fprintf(&b, "  %s  Questionnaire for someone without safeguard (.xlsx)\n", s.Key.Render(x.Packet.Help().Key))
	if !r.data.Final() {
		fmt.Fprintf(&b, "  %s  Import a returned questionnaire\n", s.Key.Render(x.Returned.Help().Key))
		fmt.Fprintf(&b, "  %s  Merge another assessor's bundle\n", s.Key.Render(x.Merge.Help().Key))
	}
	b.WriteString("\n")
	if !r.data.Final() {
		b.WriteString(s.Subtle.Render("The assessment is not final: the PDF carries a DRAFT watermark.") + "\n" + gap)
	}
	if r.running != "" {
		fmt.Fprintf(&b, "Writing %s…\n%s\n\n", r.running, r.bar.ViewAs(r.percent))
	}
	if r.retry != nil {
		b.WriteString(s.Error.Render(common.Truncate(fmt.Sprintf("The workspace failed verification: %s.", assessment.Plural(len(r.problems), "problem", "problems")), r.width)) + "\n")
		for i, p := range r.problems {
			if i == 3 {
				b.WriteString(s.Subtle.Render(fmt.Sprintf("  … and %d more (safeguard verify lists them)", len(r.problems)-3)) + "\n")
				break
			}
			b.WriteString(common.Truncate("  • "+p, r.width) + "\n")
		}
		b.WriteString(strings.Join(common.Wrap("Nothing was written. Press y to write the report anyway: it then says on its cover, in every page header and in the summary that the check failed, and marks each altered record. Press n or esc not to.", r.width-2), "\n") + "\n\n")
	}
	for i, f := range r.done {
		if i >= max((r.height-12)/4, 1) {
			break
		}
		fmt.Fprintf(&b, "%s %s (%s)\n  %s\n  SHA-256 %s\n", s.Notice.Render("✓"), f.label, assessment.FormatSize(f.size),
			common.Truncate(f.path, r.width-4), f.sha)
		var notes []string
		if f.anchor != "" {
			notes = append(notes, "states chain head "+f.anchor)
		}
		if f.recorded {
			notes = append(notes, "recorded in the audit trail")
		}
		if f.signed != "" {
			notes = append(notes, "signed by key "+f.signed)
		}
		if len(notes) > 0 {
			b.WriteString(s.Subtle.Render(common.Truncate("  "+strings.Join(notes, " · "), r.width)) + "\n")
		}
		if len(f.undrawable) > 0 {
			b.WriteString(s.Warn.Render(common.Truncate(fmt.Sprintf("  %s could not be drawn and are printed as [U+…]; add a font with `safeguard report --font`.", assessment.Plural(len(f.undrawable), "character", "characters")), r.width)) + "\n")
		}
	}
	return b.String()
}
