package store

import (
	"context"
	"crypto/cipher"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"safeguard/assessment"
	"safeguard/store/signing"
)

// SetStatus moves an assessment between draft and in review. Final is reached only by
// Finalise.
func (s *Store) SetStatus(ctx context.Context, id string, st assessment.Status) error {
	if st != assessment.StatusDraft && st != assessment.StatusInReview {
		return fmt.Errorf("status %q cannot be set directly; use draft or in-review, and finalize to lock", st)
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(id); err != nil {
			return err
		}
		if _, err := t.exec("UPDATE assessments SET status = ?, updated_at = ? WHERE id = ?", string(st), t.at, id); err != nil {
			return err
		}
		return t.record(ActionUpdate, "assessment", id, id)
	})
}

// ReadinessError lists what blocks finalizing.
type ReadinessError struct {
	Items []assessment.ReadinessItem
}

func (e *ReadinessError) Error() string {
	return fmt.Sprintf("%s finalizing; resolve them (see the readiness list) and try again",
		assessment.Plural(len(e.Items), "item blocks", "items block"))
}

// Finalise signs off and locks an assessment. Everything on the readiness list must be
// resolved first, and the sign-off must pass assessment.CheckSignOff against the last
// recorded work and now (a real sentence, a date neither before the work nor after today,
// an approver other than the signer). The sign-off seals the audit chain head that
// includes its own entries (the sign-off and the assessment becoming final), signed when
// there is a signing key (SetSigner), so a report made afterwards can say exactly what
// changed since; the seal, not the sign-off row, carries that head.
func (s *Store) Finalise(ctx context.Context, id string, so assessment.SignOff, now time.Time) error {
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		return err
	}
	if snap.Assessment.Status == assessment.StatusFinal {
		return fmt.Errorf("assessment %s is already final; start a new revision to change it", id)
	}
	if err := assessment.CheckSignOff(so, snap.Assessment.UpdatedAt, now); err != nil {
		return err
	}
	snap.GeneratedAt = now
	sum := assessment.Analyze(snap).Summary
	if len(sum.Readiness) > 0 {
		return &ReadinessError{Items: sum.Readiness}
	}
	key, err := s.signingKey()
	if err != nil {
		return err
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(id); err != nil {
			return err
		}
		so.ChainHead = "" // the seal below names the head, its own entries included
		so.RecordedAt, _ = time.Parse(time.RFC3339Nano, t.at)
		if err := t.writeSignOff(id, &so, ActionUpdate); err != nil {
			return err
		}
		if _, err := t.exec("UPDATE assessments SET status = 'final', updated_at = ? WHERE id = ?", t.at, id); err != nil {
			return err
		}
		if err := t.record(ActionUpdate, "assessment", id, id); err != nil {
			return err
		}
		_, err := t.sealHead(id, SealSignOff, key)
		return err
	})
}

func (t *Tx) writeSignOff(id string, so *assessment.SignOff, action string) error {
	var ap assessment.Approver
	if so.Approver != nil {
		ap = *so.Approver
	}
	recorded := ""
	if !so.RecordedAt.IsZero() {
		recorded = so.RecordedAt.UTC().Format(time.RFC3339Nano)
	}
	if _, err := t.exec(`INSERT INTO sign_offs (assessment_id, name, role, date, statement, chain_head, recorded_at,
		approver_name, approver_role, approver_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (assessment_id) DO UPDATE SET name = excluded.name, role = excluded.role, date = excluded.date,
		statement = excluded.statement, chain_head = excluded.chain_head, recorded_at = excluded.recorded_at,
		approver_name = excluded.approver_name, approver_role = excluded.approver_role, approver_date = excluded.approver_date`,
		id, so.Name, so.Role, so.Date, so.Statement, so.ChainHead, recorded, ap.Name, ap.Role, ap.Date); err != nil {
		return err
	}
	return t.record(action, "signoff", id, id)
}

