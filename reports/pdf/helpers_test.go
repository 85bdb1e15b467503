package pdf

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/controls"
)

// fixedNow is the clock the test snapshots are built with.
var fixedNow = time.Date(2026, time.October, 1, 15, 4, 5, 0, time.UTC)

func catalog(tb testing.TB) *controls.Catalog {
	tb.Helper()
	c, err := controls.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// demoSnapshot is the sample assessment with an audit summary, as the CLI would load it.
func demoSnapshot(tb testing.TB) *assessment.Snapshot {
	tb.Helper()
	cat := catalog(tb)
	s := assessment.SnapshotOf(assessment.Demo(cat, fixedNow), cat)
	s.Audit = assessment.AuditSummary{Entries: 812, Head: strings.Repeat("ab12", 16), Verified: true}
	return s
}

// noteContents serves the demo's evidence notes by hash (the demo's hashes are of the note
// text) and any other content registered in extra.
func noteContents(tb testing.TB, extra map[string][]byte) func(string, io.Writer) error {
	tb.Helper()
	cat := catalog(tb)
	byHash := map[string][]byte{}
	for _, e := range assessment.Demo(cat, fixedNow).Evidence {
		byHash[e.SHA256] = []byte(e.NoteText)
	}
	for k, v := range extra {
		byHash[k] = v
	}
	return func(sha string, w io.Writer) error {
		b, ok := byHash[sha]
		if !ok {
			return fmt.Errorf("no blob %s", sha)
		}
		_, err := w.Write(b)
		return err
	}
}

// bigSnapshot is the assessment the budgets are set against, scaled: 40×scale
// assets of mixed kinds and hosting with every applicable item answered (with notes and
// decisions), 500×scale risks and 200×scale evidence items. It mirrors store's
// bigDocument, with the text a real assessment carries.
func bigSnapshot(tb testing.TB, scale int) *assessment.Snapshot {
	tb.Helper()
	c := catalog(tb)
	kinds := []string{"ehr", "pacs", "telehealth", "backup", "email", "endpoint", "mobile", "network", "other"}
	at := time.Unix(1767225600, 0).UTC()
	s := &assessment.Snapshot{
		Assessment: assessment.Assessment{ID: "0b7c5a8e-big0-4d1e-9f00-000000000040", Title: "2026 HIPAA Security Risk Analysis",
			Organization: "Big Health System", Status: assessment.StatusInReview, CatalogVersion: c.Version, CreatedAt: at, UpdatedAt: at},
		Profile: assessment.Profile{EntityType: assessment.EntityProvider, Size: "large", Matrix: assessment.MatrixNIST5x5,
			Assessors: []string{"Avery Assessor", "Blake Reviewer"}, PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31",
			Scope: "Every system that handles ePHI across the health system's hospitals and clinics."},
		Catalog:     c,
		GeneratedAt: at,
		Audit:       assessment.AuditSummary{Entries: 25000, Head: strings.Repeat("0f", 32), Verified: true},
	}
	s.Vendors = []assessment.Vendor{
		{ID: "v1", Name: "Cloud Co", Services: "IaaS and PaaS hosting", BAA: assessment.BAASigned, BAASigned: "2025-01-01",
			Attestations: []assessment.Attestation{{Kind: assessment.AttSOC2Type2, Expires: "2027-01-01"}}},
		{ID: "v2", Name: "Records SaaS", Services: "Hosted EHR", BAA: assessment.BAARequested,
			Attestations: []assessment.Attestation{{Kind: assessment.AttHITRUSTr2, Expires: "2026-03-01"}}},
	}
	for i := 0; i < 40*scale; i++ {
		a := assessment.Asset{ID: fmt.Sprintf("a%03d", i), Name: fmt.Sprintf("System %03d", i), Kind: kinds[i%len(kinds)],
			Hosting: controls.Hostings[i%4], InScope: true, EPHI: true, Records: 1000 * i, Location: "Region " + fmt.Sprint(i%3),
			Owner: "IT team " + fmt.Sprint(i%5), Criticality: "high", EncAtRest: assessment.EncryptionChoices[i%4].Value, TLS: "tls1.2"}
		if a.Hosting != controls.OnPrem {
			a.VendorID = []string{"v1", "v2"}[i%2]
		}
		s.Assets = append(s.Assets, a)
		if i > 0 {
			s.Flows = append(s.Flows, assessment.Flow{ID: fmt.Sprintf("f%03d", i), From: s.Assets[i-1].ID, To: a.ID,
				Description: "Nightly export of encounter records", Encrypted: i%3 != 0})
		}
	}
	statuses := []assessment.ResponseStatus{assessment.Implemented, assessment.Implemented, assessment.Partial, assessment.NotImplemented}
	for i, it := range assessment.Applicable(c, s.Profile, s.Assets) {
		r := assessment.Response{QuestionID: it.Question.ID, Status: statuses[i%len(statuses)], By: "Avery Assessor", At: at,
			Note: "Reviewed the configuration with the system owner; screenshots filed with the evidence."}
		if it.Asset != nil {
			r.AssetID = it.Asset.ID
		}
		if sp, ok := c.Specification(it.Question.Specification); ok && sp.Requirement == controls.Addressable {
			r.Decision = assessment.DecisionAlternative
			r.DecisionText = "A compensating control covers this: access is brokered through the jump host with session recording."
		}
		s.Responses = append(s.Responses, r)
	}
	for i := 0; i < 500*scale; i++ {
		v := c.Vulnerabilities[i%len(c.Vulnerabilities)]
		s.Risks = append(s.Risks, assessment.Risk{ID: fmt.Sprintf("r%04d", i), AssetID: s.Assets[i%len(s.Assets)].ID, VulnerabilityID: v.ID,
			ThreatID: v.Threats[0].ID, QuestionIDs: v.MitigatedBy[:1], Title: v.Title, Likelihood: 1 + i%5, Impact: 1 + (i/5)%5,
			Rationale: "Rated from the threat library's hint and the asset's exposure.", Treatment: assessment.TreatMitigate,
			Measures: "Apply the vendor's hardening baseline and review quarterly.", Owner: "IT team", Due: "2026-06-30", Status: assessment.RiskOpen})
	}
	items := assessment.Applicable(c, s.Profile, s.Assets)
	for i := 0; i < 200*scale; i++ {
		content := fmt.Sprintf("evidence %d", i)
		sum := sha256.Sum256([]byte(content))
		it := items[(i*37)%len(items)]
		link := assessment.EvidenceLink{QuestionID: it.Question.ID}
		if it.Asset != nil {
			link.AssetID = it.Asset.ID
		}
		s.Evidence = append(s.Evidence, assessment.Evidence{ID: fmt.Sprintf("e%04d", i), SHA256: hex.EncodeToString(sum[:]),
			Name: fmt.Sprintf("evidence-%04d.pdf", i), MediaType: "application/pdf", Size: int64(len(content)), AddedBy: "Avery Assessor",
			AddedAt: at.Add(time.Duration(i) * time.Minute), Links: []assessment.EvidenceLink{link}})
	}
	return s
}

// writeArtifact keeps a rendered PDF for inspection when SAFEGUARD_PDF_OUT names a folder.
func writeArtifact(tb testing.TB, name string, b []byte) {
	if dir := os.Getenv("SAFEGUARD_PDF_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}
