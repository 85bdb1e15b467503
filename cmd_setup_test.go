package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"safeguard/controls"
)

// must runs the CLI and fails the test unless it exits 0; it returns stdout trimmed.
func must(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := cli(t, args...)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return strings.TrimSpace(out)
}

// itemJSON is what `items --json` promises scripts.
type itemJSON struct {
	Question      string   `json:"question"`
	Asset         string   `json:"asset"`
	AssetID       string   `json:"asset_id"`
	Owner         string   `json:"owner"`
	Status        string   `json:"status"`
	Depth         string   `json:"depth"`
	InheritedFrom string   `json:"inherited_from"`
	OpenReason    string   `json:"open_reason"`
	Citations     []string `json:"citations"`
	Revalidate    bool     `json:"revalidate"`
}

func items(t *testing.T, db, id string, extra ...string) []itemJSON {
	t.Helper()
	var rows []itemJSON
	out := must(t, append([]string{"--db", db, "items", id, "--json"}, extra...)...)
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("items --json is not a JSON array: %v", err)
	}
	return rows
}

// auditCount is the number of audit entries `verify` reports.
func auditCount(t *testing.T, db string) int {
	t.Helper()
	n, _ := strconv.Atoi(auditEntries(t, db))
	return n
}

// buildClinic sets up the three-system clinic of issue 14 through the real commands: an
// on-premises file server, an IaaS VM with customer-managed keys and a SaaS EHR; the EHR
// vendor with a signed BAA and HITRUST r2, the IaaS provider with a signed BAA and SOC 2
// Type II only.
func buildClinic(t *testing.T, db string) string {
	t.Helper()
	id := must(t, "--db", db, "new", "--org", "Maple Family Clinic", "--title", "2026 risk analysis")
	must(t, "--db", db, "profile", id, "--entity-type", "provider", "--size", "small", "--region", "northeast")
	must(t, "--db", db, "vendor", "add", id, "--name", "Meridian Chart Cloud", "--baa", "signed", "--baa-date", "2025-02-01",
		"--breach-notice-days", "5", "--flow-down", "--attestation", "hitrust-r2:2099-05-31")
	must(t, "--db", db, "vendor", "add", id, "--name", "Stratus Harbor IaaS", "--baa", "signed", "--baa-date", "2025-03-01",
		"--attestation", "soc2-type2:2099-03-31:2098-12-31")
	must(t, "--db", db, "asset", "add", id, "--name", "File server", "--kind", "other", "--hosting", "on-prem", "--ephi",
		"--records", "9000", "--encryption", "none", "--tls", "1.2")
	must(t, "--db", db, "asset", "add", id, "--name", "Practice VM", "--kind", "other", "--hosting", "iaas",
		"--vendor", "Stratus Harbor IaaS", "--ephi", "--records", "9000", "--encryption", "customer-managed-keys", "--tls", "1.3")
	must(t, "--db", db, "asset", "add", id, "--name", "Cloud EHR", "--kind", "ehr", "--hosting", "saas",
		"--vendor", "Meridian Chart Cloud", "--ephi", "--records", "12000", "--encryption", "provider-keys", "--tls", "1.2")
	must(t, "--db", db, "flow", "add", id, "--from", "Cloud EHR", "--to-outside", "clearinghouse", "--channel", "interface", "--tls", "1.2")
	must(t, "--db", db, "flow", "add", id, "--from", "File server", "--to", "Practice VM", "--channel", "vpn", "--tls", "1.3")
	return id
}

