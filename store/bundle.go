package store

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store/signing"
)

// Assessor bundles: one assessment with the content of its evidence, for a second
// assessor to import into their workspace, work on, and send back for a three-way merge
// (assessment/merge.go). A bundle is a zip archive of three kinds of part:
//
//	bundle.json      the manifest: bundle ID, line of work, who made it and when, the
//	                 workspace and audit chain head it was made at, the SHA-256 of the
//	                 assessment and of every evidence file, the common base, and a seal
//	                 (signed when the exporter has a signing key) over all of it
//	assessment.json  the assessment, as `export --format json` writes it
//	evidence/SHA256  each evidence file's content, named by its SHA-256
//
// The base is what the two sides last shared: per record, the SHA-256 of its content
// (and its version in the workspace that recorded it). Each workspace records every
// export, import and merge of a bundle (audited, entity "bundle"), with the base the next
// merge of the same line of work compares against. Evidence content travels in the clear
// inside the bundle (the two workspaces need not share a passphrase): keep bundles as
// you keep exports.

// Bundle format identifiers.
const (
	BundleFormat  = "safeguard-bundle"
	BundleVersion = 1
	// MaxBundleParts bounds the parts of a bundle archive.
	MaxBundleParts = 100000
)

// BundleBase is the common base of a bundle.
type BundleBase struct {
	Workspace string            `json:"workspace"` // where the line of work started
	Head      Anchor            `json:"head"`      // its chain head when it started
	Records   map[string]string `json:"records"`   // MergeKey -> SHA-256 of the content
	Versions  map[string]int64  `json:"versions"`  // MergeKey -> version in the workspace that recorded the base
}

// BundleBlob is one evidence file in a bundle.
type BundleBlob struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// BundleManifest is bundle.json.
type BundleManifest struct {
	Format       string          `json:"format"`
	Version      int             `json:"version"`
	ID           string          `json:"id"`
	Lineage      string          `json:"lineage"`
	AssessmentID string          `json:"assessment_id"`
	ExportedBy   string          `json:"exported_by"`
	ExportedAt   time.Time       `json:"exported_at"`
	Document     string          `json:"document_sha256"`
	Blobs        []BundleBlob    `json:"blobs"`
	Base         BundleBase      `json:"base"`
	Integrity    assessment.Seal `json:"integrity"`
}

