package pdf

import (
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// A watermark drawn as the outlines of its letters rather than as text: it marks every page
// but stays out of the PDF's text layer, so copying, searching or extracting the memo's text
// never picks up the word in the middle of a sentence, and a screen reader does not read it
// on every page.

var (
	boldOnce sync.Once
	boldFont *sfnt.Font
)

func watermarkFont() *sfnt.Font {
	boldOnce.Do(func() {
		f, err := sfnt.Parse(gobold.TTF)
		if err != nil {
			panic("pdf: embedded bold font does not parse: " + err.Error())
		}
		boldFont = f
	})
	return boldFont
}

// outlineWatermark draws text in the bold font at size points, centered on the page and
// turned 45 degrees, as filled paths in a faint warning color.
func (d *doc) outlineWatermark(text string, size float64) {
	fnt := watermarkFont()
	var buf sfnt.Buffer
	ppem := fixed.Int26_6(size * 64)
	// Lay the glyphs out on a baseline at x = 0 (in points), then center the run.
	type placed struct {
		segs sfnt.Segments
		x    float64
	}
	var glyphs []placed
	x := 0.0
	for _, r := range text {
		gi, err := fnt.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			continue
		}
		segs, err := fnt.LoadGlyph(&buf, gi, ppem, nil)
		if err != nil {
			continue
		}
		glyphs = append(glyphs, placed{append(sfnt.Segments(nil), segs...), x})
		adv, err := fnt.GlyphAdvance(&buf, gi, ppem, font.HintingNone)
		if err != nil {
			continue
		}
		x += float64(adv) / 64
	}
	capH := size * 0.7 // the letters' height, roughly, for vertical centring
	cx, cy := pageW/2, pageH/2
	ox := cx - x*ptToMM/2
	oy := cy + capH*ptToMM/2
	pt := func(p fixed.Point26_6, gx float64) (float64, float64) {
		return ox + (gx+float64(p.X)/64)*ptToMM, oy + float64(p.Y)/64*ptToMM
	}
	d.f.SetAlpha(0.10, "Normal")
	d.fillColor(colWarn)
	d.f.TransformBegin()
	d.f.TransformRotate(45, cx, cy)
	for _, g := range glyphs {
		for _, s := range g.segs {
			switch s.Op {
			case sfnt.SegmentOpMoveTo:
				d.f.MoveTo(pt(s.Args[0], g.x))
			case sfnt.SegmentOpLineTo:
				d.f.LineTo(pt(s.Args[0], g.x))
			case sfnt.SegmentOpQuadTo:
				c1x, c1y := pt(s.Args[0], g.x)
				ex, ey := pt(s.Args[1], g.x)
				d.f.CurveTo(c1x, c1y, ex, ey)
			case sfnt.SegmentOpCubeTo:
				c1x, c1y := pt(s.Args[0], g.x)
				c2x, c2y := pt(s.Args[1], g.x)
				ex, ey := pt(s.Args[2], g.x)
				d.f.CurveBezierCubicTo(c1x, c1y, c2x, c2y, ex, ey)
			}
		}
		d.f.ClosePath()
	}
	d.restoreFill()
	d.f.DrawPath("f")
	d.f.TransformEnd()
	d.f.SetAlpha(1, "Normal")
}