// NewRevision starts next year's assessment from a previous one: the profile, vendors,
// assets, flows, owner overrides and risks are copied with new IDs, and every answer is
// carried forward marked "to re-validate". Returns the new assessment's ID.
func (s *Store) NewRevision(ctx context.Context, id, title string) (string, error) {
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		return "", err
	}
	doc := assessment.DocumentOf(snap)
	doc.Assessment.Title = title
	doc.Assessment.Status = assessment.StatusDraft
	doc.RevisionOf = id
	doc.SignOff = nil
	doc.Incidents = nil // incidents stay with the assessment they were recorded against
	for i := range doc.Responses {
		doc.Responses[i].Revalidate = true
	}
	// The review plan and the "no vendors" statement carry forward; the record of how this
	// analysis collected its data, its per-gap reasons, its threat rulings and its vendor
	// reviews describe work done for it, so the revision starts them afresh.
	doc.Method, doc.NoRisk, doc.ThreatRulings, doc.VendorReviews = nil, nil, nil, nil
	return s.Import(ctx, doc, ImportOptions{NewIDs: true})
}

// ImportOptions tune Import.
type ImportOptions struct {
	// NewIDs gives every record a fresh ID (always done when the assessment's ID, or the
	// ID of any record in it, is already in the workspace).
	NewIDs bool
	// Source is the name of the file the document was read from; "" for documents made
	// in this workspace (the demo, a revision). A document from a file is not trusted:
	// its answers and evidence are marked as imported from it, and it keeps a final
	// status and sign-off only when its export signature verifies.
	Source string

	// keepIDs refuses IDs the workspace already has instead of remapping them (a bundle
	// must keep its IDs to merge back); inTx runs in the import's transaction before the
	// evidence is recorded (a bundle stores its evidence content), after at the end.
	keepIDs bool
	inTx    func(*Tx) error
	after   func(*Tx) error
}

// ImportResult says what Import did with the document's sign-off.
type ImportResult struct {
	ID string
	// Final reports whether the assessment kept its final status and sign-off; Why says
	// why (the signer's key) or why not.
	Final bool
	Why   string
}

// Import adds a whole assessment from a document in one transaction: all of it, or, on any
// error, nothing. It returns the new assessment's ID.
func (s *Store) Import(ctx context.Context, doc *assessment.Document, opt ImportOptions) (string, error) {
	res, err := s.ImportDocument(ctx, doc, opt)
	return res.ID, err
}

// ImportDocument is Import, also saying what became of the document's sign-off.
func (s *Store) ImportDocument(ctx context.Context, doc *assessment.Document, opt ImportOptions) (ImportResult, error) {
	var res ImportResult
	cat, err := s.catalog()
	if err != nil {
		return res, err
	}
	// Answers, overrides, risks and links kept under question IDs an older catalog used
	// move to the questions that replaced them. A document from a file is judged (its
	// export signature checked on the content as exported) and marked before that.
	d := *doc
	d.Responses = slices.Clone(doc.Responses)
	d.Overrides = slices.Clone(doc.Overrides)
	d.Risks = cloneRisks(doc.Risks)
	d.Evidence = cloneEvidence(doc.Evidence)
	if opt.Source != "" {
		d, res = untrusted(d, opt.Source, s.now())
	}
	d.Upgrade(cat)
	if err := d.Check(cat); err != nil {
		return res, err
	}
	// Note text goes into the vault, sealed in an encrypted workspace: get the key first.
	var aead cipher.AEAD
	notes := docHasNotes(&d)
	if notes {
		if aead, err = s.sealer(ctx); err != nil {
			return res, err
		}
	}
	err = s.mutate(ctx, func(t *Tx) error {
		if notes {
			if err := t.sealerMatches(aead); err != nil {
				return err
			}
		}
		taken, err := t.idsTaken(&d)
		if err != nil {
			return err
		}
		if taken && opt.keepIDs {
			return fmt.Errorf("the assessment, or a record in it, has an ID this workspace already uses; it cannot be imported with its own IDs")
		}
		if opt.NewIDs || taken {
			d = remapIDs(d)
		}
		if err := t.importDocument(&d); err != nil {
			return err
		}
		if opt.inTx != nil {
			if err := opt.inTx(t); err != nil {
				return err
			}
		}
		if err := t.importEvidence(cat, d.Assessment.ID, d.Evidence, aead); err != nil {
			return err
		}
		// After the evidence: incidents cite evidence IDs.
		if err := t.importIncidents(d.Assessment.ID, d.Profile.EntityType, d.Incidents); err != nil {
			return err
		}
		if opt.after != nil {
			return opt.after(t)
		}
		return nil
	})
	res.ID = d.Assessment.ID
	return res, err
}

