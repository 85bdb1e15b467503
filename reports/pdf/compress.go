package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strconv"
)

// fpdf (v0.9) builds a new zlib writer for every page stream it compresses: about 1.3 MB
// allocated and zeroed per page, a fifth of a large report's CPU and most of its garbage.
// So the document is laid out uncompressed and its page streams are compressed here, with
// one writer reset for each stream: the same level (BestSpeed) and so the same bytes fpdf
// writes itself (TestCompressStreamsMatchesFpdf), and the same file for the same snapshot.

// output has fpdf write the laid-out document and returns it with its page streams
// compressed (compressStreams). fpdf builds its whole file in a buffer of its own and hands
// it to the writer in one Write, so the streams are compressed straight from that buffer:
// the uncompressed file is never copied, and only the compressed one is kept.
func (d *doc) output() ([]byte, error) {
	w := &finisher{compress: !d.opt.uncompressed && !d.opt.fpdfCompress}
	if d.f.PageCount() >= lowGCPages {
		defer lowGCWhileWriting()()
	}
	if err := d.f.Output(w); err != nil {
		return nil, fmt.Errorf("the PDF could not be written (%v); this is a bug in safeguard, please report it", err)
	}
	pdf, err := w.result()
	if err != nil {
		return nil, fmt.Errorf("the PDF could not be written (%v); this is a bug in safeguard, please report it", err)
	}
	return pdf, nil
}

var eofMarker = []byte("%%EOF\n")

// finisher is the io.Writer fpdf writes its file to: it keeps the file with its page
// streams compressed, or as it is when compress is false.
type finisher struct {
	compress bool
	pending  []byte // the file so far, when fpdf writes it in pieces
	out      []byte
	written  bool
	err      error
}

func (w *finisher) Write(p []byte) (int, error) {
	switch {
	case w.written:
		w.err = errUpdate("fpdf wrote past the end of its file")
	case len(w.pending) == 0 && bytes.HasSuffix(p, eofMarker):
		w.finish(p) // the usual case: the whole file at once, used without a copy
	default:
		w.pending = append(w.pending, p...)
	}
	return len(p), w.err
}

func (w *finisher) finish(pdf []byte) {
	w.written = true
	if !w.compress {
		w.out = bytes.Clone(pdf)
		return
	}
	w.out, w.err = compressStreams(pdf)
}

// result is the finished file.
func (w *finisher) result() ([]byte, error) {
	if !w.written {
		w.finish(w.pending)
		w.pending = nil
	}
	return w.out, w.err
}

var (
	streamHead = []byte("obj\n<</Length ")
	streamOpen = []byte(">>\nstream\n")
	streamEnd  = []byte("\nendstream")
)

// compressStreams returns pdf (fpdf's uncompressed output) with the page content streams
// compressed, as fpdf compresses them (other streams stay as fpdf writes them), and the
// cross-reference table moved to match.
func compressStreams(pdf []byte) ([]byte, error) {
	xrefAt, err := startXref(pdf)
	if err != nil {
		return nil, err
	}
	contents := pageContents(pdf[:xrefAt])
	// Page streams shrink to a fifth or less (fonts are compressed already). Growing the
	// buffer past its first size would copy it while fpdf's whole file is still held.
	out := bytes.NewBuffer(make([]byte, 0, len(pdf)/4+64<<10))
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	type shift struct{ at, delta int }
	var shifts []shift
	done := 0 // bytes of pdf copied or replaced so far
	for pos := 0; ; {
		i := bytes.Index(pdf[pos:xrefAt], streamHead)
		if i < 0 {
			break
		}
		lenAt := pos + i + len(streamHead)
		j := bytes.Index(pdf[lenAt:xrefAt], streamOpen)
		n, err := strconv.Atoi(string(pdf[lenAt : lenAt+max(j, 0)]))
		if j < 0 || err != nil || j > 12 {
			pos = lenAt // another dictionary that starts with /Length: left as it is
			continue
		}
		data := lenAt + j + len(streamOpen)
		if !contents[objectNumber(pdf, pos+i)] {
			pos = data
			continue
		}
		if data+n+len(streamEnd) > xrefAt || !bytes.Equal(pdf[data+n:data+n+len(streamEnd)], streamEnd) {
			return nil, errUpdate("a stream's length does not match its data")
		}
		z.Reset()
		zw.Reset(&z)
		zw.Write(pdf[data : data+n])
		if err := zw.Close(); err != nil {
			return nil, err
		}
		head := pos + i + len("obj\n")
		out.Write(pdf[done:head])
		before := out.Len()
		fmt.Fprintf(out, "<</Filter /FlateDecode /Length %d>>\nstream\n", z.Len())
		out.Write(z.Bytes())
		shifts = append(shifts, shift{at: head, delta: out.Len() - before - (data + n - head)})
		done = data + n
		pos = done
	}
	out.Write(pdf[done:xrefAt])
	moved := func(off int) int {
		to := off
		for _, s := range shifts {
			if s.at >= off {
				break
			}
			to += s.delta
		}
		return to
	}
	return rewriteXref(out, pdf[xrefAt:], moved)
}

