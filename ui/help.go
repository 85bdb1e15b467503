package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"safeguard/ui/common"
)

// The help: one line at the bottom with the keys that matter most on the screen, as many
// as fit, always ending with "? all keys"; and the overlay ? opens, which lists every key
// of the screen in columns and scrolls, so it fits any terminal from 80×24 up.

// helpItem is a binding as the help writes it: "key description".
func (a *App) helpItem(b key.Binding) string {
	h := b.Help()
	return a.styles.Key.Render(h.Key) + " " + a.styles.Subtle.Render(h.Desc)
}

// helpBar is the one-line help: the screen's short list, cut to the width, then the key
// that opens the overlay.
func (a *App) helpBar() string {
	k := a.env.Keys.Global
	if a.helpOn {
		return a.helpItem(a.env.Keys.Nav.Down) + "  " + a.helpItem(a.env.Keys.Nav.PageDown) + "  " +
			a.helpItem(common.Relabel(k.Help, "?/esc", "close"))
	}
	if a.top().Typing() {
		return a.shortHelp(a.top().Keys().ShortHelp(), "")
	}
	return a.shortHelp(a.top().Keys().ShortHelp(), a.helpItem(common.Relabel(k.Help, "?", "all keys")))
}

// shortHelp lays out the bindings that fit in the width before pinned (which always shows).
func (a *App) shortHelp(bs []key.Binding, pinned string) string {
	const sep = "  "
	room := a.width - common.Width(pinned)
	if pinned != "" {
		room -= len(sep)
	}
	var parts []string
	used := 0
	for _, b := range bs {
		if !b.Enabled() || b.Help().Key == "" {
			continue
		}
		it := a.helpItem(b)
		w := common.Width(it)
		if used > 0 {
			w += len(sep)
		}
		if used+w > room {
			break
		}
		parts = append(parts, it)
		used += w
	}
	if pinned != "" {
		parts = append(parts, pinned)
	}
	return common.Truncate(strings.Join(parts, sep), a.width)
}

// helpLines lays out every key of the screen: the groups of its full help one after the
// other, each in as many columns as the width holds.
func (a *App) helpLines(width int) []string {
	groups := a.top().Keys().FullHelp()
	keyW, descW := 0, 0
	for _, g := range groups {
		for _, b := range g {
			if b.Enabled() {
				keyW = max(keyW, common.Width(b.Help().Key))
				descW = max(descW, common.Width(b.Help().Desc))
			}
		}
	}
	cellW := min(keyW+2+descW, width)
	cols := max(1, (width+3)/(cellW+3))
	lines := []string{a.styles.Header.Render("Every key on this screen"), ""}
	for gi, g := range groups {
		var cells []string
		for _, b := range g {
			if !b.Enabled() || b.Help().Key == "" {
				continue
			}
			h := b.Help()
			cell := a.styles.Key.Render(common.Fit(h.Key, keyW)) + "  " + common.Truncate(h.Desc, cellW-keyW-2)
			cells = append(cells, common.Fit(cell, cellW))
		}
		for i := 0; i < len(cells); i += cols {
			lines = append(lines, strings.TrimRight(strings.Join(cells[i:min(i+cols, len(cells))], "   "), " "))
		}
		if gi < len(groups)-1 && len(cells) > 0 {
			lines = append(lines, "")
		}
	}
	return lines
}

// helpOverlay is the overlay in h lines: its heading stays, the keys under it scroll, with
// a line saying where more keys are.
func (a *App) helpOverlay(h int) string {
	all := a.helpLines(a.width - 2)
	head, lines := all[:2], all[2:]
	if h < 4 {
		head, h = nil, h+2
	}
	body := h - len(head)
	a.helpOff = max(0, min(a.helpOff, len(lines)-body))
	end := min(len(lines), a.helpOff+body)
	shown := append(append([]string(nil), head...), lines[a.helpOff:end]...)
	if a.helpOff > 0 && end-a.helpOff > 1 {
		shown[len(head)] = a.styles.Subtle.Render("↑ more keys above (↑, pgup)")
	}
	if end < len(lines) && len(shown) > len(head)+1 {
		shown[len(shown)-1] = a.styles.Subtle.Render("↓ more keys below (↓, pgdn)")
	}
	for i := range shown {
		shown[i] = " " + shown[i]
	}
	return strings.Join(shown, "\n")
}

// helpKey scrolls or closes the overlay; q closes it too rather than quitting.
func (a *App) helpKey(msg tea.KeyPressMsg) tea.Cmd {
	g, nav := a.env.Keys.Global, a.env.Keys.Nav
	if d, ok := nav.Delta(msg, max(a.bodyHeight()-1, 1), 1000); ok {
		a.scrollHelp(d)
		return nil
	}
	if key.Matches(msg, g.Help, g.Back, g.Quit) {
		a.helpOn = false
	}
	return nil
}

func (a *App) scrollHelp(d int) { a.helpOff = max(0, a.helpOff+d) }
