package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// auditEntries is the number of audit entries, as `verify` reports it (and verify passes).
func auditEntries(t *testing.T, db string) string {
	t.Helper()
	out, errOut, code := cli(t, "--db", db, "verify")
	m := regexp.MustCompile(`^OK: (\d+) audit entries`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("verify: %d %q %q", code, out, errOut)
	}
	return m[1]
}

// incidentDemo is a demo workspace with one recorded laptop theft; it returns the
// workspace, the assessment ID and the incident ID.
func incidentDemo(t *testing.T) (string, string, string) {
	t.Helper()
	db, id := demoWorkspace(t)
	out, errOut, code := cli(t, "--db", db, "incident", "add", id[:8], "--title", "Stolen front-desk laptop",
		"--discovered", "2026-11-03", "--occurred-from", "2026-11-02", "--type", "theft",
		"--asset", "Staff laptops and workstations", "--individuals", "620", "--state", "OH=560", "--state", "ky=60",
		"--data", "name,dob,diagnosis", "--found-by", "Front desk lead", "--description", "Taken from a car.")
	inc := strings.TrimSpace(out)
	if code != 0 || !uuidRE.MatchString(inc) {
		t.Fatalf("incident add: %d %q %q", code, out, errOut)
	}
	return db, id, inc
}

