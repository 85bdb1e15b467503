package pdf

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-fonts/liberation/liberationmonoregular"
	"github.com/go-fonts/liberation/liberationsansbold"
	"github.com/go-fonts/liberation/liberationsansbolditalic"
	"github.com/go-fonts/liberation/liberationsansitalic"
	"github.com/go-fonts/liberation/liberationsansregular"
	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"

	"safeguard/assessment"
)

// Fonts. The report embeds the Liberation family (Sans and Mono, SIL Open Font License
// 1.1, which allows embedding in documents), packaged for Go by github.com/go-fonts. It
// covers Latin with Vietnamese (the precomposed letters of Latin Extended Additional),
// Greek and Cyrillic, where the Go fonts this report used before lack Vietnamese; its
// hyphen is a hyphen and its zero is not slashed, so identifiers read back as typed.
// Each face is subset to the characters used, so a report carries a few tens of KB of font.
//
// A user can add one TrueType font for other scripts (--font, or the workspace setting):
// a string that contains characters Liberation cannot draw but the added font can is set
// in the added font, whole, so its letters keep their shapes and spacing. A character
// neither can draw is printed as its code point in brackets, "[U+65E5]", never as a silent
// "?", and reported to the caller (Options.Undrawable) so the command can warn.
const (
	famSans     = "sans"
	famMono     = "mono"
	famFallback = "extra"
)

// addFonts registers the embedded fonts, and the added font when there is one. Each
// document gets its own copy of the font bytes: fpdf's subsetter appends to a slice of the
// font it was given, which would otherwise change shared data and make the next report
// differ from the first.
func addFonts(f *fpdf.Fpdf, extra []byte) {
	f.AddUTF8FontFromBytes(famSans, "", bytes.Clone(liberationsansregular.TTF))
	f.AddUTF8FontFromBytes(famSans, "B", bytes.Clone(liberationsansbold.TTF))
	f.AddUTF8FontFromBytes(famSans, "I", bytes.Clone(liberationsansitalic.TTF))
	f.AddUTF8FontFromBytes(famSans, "BI", bytes.Clone(liberationsansbolditalic.TTF))
	f.AddUTF8FontFromBytes(famMono, "", bytes.Clone(liberationmonoregular.TTF))
	if extra != nil {
		// One face stands for every style: a font added for another script rarely comes
		// with its own bold and italic, and fpdf would otherwise need a file per style.
		for _, st := range []string{"", "B", "I", "BI"} {
			f.AddUTF8FontFromBytes(famFallback, st, bytes.Clone(extra))
		}
	}
}

// maxFontSize is the largest added font ReadFont reads.
const maxFontSize = 64 << 20

// ReadFont reads an added font from r, opened from path (which messages name), and checks
// it (CheckFont): what both the report command and the full-screen view give Options.Font.
func ReadFont(r io.Reader, path string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFontSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the font %s (%v)", path, err)
	}
	if len(b) > maxFontSize {
		return nil, fmt.Errorf("the font %s is larger than 64 MB; give a TrueType font for the script you need", path)
	}
	if err := CheckFont(b); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// CheckFont checks that b is a TrueType font the report can embed, and says in one
// sentence what is wrong when it is not.
func CheckFont(b []byte) error {
	if len(b) == 0 {
		return fmt.Errorf("the font file is empty; give a TrueType (.ttf) font file")
	}
	if _, err := sfnt.Parse(b); err != nil {
		return fmt.Errorf("the font file is not a TrueType font safeguard can read (%v); give a .ttf file (not .otf with CFF outlines, nor a .ttc collection)", err)
	}
	// fpdf reads the glyph outlines in the glyf table; CFF-flavoured OpenType has none.
	if !bytes.Contains(b[:min(len(b), 1024)], []byte("glyf")) {
		return fmt.Errorf("the font file has no TrueType outlines (it looks like OpenType with CFF outlines); give a .ttf font")
	}
	return nil
}

var (
	coverageOnce sync.Once
	covered      []bool // runes below 0x10000 that every embedded face can draw
)

// coverage is the set of runes all five embedded faces have a glyph for, computed once.
func coverage() []bool {
	coverageOnce.Do(func() {
		covered = fontCoverage(liberationsansregular.TTF, liberationsansbold.TTF, liberationsansitalic.TTF,
			liberationsansbolditalic.TTF, liberationmonoregular.TTF)
	})
	return covered
}

// fontCoverage is the set of runes below 0x10000 every one of the fonts has a glyph for.
func fontCoverage(ttfs ...[]byte) []bool {
	out := make([]bool, 0x10000)
	for r := range out {
		out[r] = true
	}
	var buf sfnt.Buffer
	for _, ttf := range ttfs {
		fnt, err := sfnt.Parse(ttf)
		if err != nil {
			panic("pdf: font does not parse: " + err.Error())
		}
		for r := range out {
			if !out[r] {
				continue
			}
			gi, err := fnt.GlyphIndex(&buf, rune(r))
			if err != nil || gi == 0 {
				out[r] = false
			}
		}
	}
	return out
}

// glyphs is what the document can draw: the embedded fonts' coverage and the added
// font's, and the characters found that neither can draw.
type glyphs struct {
	extra   []bool // runes the added font can draw; nil without one
	missing []rune // sorted, each once
}

func newGlyphs(extra []byte) (*glyphs, error) {
	g := &glyphs{}
	if extra != nil {
		if err := CheckFont(extra); err != nil {
			return nil, err
		}
		g.extra = fontCoverage(extra)
	}
	return g, nil
}

