package pdf

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"safeguard/assessment"
)

// Budgets (issue 6): the demo report ≤ 1 s; the large assessment (40 assets, the whole
// catalog answered, 500 risks, 200 evidence items) ≤ 5 s and ≤ 300 MB peak memory; twice
// that content ≤ 2.3× the time.
//
//	go test ./reports/pdf -run '^$' -bench . -benchtime 3x
//
// reports ms per report, pages and peak heap for each.

func BenchmarkDemoReport(b *testing.B) {
	benchReport(b, demoSnapshot(b), Options{})
}

func BenchmarkDemoReportAttached(b *testing.B) {
	benchReport(b, demoSnapshot(b), Options{AttachEvidence: true, Evidence: noteContents(b, nil)})
}

func BenchmarkLargeReport(b *testing.B) {
	benchReport(b, bigSnapshot(b, 1), Options{})
}

func BenchmarkLargeReportDouble(b *testing.B) {
	benchReport(b, bigSnapshot(b, 2), Options{})
}

func benchReport(b *testing.B, s *assessment.Snapshot, opt Options) {
	b.ReportAllocs()
	var pages int
	var peak uint64
	for b.Loop() {
		p := startPeak()
		out, d, err := render(s, opt)
		peak = max(peak, p.stop())
		if err != nil {
			b.Fatal(err)
		}
		pages = d.f.PageCount()
		b.SetBytes(int64(len(out)))
	}
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
}

// peakSampler records the largest heap in use while a report renders, sampled every few
// milliseconds (an estimate from below of the process's peak).
type peakSampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	peak uint64
}

func startPeak() *peakSampler {
	runtime.GC()
	p := &peakSampler{done: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		var ms runtime.MemStats
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			p.peak = max(p.peak, ms.HeapInuse+ms.StackInuse)
			select {
			case <-p.done:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *peakSampler) stop() uint64 {
	close(p.done)
	p.wg.Wait()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return max(p.peak, ms.HeapInuse+ms.StackInuse)
}

// BenchmarkLargeReport160 is the 160-asset assessment (2,000 risks, about 1,600 pages).
// Budget (issue 18): peak heap ≤ 150 MB.
func BenchmarkLargeReport160(b *testing.B) {
	benchReport(b, bigSnapshot(b, 4), Options{})
}