// untrusted prepares a document read from a file: answers and evidence are marked as
// imported from it, and a final status or sign-off is kept only when the exporter's
// signature over the document verifies (anyone can type a sign-off into a file).
func untrusted(d assessment.Document, source string, now time.Time) (assessment.Document, ImportResult) {
	var res ImportResult
	if d.Assessment.Status == assessment.StatusFinal || d.SignOff != nil {
		why, ok := exportSignature(&d) // before the marks below change the document
		switch {
		case ok && d.SignOff != nil:
			res = ImportResult{Final: true, Why: why}
		case ok:
			res.Why = "it has no sign-off"
		default:
			res.Why = why
		}
		if !res.Final {
			d.Assessment.Status = assessment.StatusDraft
			d.SignOff = nil
		}
	}
	mark := fmt.Sprintf("%s, imported %s", source, now.Format(time.DateOnly))
	d.Responses = append([]assessment.Response(nil), d.Responses...)
	for i := range d.Responses {
		d.Responses[i].ImportedFrom = mark
	}
	d.Evidence = append([]assessment.EvidenceDoc(nil), d.Evidence...)
	for i := range d.Evidence {
		d.Evidence[i].ImportedFrom = mark
	}
	return d, res
}

// exportSignature checks the signature of an exported document over its content and
// says whose key made it, or why it does not hold.
func exportSignature(d *assessment.Document) (string, bool) {
	in := d.Integrity
	if in == nil || !in.Signed() {
		return "the file carries no export signature, so its sign-off cannot be told from one typed in by hand", false
	}
	digest, err := d.Digest()
	if err != nil || digest != in.SHA256 {
		return "the file was changed after it was exported and signed", false
	}
	if err := sealSignature(*in).Verify(signing.SealMessage(in.Workspace, in.Seq, in.Head, in.SHA256)); err != nil {
		return fmt.Sprintf("its export signature does not verify (%v)", err), false
	}
	return fmt.Sprintf("its export signature by key %s verifies", in.KeyFingerprint), true
}

// idsTaken reports whether the assessment or any record of the document has an ID the
// workspace already uses (IDs are unique across assessments).
func (t *Tx) idsTaken(d *assessment.Document) (bool, error) {
	check := func(table string, ids []string) (bool, error) {
		for _, id := range ids {
			var n int
			if err := t.queryRow("SELECT count(*) FROM "+table+" WHERE id = ?", id).Scan(&n); err != nil {
				return false, err
			}
			if n > 0 {
				return true, nil
			}
		}
		return false, nil
	}
	groups := []struct {
		table string
		ids   []string
	}{{"assessments", []string{d.Assessment.ID}}}
	add := func(table string, id string) {
		last := &groups[len(groups)-1]
		if last.table != table {
			groups = append(groups, struct {
				table string
				ids   []string
			}{table: table})
			last = &groups[len(groups)-1]
		}
		last.ids = append(last.ids, id)
	}
	for _, v := range d.Vendors {
		add("vendors", v.ID)
	}
	for _, a := range d.Assets {
		add("assets", a.ID)
	}
	for _, f := range d.Flows {
		add("flows", f.ID)
	}
	for _, r := range d.Risks {
		add("risks", r.ID)
	}
	for _, e := range d.Evidence {
		add("evidence", e.ID)
	}
	for _, g := range groups {
		if taken, err := check(g.table, g.ids); err != nil || taken {
			return taken, err
		}
	}
	return false, nil
}

// importErr names the record of the import file that a constraint refused.
func importErr(what string, err error) error {
	if kind, ok := IsConstraint(err); ok {
		return fmt.Errorf("in the import file, %s could not be stored (%s); correct or remove it in the file (nothing was imported)", what, kind)
	}
	return err
}

