package pdf

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Evidence attachments are added to the finished PDF as an incremental update: new
// objects for each embedded file, its file specification and the annotations that open it
// from the evidence index, plus new versions of the catalog (with the EmbeddedFiles name
// tree) and of the pages that carry the annotations. fpdf can embed files itself, but it
// writes them before the pages and so shifts every page's object number, which breaks the
// outline and the contents links; an update appended after fpdf's output leaves them
// intact and stays byte-for-byte deterministic.

// attachment is one evidence file's content, compressed, ready to embed.
type attachment struct {
	key   string // name-tree key, sorted like the evidence index
	name  string
	desc  string
	media string
	size  int64
	md5   []byte
	data  []byte // zlib-compressed content
}

// annotation is a clickable rectangle on a page, in PDF points: it opens an attachment
// (att ≥ 0) or jumps to a place in the document (att < 0, destPage and destTop).
type annotation struct {
	page           int
	x1, y1, x2, y2 float64
	att            int
	destPage       int
	destTop        float64
}

// loadAttachments reads every evidence item's content through the caller's provider,
// checks it against its SHA-256, and compresses it for embedding. Identical contents are
// embedded once.
func (d *doc) loadAttachments() error {
	limit := d.opt.MaxAttachmentBytes
	if limit <= 0 {
		limit = DefaultMaxAttachmentBytes
	}
	var total int64
	for _, e := range d.m.Evidence {
		d.prog.step(1)
		sha := strings.ToLower(e.SHA256)
		if _, ok := d.bySHA[sha]; ok {
			continue
		}
		if total+e.Size > limit {
			return fmt.Errorf("the evidence to attach totals more than %d MB, too much for one PDF; run the report without --attach-evidence and hand over the evidence files separately", limit>>20)
		}
		var zbuf bytes.Buffer
		zw, _ := zlib.NewWriterLevel(&zbuf, zlib.BestSpeed)
		sh, mh := sha256.New(), md5.New()
		cw := &countWriter{limit: limit - total}
		err := d.opt.Evidence(e.SHA256, io.MultiWriter(zw, sh, mh, cw))
		if errors.Is(err, errTooMuch) || cw.n > limit-total {
			return fmt.Errorf("the evidence to attach totals more than %d MB, too much for one PDF; run the report without --attach-evidence and hand over the evidence files separately", limit>>20)
		}
		if errors.Is(err, fs.ErrNotExist) && cw.n == 0 {
			continue // listed in the index by hash, not attached
		}
		if err != nil {
			return fmt.Errorf("cannot read evidence %q for attaching (%v); run `safeguard verify` to check the vault", cleanLine(e.Name), err)
		}
		if err := zw.Close(); err != nil {
			return err
		}
		if got := hex.EncodeToString(sh.Sum(nil)); got != sha {
			return fmt.Errorf("evidence %q does not match its SHA-256 (the stored content has changed); run `safeguard verify` before reporting", cleanLine(e.Name))
		}
		total += cw.n
		d.bySHA[sha] = len(d.attached)
		d.attached = append(d.attached, attachment{
			key:   fmt.Sprintf("E%05d", len(d.attached)+1),
			name:  attachmentName(e),
			desc:  cleanLine(d.m.EvidenceRef[e.ID] + " " + e.Name),
			media: e.MediaType,
			size:  cw.n,
			md5:   mh.Sum(nil),
			data:  zbuf.Bytes(),
		})
	}
	return nil
}

var errTooMuch = errors.New("attachment limit reached")

type countWriter struct {
	n, limit int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	if c.n > c.limit {
		return 0, errTooMuch
	}
	return len(p), nil
}

// attachmentFor returns the loaded attachment of an evidence SHA-256, or nil.
func (d *doc) attachmentFor(sha string) *attachment {
	if i, ok := d.bySHA[strings.ToLower(sha)]; ok {
		return &d.attached[i]
	}
	return nil
}

// linkAttachment records that the rectangle (in millimetres, on the current page) opens
// the attachment.
func (d *doc) linkAttachment(a *attachment, x, y, w, h float64) {
	idx := -1
	for i := range d.attached {
		if &d.attached[i] == a {
			idx = i
			break
		}
	}
	if idx < 0 {
		return
	}
	d.annots = append(d.annots, rect(d.f.PageNo(), x, y, w, h))
	d.annots[len(d.annots)-1].att = idx
}

