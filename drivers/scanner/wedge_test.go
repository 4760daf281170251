package scanner_test

import (
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/scanner"
	"pgregory.net/rapid"
)

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

type key struct {
	r  rune
	at time.Duration // since t0
}

// keysAt spreads s over keys every step, starting at start.
func keysAt(s string, start, step time.Duration) []key {
	var ks []key
	for i, r := range []rune(s) {
		ks = append(ks, key{r, start + time.Duration(i)*step})
	}
	return ks
}

// fyneFrames moves every key to the next 16 ms frame boundary, as Fyne
// delivers them.
func fyneFrames(ks []key) []key {
	const frame = 16 * time.Millisecond
	out := make([]key, len(ks))
	for i, k := range ks {
		out[i] = key{k.r, (k.at + frame - 1) / frame * frame}
	}
	return out
}

// drive feeds keys to w, calling Flush whenever the deadline passes before
// the next key (as the GUI's timer would), and flushes at the end.
func drive(w *scanner.Wedge, ks []key) []scanner.WedgeResult {
	var out []scanner.WedgeResult
	for _, k := range ks {
		at := t0.Add(k.at)
		if d, ok := w.Deadline(); ok && !at.Before(d) {
			out = append(out, w.Flush(d)...)
		}
		out = append(out, w.Feed(k.r, at)...)
	}
	if d, ok := w.Deadline(); ok {
		out = append(out, w.Flush(d)...)
	}
	return out
}

// render writes results as "[scan]" and "typing" for easy comparison.
func render(rs []scanner.WedgeResult) string {
	var b strings.Builder
	for _, r := range rs {
		if r.Scan {
			b.WriteString("[" + r.Text + "]")
		} else {
			b.WriteString(r.Text)
		}
	}
	return b.String()
}

