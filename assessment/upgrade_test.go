package assessment

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"safeguard/controls"
)

// oldExport is the demo assessment as catalog 2026.11.0 exported it, before questions were
// merged: answers, overrides, risks and evidence links under question IDs that are now
// retired.
const oldExport = "testdata/export-catalog-2026.11.0.json"

func loadOldExport(t *testing.T) *Document {
	t.Helper()
	f, err := os.Open(oldExport)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := ParseDocument(f, defaultCatalog(t))
	if err != nil {
		t.Fatalf("the 2026.11.0 export does not import: %v", err)
	}
	return doc
}

// TestUpgradeOldExport: every record under a retired ID moves to the question that replaced
// it, nothing typed is lost, and the result passes the import checks.
func TestUpgradeOldExport(t *testing.T) {
	cat := defaultCatalog(t)
	raw, err := os.ReadFile(oldExport)
	if err != nil {
		t.Fatal(err)
	}
	var before Document
	if err := jsonUnmarshal(raw, &before); err != nil {
		t.Fatal(err)
	}
	retiredAnswers := 0
	for _, r := range before.Responses {
		if _, ok := cat.Retired(r.QuestionID); ok {
			retiredAnswers++
		}
	}
	if retiredAnswers < 20 {
		t.Fatalf("the old export has only %d answers under retired IDs; it no longer exercises the upgrade", retiredAnswers)
	}
	doc := loadOldExport(t)
	if doc.CatalogVersion != cat.Version {
		t.Errorf("upgraded document claims catalog %s, want %s", doc.CatalogVersion, cat.Version)
	}
	notes := ""
	seen := map[ItemKey]bool{}
	for _, r := range doc.Responses {
		if _, retired := cat.Retired(r.QuestionID); retired {
			t.Errorf("answer still under retired question %s", r.QuestionID)
		}
		k := ItemKey{r.QuestionID, r.AssetID}
		if seen[k] {
			t.Errorf("two answers for %v after the upgrade", k)
		}
		seen[k] = true
		notes += r.Note + "\n" + r.Reason + "\n" + r.DecisionText + "\n"
	}
	for _, r := range before.Responses {
		if _, retired := cat.Retired(r.QuestionID); retired {
			for _, text := range []string{r.Note, r.Reason, r.DecisionText} {
				if text != "" && !strings.Contains(notes, text) {
					t.Errorf("the text of the answer to retired question %s was lost: %q", r.QuestionID, text)
				}
			}
		}
	}
	for _, o := range doc.Overrides {
		if _, retired := cat.Retired(o.QuestionID); retired {
			t.Errorf("override still under retired question %s", o.QuestionID)
		}
	}
	for _, r := range doc.Risks {
		for _, id := range r.QuestionIDs {
			if _, retired := cat.Retired(id); retired {
				t.Errorf("risk %q still names retired question %s", r.Title, id)
			}
		}
	}
	for _, e := range doc.Evidence {
		for _, l := range e.Links {
			if _, retired := cat.Retired(l.QuestionID); retired {
				t.Errorf("evidence %s still links retired question %s", e.Name, l.QuestionID)
			}
			if q, ok := cat.Question(l.QuestionID); ok && (q.Scope == controls.ScopeAsset) != (l.AssetID != "") {
				t.Errorf("evidence %s links %s with the wrong scope", e.Name, l.QuestionID)
			}
		}
	}
	// The demo's per-asset leaver finding on the EHR now belongs to the organization-wide
	// leaver question, marked to re-validate, with the finding kept.
	var leaver *Response
	for i := range doc.Responses {
		if doc.Responses[i].QuestionID == "312a1-ac-18" && doc.Responses[i].AssetID == "" {
			leaver = &doc.Responses[i]
		}
	}
	if leaver == nil || !strings.Contains(leaver.Note, "three EHR accounts") {
		t.Errorf("the EHR leaver finding did not reach 312a1-ac-18: %+v", leaver)
	}
	// The EHR audit-log override moved to the question that absorbed 312b-cloud-02.
	moved := false
	for _, o := range doc.Overrides {
		if o.QuestionID == "308a1iid-iar-04" && o.Owner == controls.OwnerProvider && strings.Contains(o.Reason, "seven years") {
			moved = true
		}
	}
	if !moved {
		t.Errorf("the override on retired 312b-cloud-02 did not move to 308a1iid-iar-04: %+v", doc.Overrides)
	}
	if n := doc.Upgrade(cat); n != 0 {
		t.Errorf("upgrading again changed %d records", n)
	}
}

// TestReadRetiredAnswers: a workspace started with the older catalog keeps answers under
// retired IDs; the Analysis reads them for the questions that replaced them.
func TestReadRetiredAnswers(t *testing.T) {
	cat := defaultCatalog(t)
	s := &Snapshot{Catalog: cat, Profile: Profile{EntityType: EntityProvider},
		Assets: []Asset{{ID: "bak", Name: "Backups", Kind: "backup", Hosting: controls.IaaS, InScope: true}},
		Responses: []Response{
			{QuestionID: "308a7iia-bak-04", AssetID: "bak", Status: Implemented, Note: "Encrypted with our key"},
			{QuestionID: "312b-rev-03", Status: Partial},
			{QuestionID: "308a1iid-iar-08", Status: Implemented},
		}}
	a := Analyze(s)
	if v, ok := a.Item(ItemKey{"312a2iv-enc-04", "bak"}); !ok || v.Status != Implemented {
		t.Errorf("the answer under retired 308a7iia-bak-04 is not read for 312a2iv-enc-04: %+v", v)
	}
	if v, _ := a.Item(ItemKey{"308a1iid-iar-08", ""}); v.Status != Implemented {
		t.Errorf("a retired answer overrode the surviving question's own answer: %q", v.Status)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
