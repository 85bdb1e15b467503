package pdf

import (
	"runtime/debug"
	"sync"
)

// While fpdf writes the file it holds every page's content and builds the whole file
// beside it, in a buffer that grows by doubling, copying each page as it goes: the live
// heap rises by half in a few hundred milliseconds, with as much garbage again. With Go's
// default target (GOGC=100) the collector lets the heap grow to twice what was live at
// its last cycle before it runs again, and that headroom, not the live data, made a third
// of a large report's peak. So the collector is asked to run at a tenth of that headroom
// while the file is written, the short part of the work where the heap peaks. Measured on
// the 1,699-page report (BenchmarkLargeReport160): peak heap 151–152 MB without this,
// 117–128 MB with it, also with the machine's two cores busy with other work, for about
// the same time (the CPU the collector adds is within the run-to-run noise) and 0.1 s
// more system time (BENCHMARKS.md, issue 18).
const writeGCPercent = 10

// lowGCPages is the size from which the target is lowered. A small document's write
// leaves little garbage, and collecting it sooner only costs time: the 113-page demo
// report, with the target at 20, saved 7 MB of a 30 MB peak but took 15–20 % longer.
const lowGCPages = 400

// writeGC is the collector target lowered for the writes under way: the first write to
// start lowers it, the last to end restores what it was. A target the user set lower, or
// the collector turned off (GOGC=off), is left as it is.
var writeGC struct {
	sync.Mutex
	writes  int
	before  int
	lowered bool
}

// lowGCWhileWriting lowers the collector target (writeGCPercent) until the returned
// function is called.
func lowGCWhileWriting() (restore func()) {
	writeGC.Lock()
	defer writeGC.Unlock()
	if writeGC.writes == 0 {
		writeGC.before = debug.SetGCPercent(writeGCPercent)
		writeGC.lowered = writeGC.before > writeGCPercent
		if !writeGC.lowered {
			debug.SetGCPercent(writeGC.before)
		}
	}
	writeGC.writes++
	return func() {
		writeGC.Lock()
		defer writeGC.Unlock()
		writeGC.writes--
		if writeGC.writes == 0 && writeGC.lowered {
			debug.SetGCPercent(writeGC.before)
			writeGC.lowered = false
		}
	}
}