func cat(parts ...[]key) []key {
	var out []key
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestWedge(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name string
		cfg  scanner.WedgeConfig
		keys []key
		want string
	}{
		{"scan at 1ms per key", scanner.WedgeConfig{}, keysAt("0123456789012\r", 0, ms), "[0123456789012]"},
		{"scan all in one frame", scanner.WedgeConfig{}, keysAt("ABC-123\n", 0, 0), "[ABC-123]"},
		{"scan bunched into 16ms frames", scanner.WedgeConfig{}, fyneFrames(keysAt("X00ABCDEF1\r", 3*ms, 7*ms)), "[X00ABCDEF1]"},
		{"scan with a missed frame", scanner.WedgeConfig{}, cat(keysAt("ABCD", 0, 0), keysAt("EFGH\r", 33*ms, 0)), "[ABCDEFGH]"},
		{"slow typing is typing", scanner.WedgeConfig{}, keysAt("hello\r", 0, 80*ms), "hello\r"},
		{"slow typing in frames is typing", scanner.WedgeConfig{}, fyneFrames(keysAt("1234567\n", 5*ms, 80*ms)), "1234567\n"},
		{"80 ms typing shrunk to 64 ms by frames is typing", scanner.WedgeConfig{}, keysAt("abcd\r", 0, 64*ms), "abcd\r"},
		{"scan with two missed frames", scanner.WedgeConfig{}, cat(keysAt("ABCD", 0, 0), keysAt("EFGH\r", 49*ms, 0)), "[ABCDEFGH]"},
		{"short fast burst is typing", scanner.WedgeConfig{}, keysAt("ab\r", 0, ms), "ab\r"},
		{"fast burst without terminator is typing", scanner.WedgeConfig{}, keysAt("aaaaaaaa", 0, 30*ms), "aaaaaaaa"},
		{"no-terminator scanner", scanner.WedgeConfig{NoTerminator: true}, keysAt("4006381333931", 0, 2*ms), "[4006381333931]"},
		{"no-terminator short burst", scanner.WedgeConfig{NoTerminator: true}, keysAt("abc", 0, 2*ms), "abc"},
		{"typing then scan", scanner.WedgeConfig{}, cat(keysAt("ok", 0, 100*ms), keysAt("SCAN01\r", 300*ms, ms)), "ok[SCAN01]"},
		{"scan then typing", scanner.WedgeConfig{}, cat(keysAt("SCAN01\r", 0, ms), keysAt("x\r", 200*ms, 90*ms)), "[SCAN01]x\r"},
		{"two scans back to back", scanner.WedgeConfig{}, keysAt("AAAA\rBBBB\r", 0, ms), "[AAAA][BBBB]"},
		{"tab terminator", scanner.WedgeConfig{Terminators: []rune{'\t'}}, keysAt("TRK123\t", 0, ms), "[TRK123]"},
		{"cr not a terminator when tab chosen", scanner.WedgeConfig{Terminators: []rune{'\t'}}, keysAt("TRK123\r", 0, ms), "TRK123\r"},
		{"over-long burst is typing", scanner.WedgeConfig{MaxLength: 5}, keysAt("abcdefghij\r", 0, ms), "abcdefghij\r"},
		{"after over-long, pause, then scan", scanner.WedgeConfig{MaxLength: 5}, cat(keysAt("abcdefgh", 0, ms), keysAt("SCAN\r", time.Second, ms)), "abcdefgh[SCAN]"},
		{"unicode scan", scanner.WedgeConfig{}, keysAt("包裹编号1\r", 0, ms), "[包裹编号1]"},
		{"timestamps going backwards are bunched", scanner.WedgeConfig{}, []key{{'A', 10 * ms}, {'B', 5 * ms}, {'C', 10 * ms}, {'D', 11 * ms}, {'\r', 12 * ms}}, "[ABCD]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(drive(scanner.NewWedge(tt.cfg), tt.keys)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWedgeHoldsUntilDeadline(t *testing.T) {
	w := scanner.NewWedge(scanner.WedgeConfig{})
	if rs := w.Feed('a', t0); len(rs) != 0 {
		t.Fatalf("first key decided at once: %+v", rs)
	}
	d, ok := w.Deadline()
	if !ok || !d.After(t0) {
		t.Fatalf("Deadline = %v, %v; want after %v", d, ok, t0)
	}
	if rs := w.Flush(d.Add(-time.Millisecond)); len(rs) != 0 {
		t.Fatalf("Flush before deadline decided: %+v", rs)
	}
	rs := w.Flush(d)
	if len(rs) != 1 || rs[0].Scan || rs[0].Text != "a" {
		t.Fatalf("Flush at deadline = %+v, want typing \"a\"", rs)
	}
	if _, ok := w.Deadline(); ok || w.Pending() != 0 {
		t.Fatalf("still pending after flush")
	}
}

func TestWedgeReset(t *testing.T) {
	w := scanner.NewWedge(scanner.WedgeConfig{})
	w.FeedString("abc", t0)
	if got := render(w.Reset()); got != "abc" {
		t.Fatalf("Reset = %q, want typing abc", got)
	}
	if w.Pending() != 0 {
		t.Fatal("Reset left keys pending")
	}
}

func TestWedgeResultAsScan(t *testing.T) {
	w := scanner.NewWedge(scanner.WedgeConfig{})
	rs := w.FeedString("FBA15ABCD\r", t0)
	if len(rs) != 1 || !rs[0].Scan {
		t.Fatalf("got %+v", rs)
	}
	s := rs[0].AsScan("wedge")
	if string(s.Data) != "FBA15ABCD" || s.Source != "wedge" || !s.At.Equal(t0) || rs[0].Terminator != '\r' {
		t.Fatalf("AsScan = %+v (terminator %q)", s, rs[0].Terminator)
	}
}

// TestWedgeProperty mixes human typing (>= 80 ms per key, any characters,
// Enter included) and scans (1-12 ms per key, Enter or CR suffix), delivered
// in Fyne-like 16 ms frames or not, and checks that every scan is found
// whole, nothing typed is taken for a scan, and no character is lost or
// reordered.
func TestWedgeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ms := time.Millisecond
		var ks []key
		var wantScans []string
		var want strings.Builder // expected render()
		now := time.Duration(0)
		segs := rapid.IntRange(1, 8).Draw(t, "segments")
		for i := 0; i < segs; i++ {
			now += time.Duration(rapid.IntRange(80, 400).Draw(t, "pause")) * ms
			if rapid.Bool().Draw(t, "isScan") {
				data := rapid.StringMatching(`[0-9A-Z\-\x1d]{4,40}`).Draw(t, "scan")
				term := rapid.SampledFrom([]string{"\r", "\n"}).Draw(t, "term")
				step := time.Duration(rapid.IntRange(0, 12).Draw(t, "keyMs")) * ms
				k := keysAt(data+term, now, step)
				ks = append(ks, k...)
				now = k[len(k)-1].at
				wantScans = append(wantScans, data)
				want.WriteString("[" + data + "]")
			} else {
				text := rapid.StringMatching(`[a-z0-9 \r]{1,10}`).Draw(t, "typing")
				for j, r := range text {
					if j > 0 {
						now += time.Duration(rapid.IntRange(80, 300).Draw(t, "keyGap")) * ms
					}
					ks = append(ks, key{r, now})
				}
				want.WriteString(text)
			}
		}
		if rapid.Bool().Draw(t, "fyne") {
			ks = fyneFrames(ks)
		}
		rs := drive(scanner.NewWedge(scanner.WedgeConfig{}), ks)
		var gotScans []string
		for _, r := range rs {
			if r.Scan {
				gotScans = append(gotScans, r.Text)
			}
		}
		if got := render(rs); got != want.String() {
			t.Fatalf("got  %q\nwant %q\nscans got %q want %q", got, want.String(), gotScans, wantScans)
		}
	})
}