// digest is the SHA-256 of the manifest without its integrity block.
func (m *BundleManifest) digest() string {
	c := *m
	c.Integrity = assessment.Seal{}
	b, _ := canonicalJSON(c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// BundleRecord is one export, import or merge of a bundle recorded in the workspace.
type BundleRecord struct {
	ID           string
	AssessmentID string
	Kind         string // export, import, merge
	BundleID     string
	Lineage      string
	FileName     string
	Base         BundleBase
	Summary      string
	At           time.Time
}

// latestLineage is the newest record of a line of work for an assessment ("" lineage:
// any line), or nil.
func latestLineage(ctx context.Context, q queryer, assessmentID, lineage string) (*BundleRecord, error) {
	query := "SELECT id, assessment_id, kind, bundle_id, lineage, file_name, base, summary, at FROM bundles WHERE assessment_id = ?"
	args := []any{assessmentID}
	if lineage != "" {
		query += " AND lineage = ?"
		args = append(args, lineage)
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY at DESC, rowid DESC LIMIT 1", args...)
	if err != nil {
		return nil, err
	}
	var out *BundleRecord
	err = eachRow(rows, func(sc scanner) error {
		var r BundleRecord
		var base, at string
		if err := sc.Scan(&r.ID, &r.AssessmentID, &r.Kind, &r.BundleID, &r.Lineage, &r.FileName, &base, &r.Summary, &at); err != nil {
			return err
		}
		r.At, _ = time.Parse(time.RFC3339Nano, at)
		if err := json.Unmarshal([]byte(base), &r.Base); err != nil {
			return err
		}
		out = &r
		return nil
	})
	return out, err
}

func (t *Tx) writeBundleRecord(r BundleRecord) error {
	base, err := json.Marshal(r.Base)
	if err != nil {
		return err
	}
	r.ID = uuid.NewString()
	if _, err := t.exec(`INSERT INTO bundles (id, assessment_id, kind, bundle_id, lineage, file_name, base, summary, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.AssessmentID, r.Kind, r.BundleID, r.Lineage, r.FileName, string(base), r.Summary, t.at); err != nil {
		return err
	}
	return t.record(ActionCreate, "bundle", r.ID, r.AssessmentID)
}

// versionsOf reads the version of each mergeable record of an assessment.
func versionsOf(ctx context.Context, q queryer, snap *assessment.Snapshot) map[string]int64 {
	out := map[string]int64{}
	for _, r := range snap.Responses {
		out[assessment.MergeKey{Kind: assessment.MergeResponse, ID: r.QuestionID + "/" + r.AssetID}.String()] = r.Version
	}
	for _, o := range snap.Overrides {
		out[assessment.MergeKey{Kind: assessment.MergeOverride, ID: o.QuestionID + "/" + o.AssetID}.String()] = o.Version
	}
	for _, r := range snap.Risks {
		out[assessment.MergeKey{Kind: assessment.MergeRisk, ID: r.ID}.String()] = r.Version
	}
	return out
}

// ExportBundle writes a bundle of an assessment to w and records the export (audited)
// through record, which the caller runs once the file is complete (see cmd_bundle.go).
// key signs the manifest (nil: unsigned). An encrypted workspace must be unlocked.
func (s *Store) ExportBundle(ctx context.Context, id, fileName string, key *signing.Key, w io.Writer) (*BundleManifest, error) {
	doc, err := s.Export(ctx, id, s.now())
	if err != nil {
		return nil, err
	}
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		return nil, err
	}
	ws, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	m := &BundleManifest{Format: BundleFormat, Version: BundleVersion, ID: uuid.NewString(), AssessmentID: id,
		ExportedBy: s.Actor(), ExportedAt: doc.ExportedAt}
	prev, err := latestLineage(ctx, s.db, id, "")
	if err != nil {
		return nil, friendly(s.path, err)
	}
	if prev != nil {
		m.Lineage, m.Base = prev.Lineage, prev.Base
	} else {
		m.Lineage = m.ID
		m.Base = BundleBase{Workspace: ws, Head: Anchor{Seq: doc.Integrity.Seq, Hash: doc.Integrity.Head},
			Records: assessment.RecordHashes(doc), Versions: versionsOf(ctx, s.db, snap)}
	}
	docJSON, err := canonicalJSON(doc)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(docJSON)
	m.Document = hex.EncodeToString(sum[:])
	seen := map[string]bool{}
	for _, e := range doc.Evidence {
		if e.IsNote || seen[e.SHA256] {
			continue
		}
		if ok, err := s.HasContent(ctx, e.SHA256); err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue // recorded by hash only here: the bundle cannot carry it either
		}
		seen[e.SHA256] = true
		m.Blobs = append(m.Blobs, BundleBlob{SHA256: e.SHA256, Size: e.Size})
	}
	sort.Slice(m.Blobs, func(i, j int) bool { return m.Blobs[i].SHA256 < m.Blobs[j].SHA256 })
	m.Integrity = assessment.Seal{Workspace: ws, Seq: doc.Integrity.Seq, Head: doc.Integrity.Head, SHA256: m.digest()}
	sign(key, &m.Integrity, m.Integrity.SHA256)
	manifest, err := canonicalJSON(m)
	if err != nil {
		return nil, err
	}
	zw := zip.NewWriter(w)
	for _, part := range []struct {
		name string
		data []byte
	}{{"bundle.json", manifest}, {"assessment.json", docJSON}} {
		pw, err := zw.Create(part.name)
		if err != nil {
			return nil, err
		}
		if _, err := pw.Write(part.data); err != nil {
			return nil, err
		}
	}
	for _, b := range m.Blobs {
		pw, err := zw.CreateHeader(&zip.FileHeader{Name: "evidence/" + b.SHA256, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		if err := s.EvidenceContent(ctx, b.SHA256, pw); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return m, nil
}

// RecordBundleExport records that a bundle was written (audited).
func (s *Store) RecordBundleExport(ctx context.Context, m *BundleManifest, fileName string) error {
	return s.mutate(ctx, func(t *Tx) error {
		return t.writeBundleRecord(BundleRecord{AssessmentID: m.AssessmentID, Kind: "export", BundleID: m.ID, Lineage: m.Lineage,
			FileName: fileName, Base: m.Base, Summary: fmt.Sprintf("%d evidence files", len(m.Blobs))})
	})
}

// Bundle is a bundle as read: its manifest, the assessment, and the archive for the
// evidence.
type Bundle struct {
	File     string
	Manifest BundleManifest
	Document *assessment.Document
	zip      *zip.Reader
	blobs    map[string]*zip.File
	// Signer says whose key signed the manifest ("" unsigned).
	Signer string
}

var blobName = regexp.MustCompile(`^evidence/[0-9a-f]{64}$`)

// ReadBundle reads and checks a bundle archive of size bytes: its parts, the manifest's
// digest and signature, and the assessment's SHA-256 and content. Evidence content is
// checked against its SHA-256 when it is stored.
func ReadBundle(r io.ReaderAt, size int64, file string, cat *controls.Catalog) (*Bundle, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%s is not a safeguard bundle (it is not a zip archive); give the file `safeguard bundle export` wrote", file)
	}
	if len(zr.File) > MaxBundleParts {
		return nil, fmt.Errorf("%s has more than %d parts; it is not a safeguard bundle", file, MaxBundleParts)
	}
	b := &Bundle{File: file, zip: zr, blobs: map[string]*zip.File{}}
	var manifest, doc *zip.File
	for _, f := range zr.File {
		switch {
		case f.Name == "bundle.json" && manifest == nil:
			manifest = f
		case f.Name == "assessment.json" && doc == nil:
			doc = f
		case blobName.MatchString(f.Name) && b.blobs[path.Base(f.Name)] == nil:
			b.blobs[path.Base(f.Name)] = f
		default:
			return nil, fmt.Errorf("%s holds %q, which is not part of a safeguard bundle (or is there twice); it was changed after export", file, assessment.SafeLine(f.Name))
		}
	}
	if manifest == nil || doc == nil {
		return nil, fmt.Errorf("%s is not a safeguard bundle (it has no bundle.json or assessment.json); give the file `safeguard bundle export` wrote", file)
	}
	mdata, err := readPart(manifest, 16<<20)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	dec := json.NewDecoder(bytes.NewReader(mdata))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b.Manifest); err != nil || b.Manifest.Format != BundleFormat {
		return nil, fmt.Errorf("%s is not a safeguard bundle (its manifest cannot be read); give the file `safeguard bundle export` wrote", file)
	}
	m := &b.Manifest
	if m.Version < 1 || m.Version > BundleVersion {
		return nil, fmt.Errorf("%s is a bundle of format version %d, this safeguard reads up to %d; upgrade safeguard", file, m.Version, BundleVersion)
	}
	if m.Integrity.SHA256 != m.digest() {
		return nil, fmt.Errorf("%s: the bundle's manifest does not match its digest: it was changed after export", file)
	}
	if m.Integrity.Signed() {
		if err := sealSignature(m.Integrity).Verify(signing.SealMessage(m.Integrity.Workspace, m.Integrity.Seq, m.Integrity.Head, m.Integrity.SHA256)); err != nil {
			return nil, fmt.Errorf("%s: the bundle's signature by key %s does not verify (%v): it was changed after export", file, m.Integrity.KeyFingerprint, err)
		}
		b.Signer = m.Integrity.KeyFingerprint
	}
	ddata, err := readPart(doc, assessment.MaxDocumentSize)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	sum := sha256.Sum256(ddata)
	if hex.EncodeToString(sum[:]) != m.Document {
		return nil, fmt.Errorf("%s: the assessment inside the bundle does not match the SHA-256 its manifest records: it was changed after export", file)
	}
	if b.Document, err = assessment.ParseDocument(bytes.NewReader(ddata), cat); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	if b.Document.Assessment.ID != m.AssessmentID {
		return nil, fmt.Errorf("%s: the bundle's manifest and assessment disagree; it was changed after export", file)
	}
	for _, bl := range m.Blobs {
		f := b.blobs[bl.SHA256]
		if f == nil {
			return nil, fmt.Errorf("%s lacks the evidence file %s its manifest lists; it is incomplete", file, shortSHA(bl.SHA256))
		}
		if int64(f.UncompressedSize64) != bl.Size {
			return nil, fmt.Errorf("%s: the evidence file %s has another size than its manifest records; it was changed after export", file, shortSHA(bl.SHA256))
		}
	}
	return b, nil
}

func readPart(f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("its part %s is larger than %s", f.Name, assessment.FormatSize(limit))
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("its part %s cannot be read (%v)", f.Name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("its part %s cannot be read (%v); the file is damaged", f.Name, err)
	}
	return data, nil
}

// putBundleBlobs stores the content of the evidence the document names and the bundle
// carries, each checked against its SHA-256. only, when not nil, limits it to those.
func (t *Tx) putBundleBlobs(b *Bundle, aead cipher.AEAD, only map[string]bool) error {
	limit, err := evidenceLimit(t.ctx, t)
	if err != nil {
		return err
	}
	for _, bl := range b.Manifest.Blobs {
		if only != nil && !only[bl.SHA256] {
			continue
		}
		var n int
		if err := t.queryRow("SELECT count(*) FROM blobs WHERE sha256 = ?", bl.SHA256).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		rc, err := b.blobs[bl.SHA256].Open()
		if err != nil {
			return fmt.Errorf("%s: the evidence file %s cannot be read (%v)", b.File, shortSHA(bl.SHA256), err)
		}
		ref, err := t.putBlob(rc, aead, limit, nil)
		rc.Close()
		if err != nil {
			var tb errTooBig
			if errors.As(err, &tb) {
				return fmt.Errorf("%s: the evidence file %s is larger than this workspace's evidence limit; raise the limit and merge again", b.File, shortSHA(bl.SHA256))
			}
			return fmt.Errorf("%s: the evidence file %s cannot be stored (%v); the bundle is damaged", b.File, shortSHA(bl.SHA256), err)
		}
		if ref.sha != bl.SHA256 {
			return fmt.Errorf("%s: the evidence file %s does not match its SHA-256: it was changed after export", b.File, shortSHA(bl.SHA256))
		}
		if ref.new {
			if err := t.restoreContent(ref.sha); err != nil {
				return err
			}
		}
	}
	return nil
}

// bundleNeedsKey reports whether storing the bundle's content needs the evidence key.
func bundleNeedsKey(b *Bundle) bool {
	return len(b.Manifest.Blobs) > 0 || docHasNotes(b.Document)
}

// ImportBundle adds the bundle's assessment to this workspace with the IDs it has (a merge
// back needs them), its evidence content included, in one transaction, and records the
// import with the bundle's content as the common base. An assessment already here is
// refused: merge the bundle instead.
func (s *Store) ImportBundle(ctx context.Context, b *Bundle) (ImportResult, error) {
	var aead cipher.AEAD
	if bundleNeedsKey(b) {
		var err error
		if aead, err = s.sealer(ctx); err != nil {
			return ImportResult{}, err
		}
	}
	var exists int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM assessments WHERE id = ?", b.Manifest.AssessmentID).Scan(&exists); err != nil {
		return ImportResult{}, friendly(s.path, err)
	}
	if exists > 0 {
		return ImportResult{}, fmt.Errorf("assessment %s is already in this workspace; merge the bundle into it with `safeguard bundle merge %s %s`", b.Manifest.AssessmentID, b.Manifest.AssessmentID, b.File)
	}
	base := BundleBase{Workspace: b.Manifest.Base.Workspace, Head: b.Manifest.Base.Head, Records: assessment.RecordHashes(b.Document)}
	return s.ImportDocument(ctx, b.Document, ImportOptions{Source: path.Base(b.File), keepIDs: true,
		inTx: func(t *Tx) error {
			if err := t.sealerMatches(aead); err != nil {
				return err
			}
			return t.putBundleBlobs(b, aead, nil)
		},
		after: func(t *Tx) error {
			return t.writeBundleRecord(BundleRecord{AssessmentID: b.Manifest.AssessmentID, Kind: "import", BundleID: b.Manifest.ID,
				Lineage: b.Manifest.Lineage, FileName: path.Base(b.File), Base: base, Summary: "imported from " + b.Manifest.ExportedBy})
		}})
}

// MergePreview is what merging a bundle would do, and what it was computed from.
type MergePreview struct {
	Plan *assessment.MergePlan
	// Already is set when this bundle was merged before: merging it again changes nothing.
	Already *BundleRecord
	mine    map[string]string // RecordHashes of this side when previewed
	base    BundleBase
}

// PreviewMerge checks that a bundle belongs to this assessment's line of work and
// compares it with this workspace: what would be taken, what conflicts.
func (s *Store) PreviewMerge(ctx context.Context, id string, b *Bundle) (*MergePreview, error) {
	m := &b.Manifest
	if m.AssessmentID != id {
		return nil, fmt.Errorf("%s is a bundle of assessment %s, not of %s; merge it into that assessment (bundles of unrelated assessments do not merge)", b.File, m.AssessmentID, id)
	}
	ws, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	var already *BundleRecord
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM bundles WHERE bundle_id = ? AND kind = 'merge' AND assessment_id = ?", m.ID, id).Scan(&n); err != nil {
		return nil, friendly(s.path, err)
	}
	if n > 0 {
		rec, err := latestLineage(ctx, s.db, id, m.Lineage)
		if err != nil {
			return nil, friendly(s.path, err)
		}
		already = rec
	}
	lineage, err := latestLineage(ctx, s.db, id, m.Lineage)
	if err != nil {
		return nil, friendly(s.path, err)
	}
	if lineage == nil {
		return nil, fmt.Errorf("%s does not share a base with this workspace's assessment %s (this workspace neither exported nor imported its line of work); import it into a workspace of its own instead", b.File, id)
	}
	if m.Base.Workspace == ws && m.Base.Head.Seq > 0 {
		a, err := s.CheckAnchor(ctx, m.Base.Head)
		if err != nil {
			return nil, err
		}
		if !a.Found {
			return nil, fmt.Errorf("%s: its base is audit entry %d of this workspace, which the chain no longer holds unchanged (the history was rewritten or the workspace replaced); nothing was merged", b.File, m.Base.Head.Seq)
		}
	}
	if m.Integrity.Workspace == ws {
		return nil, fmt.Errorf("%s was exported from this workspace; merge a bundle the other assessor sent back", b.File)
	}
	mine, err := s.Export(ctx, id, s.now())
	if err != nil {
		return nil, err
	}
	base := lineage.Base
	return &MergePreview{Plan: assessment.PlanMerge(base.Records, mine, b.Document), Already: already,
		mine: assessment.RecordHashes(mine), base: base}, nil
}

// MergeResult says what a merge did.
type MergeResult struct {
	Taken, Mine, Theirs int
}

// ApplyMerge merges a previewed bundle in one transaction: every change made only on
// their side, and each conflict as decided (theirs[ref] true: theirs; false or absent:
// mine). Taken answers and evidence keep their author and time, marked as merged from
// the bundle. The merge is recorded with the new common base. Nothing is merged when the
// workspace changed since the preview.
func (s *Store) ApplyMerge(ctx context.Context, id string, b *Bundle, p *MergePreview, theirs map[string]bool) (MergeResult, error) {
	var res MergeResult
	cat, err := s.catalog()
	if err != nil {
		return res, err
	}
	var take []assessment.MergeChange
	take = append(take, p.Plan.Take...)
	for _, c := range p.Plan.Conflicts {
		if theirs[c.Ref] {
			take = append(take, c)
			res.Theirs++
		} else {
			res.Mine++
		}
	}
	res.Taken = len(p.Plan.Take)
	var aead cipher.AEAD
	if needsContent(take) {
		if aead, err = s.sealer(ctx); err != nil {
			return res, err
		}
	}
	mark := fmt.Sprintf("bundle %s from %s, merged %s", path.Base(b.File), b.Manifest.ExportedBy, s.now().UTC().Format(time.DateOnly))
	err = s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(id); err != nil {
			return err
		}
		now, err := s.loadSnapshot(ctx, t.tx, cat, id)
		if err != nil {
			return err
		}
		if !sameHashes(assessment.RecordHashes(assessment.DocumentOf(now)), p.mine, now) {
			return fmt.Errorf("the assessment changed since the merge was previewed; preview the merge again (nothing was merged)")
		}
		if err := t.sealerMatches(aead); err != nil {
			return err
		}
		blobs := map[string]bool{}
		for _, c := range take {
			if e, ok := c.Theirs.(assessment.EvidenceDoc); ok && !e.IsNote {
				blobs[e.SHA256] = true
			}
		}
		if err := t.putBundleBlobs(b, aead, blobs); err != nil {
			return err
		}
		for _, c := range take {
			if err := t.applyMergeChange(cat, id, c, mark, aead); err != nil {
				return fmt.Errorf("merging %s: %w", c.Label, err)
			}
		}
		base := BundleBase{Workspace: p.base.Workspace, Head: p.base.Head, Records: assessment.RecordHashes(b.Document)}
		return t.writeBundleRecord(BundleRecord{AssessmentID: id, Kind: "merge", BundleID: b.Manifest.ID, Lineage: b.Manifest.Lineage,
			FileName: path.Base(b.File), Base: base,
			Summary: fmt.Sprintf("%d taken, %d conflicts kept mine, %d conflicts took theirs", res.Taken, res.Mine, res.Theirs)})
	})
	return res, err
}

// sameHashes compares the record hashes of the assessment now with those at the preview;
// note text is not in a snapshot, so evidence compares by its metadata there too.
func sameHashes(now, then map[string]string, _ *assessment.Snapshot) bool {
	if len(now) != len(then) {
		return false
	}
	for k, v := range now {
		if then[k] != v {
			return false
		}
	}
	return true
}

func needsContent(cs []assessment.MergeChange) bool {
	for _, c := range cs {
		if _, ok := c.Theirs.(assessment.EvidenceDoc); ok {
			return true
		}
	}
	return false
}

// applyMergeChange writes their version of one record (or removes it), audited.
func (t *Tx) applyMergeChange(cat *controls.Catalog, id string, c assessment.MergeChange, mark string, aead cipher.AEAD) error {
	exists := c.Mine != nil
	action := ActionCreate
	if exists {
		action = ActionUpdate
	}
	switch x := c.Theirs.(type) {
	case nil:
		return t.removeMerged(id, c)
	case assessment.Vendor:
		return t.writeVendor(id, x, action)
	case assessment.Asset:
		if err := assessment.CheckAsset(cat, x); err != nil {
			return err
		}
		return t.writeAsset(id, x, action)
	case assessment.Flow:
		if exists {
			if legacy, err := t.flowTable(x.ID, id); err == nil && legacy {
				if err := t.deleteRecord("flows", "flow", x.ID, id); err != nil {
					return err
				}
				action = ActionCreate
			}
		}
		return t.writeFlow(id, x, action)
	case assessment.EvidenceDoc:
		return t.mergeEvidence(id, x, exists, mark, aead)
	case assessment.EvidenceLinkRecord:
		if err := t.checkLink(cat, id, x.Link); err != nil {
			return err
		}
		_, err := t.writeLink(id, x.EvidenceID, x.Link)
		return err
	case assessment.Response:
		x.ImportedFrom, x.Version = mark, 0
		return t.writeResponse(id, x)
	case assessment.Override:
		return t.writeOverride(id, x)
	case assessment.Risk:
		return t.writeRisk(id, x, action)
	}
	return fmt.Errorf("internal error: %T cannot be merged", c.Theirs)
}

// mergeEvidence adds their evidence, or updates the metadata of evidence both have.
func (t *Tx) mergeEvidence(id string, e assessment.EvidenceDoc, exists bool, mark string, aead cipher.AEAD) error {
	if exists {
		if _, err := t.exec("UPDATE evidence SET name = ?, description = ?, valid_until = ? WHERE id = ?",
			e.Name, e.Description, e.ValidUntil, e.ID); err != nil {
			return err
		}
		return t.record(ActionUpdate, "evidence", e.ID, id)
	}
	ev := e.Evidence
	ev.ImportedFrom = mark
	inVault := false
	if e.NoteText != "" {
		ref, err := t.putBlob(strings.NewReader(e.NoteText), aead, MaxNoteBytes, nil)
		if err != nil {
			return err
		}
		if ref.sha != ev.SHA256 {
			return fmt.Errorf("the note text does not match its SHA-256; the bundle was changed after export")
		}
		inVault = true
	} else {
		var n int
		if err := t.queryRow("SELECT count(*) FROM blobs WHERE sha256 = ?", ev.SHA256).Scan(&n); err != nil {
			return err
		}
		inVault = n > 0
	}
	return t.writeEvidence(id, ev, inVault)
}

// removeMerged removes a record their side removed. Assets, vendors and evidence are not
// removed by a merge (removing them removes what hangs on them); the merge keeps them.
func (t *Tx) removeMerged(id string, c assessment.MergeChange) error {
	var table, entity, rid string
	switch x := c.Mine.(type) {
	case assessment.Response:
		table, entity, rid = "responses", "response", itemID(id, x.QuestionID, x.AssetID)
	case assessment.Override:
		table, entity, rid = "overrides", "override", itemID(id, x.QuestionID, x.AssetID)
	case assessment.Risk:
		table, entity, rid = "risks", "risk", x.ID
	case assessment.EvidenceLinkRecord:
		table, entity, rid = "evidence_links", "evidence_link", linkID(x.EvidenceID, x.Link)
	case assessment.Flow:
		legacy, err := t.flowTable(x.ID, id)
		if err != nil {
			return err
		}
		table, entity, rid = "data_flows", "data_flow", x.ID
		if legacy {
			table, entity = "flows", "flow"
		}
	default:
		return nil
	}
	var n int
	if err := t.queryRow("SELECT count(*) FROM "+table+" WHERE id = ?", rid).Scan(&n); err != nil && err != sql.ErrNoRows {
		return err
	}
	if n == 0 {
		return nil
	}
	return t.deleteRecord(table, entity, rid, id)
}