// drawable reports whether the main fonts draw r.
func drawable(r rune) bool { return r < 0x10000 && coverage()[r] }

// byExtra reports whether the added font draws r.
func (g *glyphs) byExtra(r rune) bool { return g != nil && g.extra != nil && r < 0x10000 && g.extra[r] }

// needsExtra reports whether s holds a character only the added font can draw.
func (g *glyphs) needsExtra(s string) bool {
	if g == nil || g.extra == nil {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			for _, r := range s[i:] {
				if !drawable(r) && g.byExtra(r) {
					return true
				}
			}
			return false
		}
	}
	return false
}

func (g *glyphs) miss(r rune) {
	if g == nil {
		return
	}
	if i, found := slices.BinarySearch(g.missing, r); !found {
		g.missing = slices.Insert(g.missing, i, r)
	}
}

// Undrawable marks a character no font of the report can draw.
func undrawableMark(r rune) string { return fmt.Sprintf("[U+%04X]", r) }

// clean makes free text safe to set: line ends become "\n", tabs spaces, other control
// characters are dropped, and a character no font can draw is written as its code point in
// brackets (and remembered, so the command can warn), so nothing shows as an empty box or
// a silent "?". Text-direction and invisible characters (assessment's text rules) are
// marked the same way, so the page never reads differently from what is stored.
func (g *glyphs) clean(s string) string {
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
		case r == utf8.RuneError && n == 1:
			b.WriteString("[invalid byte]")
		case assessment.Hidden(r):
			b.WriteString(undrawableMark(r))
		case drawable(r) || g.byExtra(r):
			b.WriteRune(r)
		default:
			g.miss(r)
			b.WriteString(undrawableMark(r))
		}
	}
	return b.String()
}

// cleanLine is clean for single-line places (headings, table headers): line breaks
// become spaces.
func (g *glyphs) cleanLine(s string) string {
	s = g.clean(s)
	if strings.IndexByte(s, '\n') >= 0 {
		s = strings.Join(strings.Fields(s), " ")
	}
	return s
}

// clean and cleanLine without a document (an added font): for text that only the main
// fonts set, and for tests.
func clean(s string) string     { return (*glyphs)(nil).clean(s) }
func cleanLine(s string) string { return (*glyphs)(nil).cleanLine(s) }

// Measuring. fpdf measures text in the font it last set, and setting a font on a page
// writes a font operator into the page. Laying out a table measures every cell in its own
// font before anything is drawn, so measuring through fpdf wrote two operators in three
// for nothing, each held in memory until the file is written. Text in the embedded faces
// is measured here instead, from fpdf's own widths, read once per process, and a font is
// set in fpdf only when text is drawn in it (doc.applyFont).

// faceStyles name the embedded faces by doc style; "M" is the monospaced face.
var faceStyles = []string{"", "B", "I", "BI", "M"}

var (
	widthsOnce sync.Once
	faceWidths map[string]*advances
)

// advances are one face's widths in thousandths of the font size, as fpdf adds them up:
// per rune below 0x10000, and missing for any other.
type advances struct {
	perRune []uint16
	missing int
}

// startFonts registers the fonts of a new document (addFonts) and, for the first document
// of the process, reads the embedded faces' widths from it while it has no page, where
// setting a font writes nothing and the fonts are parsed already. Every document then
// starts in the same font, whichever read the widths, so the same snapshot gives the
// same bytes; the returned font is the one fpdf will carry onto the first page.
func startFonts(f *fpdf.Fpdf, extra []byte) fontState {
	addFonts(f, extra)
	widthsOnce.Do(func() { faceWidths = readWidths(f) })
	start := fontState{famSans, "", 10}
	f.SetFont(start.family, start.style, start.size)
	return start
}

// widthsOf are the advances of the face for a doc style.
func widthsOf(style string) *advances {
	if faceWidths == nil {
		panic("pdf: text measured before any document registered its fonts")
	}
	if a, ok := faceWidths[style]; ok {
		return a
	}
	return faceWidths[""]
}

// readWidths asks fpdf, on a document with the embedded fonts and no page, for the width
// of every rune in every embedded face, so that a width measured here is the one fpdf
// would give.
func readWidths(f *fpdf.Fpdf) map[string]*advances {
	out := make(map[string]*advances, len(faceStyles))
	for _, st := range faceStyles {
		if st == "M" {
			f.SetFont(famMono, "", 10)
		} else {
			f.SetFont(famSans, st, 10)
		}
		a := &advances{perRune: make([]uint16, 0x10000), missing: f.GetStringSymbolWidth(string(rune(0x10FFFF)))}
		var buf [utf8.UTFMax]byte
		for r := range a.perRune {
			n := utf8.EncodeRune(buf[:], rune(r))
			a.perRune[r] = uint16(f.GetStringSymbolWidth(string(buf[:n])))
		}
		out[st] = a
	}
	if err := f.Error(); err != nil {
		panic("pdf: the embedded fonts could not be measured: " + err.Error())
	}
	return out
}

// symbols is the width of s in thousandths of the font size.
func (a *advances) symbols(s string) int {
	w := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf {
			w += int(a.perRune[c])
			continue
		}
		for _, r := range s[i:] {
			if r < 0x10000 {
				w += int(a.perRune[r])
			} else {
				w += a.missing
			}
		}
		break
	}
	return w
}
