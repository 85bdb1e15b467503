// Package exchange holds the screens that work with files and people outside safeguard
// (issue 17): the backup (from the home list, with a progress bar), the questionnaire
// packet export and the review of a returned one (from the Report tab), the review of an
// assessor bundle's merge (Report tab) and the inventory import (from Setup). They do the
// same work as `safeguard backup`, `packet export|import`, `bundle merge` and `asset|vendor
// import`, through the same store methods; file and store work runs in commands.
package exchange

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"safeguard/ui/common"
)

// pathStep is the first step of the screens here: a file path, typed, with a default.
type pathStep struct {
	input  textinput.Model
	prompt string
}

func newPathStep(prompt, value string) pathStep {
	in := textinput.New()
	in.SetValue(value)
	in.CursorEnd()
	in.Focus()
	in.SetWidth(60)
	return pathStep{input: in, prompt: prompt}
}

// path is the typed path, relative paths taken from the folder safeguard started in.
func (p *pathStep) path(e *common.Env) string {
	v := strings.TrimSpace(p.input.Value())
	if v != "" && !filepath.IsAbs(v) && e.WorkDir != "" {
		v = filepath.Join(e.WorkDir, v)
	}
	return v
}

func (p *pathStep) view(s common.Styles, width int) string {
	p.input.SetWidth(max(min(width-6, 80), 10))
	return s.Subtle.Render(p.prompt) + "\n\n  " + p.input.View() + "\n\n" +
		s.Subtle.Render("enter to continue · esc to go back")
}

// readable refuses a path that is not an existing regular file, in a sentence.
func readable(path string) error {
	if path == "" {
		return fmt.Errorf("give the path of the file")
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("cannot open %s (there is no such file, or it cannot be read); check the path", path)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file; give the path of a file", path)
	}
	return nil
}

// defaultName is a file name in the starting folder: prefix-YYYY-MM-DD.ext.
func defaultName(prefix, ext string) string {
	return prefix + "-" + time.Now().Format(time.DateOnly) + ext
}

// screenBase is what every screen here shares.
type screenBase struct {
	e             *common.Env
	styles        common.Styles
	width, height int
	err           error
}

func (b *screenBase) SetSize(w, h int)          { b.width, b.height = w, h }
func (b *screenBase) SetStyles(s common.Styles) { b.styles = s }

func (b *screenBase) errLine() string {
	if b.err == nil {
		return ""
	}
	return "\n\n" + b.styles.Error.Render(common.Truncate(b.err.Error(), max(b.width*3, 40)))
}

// back is esc on any screen here.
func (b *screenBase) back(msg tea.KeyPressMsg) bool { return key.Matches(msg, b.e.Keys.Global.Back) }
