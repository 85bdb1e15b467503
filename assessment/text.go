package assessment

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text hygiene. What people type ends up in terminal tables, CSV files and the PDF; a
// character that moves the cursor, reorders the line or is invisible can make those show
// something other than what is stored, or make two different names look the same. The
// rules are one place:
//
//   - single-line fields (names, titles, roles, owners): no control character of C0, DEL or
//     C1 (ESC among them), no text-direction override or mark, no invisible character;
//   - multi-line text (notes, reasons, rationales, descriptions): the same, except that line
//     feeds and tabs are kept (a carriage return is allowed only as part of CR LF);
//   - writers (terminal tables, CSV, PDF) pass everything read from a workspace through
//     SafeLine or SafeText, so data stored before these rules, or edited behind
//     safeguard's back, still cannot reach an output with a control character.

// textProblem names the first character of s that a field may not hold, or "" if none.
// multiline allows line feeds, tabs and CR LF.
func textProblem(s string, multiline bool) string {
	for i, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case multiline && r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
		case r == 0x1b:
			return "an escape character (ESC), which terminals read as a command"
		case unicode.IsControl(r):
			return fmt.Sprintf("a control character (U+%04X)", r)
		case isBidiControl(r):
			return fmt.Sprintf("an invisible text-direction character (U+%04X)", r)
		case isInvisible(r):
			return fmt.Sprintf("an invisible character (U+%04X)", r)
		}
	}
	return ""
}

// isBidiControl reports the invisible characters that reorder text (U+202A–U+202E,
// U+2066–U+2069, and the marks U+200E, U+200F, U+061C): in a name they can make a report
// show something other than what was typed.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

// isInvisible reports characters that print as nothing and make different text look the
// same: the zero-width space U+200B, the word joiner and invisible operators
// U+2060–U+2064, the byte order mark U+FEFF, the Mongolian vowel separator U+180E,
// interlinear annotation marks U+FFF9–U+FFFB, the Hangul fillers, and the tag characters
// U+E0000–U+E007F. The zero-width joiner and non-joiner (U+200C, U+200D) stay allowed:
// several scripts and emoji need them.
func isInvisible(r rune) bool {
	switch {
	case r == 0x200B, r >= 0x2060 && r <= 0x2064, r == 0xFEFF, r == 0x180E, r >= 0xFFF9 && r <= 0xFFFB:
		return true
	case r == 0x115F, r == 0x1160, r == 0x3164, r == 0xFFA0:
		return true
	case r >= 0xE0000 && r <= 0xE007F:
		return true
	}
	return false
}

// Hidden reports a character that reorders text or prints as nothing (a bidi control or
// an invisible character): writers that map characters themselves use it.
func Hidden(r rune) bool { return isBidiControl(r) || isInvisible(r) }

// CheckLine checks a single-line value that may be empty (an owner, a location): valid
// UTF-8, at most MaxNameLen characters, and nothing textProblem refuses, line breaks
// included. what names the field in the error.
func CheckLine(what, s string) error {
	switch {
	case !utf8.ValidString(s):
		return fmt.Errorf("the %s is not valid UTF-8 text; retype it", what)
	case utf8.RuneCountInString(s) > MaxNameLen:
		return fmt.Errorf("the %s is longer than %d characters; shorten it", what, MaxNameLen)
	}
	if p := textProblem(s, false); p != "" {
		return fmt.Errorf("the %s contains %s; remove it and type the value on one line", what, p)
	}
	return nil
}

// CheckText accepts free text that is valid UTF-8, not absurdly long, and free of the
// characters textProblem refuses (line feeds and tabs are kept).
func CheckText(what, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("the %s is not valid UTF-8 text; retype it", what)
	}
	if n := utf8.RuneCountInString(s); n > MaxTextLen {
		return fmt.Errorf("the %s is %d characters long; shorten it to %d or attach it as evidence", what, n, MaxTextLen)
	}
	if p := textProblem(s, true); p != "" {
		return fmt.Errorf("the %s contains %s; remove it", what, p)
	}
	return nil
}

// SafeLine is s as one line fit for a terminal table, a CSV cell or a PDF line: invalid
// UTF-8 and every character CheckLine refuses become U+FFFD, and line breaks and tabs
// become spaces.
func SafeLine(s string) string {
	return sanitize(s, false)
}

// SafeText is s fit for multi-line output: like SafeLine, but line feeds and tabs are kept
// and CR LF becomes a line feed.
func SafeText(s string) string {
	return sanitize(s, true)
}

func sanitize(s string, multiline bool) string {
	if textProblem(s, multiline) == "" && utf8.ValidString(s) && !strings.Contains(s, "\r") &&
		(multiline || !strings.ContainsAny(s, "\n\t")) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
			// dropped: the line feed that follows stands for the line break
		case r == '\n' || r == '\t':
			if multiline {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case r == utf8.RuneError, unicode.IsControl(r), isBidiControl(r), isInvisible(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