var contentsKey = []byte("/Contents ")

// pageContents is the set of objects the pages name as their contents.
func pageContents(body []byte) map[int]bool {
	set := map[int]bool{}
	for pos := 0; ; {
		i := bytes.Index(body[pos:], contentsKey)
		if i < 0 {
			return set
		}
		pos += i + len(contentsKey)
		end := bytes.IndexByte(body[pos:], ' ')
		if end < 0 {
			return set
		}
		if n, err := strconv.Atoi(string(body[pos : pos+end])); err == nil {
			set[n] = true
		}
	}
}

// objectNumber is the number of the object whose "N 0 obj" line ends at at.
func objectNumber(pdf []byte, at int) int {
	line := pdf[bytes.LastIndexByte(pdf[:at], '\n')+1 : at]
	num, _, _ := bytes.Cut(line, []byte(" "))
	n, err := strconv.Atoi(string(num))
	if err != nil {
		return -1
	}
	return n
}

// startXref is the offset of the cross-reference table fpdf wrote.
func startXref(pdf []byte) (int, error) {
	k := bytes.LastIndex(pdf, []byte("startxref\n"))
	if k < 0 {
		return 0, errUpdate("no startxref")
	}
	rest := pdf[k+len("startxref\n"):]
	end := bytes.IndexByte(rest, '\n')
	if end < 0 {
		return 0, errUpdate("no startxref")
	}
	at, err := strconv.Atoi(string(rest[:end]))
	if err != nil || at <= 0 || at >= k || !bytes.HasPrefix(pdf[at:], []byte("xref\n")) {
		return 0, errUpdate("startxref does not point at a cross-reference table")
	}
	return at, nil
}

// rewriteXref appends fpdf's one-section table (xref, from "xref\n") to out with every
// in-use offset moved, and the trailer with the table's new place.
func rewriteXref(out *bytes.Buffer, xref []byte, moved func(int) int) ([]byte, error) {
	newAt := out.Len()
	lines := bytes.SplitAfter(xref, []byte("\n"))
	if len(lines) < 3 || string(lines[0]) != "xref\n" {
		return nil, errUpdate("unexpected cross-reference table")
	}
	var first, count int
	if _, err := fmt.Sscanf(string(lines[1]), "%d %d\n", &first, &count); err != nil || len(lines) < 2+count {
		return nil, errUpdate("unexpected cross-reference section")
	}
	out.Write(lines[0])
	out.Write(lines[1])
	for _, l := range lines[2 : 2+count] {
		if len(l) != 20 || l[17] != 'n' {
			out.Write(l) // free entries keep their line
			continue
		}
		off, err := strconv.Atoi(string(l[:10]))
		if err != nil {
			return nil, errUpdate("unexpected cross-reference entry")
		}
		fmt.Fprintf(out, "%010d%s", moved(off), l[10:])
	}
	trailer := bytes.Join(lines[2+count:], nil)
	k := bytes.LastIndex(trailer, []byte("startxref\n"))
	if k < 0 {
		return nil, errUpdate("no startxref")
	}
	rest := trailer[k+len("startxref\n"):]
	end := bytes.IndexByte(rest, '\n')
	if end < 0 {
		return nil, errUpdate("no startxref")
	}
	out.Write(trailer[:k])
	fmt.Fprintf(out, "startxref\n%d", newAt)
	out.Write(rest[end:]) // the end-of-file marker as fpdf wrote it
	return out.Bytes(), nil
}