// TestWedgeNeverLosesACharacter feeds arbitrary keys (any rune, terminators
// included) at arbitrary gaps, with Flush called at arbitrary times (early
// ones included), Reset now and then (focus lost), and small MaxLength
// values that force the over-long path. Whatever the detector decides,
// every character comes back exactly once and in order: scans as Text plus
// their Terminator, typing as Text.
func TestWedgeNeverLosesACharacter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ms := time.Millisecond
		cfg := scanner.WedgeConfig{
			MinLength:    rapid.IntRange(0, 6).Draw(t, "minLength"),
			MaxLength:    rapid.SampledFrom([]int{0, 3, 5, 8, 4096}).Draw(t, "maxLength"),
			NoTerminator: rapid.Bool().Draw(t, "noTerminator"),
		}
		if rapid.Bool().Draw(t, "tabTerminator") {
			cfg.Terminators = []rune{'\t', '\r'}
		}
		w := scanner.NewWedge(cfg)
		var in, out strings.Builder
		collect := func(rs []scanner.WedgeResult) {
			for _, r := range rs {
				if r.Scan && len([]rune(r.Text)) < w.Config().MinLength {
					t.Fatalf("scan %q shorter than MinLength %d", r.Text, w.Config().MinLength)
				}
				out.WriteString(r.Text)
				if r.Terminator != 0 {
					if !r.Scan {
						t.Fatalf("typing result %+v has a terminator", r)
					}
					out.WriteRune(r.Terminator)
				}
			}
		}
		now := t0
		n := rapid.IntRange(0, 200).Draw(t, "keys")
		for i := 0; i < n; i++ {
			gap := rapid.SampledFrom([]time.Duration{0, ms, 2 * ms, 12 * ms, 16 * ms, 33 * ms, 59 * ms, 60 * ms, 61 * ms, 80 * ms, 300 * ms}).Draw(t, "gap")
			if rapid.IntRange(0, 20).Draw(t, "backwards") == 0 {
				gap = -5 * ms // a timestamp earlier than the last key
			}
			now = now.Add(gap)
			switch rapid.IntRange(0, 12).Draw(t, "action") {
			case 0:
				collect(w.Flush(now.Add(time.Duration(rapid.IntRange(-70, 70).Draw(t, "flushAt")) * ms)))
			case 1:
				collect(w.Reset())
			}
			r := rapid.SampledFrom([]rune{'A', '7', '-', '\x1d', '\r', '\n', '\t', ' ', '包', 'é'}).Draw(t, "rune")
			in.WriteRune(r)
			collect(w.Feed(r, now))
		}
		if d, ok := w.Deadline(); ok {
			collect(w.Flush(d))
		}
		collect(w.Reset())
		if w.Pending() != 0 {
			t.Fatalf("%d characters still held after Reset", w.Pending())
		}
		if out.String() != in.String() {
			t.Fatalf("characters out %q\nwant            %q", out.String(), in.String())
		}
	})
}

// TestWedgeScansSurviveMissedFrames types scans at 1 ms per key (and up to
// 12 ms) into Fyne-like delivery: keys land on 16 ms frame boundaries, and
// the loop sometimes misses one or two frames in a row, so keys arrive
// 0, 16, 33 or 49 ms apart. Every scan must come out whole, as one scan.
func TestWedgeScansSurviveMissedFrames(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		const frame = 16 * time.Millisecond
		ms := time.Millisecond
		var ks []key
		var want strings.Builder
		now := time.Duration(0)
		for i, n := 0, rapid.IntRange(1, 6).Draw(t, "scans"); i < n; i++ {
			now += time.Duration(rapid.IntRange(100, 400).Draw(t, "pause")) * ms
			data := rapid.StringMatching(`[0-9A-Z]{4,40}`).Draw(t, "scan")
			step := time.Duration(rapid.IntRange(1, 12).Draw(t, "keyMs")) * ms
			k := keysAt(data+"\r", now, step)
			ks = append(ks, k...)
			now = k[len(k)-1].at
			want.WriteString("[" + data + "]")
		}
		// Deliver each key at the first frame at or after it that is not
		// missed; at most two frames in a row are missed.
		missed := map[time.Duration]bool{}
		run := 0
		for f := time.Duration(0); f <= now+4*frame; f += frame {
			if run < 2 && rapid.IntRange(0, 3).Draw(t, "miss") == 0 {
				missed[f] = true
				run++
			} else {
				run = 0
			}
		}
		for i, k := range ks {
			f := (k.at + frame - 1) / frame * frame
			for missed[f] {
				f += frame
			}
			ks[i].at = f
		}
		if got := render(drive(scanner.NewWedge(scanner.WedgeConfig{}), ks)); got != want.String() {
			t.Fatalf("got  %q\nwant %q", got, want.String())
		}
	})
}

