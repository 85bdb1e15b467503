package store

// The crash test (issue 8): a child process saves answers, risk edits and evidence files in
// a loop and is killed with SIGKILL at random moments. After every kill the workspace must
// pass PRAGMA integrity_check and Verify, open normally, and hold every save the child
// reported as committed before it died. Half-way through, a child encrypts the workspace
// (one transaction sealing every blob) and is killed too, until an attempt commits; the
// second half of the rounds runs on the encrypted workspace.
//
//	go test ./store -run TestCrash -v                      # 50 kills (CI)
//	go test ./store -run TestCrash -crash.rounds=500 -v    # more
//	go test ./store -run TestCrash -crash.seed=1234 -v     # replay a run's kill timings

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
	"safeguard/controls"
)

var (
	crashRounds = flag.Int("crash.rounds", 30, "how many times TestCrash kills the writing child process")
	crashSeed   = flag.Uint64("crash.seed", 0, "seed for TestCrash's kill timings (0: random, logged)")
)

// Environment of the child process.
const (
	crashEnvPath  = "SAFEGUARD_CRASH_CHILD_DB"
	crashEnvID    = "SAFEGUARD_CRASH_CHILD_ASSESSMENT"
	crashEnvRound = "SAFEGUARD_CRASH_CHILD_ROUND"
	crashEnvMode  = "SAFEGUARD_CRASH_CHILD_MODE" // "" (save in a loop) or "encrypt"
)

// crashPassphrase encrypts the workspace half-way through the rounds.
const crashPassphrase = "crash test passphrase"

// crashOptions open the workspace, with the passphrase for when it is encrypted.
func crashOptions(actor string) Options {
	return Options{Actor: actor, Passphrase: func() ([]byte, error) { return []byte(crashPassphrase), nil }}
}

// crashOp is the kind of write operation n of a round makes; the parent derives the same
// from n to know what a "committed" line promises.
type crashOp int

const (
	opAnswer     crashOp = iota // SaveResponse on an existing item (gaps propose risks, closing withdraws)
	opRiskEdit                  // SaveRisk updating a confirmed risk
	opRiskCreate                // SaveRisk creating a new risk
	opEvidence                  // AddEvidenceFile of a new file (see evidenceContent)
)

func crashOpOf(n int) crashOp {
	switch n % 5 {
	case 0, 1:
		return opAnswer
	case 2:
		return opRiskEdit
	case 3:
		return opRiskCreate
	}
	return opEvidence
}

// evidenceContent is the file operation s adds: unique to s, and in every third round the
// first one spans two vault chunks, so a kill can land between the chunks of one
// transaction. (Larger or more would make the workspace, and Verify's re-hashing, grow
// too fast for 500 rounds.)
func evidenceContent(s stamp) []byte {
	line := []byte(marker(s) + " evidence content\n")
	size := 200 + s.op
	if s.round%3 == 0 && s.op == 4 {
		size = ChunkSize + 4096
	}
	return bytes.Repeat(line, size/len(line)+1)[:size]
}

// stamp orders saves across rounds: round r, operation n.
type stamp struct{ round, op int }

func (a stamp) less(b stamp) bool { return a.round < b.round || (a.round == b.round && a.op < b.op) }
func (a stamp) String() string    { return fmt.Sprintf("r%d/op%d", a.round, a.op) }

// marker is the text a save writes, from which the parent reads back which save is stored.
func marker(s stamp) string { return "crash " + s.String() }

func parseMarker(text string) (stamp, bool) {
	var s stamp
	i := strings.Index(text, "crash r")
	if i < 0 {
		return s, false
	}
	_, err := fmt.Sscanf(text[i:], "crash r%d/op%d", &s.round, &s.op)
	return s, err == nil
}

// crashFixture is what parent and child both derive from the workspace: the answerable
// items and the confirmed risks, in a fixed order.
type crashFixture struct {
	items []assessment.Item
	risks []assessment.Risk // confirmed (not proposed) risks, which no answer withdraws
	vuln  *controls.Vulnerability
}

