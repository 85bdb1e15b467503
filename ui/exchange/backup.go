package exchange

import (
	"fmt"
	"os"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/store"
	"safeguard/ui/common"
)

// Backup is the home list's backup: where to write, then the copy with a progress bar,
// then what was written and checked. It does what `safeguard backup --out FILE` does.
type Backup struct {
	screenBase
	step    pathStep
	bar     progress.Model
	running bool
	force   bool // the file exists and the user asked to overwrite it
	done    float64
	result  *store.BackupResult
	path    string
}

// NewBackup is the backup screen.
func NewBackup(e *common.Env) *Backup {
	return &Backup{screenBase: screenBase{e: e},
		step: newPathStep("Write a verified copy of the whole workspace to this file (a new name, or one to overwrite):",
			defaultName("safeguard-backup", ".db")),
		bar: progress.New(progress.WithDefaultBlend(), progress.WithWidth(40))}
}

// Messages of a running backup, read from its channel. Broadcast, so they reach the
// screen whatever is on top.
type (
	backupProgressMsg struct {
		ch   <-chan tea.Msg
		done float64
	}
	backupDoneMsg struct {
		res store.BackupResult
		err error
	}
)

func (backupProgressMsg) Broadcast() {}
func (backupDoneMsg) Broadcast()     {}

func (b *Backup) Init() tea.Cmd { return textinputBlink }

func (b *Backup) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case backupProgressMsg:
		b.done = msg.done
		return b, waitBackup(msg.ch)
	case backupExistsMsg:
		b.running, b.force = false, true
		b.err = fmt.Errorf("%s already exists; press enter again to overwrite it, or change the name", msg.path)
		return b, nil
	case backupDoneMsg:
		b.running = false
		if msg.err != nil {
			b.err = msg.err
			return b, nil
		}
		b.result = &msg.res
		return b, common.Notice("Backed up the workspace to " + msg.res.Path + ".")
	case tea.KeyPressMsg:
		if b.running {
			return b, nil
		}
		if b.back(msg) || (b.result != nil && key.Matches(msg, b.e.Keys.Home.Open)) {
			return b, common.Pop
		}
		if b.result != nil {
			return b, nil
		}
		if msg.String() == "enter" {
			return b, b.start()
		}
		b.force = false
		var cmd tea.Cmd
		b.step.input, cmd = b.step.input.Update(msg)
		return b, cmd
	case tea.PasteMsg:
		var cmd tea.Cmd
		b.step.input, cmd = b.step.input.Update(msg)
		return b, cmd
	}
	return b, nil
}

// start begins the backup in a command. A file that exists is not overwritten unless
// enter is pressed a second time (the command reports it; Update does no file work).
func (b *Backup) start() tea.Cmd {
	b.err = nil
	b.path = b.step.path(b.e)
	if b.path == "" {
		b.err = fmt.Errorf("give the file to write the backup to")
		return nil
	}
	b.running, b.done = true, 0
	ctx, s, path, force := b.e.Ctx, b.e.Store, b.path, b.force
	return func() tea.Msg {
		if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && !force {
			return backupExistsMsg{path: path}
		}
		ch := make(chan tea.Msg, 8)
		go func() {
			res, err := s.Backup(ctx, path, force, func(done, total int64) {
				select { // drop a tick rather than block the copy
				case ch <- backupProgressMsg{done: float64(done) / float64(max(total, 1))}:
				default:
				}
			})
			ch <- backupDoneMsg{res: res, err: err}
		}()
		return waitBackup(ch)()
	}
}

// backupExistsMsg says the file chosen exists: enter again overwrites it.
type backupExistsMsg struct{ path string }

func waitBackup(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		m := <-ch
		if p, ok := m.(backupProgressMsg); ok {
			p.ch = ch
			return p
		}
		return m
	}
}

func (b *Backup) View() string {
	s := b.styles
	var out strings.Builder
	out.WriteString(s.Title.Render("Back up the workspace") + "\n\n")
	switch {
	case b.result != nil:
		r := b.result
		fmt.Fprintf(&out, "%s Wrote %s (%s).\n\n", s.Notice.Render("✓"), common.Truncate(r.Path, b.width-20), assessment.FormatSize(r.Size))
		fmt.Fprintf(&out, "The copy verified: %s, %s, %s.\nIt holds the audit trail up to entry %d (%s…).\n\n",
			assessment.Plural(int(r.Entries), "audit entry", "audit entries"), assessment.Plural(r.Records, "record", "records"),
			assessment.Plural(r.Blobs, "evidence file", "evidence files"), r.Head.Seq, r.Head.Hash[:min(12, len(r.Head.Hash))])
		if r.SealedSkipped > 0 {
			out.WriteString(assessment.Plural(r.SealedSkipped, "encrypted evidence file was", "encrypted evidence files were") +
				" copied but not re-hashed: the workspace was not unlocked.\n\n")
		}
		out.WriteString(s.Subtle.Render("To restore, open the copy:\n  "+common.Truncate("safeguard --db "+r.Path, b.width-3)) + "\n\n" +
			s.Subtle.Render("enter or esc to go back"))
	case b.running:
		fmt.Fprintf(&out, "Copying and checking %s…\n\n%s", common.Truncate(b.path, b.width-20), b.bar.ViewAs(b.done))
	default:
		out.WriteString(b.step.view(s, b.width))
	}
	return out.String() + b.errLine()
}

func (b *Backup) Typing() bool { return !b.running && b.result == nil }

func (b *Backup) Keys() common.Help {
	if b.result != nil || b.running {
		return common.HelpOf(b.e.Keys.Global.Back)
	}
	return common.HelpOf(common.Relabel(b.e.Keys.Home.Open, "enter", "back up"), b.e.Keys.Global.Back)
}

// textinputBlink starts the cursor; a screen with a text input returns it from Init.
func textinputBlink() tea.Msg { return nil }
