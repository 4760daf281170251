package scanner_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/scanner"
	"github.com/packdesk/packdesk/drivers/scanner/scannertest"
	"github.com/packdesk/packdesk/drivers/serialport"
)

// BenchmarkFrameToScan measures a serial frame written to the device side of
// a pty until its Scan comes out of Reader.Scans, and reports p50/p99/max.
// Run with -benchtime=2000x for a meaningful p99.
func BenchmarkFrameToScan(b *testing.B) {
	p := scannertest.NewPTY(b)
	r, err := scanner.NewReader(scanner.Config{Port: serialport.Config{Path: p.Path(), Baud: 115200}, Framing: scanner.Framing{Suffix: scanner.SuffixCRLF}})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for ev := range r.Events() {
		if ev.State == scanner.StateConnected {
			break
		}
	}
	go func() { // keep events drained
		for range r.Events() {
		}
	}()
	lat := make([]time.Duration, 0, b.N)
	frames := make([][]byte, b.N)
	for i := range frames {
		frames[i] = []byte(fmt.Sprintf("]C1010950123456%04d\r\n", i%10000))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := p.Write(frames[i]); err != nil {
			b.Fatal(err)
		}
		select {
		case <-r.Scans():
		case <-time.After(10 * time.Second):
			b.Fatal("scan not delivered")
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(f float64) float64 { return float64(lat[int(f*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
}

// BenchmarkSplitter measures framing alone.
func BenchmarkSplitter(b *testing.B) {
	s, _ := scanner.NewSplitter(scanner.Framing{Suffix: scanner.SuffixCRLF})
	frame := []byte("]C1010950123456789\x1d10ABC123\r\n")
	now := time.Now()
	b.SetBytes(int64(len(frame)))
	for i := 0; i < b.N; i++ {
		if fr := s.Push(frame, now); len(fr) != 1 {
			b.Fatal(fr)
		}
	}
}

// BenchmarkWedge measures the keyboard-wedge detector per key.
func BenchmarkWedge(b *testing.B) {
	w := scanner.NewWedge(scanner.WedgeConfig{})
	scan := []rune("X001ABCDEF12\r")
	at := time.Now()
	for i := 0; i < b.N; i++ {
		at = at.Add(time.Millisecond)
		w.Feed(scan[i%len(scan)], at)
	}
}