// TestClinicQuestionnaireSize is issue 14's target: the three-system clinic answers at most
// 150 items at essentials and 350 at standard, complete asks everything, and essentials
// still reaches all 22 standards and every required specification that applies to a
// provider (the others being not applicable to it).
func TestClinicQuestionnaireSize(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	id := buildClinic(t, db)
	cat := controls.MustDefault()
	toAnswer := map[string]int{}
	for _, depth := range []string{"essentials", "standard", "complete"} {
		must(t, "--db", db, "profile", id, "--depth", depth)
		rows := items(t, db, id)
		open := items(t, db, id, "--open")
		inherited := 0
		for _, r := range rows {
			if r.Depth == "" || r.Owner == "" {
				t.Fatalf("%s: item %s@%s lacks depth or owner", depth, r.Question, r.Asset)
			}
			if r.InheritedFrom == "" {
				continue
			}
			inherited++
			if r.InheritedFrom != "Meridian Chart Cloud" || r.Asset != "Cloud EHR" || r.Status != "inherited" || r.Owner != "provider" {
				t.Errorf("%s: %s@%s inherited from %q with status %q and owner %q", depth, r.Question, r.Asset, r.InheritedFrom, r.Status, r.Owner)
			}
		}
		toAnswer[depth] = len(rows) - inherited
		if len(open) != toAnswer[depth] {
			t.Errorf("%s: --open lists %d items, %d are to answer", depth, len(open), toAnswer[depth])
		}
		if inherited == 0 {
			t.Errorf("%s: nothing inherited from the EHR vendor's HITRUST r2 review", depth)
		}
		soc2Open := 0
		for _, r := range open {
			if r.Asset == "Practice VM" && r.Owner == "provider" {
				if !strings.Contains(r.OpenReason, "SOC 2") {
					t.Errorf("%s: provider-owned %s on the IaaS VM is open without the SOC 2 reason: %q", depth, r.Question, r.OpenReason)
				}
				soc2Open++
			}
		}
		if depth != "essentials" && soc2Open == 0 {
			t.Errorf("%s: the SOC 2-only provider's items did not stay open", depth)
		}
		t.Logf("%s: %d applicable, %d inherited, %d to answer", depth, len(rows), inherited, toAnswer[depth])

		if depth != "essentials" {
			continue
		}
		reached := map[string]bool{}
		for _, r := range rows {
			for _, c := range r.Citations {
				reached[c] = true
				std, _ := cat.StandardOf(c)
				reached[std] = true
			}
		}
		notForProvider := map[string]bool{"164.308(a)(4)(ii)(A)": true, "164.314(b)(1)": true, "164.314(b)(2)(i)": true,
			"164.314(b)(2)(ii)": true, "164.314(b)(2)(iii)": true, "164.314(b)(2)(iv)": true}
		standards := 0
		for _, st := range cat.Standards {
			if reached[st.ID] {
				standards++
			} else if !notForProvider[st.ID] {
				t.Errorf("essentials does not reach standard %s", st.ID)
			}
			for _, sp := range st.Specifications {
				if sp.Requirement == controls.Required && !reached[sp.ID] && !notForProvider[sp.ID] {
					t.Errorf("essentials does not reach required specification %s", sp.ID)
				}
			}
		}
		t.Logf("essentials reaches %d of %d standards (§164.314(b) does not apply to a provider)", standards, len(cat.Standards))
	}
	if toAnswer["essentials"] > 150 || toAnswer["standard"] > 350 {
		t.Errorf("to answer: essentials %d (budget 150), standard %d (budget 350)", toAnswer["essentials"], toAnswer["standard"])
	}
	if !(toAnswer["essentials"] < toAnswer["standard"] && toAnswer["standard"] < toAnswer["complete"]) {
		t.Errorf("depths do not grow: %v", toAnswer)
	}
}