func (t *Tx) importDocument(d *assessment.Document) error {
	a := d.Assessment
	status := a.Status
	if status == "" {
		status = assessment.StatusDraft
	}
	if _, err := t.exec(`INSERT INTO assessments (id, title, organization, status, catalog_version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Title, a.Organization, string(status), d.CatalogVersion, t.at, t.at); err != nil {
		return importErr(fmt.Sprintf("the assessment %q", a.Title), err)
	}
	if err := t.record(ActionCreate, "assessment", a.ID, a.ID); err != nil {
		return err
	}
	if err := t.writeProfile(a.ID, d.Profile, d.RevisionOf); err != nil {
		return importErr("the organization profile", err)
	}
	for _, v := range d.Vendors {
		if err := t.writeVendor(a.ID, v, ActionCreate); err != nil {
			return importErr(fmt.Sprintf("vendor %q", v.Name), err)
		}
	}
	for _, as := range d.Assets {
		if err := t.writeAsset(a.ID, as, ActionCreate); err != nil {
			return importErr(fmt.Sprintf("asset %q", as.Name), err)
		}
	}
	for _, f := range d.Flows {
		if err := t.writeFlow(a.ID, f, ActionCreate); err != nil {
			return importErr(fmt.Sprintf("the data flow %q", f.Description), err)
		}
	}
	for _, r := range d.Responses {
		if err := t.writeResponse(a.ID, r); err != nil {
			return importErr("the answer to "+r.QuestionID+forAssetID(r.AssetID), err)
		}
	}
	for _, o := range d.Overrides {
		if err := t.writeOverride(a.ID, o); err != nil {
			return importErr("the owner override of "+o.QuestionID+forAssetID(o.AssetID), err)
		}
	}
	for _, r := range d.Risks {
		if err := t.writeRisk(a.ID, r, ActionCreate); err != nil {
			return importErr(fmt.Sprintf("risk %q", r.Title), err)
		}
	}
	if d.SignOff != nil {
		if err := t.writeSignOff(a.ID, d.SignOff, ActionCreate); err != nil {
			return importErr("the sign-off", err)
		}
		if so := d.SignOff; so.Seal != nil {
			// The seal of the workspace the sign-off was made in, kept with its signature.
			if err := t.writeSeal(SealRecord{ID: uuid.NewString(), AssessmentID: a.ID, Kind: SealSignOff, Seal: *so.Seal}); err != nil {
				return importErr("the sign-off's seal", err)
			}
		}
	}
	return t.importMethod(d)
}

func forAssetID(id string) string {
	if id == "" {
		return ""
	}
	return " for asset " + id
}

func cloneRisks(rs []assessment.Risk) []assessment.Risk {
	out := slices.Clone(rs)
	for i := range out {
		out[i].QuestionIDs = slices.Clone(out[i].QuestionIDs)
	}
	return out
}

func cloneEvidence(es []assessment.EvidenceDoc) []assessment.EvidenceDoc {
	out := slices.Clone(es)
	for i := range out {
		out[i].Links = slices.Clone(out[i].Links)
	}
	return out
}

// remapIDs gives the assessment and every record in it a fresh ID, keeping references.
func remapIDs(d assessment.Document) assessment.Document {
	ids := map[string]string{"": ""}
	fresh := func(old string) string {
		if n, ok := ids[old]; ok {
			return n
		}
		ids[old] = uuid.NewString()
		return ids[old]
	}
	d.Assessment.ID = fresh(d.Assessment.ID)
	d.Vendors = append([]assessment.Vendor(nil), d.Vendors...)
	for i := range d.Vendors {
		d.Vendors[i].ID = fresh(d.Vendors[i].ID)
	}
	d.Assets = append([]assessment.Asset(nil), d.Assets...)
	for i := range d.Assets {
		d.Assets[i].ID = fresh(d.Assets[i].ID)
		d.Assets[i].VendorID = fresh(d.Assets[i].VendorID)
	}
	d.Flows = append([]assessment.Flow(nil), d.Flows...)
	for i := range d.Flows {
		f := &d.Flows[i]
		f.ID, f.From, f.To = fresh(f.ID), fresh(f.From), fresh(f.To)
	}
	d.Responses = append([]assessment.Response(nil), d.Responses...)
	for i := range d.Responses {
		d.Responses[i].AssetID = fresh(d.Responses[i].AssetID)
	}
	d.Overrides = append([]assessment.Override(nil), d.Overrides...)
	for i := range d.Overrides {
		d.Overrides[i].AssetID = fresh(d.Overrides[i].AssetID)
	}
	d.Risks = append([]assessment.Risk(nil), d.Risks...)
	for i := range d.Risks {
		d.Risks[i].ID, d.Risks[i].AssetID = fresh(d.Risks[i].ID), fresh(d.Risks[i].AssetID)
	}
	d.Method = append([]assessment.MethodEntry(nil), d.Method...)
	for i := range d.Method {
		d.Method[i].ID = fresh(d.Method[i].ID)
	}
	d.NoRisk = append([]assessment.NoRiskReason(nil), d.NoRisk...)
	for i := range d.NoRisk {
		d.NoRisk[i].AssetID = fresh(d.NoRisk[i].AssetID)
	}
	d.VendorReviews = append([]assessment.VendorReview(nil), d.VendorReviews...)
	for i := range d.VendorReviews {
		d.VendorReviews[i].VendorID = fresh(d.VendorReviews[i].VendorID)
	}
	oldAssessment := ""
	for old, n := range ids {
		if n == d.Assessment.ID {
			oldAssessment = old
		}
	}
	d.Incidents = remapIncidents(d.Incidents, fresh, oldAssessment, d.Assessment.ID)
	d.Evidence = append([]assessment.EvidenceDoc(nil), d.Evidence...)
	for i := range d.Evidence {
		e := &d.Evidence[i]
		e.ID = fresh(e.ID)
		links := make([]assessment.EvidenceLink, len(e.Links))
		for j, l := range e.Links {
			l.AssetID, l.VendorID = fresh(l.AssetID), fresh(l.VendorID)
			links[j] = l
		}
		e.Links = links
	}
	return d
}

// Export returns the versioned document of an assessment, anchored: its Integrity names
// the workspace, the chain head of the snapshot it was made from, and the document's
// digest (SignDocument adds a signature).
func (s *Store) Export(ctx context.Context, id string, now time.Time) (*assessment.Document, error) {
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		return nil, err
	}
	doc := assessment.DocumentOf(snap)
	doc.ExportedAt = now.UTC().Truncate(time.Second)
	if err := s.fillNoteText(ctx, doc); err != nil {
		return nil, err
	}
	if err := anchorDocument(doc, snap); err != nil {
		return nil, err
	}
	return doc, nil
}

// remapIncidents gives incidents fresh IDs and follows the new IDs of the assets, vendors,
// evidence and risks they name. Links to risks in other assessments keep their IDs.
func remapIncidents(incs []assessment.Incident, fresh func(string) string, oldAssessment, newAssessment string) []assessment.Incident {
	out := make([]assessment.Incident, len(incs))
	ids := func(in []string) []string {
		if in == nil {
			return nil
		}
		o := make([]string, len(in))
		for i, id := range in {
			o[i] = fresh(id)
		}
		return o
	}
	for i, inc := range incs {
		inc.ID = fresh(inc.ID)
		inc.Assets = slices.Clone(inc.Assets)
		for j := range inc.Assets {
			inc.Assets[j].ID, inc.Assets[j].VendorID = fresh(inc.Assets[j].ID), fresh(inc.Assets[j].VendorID)
		}
		inc.Vendors = slices.Clone(inc.Vendors)
		for j := range inc.Vendors {
			inc.Vendors[j].ID = fresh(inc.Vendors[j].ID)
		}
		inc.Factors = slices.Clone(inc.Factors)
		for j := range inc.Factors {
			inc.Factors[j].Evidence = ids(inc.Factors[j].Evidence)
		}
		inc.Notices = slices.Clone(inc.Notices)
		for j := range inc.Notices {
			inc.Notices[j].Evidence = ids(inc.Notices[j].Evidence)
		}
		inc.Delays = slices.Clone(inc.Delays)
		for j := range inc.Delays {
			inc.Delays[j].Evidence = ids(inc.Delays[j].Evidence)
		}
		inc.RiskLinks = slices.Clone(inc.RiskLinks)
		for j := range inc.RiskLinks {
			if l := &inc.RiskLinks[j]; l.AssessmentID == oldAssessment {
				l.AssessmentID, l.RiskID = newAssessment, fresh(l.RiskID)
			}
		}
		out[i] = inc
	}
	return out
}

// SignDocument signs an exported document's integrity block with key (nil: unsigned):
// the signature covers the workspace, the chain head and the document's digest.
func SignDocument(doc *assessment.Document, key *signing.Key) error {
	if doc.Integrity == nil || key == nil {
		return nil
	}
	digest, err := doc.Digest()
	if err != nil {
		return err
	}
	in := *doc.Integrity
	in.SHA256 = digest
	in.KeyFingerprint, in.PublicKey, in.Signature = "", "", ""
	sign(key, &in, digest)
	doc.Integrity = &in
	return nil
}
