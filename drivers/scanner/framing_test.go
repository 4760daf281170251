package scanner_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/scanner"
)

// split runs chunks through a new Splitter, each 1 ms after the last, then a
// final Flush 10 s later, and renders the frames: data as is, problems as "!".
func split(t testing.TB, f scanner.Framing, chunks ...string) []string {
	t.Helper()
	s, err := scanner.NewSplitter(f)
	if err != nil {
		t.Fatal(err)
	}
	now := t0
	var frames []scanner.Frame
	for _, c := range chunks {
		now = now.Add(time.Millisecond)
		frames = append(frames, s.Push([]byte(c), now)...)
	}
	frames = append(frames, s.Flush(now.Add(10*time.Second))...)
	return renderFrames(frames)
}

func renderFrames(frames []scanner.Frame) []string {
	out := []string{}
	for _, fr := range frames {
		if fr.Err != nil {
			if !strings.HasPrefix(fr.Err.Error(), "scanner: ") {
				panic("problem without prefix: " + fr.Err.Error())
			}
			out = append(out, "!")
			continue
		}
		out = append(out, string(fr.Data))
	}
	return out
}

func TestSplitter(t *testing.T) {
	cr := scanner.Framing{}
	tests := []struct {
		name   string
		f      scanner.Framing
		chunks []string
		want   []string
	}{
		{"cr", cr, []string{"ABC\rDEF\r"}, []string{"ABC", "DEF"}},
		{"cr, scanner sends crlf", cr, []string{"ABC\r\nDEF\r\n"}, []string{"ABC", "DEF"}},
		{"lf", scanner.Framing{Suffix: scanner.SuffixLF}, []string{"ABC\nDEF\n"}, []string{"ABC", "DEF"}},
		{"lf, scanner sends crlf", scanner.Framing{Suffix: scanner.SuffixLF}, []string{"ABC\r\nDEF\r\n"}, []string{"ABC", "DEF"}},
		{"crlf split across reads", scanner.Framing{Suffix: scanner.SuffixCRLF}, []string{"AB", "C\r", "\nD", "EF\r", "\n"}, []string{"ABC", "DEF"}},
		{"crlf keeps a lone lf inside", scanner.Framing{Suffix: scanner.SuffixCRLF}, []string{"LINE1\nLINE2\r\n"}, []string{"LINE1\nLINE2"}},
		{"tab", scanner.Framing{Suffix: scanner.SuffixTAB}, []string{"123\t456\t"}, []string{"123", "456"}},
		{"one byte at a time", cr, strings.Split("0123456789\r", ""), []string{"0123456789"}},
		{"empty frames skipped", cr, []string{"\r\r\rX1\r\r"}, []string{"X1"}},
		{"line noise trimmed", cr, []string{"\x00\x00ABC\x00\r"}, []string{"ABC"}},
		{"gs inside kept", cr, []string{"]C1010123456789012810ABC\x1d17250101\r"}, []string{"]C1010123456789012810ABC\x1d17250101"}},
		{"prefix stripped", scanner.Framing{Prefix: "#"}, []string{"#ABC\rDEF\r"}, []string{"ABC", "DEF"}},
		{"over-long dropped, next ok", scanner.Framing{MaxLength: 5}, []string{"ABCDEFGHIJ\rOK\r"}, []string{"!", "OK"}},
		{"over-long bytewise", scanner.Framing{MaxLength: 5}, strings.Split("ABCDEFGHIJ\rOK\r", ""), []string{"!", "OK"}},
		{"truncated frame dropped on flush", cr, []string{"ABC\rDE"}, []string{"ABC", "!"}},
		{"stx etx", scanner.Framing{Mode: scanner.FrameSTXETX}, []string{"\x02ABC\x03\x02DEF\x03"}, []string{"ABC", "DEF"}},
		{"stx etx split", scanner.Framing{Mode: scanner.FrameSTXETX}, []string{"\x02AB", "C\x03\r\n"}, []string{"ABC"}},
		{"stx etx garbage between", scanner.Framing{Mode: scanner.FrameSTXETX}, []string{"zz\x02ABC\x03junk\x02DEF\x03"}, []string{"!", "ABC", "!", "DEF"}},
		{"stx etx missing etx", scanner.Framing{Mode: scanner.FrameSTXETX}, []string{"\x02ABC\x02DEF\x03"}, []string{"!", "DEF"}},
		{"idle gap", scanner.Framing{Mode: scanner.FrameIdle}, []string{"ABC"}, []string{"ABC"}},
		{"bad utf-8 delivered for barcode to judge", cr, []string{"AB\xff\xfeC\r"}, []string{"AB\xff\xfeC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := split(t, tt.f, tt.chunks...)
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSplitterIdleGap(t *testing.T) {
	s, err := scanner.NewSplitter(scanner.Framing{Mode: scanner.FrameIdle, IdleGap: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ms := time.Millisecond
	var got []scanner.Frame
	got = append(got, s.Push([]byte("AB"), t0)...)
	got = append(got, s.Push([]byte("C"), t0.Add(10*ms))...) // same burst
	got = append(got, s.Flush(t0.Add(20*ms))...)             // too early
	if len(got) != 0 {
		t.Fatalf("frame before the gap: %q", renderFrames(got))
	}
	got = append(got, s.Push([]byte("XYZ"), t0.Add(100*ms))...) // gap ended ABC
	got = append(got, s.Flush(t0.Add(131*ms))...)
	if r := renderFrames(got); fmt.Sprint(r) != "[ABC XYZ]" {
		t.Fatalf("got %q", r)
	}
}

func TestSplitterStaleNotYet(t *testing.T) {
	s, _ := scanner.NewSplitter(scanner.Framing{})
	s.Push([]byte("ABC"), t0)
	if fr := s.Flush(t0.Add(500 * time.Millisecond)); len(fr) != 0 {
		t.Fatalf("partial frame dropped before StaleAfter: %q", renderFrames(fr))
	}
	if fr := s.Push([]byte("D\r"), t0.Add(600*time.Millisecond)); fmt.Sprint(renderFrames(fr)) != "[ABCD]" {
		t.Fatalf("got %q", renderFrames(fr))
	}
}

func TestSplitterReset(t *testing.T) {
	s, _ := scanner.NewSplitter(scanner.Framing{})
	s.Push([]byte("OK\rPART"), t0)
	if r := renderFrames(s.Reset()); fmt.Sprint(r) != "[!]" {
		t.Fatalf("Reset = %q", r)
	}
	if r := renderFrames(s.Push([]byte("NEW\r"), t0)); fmt.Sprint(r) != "[NEW]" {
		t.Fatalf("after Reset got %q", r)
	}
}

func TestNewSplitterBadMode(t *testing.T) {
	if _, err := scanner.NewSplitter(scanner.Framing{Mode: "morse"}); err == nil || !strings.Contains(err.Error(), "morse") {
		t.Fatalf("err = %v", err)
	}
}

// FuzzSplitter checks, for any bytes and any way of cutting them into reads,
// that the Splitter never panics, never returns an empty or over-long scan
// or one with control characters at its ends or its terminator inside, and
// returns the same frames however the stream was cut.
func FuzzSplitter(f *testing.F) {
	f.Add([]byte("ABC\rDEF\r\n"), uint8(0), uint8(3))
	f.Add([]byte("\x02ABC\x03zz\x02D\x02E\x03"), uint8(1), uint8(2))
	f.Add([]byte("0123456789012345678901234567890123\r"), uint8(0), uint8(1))
	f.Add([]byte("\x00\xff]C1\x1d0101\r\n\r"), uint8(2), uint8(5))
	f.Add([]byte("A\tB\t\t"), uint8(3), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, mode, cut uint8) {
		framings := []scanner.Framing{
			{Suffix: scanner.SuffixCR, MaxLength: 32},
			{Mode: scanner.FrameSTXETX, MaxLength: 32},
			{Suffix: scanner.SuffixCRLF, MaxLength: 32, Prefix: "]"},
			{Suffix: scanner.SuffixTAB, MaxLength: 32},
		}
		fr := framings[int(mode)%len(framings)]
		whole := splitFrames(t, fr, data, len(data)+1)
		pieces := splitFrames(t, fr, data, int(cut)%7+1)
		if fmt.Sprintf("%q", whole) != fmt.Sprintf("%q", pieces) {
			t.Fatalf("cut into %d-byte reads: %q, whole: %q", int(cut)%7+1, pieces, whole)
		}
		for _, s := range whole {
			if s == "!" {
				continue
			}
			if s == "" || len(s) > 32 {
				t.Fatalf("bad frame length %d: %q", len(s), s)
			}
			if s[0] < 0x20 || s[len(s)-1] < 0x20 {
				t.Fatalf("control character at an end: %q", s)
			}
			if fr.Mode == scanner.FrameSTXETX && strings.ContainsAny(s, "\x02\x03") || fr.Suffix != "" && strings.Contains(s, fr.Suffix) {
				t.Fatalf("terminator inside frame %q", s)
			}
		}
	})
}

func splitFrames(t *testing.T, f scanner.Framing, data []byte, n int) []string {
	s, err := scanner.NewSplitter(f)
	if err != nil {
		t.Fatal(err)
	}
	var frames []scanner.Frame
	for len(data) > 0 {
		k := min(n, len(data))
		frames = append(frames, s.Push(data[:k], t0)...)
		data = data[k:]
	}
	frames = append(frames, s.Flush(t0.Add(time.Hour))...)
	out := renderFrames(frames)
	// Over-long drops may be reported once or split differently; what must
	// agree is the scans delivered and whether something was dropped.
	var merged []string
	for _, s := range out {
		if s == "!" && len(merged) > 0 && merged[len(merged)-1] == "!" {
			continue
		}
		merged = append(merged, s)
	}
	return merged
}
