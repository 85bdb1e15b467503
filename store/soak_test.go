package store

// The soak test (issue 12): several processes use one workspace at once, as a practice
// does with a TUI open while scripts run, and are killed with SIGKILL at random moments.
//
//	4 writers   answer their own share of the items in a loop, reporting each commit;
//	2 readers   open the workspace read-only, list the assessments and verify it, in a loop;
//	1 reloader  keeps the workspace open as the TUI does, polls Changed and reloads the
//	            snapshot whenever another process changed it;
//
// and every killInterval one of them, chosen at random, is killed and started again. All
// share one user state folder, so the last-seen record is written by all of them at once.
// Afterwards: no process reported an error (no "damaged", no "busy" or "locked" for a
// write that waited less than 30 seconds, no false conflict), every answer a writer
// reported committed is in the audit trail, each item holds its last reported answer or
// a later one, the chain verifies, and the last-seen record does not warn.
//
//	go test ./store -run TestSoak -v                        # a few seconds (CI)
//	go test ./store -run TestSoak -soak.duration=10m -v     # longer (scripts/soak.sh)

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"safeguard/assessment"
)

var (
	soakDuration = flag.Duration("soak.duration", 4*time.Second, "how long TestSoak runs its processes")
	soakKill     = flag.Duration("soak.kill", 300*time.Millisecond, "how often TestSoak kills one of its processes")
)

// Environment of a soak child.
const (
	soakEnvRole  = "SAFEGUARD_SOAK_ROLE" // writer, reader or reloader
	soakEnvDB    = "SAFEGUARD_SOAK_DB"
	soakEnvState = "SAFEGUARD_SOAK_STATE"
	soakEnvID    = "SAFEGUARD_SOAK_ASSESSMENT"
	soakEnvShare = "SAFEGUARD_SOAK_SHARE" // writer k of n: "k/n"
	soakEnvStart = "SAFEGUARD_SOAK_START" // first counter value of this writer's notes
)

// TestSoakChild is the helper process of TestSoak; it does nothing in a normal run.
func TestSoakChild(t *testing.T) {
	role := os.Getenv(soakEnvRole)
	if role == "" {
		t.Skip("helper process for TestSoak (runs only when TestSoak starts it)")
	}
	var err error
	switch role {
	case "writer":
		err = soakWriter()
	case "reader":
		err = soakReader()
	case "reloader":
		err = soakReloader()
	}
	if err != nil {
		fmt.Printf("error: %v\n", err)
		os.Exit(3)
	}
	os.Exit(0)
}

func soakOpen(readOnly bool) (*Store, error) {
	return Open(os.Getenv(soakEnvDB), Options{Actor: "soak-" + os.Getenv(soakEnvRole), ReadOnly: readOnly, StateDir: os.Getenv(soakEnvState)})
}

// soakItems are the organization items of the soak assessment, in a fixed order.
func soakItems(s *Store, id string) ([]assessment.Item, error) {
	snap, err := s.Snapshot(context.Background(), id)
	if err != nil {
		return nil, err
	}
	var out []assessment.Item
	for _, it := range snap.Items() {
		if it.Asset == nil {
			out = append(out, it)
		}
	}
	return out, nil
}

func soakWriter() error {
	s, err := soakOpen(false)
	if err != nil {
		return err
	}
	defer s.Close()
	id := os.Getenv(soakEnvID)
	items, err := soakItems(s, id)
	if err != nil {
		return err
	}
	var k, n int
	fmt.Sscanf(os.Getenv(soakEnvShare), "%d/%d", &k, &n)
	counter, _ := strconv.Atoi(os.Getenv(soakEnvStart))
	var mine []assessment.Item
	for i, it := range items {
		if i%n == k {
			mine = append(mine, it)
		}
	}
	statuses := []assessment.ResponseStatus{assessment.Implemented, assessment.Partial, assessment.Flagged}
	for i := 0; ; i++ {
		it := mine[i%len(mine)]
		counter++
		note := fmt.Sprintf("soak w%d c%d", k, counter)
		r := assessment.Response{QuestionID: it.Question.ID, Status: statuses[counter%len(statuses)], Note: note, Version: AnyVersion}
		start := time.Now()
		if _, err := s.SaveResponse(context.Background(), id, r); err != nil {
			return fmt.Errorf("save %s after %v: %w", it.Question.ID, time.Since(start).Round(time.Millisecond), err)
		}
		fmt.Printf("committed %s %d\n", it.Question.ID, counter)
	}
}

func soakReader() error {
	for {
		s, err := soakOpen(true)
		if err != nil {
			return err
		}
		if _, err := s.Assessments(context.Background()); err != nil {
			return err
		}
		res, err := s.Verify(context.Background())
		if err != nil {
			return err
		}
		if !res.OK() {
			return fmt.Errorf("verify: %s", res.Problems[0])
		}
		s.Close()
		fmt.Println("verified")
	}
}

func soakReloader() error {
	s, err := soakOpen(false)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := context.Background()
	id := os.Getenv(soakEnvID)
	if _, err := s.Changed(ctx); err != nil {
		return err
	}
	// The TUI's reload path: the snapshot it shows is brought up to date by Refresh (only
	// the changed records re-read); whenever nothing else committed between the refresh
	// and a whole load (the same position), the two must be equal.
	shown, err := s.Snapshot(ctx, id)
	if err != nil {
		return err
	}
	for {
		time.Sleep(20 * time.Millisecond)
		changed, err := s.Changed(ctx)
		if err != nil {
			return err
		}
		if !changed {
			continue
		}
		refreshed, _, err := s.Refresh(ctx, shown)
		if err != nil {
			return err
		}
		whole, err := s.Snapshot(ctx, id)
		if err != nil {
			return err
		}
		if whole.Position == refreshed.Position {
			if !reflect.DeepEqual(whole, refreshed) {
				return fmt.Errorf("the refreshed snapshot at entry %d differs from a whole load at the same entry", whole.Position)
			}
			fmt.Println("compared")
		}
		shown = refreshed
		fmt.Println("reloaded")
	}
}

