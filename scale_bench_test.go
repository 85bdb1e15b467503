package main

// The consultant's workspace (issue 18): 20 clients × 3 years in one workspace, measured
// against the same client in a workspace of its own, in one run, as ratios (the machine is
// shared: a ratio of interleaved pairs holds when its speed drifts).
//
//	go test -run '^$' -bench BenchmarkScale -benchtime 5x .          # the full fixture, 1.2 GB of evidence
//	go test -run '^$' -bench BenchmarkScale -benchtime 3x . -scale.evidence-mb=60   # smaller evidence (CI)
//	SCALE_DIR=/var/tmp/scale go test …   # keep the built workspaces between runs
//
// The fixture is deterministic: every client is assessmenttest.Sized(10 assets, 125 risks),
// imported, every answer saved once more (so the chain holds about 2,700 entries a client,
// 162,000 in all), with 10 evidence files of 2 MB each (pseudo-random content from a fixed
// seed; -scale.evidence-mb scales their size). The fresh workspace holds the one client,
// built the same way. Each round runs, alternately in the two workspaces: `safeguard
// report` (whole process), and each output of the TUI's Report tab in process
// (LoadOutputSource + the format's writer, as ui/report does). `safeguard verify` of the
// big workspace is paired with its floor, reading every row of every table once and
// hashing the audit rows and evidence chunks.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
	"safeguard/reports"
	"safeguard/store"
)

var (
	scaleEvidenceMB = flag.Int("scale.evidence-mb", 1200, "evidence in the 20×3 scale workspace, in MB (600 files)")
	scaleClients    = flag.Int("scale.clients", 20, "clients in the scale workspace (× 3 years)")
)

type scaleFixture struct {
	bin         string
	big, fresh  string // workspace files
	bigID       string // the measured client in the big workspace
	freshID     string
	stBig, stFr string // state folders (the verified head lives there)
}

var (
	scaleOnce sync.Once
	scaleFix  *scaleFixture
	scaleErr  error
)

func buildScaleFixture(b *testing.B) *scaleFixture {
	scaleOnce.Do(func() {
		dir := os.Getenv("SCALE_DIR")
		if dir == "" {
			dir = b.TempDir()
		}
		scaleFix, scaleErr = makeScaleFixture(b, dir)
	})
	if scaleErr != nil {
		b.Fatal(scaleErr)
	}
	return scaleFix
}

func makeScaleFixture(b *testing.B, dir string) (*scaleFixture, error) {
	f := &scaleFixture{bin: filepath.Join(dir, "safeguard"), stBig: filepath.Join(dir, "state-big"), stFr: filepath.Join(dir, "state-fresh")}
	build := exec.Command("go", "build", "-o", f.bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, out)
	}
	clients, years := *scaleClients, 3
	fileSize := int64(*scaleEvidenceMB) * 1_000_000 / int64(clients*years*10)
	tag := fmt.Sprintf("c%d-e%d", clients, *scaleEvidenceMB)
	f.big = filepath.Join(dir, "consultant-"+tag+".db")
	f.fresh = filepath.Join(dir, "fresh-"+tag+".db")
	target := clients/2*years + 1 // a client in the middle of the history
	var err error
	if f.bigID, err = scaleWorkspace(b, f.big, f.stBig, clients*years, target, fileSize); err != nil {
		return nil, err
	}
	if f.freshID, err = scaleWorkspace(b, f.fresh, f.stFr, 1, 0, fileSize); err != nil {
		return nil, err
	}
	return f, nil
}

