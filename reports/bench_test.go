package reports

import (
	"fmt"
	"io"
	"testing"

	"safeguard/assessment"
)

// countingWriter counts the bytes written, so benchmarks report the output size without
// keeping it.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// benchExport runs one export of the large assessment (40 assets, every applicable item
// answered, 500 rated risks, 200 evidence items) at scale 1 and 2, so the figures show how
// the time grows when the content doubles.
func benchExport(b *testing.B, write func(io.Writer, *assessment.Snapshot) error) {
	for _, n := range []int{1, 2} {
		s := largeSnapshot(b, n)
		b.Run(fmt.Sprintf("x%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var w countingWriter
			for b.Loop() {
				w.n = 0
				if err := write(&w, s); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(w.n)/1e6, "MB/file")
			b.ReportMetric(float64(len(s.Items())), "items")
		})
	}
}

func BenchmarkExportFindingsCSV(b *testing.B) { benchExport(b, WriteFindingsCSV) }
func BenchmarkExportRisksCSV(b *testing.B)    { benchExport(b, WriteRisksCSV) }
func BenchmarkExportOSCAL(b *testing.B)       { benchExport(b, WriteOSCAL) }