// linkTo records that the rectangle (in millimetres, on the current page) jumps to the
// given page and height. fpdf can make such links itself, but it writes them inline in
// the page's annotation array, which the PDF specification does not allow.
func (d *doc) linkTo(x, y, w, h float64, page int, top float64) {
	a := rect(d.f.PageNo(), x, y, w, h)
	a.att = -1
	a.destPage = page
	a.destTop = (pageH - top) * 72 / 25.4
	d.annots = append(d.annots, a)
}

func rect(page int, x, y, w, h float64) annotation {
	k := 72 / 25.4
	return annotation{page: page, x1: x * k, y1: (pageH - y - h) * k, x2: (x + w) * k, y2: (pageH - y) * k}
}

var (
	reTrailer  = regexp.MustCompile(`trailer\s*<<\s*/Size (\d+)\s*/Root (\d+) 0 R\s*/Info (\d+) 0 R\s*>>\s*startxref\s*(\d+)\s*%%EOF\s*$`)
	reRef      = regexp.MustCompile(`(\d+) 0 R`)
	reOutlines = regexp.MustCompile(`/Outlines (\d+) 0 R`)
)

// pdfUpdate appends an incremental update to a PDF that fpdf wrote: new objects and new
// versions of existing ones, with their own cross-reference section chained to the old.
type pdfUpdate struct {
	base                   []byte
	size, root, info, xref int
	out                    bytes.Buffer
	offsets                map[int]int
	next                   int
}

func errUpdate(what string) error {
	return fmt.Errorf("the PDF could not be finished (%s); this is a bug in safeguard, please report it", what)
}

func newUpdate(pdf []byte) (*pdfUpdate, error) {
	m := reTrailer.FindSubmatch(pdf)
	if m == nil {
		return nil, errUpdate("no trailer")
	}
	// The update is appended to pdf's own array (when it has room) rather than to a copy:
	// base keeps its length, so it still reads the original file.
	u := &pdfUpdate{base: pdf, out: *bytes.NewBuffer(pdf), offsets: map[int]int{}}
	u.size, _ = strconv.Atoi(string(m[1]))
	u.root, _ = strconv.Atoi(string(m[2]))
	u.info, _ = strconv.Atoi(string(m[3]))
	u.xref, _ = strconv.Atoi(string(m[4]))
	u.next = u.size
	if !bytes.HasSuffix(pdf, []byte("\n")) {
		u.out.WriteByte('\n')
	}
	return u, nil
}

// object returns the body of an object of the original file (between "N 0 obj" and
// "endobj"), found through the original cross-reference table.
func (u *pdfUpdate) object(obj int) (string, error) {
	// "xref\n0 N\n" then one 20-byte entry per object
	p := u.xref + len("xref\n0 ") + len(strconv.Itoa(u.size)) + 1 + 20*obj
	if obj <= 0 || obj >= u.size || p+10 > len(u.base) {
		return "", errUpdate("object out of range")
	}
	off, err := strconv.Atoi(string(u.base[p : p+10]))
	if err != nil || off >= len(u.base) {
		return "", errUpdate("bad cross-reference entry")
	}
	head := fmt.Sprintf("%d 0 obj\n", obj)
	if !bytes.HasPrefix(u.base[off:], []byte(head)) {
		return "", errUpdate("object not at its offset")
	}
	rest := u.base[off+len(head):]
	end := bytes.Index(rest, []byte("\nendobj"))
	if end < 0 {
		return "", errUpdate("unterminated object")
	}
	return string(rest[:end]), nil
}

func (u *pdfUpdate) newObj() int { u.next++; return u.next - 1 }

// put writes object n (new, or a new version of an old one) with the given body.
func (u *pdfUpdate) put(n int, body string) {
	u.offsets[n] = u.out.Len()
	fmt.Fprintf(&u.out, "%d 0 obj\n%s\nendobj\n", n, body)
}

// putStream writes object n as a stream.
func (u *pdfUpdate) putStream(n int, dict string, data []byte) {
	u.offsets[n] = u.out.Len()
	fmt.Fprintf(&u.out, "%d 0 obj\n%s\nstream\n", n, dict)
	u.out.Write(data)
	u.out.WriteString("\nendstream\nendobj\n")
}

// bytes finishes the update: the cross-reference section, in runs of consecutive object
// numbers, and a trailer pointing back at the original one.
func (u *pdfUpdate) bytes() []byte {
	if len(u.offsets) == 0 {
		return u.base
	}
	objs := make([]int, 0, len(u.offsets))
	for n := range u.offsets {
		objs = append(objs, n)
	}
	slices.Sort(objs)
	xrefAt := u.out.Len()
	u.out.WriteString("xref\n")
	for i := 0; i < len(objs); {
		j := i
		for j+1 < len(objs) && objs[j+1] == objs[j]+1 {
			j++
		}
		fmt.Fprintf(&u.out, "%d %d\n", objs[i], j-i+1)
		for k := i; k <= j; k++ {
			fmt.Fprintf(&u.out, "%010d 00000 n \n", u.offsets[objs[k]])
		}
		i = j + 1
	}
	fmt.Fprintf(&u.out, "trailer\n<<\n/Size %d\n/Root %d 0 R\n/Info %d 0 R\n/Prev %d\n>>\nstartxref\n%d\n%%%%EOF\n", u.next, u.root, u.info, u.xref, xrefAt)
	return u.out.Bytes()
}

