package pdf

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"safeguard/assessment"
)

// Font families registered in every document. The Go fonts are embedded (subset to the
// characters used) so the report looks the same on every reader and carries §, —, ≤, ×,
// curly quotes and bullets.
const (
	famSans = "gosans"
	famMono = "gomono"
)

// addFonts registers the embedded TrueType fonts with the document. Each document gets
// its own copy of the font bytes: fpdf's subsetter appends to a slice of the font it was
// given when it reads the metrics of a monospaced font, which would otherwise overwrite
// the shared gofont data and make the next report differ from the first.
func addFonts(f *fpdf.Fpdf) {
	f.AddUTF8FontFromBytes(famSans, "", bytes.Clone(goregular.TTF))
	f.AddUTF8FontFromBytes(famSans, "B", bytes.Clone(gobold.TTF))
	f.AddUTF8FontFromBytes(famSans, "I", bytes.Clone(goitalic.TTF))
	f.AddUTF8FontFromBytes(famMono, "", bytes.Clone(gomono.TTF))
}

var (
	coverageOnce sync.Once
	covered      []bool // runes below 0x10000 that every embedded font can draw
)

// coverage is the set of runes all four fonts have a glyph for, computed once.
func coverage() []bool {
	coverageOnce.Do(func() {
		covered = make([]bool, 0x10000)
		for r := range covered {
			covered[r] = true
		}
		var buf sfnt.Buffer
		for _, ttf := range [][]byte{goregular.TTF, gobold.TTF, goitalic.TTF, gomono.TTF} {
			fnt, err := sfnt.Parse(ttf)
			if err != nil {
				panic("pdf: embedded font does not parse: " + err.Error())
			}
			for r := range covered {
				if !covered[r] {
					continue
				}
				gi, err := fnt.GlyphIndex(&buf, rune(r))
				if err != nil || gi == 0 {
					covered[r] = false
				}
			}
		}
	})
	return covered
}

// clean makes free text safe to set: line ends become "\n", tabs spaces, other control
// characters are dropped, and characters the fonts cannot draw become "?" so nothing shows
// as an empty box and nothing overflows the width tables.
func clean(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' || c >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	cov := coverage()
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case r == '\n':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		case assessment.Hidden(r):
			// A text-direction or invisible character (assessment's text rules) shows as
			// "?", so the page never reads differently from what is stored.
			b.WriteByte('?')
		case r == utf8.RuneError && n == 1:
			b.WriteByte('?')
		case r >= 0x10000 || !cov[r]:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanLine is clean for single-line places (headings, table headers): line breaks
// become spaces.
func cleanLine(s string) string {
	s = clean(s)
	if strings.IndexByte(s, '\n') >= 0 {
		s = strings.Join(strings.Fields(s), " ")
	}
	return s
}