// TestSetupRejectsBadInput: every bad input exits 2 with one sentence and writes nothing.
func TestSetupRejectsBadInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	id := buildClinic(t, db)
	before := auditCount(t, db)
	for _, args := range [][]string{
		{"profile", id, "--depth", "deep"},
		{"profile", id, "--region", "atlantis"},
		{"profile", id, "--entity-type", "hospital"},
		{"profile", id, "--org", ""},
		{"profile", id, "--org", "New Name", "--period-start", "2026-13-01"},
		{"profile", id, "--period-start", "2026-12-31", "--period-end", "2026-01-01"},
		{"profile", id, "--sponsor-receives-ephi"},
		{"vendor", "add", id},
		{"vendor", "add", id, "--name", "X", "--attestation", "hitrust-r2"},
		{"vendor", "add", id, "--name", "X", "--attestation", "pci-dss:2027-01-01"},
		{"vendor", "add", id, "--name", "X", "--attestation", "hitrust-r2:tomorrow"},
		{"vendor", "add", id, "--name", "X", "--baa", "signed"},
		{"vendor", "edit", id, "Nobody Inc", "--flow-down"},
		{"vendor", "remove", id, "Meridian Chart Cloud"},
		{"asset", "add", id, "--name", "Toaster", "--kind", "toaster", "--hosting", "on-prem"},
		{"asset", "add", id, "--name", "Mainframe", "--kind", "other", "--hosting", "mainframe"},
		{"asset", "add", id, "--name", "Y", "--kind", "other", "--hosting", "saas", "--vendor", "Nobody Inc"},
		{"asset", "add", id, "--name", "Y", "--kind", "other", "--hosting", "saas", "--encryption", "rot13"},
		{"asset", "add", id, "--name", "Y", "--kind", "other", "--hosting", "saas", "--tls", "2.0"},
		{"asset", "add", id, "--name", "Y", "--kind", "other"},
		{"asset", "edit", id, "No such asset", "--records", "5"},
		{"asset", "edit", id, "File server", "--records", "-5"},
		{"flow", "add", id, "--from", "File server", "--to", "Cloud EHR", "--to-outside", "lab"},
		{"flow", "add", id, "--from", "File server", "--to-outside", "bank"},
		{"flow", "add", id, "--from", "File server", "--to", "File server"},
		{"flow", "add", id, "--from", "File server", "--to-outside", "lab", "--channel", "pigeon"},
		{"flow", "remove", id, "no-such-flow"},
		{"items", "0000-nope"},
		{"risk", "dismiss", id, "--all"},
		{"risk", "confirm", id},
	} {
		_, errOut, code := cli(t, append([]string{"--db", db}, args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		oneSentence(t, errOut)
	}
	if after := auditCount(t, db); after != before {
		t.Errorf("refused commands wrote %d audit entries", after-before)
	}
}

// TestInventoryCommands: list, edit and remove vendors, assets and flows; changing an
// asset's hosting marks its answers to re-validate; renaming the organization is audited.
func TestInventoryCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	id := buildClinic(t, db)

	var vendors []struct {
		ID, Name    string
		Inheritable bool
		Issues      []struct{ Kind string }
	}
	json.Unmarshal([]byte(must(t, "--db", db, "vendor", "list", id, "--json")), &vendors)
	if len(vendors) != 2 || !vendors[0].Inheritable || vendors[1].Inheritable || len(vendors[1].Issues) != 1 || vendors[1].Issues[0].Kind != "soc2-only" {
		t.Fatalf("vendor list: %+v", vendors)
	}
	// The IaaS provider gets an ISO 27001 certificate: its provider-owned items are inherited.
	before := len(items(t, db, id, "--open"))
	must(t, "--db", db, "vendor", "edit", id, "Stratus Harbor IaaS", "--attestation", "soc2-type2:2099-03-31:2098-12-31", "--attestation", "iso27001:2099-01-31")
	if after := len(items(t, db, id, "--open")); after >= before {
		t.Errorf("an ISO 27001 certificate for the IaaS provider left %d open items (was %d)", after, before)
	}

	var assets []struct{ ID, Name, Hosting, Kind string }
	json.Unmarshal([]byte(must(t, "--db", db, "asset", "list", id, "--json")), &assets)
	if len(assets) != 3 {
		t.Fatalf("asset list: %+v", assets)
	}
	must(t, "--db", db, "answer", id, "308a1iib-rm-04", "implemented", "--asset", "File server")
	entries := auditCount(t, db)
	must(t, "--db", db, "asset", "edit", id, "File server", "--hosting", "iaas", "--vendor", "Stratus Harbor IaaS")
	if n := auditCount(t, db) - entries; n != 2 {
		t.Errorf("moving the file server wrote %d audit entries, want 2 (its answer and the asset)", n)
	}
	for _, r := range items(t, db, id) {
		if r.Question == "308a1iib-rm-04" && r.Asset == "File server" && !r.Revalidate {
			t.Error("the file server's answer was not marked to re-validate after its hosting changed")
		}
	}

	var flows []struct{ ID, ToParty string }
	json.Unmarshal([]byte(must(t, "--db", db, "flow", "list", id, "--json")), &flows)
	if len(flows) != 2 {
		t.Fatalf("flow list: %+v", flows)
	}
	for _, f := range flows {
		must(t, "--db", db, "flow", "remove", id, f.ID)
	}
	must(t, "--db", db, "asset", "remove", id, "Practice VM")
	entries = auditCount(t, db)
	out := must(t, "--db", db, "profile", id, "--org", "Maple Family Clinic, PLLC")
	if !strings.Contains(out, "Maple Family Clinic, PLLC") || auditCount(t, db)-entries != 1 {
		t.Errorf("renaming the organization: %q, %d entries", out, auditCount(t, db)-entries)
	}
	out = must(t, "--db", db, "profile", id)
	for _, want := range []string{"Region:", "northeast", "Depth:", "complete (no depth chosen)", "Entity type:"} {
		if !strings.Contains(out, want) {
			t.Errorf("profile does not print %q:\n%s", want, out)
		}
	}
}

