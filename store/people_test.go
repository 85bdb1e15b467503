package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"safeguard/assessment"
	"safeguard/controls"
)

// TestPeopleNameTheWork: the people of a workspace are audited records; the person working
// (SetActor) is who answers, evidence and audit entries name; a name outside the list is
// refused with the names that would do; removing someone keeps their name on their work.
func TestPeopleNameTheWork(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	id := newAssessment(t, s)
	before := auditCount(t, s)
	dana, err := s.AddPerson(ctx, "  Dana Reyes ", "Security official")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPerson(ctx, "Lee Park", ""); err != nil {
		t.Fatal(err)
	}
	if got := auditCount(t, s); got != before+2 {
		t.Fatalf("adding two people wrote %d audit entries, want 2", got-before)
	}
	if _, err := s.AddPerson(ctx, "dana reyes", "Office manager"); err == nil || !strings.Contains(err.Error(), "already") {
		t.Fatalf("a second Dana Reyes (other case) was accepted: %v", err)
	}
	if _, err := s.AddPerson(ctx, "Line\nbreak", ""); err == nil {
		t.Fatal("a name with a line break was accepted")
	}
	people, err := s.People(ctx)
	if err != nil || len(people) != 2 || people[0].Name != "Dana Reyes" || people[0].Role != "Security official" {
		t.Fatalf("people = %+v, %v", people, err)
	}

	// Someone not in the list cannot work here; the error names who can.
	if _, err := s.SetActor(ctx, "root"); err == nil || !strings.Contains(err.Error(), "Dana Reyes, Lee Park") {
		t.Fatalf("SetActor(root) = %v, want a refusal naming the people", err)
	}
	p, err := s.SetActor(ctx, "DANA REYES")
	if err != nil || p.ID != dana.ID || s.Actor() != "Dana Reyes" {
		t.Fatalf("SetActor = %+v, %v; actor %q", p, err, s.Actor())
	}
	q := firstQuestion(t, required)
	if _, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: q.ID, Status: assessment.Implemented}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "policy.txt")
	if err := os.WriteFile(file, []byte("policy"), 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := s.AddEvidenceFile(ctx, id, file, EvidenceMeta{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if r := snap.ResponseMap()[assessment.ItemKey{QuestionID: q.ID}]; r == nil || r.By != "Dana Reyes" {
		t.Fatalf("the answer names %+v, want Dana Reyes", r)
	}
	if e.AddedBy != "Dana Reyes" {
		t.Fatalf("the evidence names %q, want Dana Reyes", e.AddedBy)
	}
	var actor string
	if err := s.db.QueryRow("SELECT actor FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&actor); err != nil || actor != "Dana Reyes" {
		t.Fatalf("the last audit entry names %q (%v)", actor, err)
	}

	if _, err := s.RemovePerson(ctx, "lee park"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemovePerson(ctx, "Lee Park"); err == nil {
		t.Fatal("removing someone twice succeeded")
	}
	if res, err := s.Verify(ctx); err != nil || !res.OK() {
		t.Fatalf("verify after adding and removing people: %+v %v", res, err)
	}
}

// TestPeopleEmptyListTakesAnyName: without people, any clean name works, as --actor always
// did.
func TestPeopleEmptyListTakesAnyName(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	if _, err := s.SetActor(ctx, "Consultant A"); err != nil || s.Actor() != "Consultant A" {
		t.Fatalf("SetActor on a workspace without people: %v (%q)", err, s.Actor())
	}
	if _, err := s.SetActor(ctx, " "); err == nil {
		t.Fatal("a blank actor was accepted")
	}
}

// TestRememberedActor: who was working is remembered per workspace, outside it.
func TestRememberedActor(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	path := filepath.Join(dir, "ws.db")
	s, err := Open(path, Options{Actor: "tester", StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.RememberedActor(ctx); got != "" {
		t.Fatalf("a new workspace remembers %q", got)
	}
	if _, err := s.AddPerson(ctx, "Dana Reyes", "Security official"); err != nil {
		t.Fatal(err)
	}
	if err := s.RememberActor(ctx, "Dana Reyes"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fi, err := os.Stat(filepath.Join(state, "person.json")); err != nil || fi.Mode().Perm()&0o077 != 0 {
		t.Fatalf("the record is missing or readable by others: %v %v", fi, err)
	}
	s2, err := Open(path, Options{StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := s2.RememberedActor(ctx); got != "Dana Reyes" {
		t.Fatalf("remembered %q, want Dana Reyes", got)
	}
	// Another workspace remembers nobody.
	other, err := Open(filepath.Join(dir, "other.db"), Options{StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	newAssessment(t, other)
	if got := other.RememberedActor(ctx); got != "" {
		t.Fatalf("another workspace remembers %q", got)
	}
}

// TestSaveResponsesAllOrNothing: answering every system at once writes one audited answer
// per system in one transaction; one answer that fails leaves none saved.
func TestSaveResponsesAllOrNothing(t *testing.T) {
	t.Parallel()
	s, id, aid, _ := setup(t)
	other, err := s.SaveAsset(ctx, id, assessment.Asset{Name: "Second EHR", Kind: "ehr", Hosting: controls.OnPrem, EPHI: true, InScope: true, Criticality: "high"})
	if err != nil {
		t.Fatal(err)
	}
	q := firstQuestion(t, ehrQuestion)
	before := auditCount(t, s)
	bad := []assessment.Response{
		{QuestionID: q.ID, AssetID: aid, Status: assessment.NotImplemented},
		{QuestionID: q.ID, AssetID: "no-such-asset", Status: assessment.NotImplemented},
	}
	if _, err := s.SaveResponses(ctx, id, bad); err == nil {
		t.Fatal("a batch with an unknown asset was saved")
	}
	if n := auditCount(t, s); n != before {
		t.Fatalf("the refused batch wrote %d audit entries", n-before)
	}
	good := []assessment.Response{
		{QuestionID: q.ID, AssetID: aid, Status: assessment.NotImplemented},
		{QuestionID: q.ID, AssetID: other, Status: assessment.NotImplemented},
	}
	res, err := s.SaveResponses(ctx, id, good)
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := s.Snapshot(ctx, id)
	m := snap.ResponseMap()
	for _, a := range []string{aid, other} {
		if r := m[assessment.ItemKey{QuestionID: q.ID, AssetID: a}]; r == nil || r.Status != assessment.NotImplemented {
			t.Fatalf("answer for %s: %+v", a, r)
		}
	}
	var answers int
	if err := s.db.QueryRow("SELECT count(*) FROM audit_log WHERE seq > ? AND entity = 'response'", before).Scan(&answers); err != nil || answers != 2 {
		t.Fatalf("%d audited answers, want 2 (%v)", answers, err)
	}
	if len(q.Vulnerabilities) > 0 && res.Proposed == 0 {
		t.Fatal("the gaps proposed no risks")
	}
}