// soakProc is one running child.
type soakProc struct {
	role  string
	share int
	cmd   *exec.Cmd
	done  chan struct{}
}

type soakLog struct {
	mu        sync.Mutex
	committed map[string]int // question -> last counter reported
	all       []string       // every reported note
	errors    []string
	lines     map[string]int
}

func (l *soakLog) read(p *soakProc, sc *bufio.Scanner) {
	for sc.Scan() {
		line := sc.Text()
		l.mu.Lock()
		f := strings.Fields(line)
		switch {
		case len(f) == 3 && f[0] == "committed":
			c, _ := strconv.Atoi(f[2])
			if c > l.committed[f[1]] {
				l.committed[f[1]] = c
			}
			l.all = append(l.all, fmt.Sprintf("soak w%d c%d", p.share, c))
			l.lines["commits"]++
		case strings.HasPrefix(line, "error: "):
			l.errors = append(l.errors, p.role+": "+strings.TrimPrefix(line, "error: "))
		case line == "verified" || line == "reloaded" || line == "compared":
			l.lines[line]++
		}
		l.mu.Unlock()
	}
}

func TestSoak(t *testing.T) {
	if testing.Short() || runtime.GOOS == "windows" {
		t.Skip("starts processes and kills them with SIGKILL")
	}
	dir := t.TempDir()
	path, state := filepath.Join(dir, "ws.db"), filepath.Join(dir, "state")
	s, err := Open(path, Options{Actor: "soak-setup", StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	id := newAssessment(t, s)
	s.Close()

	log := &soakLog{committed: map[string]int{}, lines: map[string]int{}}
	const writers = 4
	counters := make([]int, writers) // next start value per writer share
	start := func(role string, share int) *soakProc {
		p := &soakProc{role: role, share: share, done: make(chan struct{})}
		p.cmd = exec.Command(os.Args[0], "-test.run=^TestSoakChild$")
		p.cmd.Env = append(os.Environ(), soakEnvRole+"="+role, soakEnvDB+"="+path, soakEnvState+"="+state, soakEnvID+"="+id,
			fmt.Sprintf("%s=%d/%d", soakEnvShare, share, writers), fmt.Sprintf("%s=%d", soakEnvStart, counters[share%writers]))
		if role == "writer" {
			counters[share] += 1_000_000 // each incarnation writes notes of its own
		}
		out, err := p.cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		p.cmd.Stderr = os.Stderr
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() {
			log.read(p, bufio.NewScanner(out))
			p.cmd.Wait()
			close(p.done)
		}()
		return p
	}
	var procs []*soakProc
	for k := 0; k < writers; k++ {
		procs = append(procs, start("writer", k))
	}
	procs = append(procs, start("reader", 0), start("reader", 1), start("reloader", 0))

	seed := rand.Uint64()
	t.Logf("soak: %v, one kill every %v, seed %d", *soakDuration, *soakKill, seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	kills := 0
	deadline := time.Now().Add(*soakDuration)
	for time.Now().Before(deadline) {
		time.Sleep(*soakKill/2 + time.Duration(rng.Int64N(int64(*soakKill))))
		i := rng.IntN(len(procs))
		p := procs[i]
		select {
		case <-p.done: // exited on its own: an error it reported
		default:
			p.cmd.Process.Signal(syscall.SIGKILL)
			<-p.done
			kills++
		}
		procs[i] = start(p.role, p.share)
	}
	for _, p := range procs {
		p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	t.Logf("soak: %d kills, %d commits reported, %d verifies, %d reloads (%d refreshes compared equal to a whole load)", kills, log.lines["commits"],
		log.lines["verified"], log.lines["reloaded"], log.lines["compared"])
	for _, e := range log.errors {
		t.Errorf("a process failed: %s", e)
	}
	if log.lines["commits"] == 0 || log.lines["verified"] == 0 {
		t.Fatalf("the soak did no work: %v", log.lines)
	}

	s, err = Open(path, Options{Actor: "soak-check", StateDir: state, ReadOnly: true})
	if err != nil {
		t.Fatalf("after the soak: %v", err)
	}
	defer s.Close()
	if w := s.History(); w != nil {
		t.Errorf("the last-seen record warns after the soak: %v", w)
	}
	res, err := s.Verify(ctx)
	if err != nil || !res.OK() {
		t.Fatalf("verify after the soak: %v %q", err, res.Problems)
	}
	// Every reported commit is in the audit trail.
	notes := map[string]bool{}
	rows, err := s.db.Query("SELECT payload FROM audit_log WHERE entity = 'response'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p string
		rows.Scan(&p)
		if i := strings.Index(p, `"note":"`); i >= 0 {
			rest := p[i+8:]
			notes[rest[:strings.IndexByte(rest, '"')]] = true
		}
	}
	rows.Close()
	lost := 0
	for _, n := range log.all {
		if !notes[n] {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d committed answers are missing from the audit trail", lost, len(log.all))
	}
	// Each item holds its last reported answer, or one committed after it.
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range snap.Responses {
		var w, c int
		fmt.Sscanf(r.Note, "soak w%d c%d", &w, &c)
		if c < log.committed[r.QuestionID] {
			t.Errorf("%s holds answer %d, but %d was reported committed", r.QuestionID, c, log.committed[r.QuestionID])
		}
	}
	t.Logf("soak: %d audit entries verified, 0 of %d committed answers lost", res.Entries, len(log.all))
}