// update finishes fpdf's output: it gives outline entries with children the /Count the
// PDF specification requires (fpdf writes 0; Findings is opened to show the safeguards,
// the safeguards are closed over their standards) and embeds the evidence attachments.
func (d *doc) update(pdf []byte) ([]byte, error) {
	u, err := newUpdate(pdf)
	if err != nil {
		return nil, err
	}
	if err := d.fixOutline(u); err != nil {
		return nil, err
	}
	if err := d.putAnnotations(u); err != nil {
		return nil, err
	}
	return u.bytes(), nil
}

// fixOutline rewrites the outline items that have children. fpdf writes the items as
// consecutive objects in the order they were added, followed by the outline root.
func (d *doc) fixOutline(u *pdfUpdate) error {
	n := len(d.marks)
	if n == 0 {
		return nil
	}
	cat, err := u.object(u.root)
	if err != nil {
		return err
	}
	m := reOutlines.FindStringSubmatch(cat)
	if m == nil {
		return errUpdate("no outline")
	}
	rootObj, _ := strconv.Atoi(m[1])
	rootText, err := u.object(rootObj)
	if err != nil || !strings.HasPrefix(rootText, "<</Type /Outlines") || !strings.HasSuffix(rootText, ">>") {
		return errUpdate("unexpected outline root")
	}
	first := rootObj - n
	// children[i] lists the direct children of item i; open items show their children.
	children := make([][]int, n)
	var stack []int
	for i, lv := range d.marks {
		for len(stack) > 0 && d.marks[stack[len(stack)-1]] >= lv {
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 {
			p := stack[len(stack)-1]
			children[p] = append(children[p], i)
		}
		stack = append(stack, i)
	}
	open := func(i int) bool { return d.marks[i] == 0 }
	var visible func(i int) int // descendants shown when i is open
	visible = func(i int) int {
		v := 0
		for _, c := range children[i] {
			v++
			if open(c) {
				v += visible(c)
			}
		}
		return v
	}
	total := 0
	for i, lv := range d.marks {
		if lv == 0 {
			total++
			if len(children[i]) > 0 {
				total += visible(i)
			}
		}
		if len(children[i]) == 0 {
			continue
		}
		text, err := u.object(first + i)
		if err != nil {
			return err
		}
		if !strings.HasSuffix(text, "/Count 0>>") {
			return errUpdate("unexpected outline item")
		}
		count := visible(i)
		if !open(i) {
			count = -count
		}
		u.put(first+i, strings.TrimSuffix(text, "/Count 0>>")+fmt.Sprintf("/Count %d>>", count))
	}
	u.put(rootObj, strings.TrimSuffix(rootText, ">>")+fmt.Sprintf(" /Count %d>>", total))
	return nil
}

// putAnnotations adds the evidence files and a catalog naming them (PDF 1.7 for the
// Unicode file names), the annotations that open them from the evidence index, the
// contents links, and new versions of the pages that carry them.
func (d *doc) putAnnotations(u *pdfUpdate) error {
	if len(d.annots) == 0 {
		return nil
	}
	pagesObj, err := u.object(1)
	if err != nil {
		return err
	}
	kidsAt := strings.Index(pagesObj, "/Kids [")
	if kidsAt < 0 {
		return errUpdate("no page tree")
	}
	kidsEnd := strings.Index(pagesObj[kidsAt:], "]")
	var pageObjs []int
	for _, k := range reRef.FindAllStringSubmatch(pagesObj[kidsAt:kidsAt+kidsEnd], -1) {
		n, _ := strconv.Atoi(k[1])
		pageObjs = append(pageObjs, n)
	}

	// An empty appearance, so the annotation adds no icon over the row's own text.
	ap := 0
	if len(d.attached) > 0 {
		ap = u.newObj()
		u.putStream(ap, "<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << >> /Length 0 >>", nil)
	}

	specs := make([]int, len(d.attached))
	for i, a := range d.attached {
		file := u.newObj()
		dict := "<< /Type /EmbeddedFile"
		if st := pdfName(a.media); st != "" {
			dict += " /Subtype /" + st
		}
		dict += fmt.Sprintf(" /Filter /FlateDecode /Length %d /Params << /Size %d /CheckSum <%s> >> >>", len(a.data), a.size, hex.EncodeToString(a.md5))
		u.putStream(file, dict, a.data)
		specs[i] = u.newObj()
		u.put(specs[i], fmt.Sprintf("<< /Type /Filespec /F %s /UF %s /EF << /F %d 0 R /UF %d 0 R >> /Desc %s >>",
			asciiString(a.name), utf16String(a.name), file, file, utf16String(a.desc)))
	}

	byPage := map[int][]int{}
	var pages []int
	for _, an := range d.annots {
		n := u.newObj()
		if an.att < 0 {
			if an.destPage < 1 || an.destPage > len(pageObjs) {
				return errUpdate("link to a missing page")
			}
			u.put(n, fmt.Sprintf("<< /Type /Annot /Subtype /Link /Rect [%.2f %.2f %.2f %.2f] /Border [0 0 0] /F 4 /Dest [%d 0 R /XYZ 0 %.2f null] >>",
				an.x1, an.y1, an.x2, an.y2, pageObjs[an.destPage-1], an.destTop))
		} else {
			a := d.attached[an.att]
			u.put(n, fmt.Sprintf("<< /Type /Annot /Subtype /FileAttachment /Rect [%.2f %.2f %.2f %.2f] /Border [0 0 0] /F 4 /Name /Paperclip /FS %d 0 R /Contents %s /T %s /AP << /N %d 0 R >> >>",
				an.x1, an.y1, an.x2, an.y2, specs[an.att], utf16String("Evidence file "+a.name+": open or save it from here"), utf16String(a.name), ap))
		}
		if _, ok := byPage[an.page]; !ok {
			pages = append(pages, an.page)
		}
		byPage[an.page] = append(byPage[an.page], n)
	}
	slices.Sort(pages)
	for _, p := range pages {
		if p < 1 || p > len(pageObjs) {
			return errUpdate("annotation on a missing page")
		}
		po := pageObjs[p-1]
		text, err := u.object(po)
		if err != nil {
			return err
		}
		var refs strings.Builder
		for _, n := range byPage[p] {
			fmt.Fprintf(&refs, "%d 0 R ", n)
		}
		if i := strings.Index(text, "/Annots ["); i >= 0 {
			i += len("/Annots [")
			text = text[:i] + refs.String() + text[i:]
		} else if i := strings.Index(text, "/Type /Page\n"); i >= 0 {
			i += len("/Type /Page\n")
			text = text[:i] + "/Annots [" + strings.TrimSpace(refs.String()) + "]\n" + text[i:]
		} else {
			return errUpdate("unexpected page object")
		}
		u.put(po, text)
	}
	if len(d.attached) == 0 {
		return nil
	}

	cat, err := u.object(u.root)
	if err != nil {
		return err
	}
	var names strings.Builder
	names.WriteString("/EmbeddedFiles << /Names [")
	for i, a := range d.attached { // keys are zero-padded, so already in sorted order
		fmt.Fprintf(&names, " (%s) %d 0 R", a.key, specs[i])
	}
	names.WriteString(" ] >>")
	if i := strings.Index(cat, "/EmbeddedFiles <<"); i >= 0 {
		j := strings.Index(cat[i:], "] >>")
		if j < 0 {
			return errUpdate("unexpected name tree")
		}
		cat = cat[:i] + names.String() + cat[i+j+len("] >>"):]
	} else if i := strings.LastIndex(cat, ">>"); i >= 0 {
		cat = cat[:i] + "/Names << " + names.String() + " >>\n" + cat[i:]
	} else {
		return errUpdate("unexpected catalog")
	}
	if i := strings.Index(cat, "/Type /Catalog"); i >= 0 {
		i += len("/Type /Catalog")
		cat = cat[:i] + "\n/Version /1.7" + cat[i:]
	}
	u.put(u.root, cat)
	return nil
}

// utf16String is a PDF text string in UTF-16BE with a byte-order mark, hex encoded.
func utf16String(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// asciiString is a PDF literal string of s with non-ASCII characters replaced, for the
// legacy file name entry.
func asciiString(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r > 0x7e:
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// pdfName encodes a media type as a PDF name ("text/plain" → "text#2Fplain"), or "" when
// there is none.
func pdfName(s string) string {
	if s == "" {
		return ""
	}
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c >= 0x7f || strings.IndexByte("#/()<>[]{}%", c) >= 0 {
			fmt.Fprintf(&b, "#%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}