func loadCrashFixture(s *Store, id string) (*crashFixture, error) {
	snap, err := s.Snapshot(context.Background(), id)
	if err != nil {
		return nil, err
	}
	// Gate questions and their follow-ups are left out: answering a gate changes which
	// follow-ups are asked, and parent and child must agree on the list for the whole run.
	gates := map[string]bool{}
	for _, q := range snap.Catalog.Questions {
		if q.Follows != "" {
			gates[q.Follows] = true
		}
	}
	f := &crashFixture{}
	for _, it := range snap.Items() {
		if it.Question.Follows == "" && !gates[it.Question.ID] {
			f.items = append(f.items, it)
		}
	}
	for _, r := range snap.Risks {
		if r.Status != assessment.RiskProposed && !strings.HasPrefix(r.Title, "crash ") {
			f.risks = append(f.risks, r)
		}
	}
	if len(f.items) == 0 || len(f.risks) == 0 || len(snap.Catalog.Vulnerabilities) == 0 {
		return nil, fmt.Errorf("the fixture needs items (%d), confirmed risks (%d) and a threat library", len(f.items), len(f.risks))
	}
	f.vuln = &snap.Catalog.Vulnerabilities[0]
	return f, nil
}

// item is the item operation n of round r answers, and risk the risk it edits.
func (f *crashFixture) item(s stamp) assessment.Item {
	return f.items[(s.round*7919+s.op*31)%len(f.items)]
}
func (f *crashFixture) risk(s stamp) assessment.Risk { return f.risks[(s.round*13+s.op)%len(f.risks)] }

var crashStatuses = []assessment.ResponseStatus{assessment.Implemented, assessment.Partial, assessment.NotImplemented, assessment.Flagged}

// TestCrashChild is the helper process of TestCrash; it does nothing in a normal run.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnvPath)
	if path == "" {
		t.Skip("helper process for TestCrash (runs only when TestCrash starts it)")
	}
	run := crashChild
	if os.Getenv(crashEnvMode) == "encrypt" {
		run = crashEncryptChild
	}
	if err := run(path, os.Getenv(crashEnvID), os.Getenv(crashEnvRound)); err != nil {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(3)
	}
	os.Exit(0)
}

func crashChild(path, id, roundText string) error {
	round, err := strconv.Atoi(roundText)
	if err != nil {
		return err
	}
	s, err := Open(path, crashOptions("crash-child"))
	if err != nil {
		return err
	}
	defer s.Close()
	f, err := loadCrashFixture(s, id)
	if err != nil {
		return err
	}
	ctx := context.Background()
	fmt.Println("ready")
	deadline := time.Now().Add(30 * time.Second) // the parent kills us long before this
	for n := 1; time.Now().Before(deadline); n++ {
		st := stamp{round, n}
		switch crashOpOf(n) {
		case opAnswer:
			it := f.item(st)
			r := assessment.Response{QuestionID: it.Question.ID, Status: crashStatuses[(round+n)%len(crashStatuses)], Note: marker(st),
				Version: AnyVersion} // a blind writer, like `safeguard answer`
			if it.Asset != nil {
				r.AssetID = it.Asset.ID
			}
			if _, err := s.SaveResponse(ctx, id, r); err != nil {
				return fmt.Errorf("%s: answer %s: %w", st, it.Key(), err)
			}
			fmt.Printf("committed %d answer\n", n)
		case opRiskEdit:
			r := f.risk(st)
			r.Rationale, r.Version = marker(st), AnyVersion
			r.Likelihood = 1 + n%5
			if _, err := s.SaveRisk(ctx, id, r); err != nil {
				return fmt.Errorf("%s: edit risk %s: %w", st, r.ID, err)
			}
			fmt.Printf("committed %d risk-edit\n", n)
		case opRiskCreate:
			r := assessment.Risk{VulnerabilityID: f.vuln.ID, ThreatID: f.vuln.Threats[0].ID, QuestionIDs: []string{},
				Title: marker(st), Likelihood: 1 + n%5, Impact: 1 + round%5, Treatment: assessment.TreatMitigate, Status: assessment.RiskOpen}
			rid, err := s.SaveRisk(ctx, id, r)
			if err != nil {
				return fmt.Errorf("%s: create risk: %w", st, err)
			}
			fmt.Printf("committed %d risk-create %s\n", n, rid)
		case opEvidence:
			file := filepath.Join(filepath.Dir(path), fmt.Sprintf("evidence-r%d-op%d.txt", round, n))
			if err := os.WriteFile(file, evidenceContent(st), 0o600); err != nil {
				return err
			}
			it := f.item(st)
			link := assessment.EvidenceLink{QuestionID: it.Question.ID}
			if it.Asset != nil {
				link.AssetID = it.Asset.ID
			}
			e, err := s.AddEvidenceFile(ctx, id, file, EvidenceMeta{Description: marker(st)}, []assessment.EvidenceLink{link}, nil)
			if err != nil {
				return fmt.Errorf("%s: add evidence: %w", st, err)
			}
			os.Remove(file)
			fmt.Printf("committed %d evidence %s\n", n, e.ID)
		}
	}
	return errors.New("the parent did not kill this process within 30 s")
}

