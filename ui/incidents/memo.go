package incidents

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/reports"
	"safeguard/reports/pdf"
	"safeguard/ui/common"
)

// The decision memo: the selected incident's record as a PDF, written the way the CLI's
// `incident memo` writes it (the workspace verified first through store.LoadOutputSource,
// the PDF rendered from that snapshot, the file replaced atomically), in the background
// with a progress bar, and shown with its path and SHA-256 once written. An incident
// without a conclusion gets a draft, marked DRAFT on every page.

// memoState is the memo being written, or the last one written.
type memoState struct {
	running string // the incident's short ID while writing
	percent float64
	done    *writtenMemo
}

type writtenMemo struct {
	incident, title, path, sha string
	draft                      bool
	size                       int64
	warning                    string // verification problems the memo reports
}

// The job's messages: started from the form's command, then progress and completion
// over a channel the tab reads. Broadcast, so they reach the tab whichever screen shows.
type (
	memoStartMsg struct {
		id string
		ch <-chan tea.Msg
	}
	memoProgressMsg struct {
		ch      <-chan tea.Msg
		percent float64
	}
	memoDoneMsg struct {
		memo writtenMemo
		err  error
	}
)

func (memoStartMsg) Broadcast()    {}
func (memoProgressMsg) Broadcast() {}
func (memoDoneMsg) Broadcast()     {}

func (m *Model) memoUpdate(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case memoStartMsg:
		m.memo.running, m.memo.percent = msg.id, 0
		m.scroll()
		return waitMemo(msg.ch)
	case memoProgressMsg:
		m.memo.percent = msg.percent
		return waitMemo(msg.ch)
	case memoDoneMsg:
		m.memo.running = ""
		if msg.err != nil {
			m.scroll()
			return common.Fail(plain(msg.err))
		}
		w := msg.memo
		m.memo.done = &w
		m.scroll()
		return common.Notice("Wrote the memo to " + w.path + ".")
	}
	return nil
}

// waitMemo reads the job's next message; progress carries the channel on.
func waitMemo(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg := <-ch
		if p, ok := msg.(memoProgressMsg); ok {
			p.ch = ch
			return p
		}
		return msg
	}
}

// memoLines is how many lines the memo's progress or result takes under the list.
func (m *Model) memoLines() int {
	switch {
	case m.memo.running != "":
		return 2
	case m.memo.done != nil:
		return 3
	}
	return 0
}