// scaleWorkspace builds (or finds, from an earlier run with SCALE_DIR) a workspace of n
// clients and returns the ID of client number target.
func scaleWorkspace(b *testing.B, path, state string, n, target int, fileSize int64) (string, error) {
	ctx := context.Background()
	idFile := path + ".target"
	if id, err := os.ReadFile(idFile); err == nil {
		return string(id), nil
	}
	removeAll(path)
	start := time.Now()
	s, err := store.Open(path, store.Options{Actor: "consultant", StateDir: state})
	if err != nil {
		return "", err
	}
	defer s.Close()
	if err := s.SetEvidenceLimit(ctx, 2*store.GB); err != nil {
		return "", err
	}
	snap := assessmenttest.Sized(b, 10, 125, 0)
	tmp := b.TempDir()
	var targetID string
	for c := range n {
		doc := assessment.DocumentOf(snap)
		doc.Assessment.Title = fmt.Sprintf("Client %02d, year %d", c/3+1, 2024+c%3)
		doc.Assessment.Organization = fmt.Sprintf("Client %02d", c/3+1)
		id, err := s.Import(ctx, doc, store.ImportOptions{NewIDs: true})
		if err != nil {
			return "", err
		}
		if c == target {
			targetID = id
		}
		full, err := s.Snapshot(ctx, id)
		if err != nil {
			return "", err
		}
		saved := 0
		for _, r := range full.Responses {
			r.Revalidate, r.Version = false, store.AnyVersion
			r.Note = "Reviewed again at the yearly visit."
			// The generated answers include some that import keeps and a save refuses
			// (follow-ups of gates answered not applicable, decisions without their
			// rationale): those are left as imported.
			if _, err := s.SaveResponse(ctx, id, r); err == nil {
				saved++
			}
		}
		if saved < len(full.Responses)*3/4 {
			return "", fmt.Errorf("only %d of %d answers could be saved again", saved, len(full.Responses))
		}
		rng := rand.New(rand.NewPCG(uint64(c), 18))
		for e := range 10 {
			file := filepath.Join(tmp, fmt.Sprintf("client-%02d-evidence-%02d.bin", c, e))
			data := make([]byte, fileSize)
			for i := 0; i+8 <= len(data); i += 8 {
				v := rng.Uint64()
				for k := range 8 {
					data[i+k] = byte(v >> (8 * k))
				}
			}
			if err := os.WriteFile(file, data, 0o600); err != nil {
				return "", err
			}
			a := full.Assets[e%len(full.Assets)]
			if _, err := s.AddEvidenceFile(ctx, id, file, store.EvidenceMeta{}, []assessment.EvidenceLink{{AssetID: a.ID}}, nil); err != nil {
				return "", err
			}
			os.Remove(file)
		}
	}
	b.Logf("built %s: %d clients in %v", filepath.Base(path), n, time.Since(start).Round(time.Second))
	return targetID, os.WriteFile(idFile, []byte(targetID), 0o600)
}

func removeAll(path string) {
	for _, s := range []string{"", "-wal", "-shm", ".target"} {
		os.Remove(path + s)
	}
}

// runBin runs the binary and returns its wall time and peak resident memory. The peak is
// the child's VmHWM, sampled every millisecond while it runs: the rusage figure
// (ru_maxrss) cannot be used, because Go starts children with vfork, and Linux carries the
// parent's high-water mark (this test process's) into the child's at exec.
func (f *scaleFixture) runBin(b *testing.B, state string, args ...string) (time.Duration, int64) {
	cmd := exec.Command(f.bin, args...)
	cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+state, "HOME="+state)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	peak := make(chan int64, 1)
	go func() {
		var hwm int64
		status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if kb := vmHWM(status); kb > 0 {
				hwm = max(hwm, kb*1024)
			}
			select {
			case <-done:
				peak <- hwm
				return
			case <-tick.C:
			}
		}
	}()
	err := cmd.Wait()
	took := time.Since(start)
	close(done)
	if err != nil {
		b.Fatalf("safeguard %v: %v\n%s", args, err, out.Bytes())
	}
	return took, <-peak
}

// vmHWM reads a process's resident high-water mark in kB (0 when it has exited).
func vmHWM(status string) int64 {
	data, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	_, rest, ok := bytes.Cut(data, []byte("VmHWM:"))
	if !ok {
		return 0
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	kb, _ := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(line), []byte("kB")))), 10, 64)
	return kb
}

