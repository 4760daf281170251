package label_test

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/label"
)

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkFontsHeap reports the live heap a Fonts holds after drawing
// Latin text only ("latin-MB") and after drawing Chinese text as well
// ("cjk-MB", the CJK font loaded afresh), and how much the resident set
// grew meanwhile on Linux ("rss-MB", 0 elsewhere).
func BenchmarkFontsHeap(b *testing.B) {
	if _, err := label.DefaultFonts().CJKFont(); err != nil {
		b.Skipf("no CJK font on this machine: %v", err)
	}
	var latin, cjk, rss float64
	for b.Loop() {
		label.ForgetCJKFonts()
		base := heapInUse()
		rss0 := rssKiB()
		f := label.NewFonts("")
		if _, err := f.Measure("Stainless steel bottle", 24, false); err != nil {
			b.Fatal(err)
		}
		afterLatin := heapInUse()
		if _, err := f.Measure("儿童保温杯 不锈钢", 24, false); err != nil {
			b.Fatal(err)
		}
		afterCJK := heapInUse()
		rss = float64(rssKiB()-min(rss0, rssKiB())) / 1024
		runtime.KeepAlive(f)
		latin = float64(afterLatin-min(base, afterLatin)) / (1 << 20)
		cjk = float64(afterCJK-min(base, afterCJK)) / (1 << 20)
	}
	b.ReportMetric(latin, "latin-MB")
	b.ReportMetric(cjk, "cjk-MB")
	b.ReportMetric(rss, "rss-MB")
}

// rssKiB returns the resident set size from /proc (0 where there is none).
func rssKiB() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