// TestRiskProposalsInBulk: gaps propose one risk per weakness and asset; proposals are
// accepted by register reference and dismissed all at once with one reason.
func TestRiskProposalsInBulk(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	id := buildClinic(t, db)
	for _, q := range []string{"312d-mfa-01", "312a2i-uid-01", "308a5iib-mal-01"} {
		args := []string{"--db", db, "answer", id, q, "not-implemented", "--asset", "File server"}
		must(t, args...)
	}
	type risk struct {
		Ref, ID, Status string
		AssetID         string   `json:"asset_id"`
		VulnerabilityID string   `json:"vulnerability_id"`
		QuestionIDs     []string `json:"question_ids"`
	}
	var all, rs []risk
	json.Unmarshal([]byte(must(t, "--db", db, "risk", "list", id, "--json")), &all)
	for _, r := range all {
		if r.Status == "proposed" {
			rs = append(rs, r)
		}
	}
	if len(rs) < 3 {
		t.Fatalf("%d proposals from three gaps", len(rs))
	}
	seen := map[string]bool{}
	for _, r := range rs {
		k := r.AssetID + "/" + r.VulnerabilityID
		if seen[k] {
			t.Errorf("two proposals for %s", k)
		}
		seen[k] = true
	}
	must(t, "--db", db, "risk", "accept", id, rs[0].Ref)
	out := must(t, "--db", db, "risk", "dismiss", id, "--all", "--reason", "Compensated by the clinic's network controls")
	if want := "Dismissed " + strconv.Itoa(len(rs)-1) + " proposals."; out != want {
		t.Errorf("dismiss said %q, want %q", out, want)
	}
	rs = nil
	json.Unmarshal([]byte(must(t, "--db", db, "risk", "list", id, "--json")), &rs)
	var statuses []string
	for _, r := range rs {
		statuses = append(statuses, r.Status)
	}
	if slices.Contains(statuses, "proposed") || !slices.Contains(statuses, "open") {
		t.Errorf("statuses after settling: %v", statuses)
	}
	if _, errOut, code := cli(t, "--db", db, "risk", "confirm", id, rs[0].Ref); code != 2 || !strings.Contains(errOut, "not a proposal") {
		t.Errorf("accepting a confirmed risk: %d %s", code, errOut)
	}
}

// TestImportExportFromOlderCatalog: an export made with catalog 2026.11.0 imports, its
// answers move to the surviving questions, and the workspace verifies.
func TestImportExportFromOlderCatalog(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	id := must(t, "--db", db, "import", "assessment/testdata/export-catalog-2026.11.0.json")
	must(t, "--db", db, "verify")
	rows := items(t, db, id)
	if len(rows) < 500 {
		t.Fatalf("%d items for the imported demo", len(rows))
	}
	for _, r := range rows {
		if _, retired := controls.MustDefault().Retired(r.Question); retired {
			t.Errorf("item under retired question %s", r.Question)
		}
	}
}