func TestCLIIncidentFlow(t *testing.T) {
	t.Parallel()
	db, id, inc := incidentDemo(t)
	run := func(args ...string) string {
		t.Helper()
		out, errOut, code := cli(t, append([]string{"--db", db, "--actor", "Dana Whitfield"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: %d %q", args, code, errOut)
		}
		return out
	}
	out := run("incident", "list", id)
	for _, want := range []string{"Stolen front-desk laptop", "Notice to individuals (§164.404(b))", "due Jan 2, 2027",
		"Notice to media in OH", "Notice to HHS (§164.408(b))", "Clock running (decision open)"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	run("incident", "assess", inc[:8], "--keys", "not-compromised")
	out = run("incident", "show", inc[:8])
	if !strings.Contains(out, "312a2iv-enc-02") || !strings.Contains(out, "Derived: undetermined") {
		t.Errorf("show does not explain the derivation from the demo's partial laptop encryption:\n%s", out)
	}
	run("incident", "assess", inc[:8], "--secured", "unsecured", "--reason", "The stolen laptop was one of the nine unencrypted front-desk machines.")
	run("incident", "assess", inc[:8], "--exception", "none")
	for n, f := range []string{"Names, dates of birth and diagnoses of 620 patients.", "An unknown thief.", "Not known; the laptop was not recovered.", "A remote wipe was sent; not confirmed."} {
		run("incident", "assess", inc[:8], "--factor", string(rune('1'+n)), "--findings", f, "--evidence", "E5")
	}
	run("incident", "assess", inc[:8], "--conclude", "breach", "--rationale", "Unencrypted and not recovered.", "--on", "2026-11-20")
	run("incident", "delay", inc[:8], "--law-enforcement-delay", "oral", "--stated", "2026-11-10", "--official", "Det. R. Ortiz, Columbus PD")
	out = run("incident", "notify", inc[:8], "--to", "individuals", "--date", "2026-12-01", "--method", "mail",
		"--content", "what-happened,phi-types,contact", "--contact", "toll-free", "--substitute", "12", "--substitute-by", "website", "--toll-free", "1-800-555-0100")
	if !strings.Contains(out, "Content check") || !strings.Contains(out, "(§164.404(c)(1)(C))") {
		t.Errorf("notify does not report the missing elements: %q", out)
	}
	run("incident", "deadline", inc[:8], "--name", "Ohio attorney general", "--due", "2026-12-20", "--basis", "State statute, as counsel reads it")

	out = run("incident", "list", id, "--json")
	var list []incidentJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 {
		t.Fatalf("list --json: %v %s", err, out)
	}
	got := list[0]
	if got.Notification != "required" || got.Determined != "unsecured" || got.ClockStart != "2026-11-03" {
		t.Errorf("list --json: %+v", got)
	}
	iso := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	byKey := map[string]dutyJSON{}
	for _, d := range got.Duties {
		byKey[d.Key+d.State] = d
		if d.Due != "" && !iso.MatchString(d.Due) {
			t.Errorf("duty %s due %q is not an ISO date", d.Key, d.Due)
		}
	}
	if d := byKey["individuals"]; d.Due != "2027-02-01" || d.Paused != 30 || d.Status != "met" || d.Done != "2026-12-01" {
		t.Errorf("individuals duty after a 30-day oral delay: %+v", d)
	}
	if d := byKey["mediaOH"]; d.Status != "due" && d.Status != "overdue" || d.DaysLeft == nil {
		t.Errorf("media duty: %+v", d)
	}
	if d := byKey["other"]; d.Due != "2026-12-20" || d.Basis == "" {
		t.Errorf("other deadline: %+v", d)
	}

	dir := t.TempDir()
	memo := filepath.Join(dir, "memo.pdf")
	run("incident", "memo", inc[:8], "--out", memo)
	b, err := os.ReadFile(memo)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("memo: %v", err)
	}
	logf := filepath.Join(dir, "log.csv")
	out = run("incident", "log", id, "--year", "2026", "--out", logf)
	if !strings.Contains(out, "0 breaches under 500") || !strings.Contains(out, "Mar 1, 2027") {
		t.Errorf("log of a year whose only breach has 620 individuals: %q", out)
	}

	// A second, smaller breach belongs in the log.
	out, errOut, code := cli(t, "--db", db, "incident", "add", id, "--title", "Misdirected fax", "--discovered", "2026-10-01",
		"--exposure", "disclosure", "--individuals", "3", "--state", "OH=3", "--data", "name,diagnosis")
	small := strings.TrimSpace(out)
	if code != 0 {
		t.Fatalf("second incident: %q", errOut)
	}
	run("incident", "assess", small[:8], "--secured", "confirm", "--exception", "none", "--conclude", "breach", "--rationale", "Faxed to the wrong clinic, which did not answer.")
	run("incident", "log", id, "--year", "2026", "--out", logf, "--force")
	raw, _ := os.ReadFile(logf)
	if !bytes.HasPrefix(raw, []byte("\ufeff")) || !bytes.Contains(raw, []byte("\r\n")) {
		t.Error("the log is not UTF-8 with a BOM and CRLF line ends")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][0] != small || rows[1][6] != "3" || rows[1][16] != "unsecured" {
		t.Fatalf("log rows: %v %q", err, rows)
	}

	out, errOut, code = cli(t, "--db", db, "incident", "close", inc[:8])
	if code != 2 || !strings.Contains(errOut, "still owes") {
		t.Fatalf("closing with notices owed: %d %q %q", code, out, errOut)
	}
	run("incident", "notify", inc[:8], "--to", "media", "--state", "oh", "--date", "2026-12-02", "--method", "press")
	run("incident", "notify", inc[:8], "--to", "hhs", "--date", "2026-12-02", "--method", "portal")
	run("incident", "deadline", inc[:8], "--name", "Ohio attorney general", "--done", "2026-12-03")
	run("incident", "close", inc[:8], "--note", "All notices sent.")
	out = run("incident", "show", inc[:8])
	if !strings.Contains(out, "Status: Closed") {
		t.Errorf("show after close:\n%s", out)
	}
	auditEntries(t, db)
}

func TestCLIIncidentBadInput(t *testing.T) {
	t.Parallel()
	db, id, inc := incidentDemo(t)
	dir := t.TempDir()
	future := time.Now().AddDate(0, 0, 3).Format("2006-01-02")
	memo := filepath.Join(dir, "memo.pdf")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"discovery in the future", []string{"incident", "add", id, "--title", "T", "--discovered", future}, "in the future"},
		{"discovery before the occurrence", []string{"incident", "add", id, "--title", "T", "--discovered", "2026-03-01", "--occurred-from", "2026-03-05"}, "before the incident began"},
		{"counts that do not add up", []string{"incident", "add", id, "--title", "T", "--discovered", "2026-03-01", "--individuals", "700", "--state", "OH=560", "--state", "KY=60"}, "add up to 620"},
		{"counts that do not add up, on edit", []string{"incident", "edit", inc[:8], "--individuals", "700"}, "add up to 620"},
		{"low probability without the four factors", []string{"incident", "assess", inc[:8], "--conclude", "low-probability", "--rationale", "r"}, "all four factors"},
		{"a notice before discovery", []string{"incident", "notify", inc[:8], "--to", "individuals", "--date", "2026-11-01"}, "before the breach was discovered"},
		{"a notice in the future", []string{"incident", "notify", inc[:8], "--to", "individuals", "--date", future}, "in the future"},
		{"a memo of an open incident without a conclusion", []string{"incident", "memo", inc[:8], "--out", memo}, "--draft"},
		{"substitute notice for 10 or more by phone", []string{"incident", "notify", inc[:8], "--to", "individuals", "--date", "2026-12-01", "--substitute", "10", "--substitute-by", "phone"}, "website or media"},
		{"an oral delay over 30 days", []string{"incident", "delay", inc[:8], "--law-enforcement-delay", "oral", "--stated", "2026-11-10", "--until", "2026-12-20", "--official", "Det. Ortiz"}, "no longer than 30 days"},
		{"a written delay without its period", []string{"incident", "delay", inc[:8], "--law-enforcement-delay", "written", "--stated", "2026-11-10", "--official", "FBI"}, "--until"},
		{"an override without a reason", []string{"incident", "assess", inc[:8], "--secured", "secured", "--basis", "encryption"}, "needs a reason"},
		{"confirming what cannot be derived", []string{"incident", "assess", inc[:8], "--secured", "confirm"}, "nothing to confirm"},
		{"a factor without findings", []string{"incident", "assess", inc[:8], "--factor", "2"}, "--findings"},
		{"a fifth factor", []string{"incident", "assess", inc[:8], "--factor", "5", "--findings", "x"}, "numbered 1 to 4"},
		{"evidence that does not exist", []string{"incident", "assess", inc[:8], "--factor", "1", "--findings", "x", "--evidence", "E99"}, "no evidence E99"},
		{"a state that is not one", []string{"incident", "edit", inc[:8], "--state", "ZZ=620"}, "not a state"},
		{"a malformed state count", []string{"incident", "edit", inc[:8], "--state", "Ohio"}, "XX=N"},
		{"an unknown incident", []string{"incident", "show", "ffffffff"}, "no incident has the ID"},
		{"closing without a conclusion", []string{"incident", "close", inc[:8]}, "no conclusion"},
		{"an independent BA without its notice date", []string{"incident", "add", id, "--title", "T", "--discovered", "2026-03-01", "--discovered-by", "business-associate"}, "--ba-notified"},
		{"notice to a covered entity from a covered entity", []string{"incident", "notify", inc[:8], "--to", "covered-entity", "--date", "2026-12-01"}, "business associate's duty"},
		{"a link that lowers a risk", []string{"incident", "link", inc[:8], "--risk", "R1", "--likelihood", "1", "--note", "n"}, "higher value"},
		{"a log without a year", []string{"incident", "log", id, "--year", "26", "--out", filepath.Join(dir, "l.csv")}, "--year YYYY"},
		{"deleting the assessment", []string{"delete", id, "--yes"}, "kept six years"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			entries := auditEntries(t, db)
			show, _, _ := cli(t, "--db", db, "incident", "show", inc, "--json")
			_, errOut, code := cli(t, append([]string{"--db", db}, c.args...)...)
			if code != 2 || !strings.Contains(errOut, c.want) {
				t.Fatalf("code %d, stderr %q; want exit 2 mentioning %q", code, errOut, c.want)
			}
			oneSentence(t, errOut)
			if auditEntries(t, db) != entries {
				t.Error("the workspace changed")
			}
			if after, _, _ := cli(t, "--db", db, "incident", "show", inc, "--json"); after != show {
				t.Error("the incident changed")
			}
		})
	}
	if _, err := os.Stat(memo); !os.IsNotExist(err) {
		t.Error("a refused memo left a file")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("refused commands left files: %v", entries)
	}
	// The draft is allowed, and says so.
	if _, errOut, code := cli(t, "--db", db, "incident", "memo", inc[:8], "--out", memo, "--draft"); code != 0 {
		t.Fatalf("draft memo: %q", errOut)
	}
}