// crashEncryptChild encrypts the workspace: one transaction that seals every blob. The
// parent kills it at a random moment, so the workspace must be left either plain or
// encrypted, and verify either way.
func crashEncryptChild(path, _, _ string) error {
	s, err := Open(path, crashOptions("crash-child"))
	if err != nil {
		return err
	}
	defer s.Close()
	// A previous attempt may have committed and died before saying so.
	done, err := s.Encrypted(context.Background())
	if err != nil {
		return err
	}
	fmt.Println("ready")
	if !done {
		if err := s.EncryptWorkspace(context.Background(), []byte(crashPassphrase), nil); err != nil {
			return err
		}
	}
	fmt.Println("committed encrypt")
	time.Sleep(30 * time.Second)
	return nil
}

// crashLedger is what the parent knows the children committed.
type crashLedger struct {
	answers map[assessment.ItemKey]stamp // last committed save of each item
	edits   map[string]stamp             // last committed edit of each risk
	created map[string]stamp             // every risk a child reported created
	files   map[string]stamp             // every evidence file a child reported added
	commits int
}

func TestCrash(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the crash test uses SIGKILL")
	}
	seed := *crashSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("kill timings from -crash.seed=%d; %d rounds", seed, *crashRounds)
	rng := rand.New(rand.NewPCG(seed, seed^0x5afe))

	path := t.TempDir() + "/ws.db"
	s, err := Open(path, Options{Actor: "crash-parent"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Import(context.Background(), assessmenttest.DemoDocument(t), ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	fix, err := loadCrashFixture(s, id)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}

	led := &crashLedger{answers: map[assessment.ItemKey]stamp{}, edits: map[string]stamp{}, created: map[string]stamp{}, files: map[string]stamp{}}
	start := time.Now()
	var midLoop, beforeReady int
	encryptAt := *crashRounds/2 + 1
	for round := 1; round <= *crashRounds; round++ {
		if round == encryptAt {
			crashEncrypt(t, rng, path, id, round, fix, led)
		}
		last, ready := crashRound(t, rng, path, id, round, fix, led)
		if !ready {
			beforeReady++
		} else if last > 0 {
			midLoop++
		}
		checkAfterCrash(t, path, id, round, last, fix, led)
		if t.Failed() {
			t.Fatalf("round %d failed (replay with -crash.seed=%d)", round, seed)
		}
	}
	t.Logf("%d kills in %v: %d during start-up, %d after one or more commits; %d saves committed and all found",
		*crashRounds, time.Since(start).Round(time.Millisecond), beforeReady, midLoop, led.commits)
	if led.commits == 0 {
		t.Fatal("no child ever committed a save; the test proved nothing")
	}
}

// crashEncrypt encrypts the workspace half-way: a child runs EncryptWorkspace and is
// killed at random moments until one attempt commits (after ten, the parent encrypts).
// After every kill the workspace must be intact, verify, and hold everything committed.
func crashEncrypt(t *testing.T, rng *rand.Rand, path, id string, round int, fix *crashFixture, led *crashLedger) {
	t.Helper()
	for attempt := 1; attempt <= 10; attempt++ {
		lines, _ := crashKill(t, rng, path, id, round, "encrypt", 8, 400_000)
		checkAfterCrash(t, path, id, round, 0, fix, led)
		if t.Failed() {
			t.Fatalf("round %d: encryption attempt %d killed; the checks above failed", round, attempt)
		}
		if slices.Contains(lines, "committed encrypt") {
			t.Logf("the workspace was encrypted on attempt %d (earlier attempts killed mid-way left it plain and intact)", attempt)
			return
		}
	}
	s, err := Open(path, crashOptions("crash-parent"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.EncryptWorkspace(context.Background(), []byte(crashPassphrase), nil); err != nil {
		t.Fatal(err)
	}
	t.Log("ten encryption attempts were killed before committing; the parent encrypted the workspace")
}

// crashKill starts a child in the given mode and kills it with SIGKILL: with a chance of
// one in startupOdds during start-up (0 to 60 ms after the start), otherwise 0 to maxDelay
// microseconds after it says "ready". It returns every line the child wrote and whether
// it was ready.
func crashKill(t *testing.T, rng *rand.Rand, path, id string, round int, mode string, startupOdds, maxDelay int) ([]string, bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnvPath+"="+path, crashEnvID+"="+id, crashEnvRound+"="+strconv.Itoa(round), crashEnvMode+"="+mode)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var timer <-chan time.Time
	if rng.IntN(startupOdds) == 0 {
		timer = time.After(time.Duration(rng.IntN(60)) * time.Millisecond)
	}
	var reported []string
	ready, killed := false, false
	for !killed {
		select {
		case line, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatalf("round %d: the child exited before it was killed: %s", round, stderr.String())
			}
			reported = append(reported, line)
			if line == "ready" {
				ready = true
				if timer == nil {
					timer = time.After(time.Duration(rng.IntN(maxDelay)) * time.Microsecond)
				}
			}
		case <-timer:
			cmd.Process.Kill() // SIGKILL
			killed = true
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: no output from the child for 20 s: %s", round, stderr.String())
		}
	}
	for line := range lines { // what the child wrote before it died is still in the pipe
		reported = append(reported, line)
	}
	err = cmd.Wait()
	if ee, ok := errors.AsType[*exec.ExitError](err); !ok || ee.ExitCode() != -1 {
		t.Fatalf("round %d: the child did not die of SIGKILL (%v): %s", round, err, stderr.String())
	}
	return reported, ready
}

// crashRound starts a child, kills it at a random moment and records what it reported
// committed. It returns the last committed operation number and whether the child was
// past start-up when it died.
func crashRound(t *testing.T, rng *rand.Rand, path, id string, round int, fix *crashFixture, led *crashLedger) (int, bool) {
	t.Helper()
	// One round in eight dies during start-up (opening, recovering the WAL, reading); the
	// rest between 0 and 150 ms into the write loop.
	reported, ready := crashKill(t, rng, path, id, round, "", 8, 150_000)
	last := 0
	for _, line := range reported {
		f := strings.Fields(line)
		if len(f) < 3 || f[0] != "committed" {
			if line != "ready" {
				t.Logf("round %d: child said %q", round, line)
			}
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil || n != last+1 {
			t.Fatalf("round %d: unexpected line %q after operation %d", round, line, last)
		}
		last = n
		st := stamp{round, n}
		led.commits++
		switch crashOpOf(n) {
		case opAnswer:
			led.answers[fix.item(st).Key()] = st
		case opRiskEdit:
			led.edits[fix.risk(st).ID] = st
		case opRiskCreate:
			if len(f) < 4 {
				t.Fatalf("round %d: %q does not name the risk", round, line)
			}
			led.created[f[3]] = st
		case opEvidence:
			if len(f) < 4 {
				t.Fatalf("round %d: %q does not name the evidence", round, line)
			}
			led.files[f[3]] = st
		}
	}
	return last, ready
}

// checkAfterCrash checks the workspace a killed child left: integrity, the audit chain and
// records, that it opens, and that every committed save is there. A save may be newer than
// the last one reported (the child can die between COMMIT and printing), but only by the one
// operation that was in flight.
func checkAfterCrash(t *testing.T, path, id string, round, last int, fix *crashFixture, led *crashLedger) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	var integrity []string
	rows, err := raw.Query("PRAGMA integrity_check")
	if err != nil {
		raw.Close()
		t.Fatalf("round %d: integrity_check: %v", round, err)
	}
	for rows.Next() {
		var line string
		rows.Scan(&line)
		integrity = append(integrity, line)
	}
	rows.Close()
	raw.Close()
	if !slices.Equal(integrity, []string{"ok"}) {
		t.Fatalf("round %d: PRAGMA integrity_check = %q", round, integrity)
	}

	s, err := Open(path, crashOptions("crash-parent"))
	if err != nil {
		t.Fatalf("round %d: the workspace does not open after the kill: %v", round, err)
	}
	defer s.Close()
	res, err := s.Verify(context.Background())
	if err != nil || !res.OK() {
		t.Fatalf("round %d: verify after the kill: %v %q", round, err, res.Problems)
	}
	snap, err := s.Snapshot(context.Background(), id)
	if err != nil {
		t.Fatalf("round %d: snapshot: %v", round, err)
	}
	inFlight := stamp{round, last + 1}
	within := func(what string, got stamp, ok bool, want stamp) {
		switch {
		case !ok:
			t.Errorf("round %d: %s: committed save %s is missing (no marker found)", round, what, want)
		case got.less(want):
			t.Errorf("round %d: %s: holds %s, but %s was reported committed", round, what, got, want)
		case inFlight.less(got):
			t.Errorf("round %d: %s: holds %s, newer than any save made", round, what, got)
		}
	}
	answers := map[assessment.ItemKey]string{}
	for _, r := range snap.Responses {
		answers[assessment.ItemKey{QuestionID: r.QuestionID, AssetID: r.AssetID}] = r.Note
	}
	for k, want := range led.answers {
		got, ok := parseMarker(answers[k])
		within("answer "+k.QuestionID+"/"+k.AssetID, got, ok, want)
	}
	risks := map[string]assessment.Risk{}
	for _, r := range snap.Risks {
		risks[r.ID] = r
	}
	for rid, want := range led.edits {
		got, ok := parseMarker(risks[rid].Rationale)
		within("risk "+rid, got, ok, want)
	}
	for rid, want := range led.created {
		r, ok := risks[rid]
		if !ok || r.Title != marker(want) {
			t.Errorf("round %d: risk %s created in %s was reported committed but is missing", round, rid, want)
		}
	}
	evidence := map[string]assessment.Evidence{}
	for _, e := range snap.Evidence {
		evidence[e.ID] = e
	}
	for eid, want := range led.files {
		e, ok := evidence[eid]
		content := evidenceContent(want)
		sum := sha256.Sum256(content)
		if !ok || e.Description != marker(want) || e.SHA256 != hex.EncodeToString(sum[:]) || len(e.Links) != 1 {
			t.Errorf("round %d: evidence %s added in %s was reported committed but is missing or wrong: %+v", round, eid, want, e)
			continue
		}
		if want.round == round { // re-read this round's files byte for byte (earlier ones were read before)
			var buf bytes.Buffer
			if err := s.EvidenceContent(context.Background(), e.SHA256, &buf); err != nil || !bytes.Equal(buf.Bytes(), content) {
				t.Errorf("round %d: evidence %s reads back wrong (%v)", round, eid, err)
			}
		}
	}
}
