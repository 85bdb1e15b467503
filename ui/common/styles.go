package common

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"safeguard/assessment"
)

// Styles is every style the interface uses, built from one palette for a dark or light
// background. Fields are named by meaning, not color: OK is what is in place (green), Warn
// what is partial or needs a look (amber), Bad a gap or an error (red). With Plain
// (NO_COLOR) it carries no color at all, only bold, faint, underline and reverse, and the
// symbols (✔ ◐ ✘ · ⚠) carry the meaning alone.
type Styles struct {
	Dark  bool
	Plain bool

	Title        lipgloss.Style // the product name, dialog titles: bold accent
	Header       lipgloss.Style // headings: bold
	Bold         lipgloss.Style
	Subtle       lipgloss.Style // secondary text
	Key          lipgloss.Style // a key named in prose
	Accent       lipgloss.Style
	Selected     lipgloss.Style // the selected row of the focused list
	SelectedIdle lipgloss.Style // the selected row of a list without focus
	OK           lipgloss.Style
	Warn         lipgloss.Style
	Bad          lipgloss.Style
	Error        lipgloss.Style // the error line
	Notice       lipgloss.Style // the status line after a success
	Badge        lipgloss.Style // a short warning label set off from the text
	Border       lipgloss.Style // the border of a pane without focus
	Focus        lipgloss.Style // the border of the focused pane
	Match        lipgloss.Style // a searched word found in a result: bold and underlined, color or not
	Hint         lipgloss.Style // a placeholder or example in a form: faint and italic, unlike a value

	// Status colors an assessment's status: draft amber, in review blue, final green.
	Status map[assessment.Status]lipgloss.Style

	level map[assessment.Level]lipgloss.Style
	cell  map[assessment.Level]color.Color
	onCel color.Color
}

// palette is the only place colors are written.
type palette struct {
	accent, onAccent, text, subtle, ok, warn, bad, info, onCell color.Color
	// level is the text (fg) and matrix-cell (bg) color of each risk level.
	level map[assessment.Level][2]color.Color
}

func newPalette(dark, plain bool) palette {
	ld := lipgloss.LightDark(dark)
	c := func(light, dark string) color.Color {
		if plain {
			return lipgloss.NoColor{}
		}
		return ld(lipgloss.Color(light), lipgloss.Color(dark))
	}
	pair := func(fgL, fgD, bgL, bgD string) [2]color.Color { return [2]color.Color{c(fgL, fgD), c(bgL, bgD)} }
	p := palette{
		accent:   c("#5A3FC0", "#B4A7F5"),
		onAccent: c("#FFFFFF", "#1A1A1A"),
		text:     c("#303030", "#DADADA"),
		subtle:   c("#6B6B6B", "#8A8A8A"),
		ok:       c("#1B7F3B", "#7BD88F"),
		warn:     c("#8A6D00", "#F2C94C"),
		bad:      c("#B00020", "#FF6B6B"),
		info:     c("#0B5CAD", "#6FB1FF"),
		onCell:   c("#1A1A1A", "#F5F5F5"),
	}
	p.level = map[assessment.Level][2]color.Color{
		assessment.LevelVeryLow:  pair("#1B7F3B", "#7BD88F", "#C8E6C9", "#1E4D2B"),
		assessment.LevelLow:      pair("#4C7A1F", "#B5E48C", "#DCEDC8", "#3B5E1E"),
		assessment.LevelModerate: pair("#8A6D00", "#F2C94C", "#FFE082", "#7A5C00"),
		assessment.LevelMedium:   pair("#8A6D00", "#F2C94C", "#FFE082", "#7A5C00"),
		assessment.LevelHigh:     pair("#B54708", "#FF9F43", "#FFB74D", "#9A3F0C"),
		assessment.LevelVeryHigh: pair("#B00020", "#FF6B6B", "#EF9A9A", "#8B1E2D"),
		assessment.LevelNone:     {p.subtle, nil},
	}
	return p
}

