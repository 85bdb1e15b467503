package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// The only text-layout helpers of the interface. They measure in terminal cells and pass
// styled text (ANSI sequences) through unharmed, so they work on plain and colored text
// alike.

// Width is the width of s in cells, with a fast path for plain printable ASCII (most table
// cells), which matters when long lists are drawn.
func Width(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// Truncate cuts s to at most w cells, ending in an ellipsis when it was cut.
func Truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if Width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// Fit pads or cuts s to exactly w cells.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := Width(s)
	if n > w {
		s = ansi.Truncate(s, w, "…")
		n = ansi.StringWidth(s)
	}
	if n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// Center places s in the middle of w cells.
func Center(s string, w int) string {
	s = Truncate(s, w)
	d := w - Width(s)
	if d <= 0 {
		return s
	}
	return strings.Repeat(" ", d/2) + s + strings.Repeat(" ", d-d/2)
}

// FitLines pads or cuts every line of a block to exactly w cells, so a column joined
// beside it lines up.
func FitLines(s string, w int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Fit(l, w)
	}
	return strings.Join(lines, "\n")
}

// Wrap breaks plain text into lines of at most w cells (at least 10), at spaces where it
// can. Blank text gives no lines.
func Wrap(s string, w int) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	// A hyphen would be a break point, splitting IDs such as 312a2iv-enc-05 over two
	// lines: it is held as a non-breaking hyphen (as wide) while wrapping, then restored.
	protect := !strings.ContainsRune(s, nbHyphen)
	if protect {
		s = strings.ReplaceAll(s, "-", string(nbHyphen))
	}
	lines := strings.Split(ansi.Wrap(s, max(w, 10), ""), "\n")
	for i, l := range lines {
		l = strings.TrimRight(l, " ")
		if protect {
			l = strings.ReplaceAll(l, string(nbHyphen), "-")
		}
		lines[i] = l
	}
	return lines
}

// nbHyphen is U+2011, the non-breaking hyphen.
const nbHyphen = '\u2011'

// Hang wraps s under a prefix, continuing lines indented by the prefix's width:
//
//	Note: the first line of the note
//	      and the next one
func Hang(prefix, s string, w int) []string {
	pw := Width(prefix)
	ls := Wrap(s, w-pw)
	for i := range ls {
		if i == 0 {
			ls[i] = prefix + ls[i]
		} else {
			ls[i] = strings.Repeat(" ", pw) + ls[i]
		}
	}
	return ls
}

// Clip keeps at most n lines, ending the last one kept with " …" when lines were cut; the
// marked line is no wider than it was.
func Clip(lines []string, n int) []string {
	if n <= 0 {
		return nil
	}
	if len(lines) <= n {
		return lines
	}
	lines = lines[:n:n]
	w := Width(lines[n-1])
	last := strings.TrimRight(lines[n-1], " ")
	if Width(last)+2 > w {
		last = strings.TrimRight(ansi.Truncate(last, max(w-2, 0), ""), " ")
	}
	lines[n-1] = last + " …"
	return lines
}

// Flow lays items out on lines of at most w cells, joined by sep, breaking only between
// items.
func Flow(items []string, sep string, w int) []string {
	var out []string
	line, lw, sw := "", 0, Width(sep)
	for _, it := range items {
		iw := Width(it)
		if lw > 0 && lw+sw+iw > w {
			out = append(out, line)
			line, lw = "", 0
		}
		if lw > 0 {
			line += sep
			lw += sw
		}
		line += it
		lw += iw
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// FirstLine is s up to its first line break.
func FirstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Or is s, or alt when s is blank: how a screen says a value is missing.
func Or(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}
