package pdf

import (
	"bytes"
	"regexp"
	"strconv"
	"testing"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/goregular"
)

// TestWidthsMatchFpdf: text measured from the width tables is exactly as wide as fpdf
// measures it in the font it draws it in, in every embedded face and at the sizes the
// report uses, for every character the faces can draw, for mixed strings, and for a
// character they cannot draw. A difference of one bit would move a line break.
func TestWidthsMatchFpdf(t *testing.T) {
	t.Parallel()
	f := fpdf.New("P", "mm", "Letter", "")
	startFonts(f, goregular.TTF)
	f.AddPage()
	d := &doc{f: f, g: &glyphs{}}
	var all []rune
	for r := rune(0); r < 0x10000; r++ {
		if drawable(r) {
			all = append(all, r)
		}
	}
	if len(all) < 2000 {
		t.Fatalf("only %d characters are drawable; the coverage is wrong", len(all))
	}
	mixed := []string{"", " ", "Risk register (continued)", "308a1iia-ra-10 (organization-wide) implemented;",
		"Nguyễn Thị Hằng — ĐĂK LĂK", "Ελληνικά · Кириллица", "§164.308(a)(1)(ii)(A) ≤ 5 ms × 2", "[U+65E5] 日本", string(rune(0x1F600))}
	for _, st := range faceStyles {
		family, style := famSans, st
		if st == "M" {
			family, style = famMono, ""
		}
		for _, size := range []float64{6.8, 7.5, 9, 9.5, 20} {
			f.SetFont(family, style, size)
			d.font(st, size)
			for _, r := range all {
				s := string(r)
				if got, want := d.width(s), f.GetStringWidth(s); got != want {
					t.Fatalf("style %q %.1f pt: %q (U+%04X) measures %v, fpdf says %v", st, size, s, r, got, want)
				}
			}
			for _, s := range mixed {
				if got, want := d.width(s), f.GetStringWidth(s); got != want {
					t.Fatalf("style %q %.1f pt: %q measures %v, fpdf says %v", st, size, s, got, want)
				}
			}
			if got, want := d.width(string(all)), f.GetStringWidth(string(all)); got != want {
				t.Fatalf("style %q %.1f pt: every character at once measures %v, fpdf says %v", st, size, got, want)
			}
		}
	}
	if err := f.Error(); err != nil {
		t.Fatal(err)
	}
}

var (
	fontOp = regexp.MustCompile(`^BT /F[0-9a-f]+ [0-9.]+ Tf ET$`)
	textOp = regexp.MustCompile(`Tj ET( Q)?$`)
	pageOp = regexp.MustCompile(`(?s)<</Length (\d+)>>\nstream\n`)
)

// TestNoFontWrittenForNothing: a font is written into a page only to draw text in it, so
// a page never sets a font that no text uses before the next font is set. The one
// exception is the font fpdf carries over at the top of each page.
func TestNoFontWrittenForNothing(t *testing.T) {
	t.Parallel()
	plain, _ := demoPlain.get(t)
	pages, fonts := 0, 0
	for _, m := range pageOp.FindAllSubmatchIndex(plain, -1) {
		n, _ := strconv.Atoi(string(plain[m[2]:m[3]]))
		content := plain[m[1] : m[1]+n]
		if !bytes.Contains(content, []byte("Tj")) {
			continue
		}
		pages++
		unused, drawn := false, false
		for i, line := range bytes.Split(content, []byte("\n")) {
			switch {
			case fontOp.Match(line):
				fonts++
				if unused && drawn {
					t.Fatalf("page %d, line %d: a font was set and replaced before any text was drawn in it", pages, i+1)
				}
				unused = true
			case textOp.Match(line):
				unused, drawn = false, true
			}
		}
	}
	if pages < 100 || fonts < pages {
		t.Fatalf("the check read %d pages with %d font operators; it is not reading the report", pages, fonts)
	}
}