// NewStyles builds the styles for a dark or light background; plain leaves out color.
func NewStyles(dark, plain bool) Styles {
	p := newPalette(dark, plain)
	fg := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	s := Styles{
		Dark:         dark,
		Plain:        plain,
		Title:        fg(p.accent).Bold(true),
		Header:       fg(p.text).Bold(true),
		Bold:         lipgloss.NewStyle().Bold(true),
		Subtle:       fg(p.subtle),
		Key:          lipgloss.NewStyle().Bold(true),
		Accent:       fg(p.accent),
		Selected:     fg(p.onAccent).Background(p.accent).Bold(true),
		SelectedIdle: fg(p.accent).Bold(true).Underline(true),
		OK:           fg(p.ok),
		Warn:         fg(p.warn),
		Bad:          fg(p.bad),
		Error:        fg(p.bad).Bold(true),
		Notice:       fg(p.ok),
		Badge:        fg(p.onAccent).Background(p.warn).Bold(true),
		Border:       fg(p.subtle),
		Focus:        fg(p.accent),
		Match:        fg(p.accent).Bold(true).Underline(true),
		Hint:         fg(p.subtle).Faint(true).Italic(true),
		Status: map[assessment.Status]lipgloss.Style{
			assessment.StatusDraft:    fg(p.warn),
			assessment.StatusInReview: fg(p.info),
			assessment.StatusFinal:    fg(p.ok),
		},
		level: map[assessment.Level]lipgloss.Style{},
		cell:  map[assessment.Level]color.Color{},
		onCel: p.onCell,
	}
	for l, c := range p.level {
		s.level[l] = fg(c[0]).Bold(assessment.IsHigh(l))
		s.cell[l] = c[1]
	}
	if plain {
		s.Selected = lipgloss.NewStyle().Reverse(true).Bold(true)
		s.Badge = lipgloss.NewStyle().Reverse(true)
		for l := range s.level {
			s.level[l] = lipgloss.NewStyle().Bold(assessment.IsHigh(l))
		}
	}
	return s
}

// Level is the text style of a risk level: its color, bold for high and very high.
func (s Styles) Level(l assessment.Level) lipgloss.Style {
	if st, ok := s.level[l]; ok {
		return st
	}
	return s.level[assessment.LevelNone]
}

// Cell is the style of a risk-matrix cell of level l; marked cells stand out (reversed).
func (s Styles) Cell(l assessment.Level, marked bool) lipgloss.Style {
	st := lipgloss.NewStyle()
	if s.Plain {
		return st.Bold(marked).Reverse(marked)
	}
	st = st.Foreground(s.onCel)
	if bg := s.cell[l]; bg != nil {
		st = st.Background(bg)
	}
	if marked {
		st = st.Bold(true).Reverse(true)
	}
	return st
}

// Answer is the style of an answer: OK implemented, Warn partial or flagged, Bad not
// implemented, Subtle not applicable or unanswered.
func (s Styles) Answer(st assessment.ResponseStatus) lipgloss.Style {
	switch st {
	case assessment.Implemented:
		return s.OK
	case assessment.Partial, assessment.Flagged:
		return s.Warn
	case assessment.NotImplemented:
		return s.Bad
	}
	return s.Subtle
}

// Share colors a compliance share: OK from 90 %, Warn from 60 %, Bad below.
func (s Styles) Share(share float64) lipgloss.Style {
	switch {
	case share >= 0.9:
		return s.OK
	case share >= 0.6:
		return s.Warn
	}
	return s.Bad
}

// Symbol is the mark of an answer, which carries its meaning without color.
func Symbol(st assessment.ResponseStatus) string {
	switch st {
	case assessment.Implemented:
		return "✔"
	case assessment.Partial:
		return "◐"
	case assessment.NotImplemented:
		return "✘"
	case assessment.NotApplicable:
		return "–"
	case assessment.Flagged:
		return "?"
	case assessment.Inherited:
		return "↳"
	}
	return "·"
}