// memoView is the progress bar while writing, then the file written with its SHA-256.
func (m *Model) memoView() string {
	s := m.styles
	switch {
	case m.memo.running != "":
		return s.Subtle.Render("Writing the memo of incident "+m.memo.running+"…") + "\n" + m.bar.ViewAs(m.memo.percent) + "\n"
	case m.memo.done != nil:
		w := m.memo.done
		what := "Memo of " + w.incident
		if w.draft {
			what += " (draft)"
		}
		line := s.Notice.Render("✓ ") + what + s.Subtle.Render(" · "+assessment.FormatSize(w.size))
		if w.warning != "" {
			line += " · " + s.Warn.Render(w.warning)
		}
		return common.Truncate(line, m.width) + "\n" + common.Truncate("  "+w.path, m.width) + "\n" +
			common.Truncate(s.Subtle.Render("  SHA-256 ")+w.sha, m.width) + "\n"
	}
	return ""
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// memoName is organization-incident-ID-date.pdf.
func memoName(org, shortID string, day time.Time) string {
	name := strings.Trim(unsafeName.ReplaceAllString(org, "-"), "-")
	if len(name) > 60 {
		name = name[:60]
	}
	return strings.TrimPrefix(name+"-incident-"+shortID+"-"+assessment.ISODate(day)+".pdf", "-")
}

// memoForm asks where to write the selected incident's memo.
func (m *Model) memoForm() tea.Cmd {
	v := m.selected()
	switch {
	case v == nil:
		return common.Notice("No incident is selected.")
	case m.memo.running != "":
		return common.Notice("A memo is being written; wait for it to finish.")
	}
	d := m.data
	draft := v.Conclusion == nil
	f := newForm(m.e, "Write the decision memo (PDF)", subject(v),
		lineField("path", "Save as", "A file path; a relative one is written in the folder safeguard was started in ("+m.e.WorkDir+").",
			memoName(d.Snap.Assessment.Organization, v.ShortID(), d.Today), "file.pdf", 4096),
		boolField("force", "Overwrite", "Replace the file if it exists.", false),
	)
	f.field("path").check = common.Required("file name", "Give a file name.")
	f.intro = func(f *form, w int) []string {
		s := m.styles
		text := "The workspace is verified first and the memo prints the result. The same record on the same day gives a byte-identical file."
		out := []string{}
		if draft {
			for _, l := range common.Wrap("No conclusion is recorded yet, so the memo is a draft: it decides nothing and carries DRAFT on every page.", w) {
				out = append(out, s.Warn.Render(l))
			}
		}
		for _, l := range common.Wrap(text, w) {
			out = append(out, s.Subtle.Render(l))
		}
		return out
	}
	f.submit = func(f *form) (tea.Cmd, error) {
		path := f.field("path").value()
		if !filepath.IsAbs(path) {
			path = filepath.Join(m.e.WorkDir, path)
		}
		job := memoJob{e: m.e, assessmentID: d.ID(), incidentID: v.ID, short: v.ShortID(), title: oneLine(v.Title),
			path: path, force: f.field("force").yes(), asOf: d.Today}
		return job.start, nil
	}
	return common.Push(f)
}

// memoJob writes one memo off the UI goroutine and reports over a channel.
type memoJob struct {
	e                                     *common.Env
	assessmentID, incidentID, short, path string
	title                                 string
	force                                 bool
	asOf                                  time.Time
}

// start checks the folder, so a mistyped path keeps the form open with what was typed;
// then it starts writing in the background, telling the tab and the form at once.
func (j memoJob) start() tea.Msg {
	dir := filepath.Dir(j.path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return common.SavedMsg{Err: fmt.Errorf("The folder %s does not exist; create it or choose another.", dir)}
	}
	if st, err := os.Lstat(j.path); err == nil && !j.force && st.Mode().IsRegular() {
		return common.SavedMsg{Err: fmt.Errorf("%s already exists; choose another name, or answer yes to Overwrite.", j.path)}
	}
	ch := make(chan tea.Msg, 8)
	go j.run(ch)
	return tea.BatchMsg{
		common.Emit(memoStartMsg{id: j.short, ch: ch}),
		common.Emit(common.SavedMsg{Notice: "Writing the memo…"}),
	}
}

func (j memoJob) run(ch chan<- tea.Msg) {
	w, err := j.write(ch)
	ch <- memoDoneMsg{memo: w, err: err}
}

// write loads the verified snapshot, renders the memo and writes it atomically.
func (j memoJob) write(ch chan<- tea.Msg) (writtenMemo, error) {
	e := j.e
	src, err := e.Store.LoadOutputSource(e.Ctx, j.assessmentID, true, false)
	if err != nil {
		return writtenMemo{}, err
	}
	b, err := pdf.RenderMemo(src.Snapshot, j.incidentID, pdf.MemoOptions{AsOf: j.asOf, Progress: func(done, total int) {
		select { // drop a tick rather than hold up the rendering
		case ch <- memoProgressMsg{percent: float64(done) / float64(max(total, 1))}:
		default:
		}
	}})
	if err != nil {
		return writtenMemo{}, err
	}
	if err := reports.WriteFileAtomic(j.path, j.force, func(w io.Writer) error {
		_, err := io.Copy(w, bytes.NewReader(b))
		return err
	}); err != nil {
		return writtenMemo{}, err
	}
	sum := sha256.Sum256(b)
	// Whether it is a draft is the snapshot's to say: the record may have changed since the
	// form opened.
	draft := true
	for _, inc := range src.Snapshot.Incidents {
		if inc.ID == j.incidentID {
			draft = inc.Conclusion == nil
		}
	}
	out := writtenMemo{incident: j.short, title: j.title, path: j.path, sha: hex.EncodeToString(sum[:]), draft: draft, size: int64(len(b))}
	if !src.Result.OK() {
		out.warning = fmt.Sprintf("verification found %s; the memo lists them", assessment.Plural(len(src.Result.Problems), "problem", "problems"))
	}
	return out, nil
}