func TestWedgeLone(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name string
		cfg  scanner.WedgeConfig
		keys []key
		want string // render() with lone typing in {braces}
	}{
		{"a key on its own", scanner.WedgeConfig{}, keysAt("4", 100*ms, 0), "{4}"},
		{"keys a person types", scanner.WedgeConfig{}, keysAt("41", 100*ms, 200*ms), "{4}{1}"},
		{"a scan's first digit", scanner.WedgeConfig{}, keysAt("4006381333931\r", 100*ms, ms), "[4006381333931]"},
		{"a scan in Xvfb frames", scanner.WedgeConfig{}, fyneFrames(keysAt("4006381333931\r", 100*ms, ms)), "[4006381333931]"},
		{"a scan without suffix is typing, not a key", scanner.WedgeConfig{}, keysAt("4006381333931", 100*ms, ms), "4006381333931"},
		{"a short burst", scanner.WedgeConfig{}, keysAt("4\r", 100*ms, 5*ms), "4\r"},
		{"a key right after a scan", scanner.WedgeConfig{},
			cat(keysAt("ABCD\r", 100*ms, ms), keysAt("4", 110*ms, 0)), "[ABCD]4"},
		{"a key after a scan and a pause", scanner.WedgeConfig{},
			cat(keysAt("ABCD\r", 100*ms, ms), keysAt("4", 300*ms, 0)), "[ABCD]{4}"},
		{"the tail of an over-long burst", scanner.WedgeConfig{MaxLength: 4},
			keysAt("12345", 100*ms, ms), "12345"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := drive(scanner.NewWedge(tc.cfg), tc.keys)
			var b strings.Builder
			for _, r := range rs {
				switch {
				case r.Lone && (r.Scan || len([]rune(r.Text)) != 1):
					t.Fatalf("Lone result %+v is not one typed key", r)
				case r.Lone:
					b.WriteString("{" + r.Text + "}")
				case r.Scan:
					b.WriteString("[" + r.Text + "]")
				default:
					b.WriteString(r.Text)
				}
			}
			if got := b.String(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("reset", func(t *testing.T) {
		w := scanner.NewWedge(scanner.WedgeConfig{})
		w.Feed('3', t0)
		if rs := w.Reset(); len(rs) != 1 || !rs[0].Lone || rs[0].Text != "3" {
			t.Errorf("Reset of one held key = %+v, want it lone", rs)
		}
	})
}

// TestWedgeScanNeverLone mixes scanner bursts (1-12 ms per key, with or
// without suffix, in Fyne frames with missed frames or not) and keys a
// person presses on their own (100 ms or more apart): the lone keys are
// exactly the person's keys, so a scan's characters never act as a
// single-key shortcut.
func TestWedgeScanNeverLone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ms := time.Millisecond
		var ks []key
		var want []string
		now := time.Duration(0)
		for i, n := 0, rapid.IntRange(1, 8).Draw(t, "segments"); i < n; i++ {
			now += time.Duration(rapid.IntRange(100, 400).Draw(t, "pause")) * ms
			if rapid.Bool().Draw(t, "isScan") {
				data := rapid.StringMatching(`[0-9][0-9A-Z]{0,30}`).Draw(t, "scan")
				term := rapid.SampledFrom([]string{"\r", "\n", ""}).Draw(t, "term")
				step := time.Duration(rapid.IntRange(0, 12).Draw(t, "keyMs")) * ms
				k := keysAt(data+term, now, step)
				if len(k) == 1 {
					k = keysAt(data+"\r", now, step) // one key alone is a person's key
				}
				ks = append(ks, k...)
				now = k[len(k)-1].at
			} else {
				r := rapid.SampledFrom([]rune("0123456789")).Draw(t, "key")
				ks = append(ks, key{r, now})
				want = append(want, string(r))
			}
		}
		if rapid.Bool().Draw(t, "fyne") {
			ks = fyneFrames(ks)
		}
		var got []string
		for _, r := range drive(scanner.NewWedge(scanner.WedgeConfig{}), ks) {
			if r.Lone {
				got = append(got, r.Text)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("lone keys %q, want the person's %q", got, want)
		}
	})
}