// tuiOutput writes one output the way the TUI's Report tab does.
func tuiOutput(b *testing.B, s *store.Store, id string, f reports.Format) time.Duration {
	ctx := context.Background()
	start := time.Now()
	src, err := s.LoadOutputSource(ctx, id, f.Verify, f.Document)
	if err != nil {
		b.Fatal(err)
	}
	if f.Verify && !src.Result.OK() {
		b.Fatalf("%s: verification failed: %q", f.Name, src.Result.Problems)
	}
	if err := f.Write(io.Discard, reports.Input{Snapshot: src.Snapshot, Document: src.Document}); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// verifyFloor reads every row of every table once and hashes the audit rows and the
// evidence chunks: what any verify must at least do.
func verifyFloor(b *testing.B, path string) time.Duration {
	start := time.Now()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
	if err != nil {
		b.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var t string
		rows.Scan(&t)
		tables = append(tables, t)
	}
	rows.Close()
	h := sha256.New()
	for _, t := range tables {
		rows, err := db.Query("SELECT * FROM " + t)
		if err != nil {
			b.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				b.Fatal(err)
			}
			if t == "audit_log" || t == "blob_chunks" {
				for _, v := range vals {
					switch x := v.(type) {
					case []byte:
						h.Write(x)
					case string:
						io.WriteString(h, x)
					}
				}
			}
		}
		rows.Close()
	}
	h.Sum(nil)
	return time.Since(start)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkScale: one round per b.N. Budgets (issue 18): report and each TUI output of
// the client ≤ 1.3× the same in a fresh workspace; full verify ≤ 1.3× its floor, peak
// RSS ≤ 100 MB.
func BenchmarkScale(b *testing.B) {
	f := buildScaleFixture(b)
	ctx := context.Background()
	_ = ctx
	open := func(path, state string) *store.Store {
		s, err := store.Open(path, store.Options{Actor: "consultant", StateDir: state})
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	sBig, sFr := open(f.big, f.stBig), open(f.fresh, f.stFr)
	defer sBig.Close()
	defer sFr.Close()
	out := b.TempDir()
	report := func(db, state, id string) (time.Duration, int64) {
		return f.runBin(b, state, "--db", db, "report", id, "--out", filepath.Join(out, "r.pdf"), "--force")
	}
	// Warm-up: the first report on a computer walks the whole chain once.
	report(f.big, f.stBig, f.bigID)
	report(f.fresh, f.stFr, f.freshID)
	for _, fm := range reports.Formats {
		tuiOutput(b, sBig, f.bigID, fm)
		tuiOutput(b, sFr, f.freshID, fm)
	}
	ratios := map[string][]float64{}
	abs := map[string][]float64{}
	var verifyRSS, reportRSS int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tb, rb := report(f.big, f.stBig, f.bigID)
		tf, _ := report(f.fresh, f.stFr, f.freshID)
		ratios["report"] = append(ratios["report"], tb.Seconds()/tf.Seconds())
		abs["report-big-ms"] = append(abs["report-big-ms"], float64(tb.Milliseconds()))
		abs["report-fresh-ms"] = append(abs["report-fresh-ms"], float64(tf.Milliseconds()))
		reportRSS = max(reportRSS, rb)
		// The in-process outputs are short: five pairs each a round.
		for range 5 {
			for _, fm := range reports.Formats {
				x, y := tuiOutput(b, sBig, f.bigID, fm), tuiOutput(b, sFr, f.freshID, fm)
				ratios["tui-"+fm.Name] = append(ratios["tui-"+fm.Name], x.Seconds()/y.Seconds())
				abs["tui-"+fm.Name+"-big-ms"] = append(abs["tui-"+fm.Name+"-big-ms"], float64(x.Microseconds())/1000)
			}
		}
		// A verify takes seconds, long enough for the machine's other work to weigh on
		// one pair: three pairs a round, verify and floor alternating.
		for range 3 {
			tv, rss := f.runBin(b, f.stBig, "--db", f.big, "verify")
			fl := verifyFloor(b, f.big)
			ratios["verify-floor"] = append(ratios["verify-floor"], tv.Seconds()/fl.Seconds())
			abs["verify-ms"] = append(abs["verify-ms"], float64(tv.Milliseconds()))
			abs["floor-ms"] = append(abs["floor-ms"], float64(fl.Milliseconds()))
			verifyRSS = max(verifyRSS, rss)
		}
	}
	b.StopTimer()
	for k, v := range ratios {
		b.ReportMetric(median(v), k+"-x")
	}
	for k, v := range abs {
		b.ReportMetric(median(v), k)
	}
	b.ReportMetric(float64(verifyRSS)/1e6, "verify-peak-MB")
	b.ReportMetric(float64(reportRSS)/1e6, "report-peak-MB")
}
