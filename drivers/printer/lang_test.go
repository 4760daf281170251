package printer_test

import (
	"errors"
	"testing"

	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/drivers/printer/printertest"
)

const hsReady = "\x02030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n"

func TestZPLParseStatus(t *testing.T) {
	tests := []struct {
		name  string
		reply string
		want  string // Status.String(), or "" for ErrBadReply
	}{
		{"ready", hsReady, "ready"},
		{"paper out", "\x02030,1,0,1218,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n", "paper out"},
		{"paused", "\x02030,0,1,1218,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n", "paused"},
		{"head open and ribbon out", "\x02030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,1,1,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n", "head open, ribbon out"},
		{"buffer full, over temperature", "\x02030,0,0,1218,999,1,0,0,000,0,0,1\x03\r\n\x02001,0,0,0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n", "receive buffer full, temperature out of range"},
		{"corrupt RAM", "\x02030,0,0,1218,000,0,0,0,000,1,0,0\x03\r\n\x02001,0,0,0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n", "corrupt RAM (configuration lost)"},
		{"noise before STX", "xx\x02030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n", "ready"},
		{"without third string", "\x02030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,0,2,4,0,00000000,1,000\x03\r\n", "ready"},
		{"empty", "", ""},
		{"one string", "\x02030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n", ""},
		{"short string 1", "\x02030,0,0\x03\x02001,0,0,0,0,2,4,0,00000000,1,000\x03\x021234,0\x03", ""},
		{"short string 2", "\x02030,0,0,1218,000,0,0,0,000,0,0,0\x03\x02001,0,0\x03\x021234,0\x03", ""},
		{"flag not 0/1", "\x02030,2,0,1218,000,0,0,0,000,0,0,0\x03\x02001,0,0,0,0,2,4,0,00000000,1,000\x03\x021234,0\x03", ""},
		{"TSPL byte", "\x00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := printer.ZPL{}.ParseStatus([]byte(tt.reply))
			if tt.want == "" {
				if !errors.Is(err, printer.ErrBadReply) {
					t.Fatalf("ParseStatus = %v, %v; want ErrBadReply", s, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.String(); got != tt.want {
				t.Errorf("status = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTSPLParseStatus(t *testing.T) {
	tests := []struct {
		reply []byte
		want  string
	}{
		{[]byte{0x00}, "ready"},
		{[]byte{0x20}, "ready (printing)"},
		{[]byte{0x01}, "head open"},
		{[]byte{0x02}, "paper jam"},
		{[]byte{0x04}, "paper out"},
		{[]byte{0x05}, "paper out, head open"},
		{[]byte{0x08}, "ribbon out"},
		{[]byte{0x10}, "paused"},
		{[]byte{0x40}, "cover open"},
		{[]byte{0x80}, "temperature out of range"},
		{[]byte{0x24}, "paper out"},
		{nil, ""},
		{[]byte{0, 0}, ""},
	}
	for _, tt := range tests {
		s, err := printer.TSPL{}.ParseStatus(tt.reply)
		if tt.want == "" {
			if !errors.Is(err, printer.ErrBadReply) {
				t.Errorf("ParseStatus(% x) = %v, %v; want ErrBadReply", tt.reply, s, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseStatus(% x): %v", tt.reply, err)
			continue
		}
		if got := s.String(); got != tt.want {
			t.Errorf("ParseStatus(% x) = %q, want %q", tt.reply, got, tt.want)
		}
	}
}

func TestZeroStatusIsNotReady(t *testing.T) {
	if (printer.Status{}).Ready() {
		t.Fatal("a status nobody answered must not be ready")
	}
}

// The emulator's replies parse back to the fault it plays, in both languages.
func TestEmulatorRepliesParse(t *testing.T) {
	want := map[printertest.Fault]string{
		printertest.None: "ready", printertest.PaperOut: "paper out", printertest.HeadOpen: "head open",
		printertest.RibbonOut: "ribbon out", printertest.Paused: "paused",
	}
	for _, lang := range []printer.Language{printer.ZPL{}, printer.TSPL{}} {
		for f, w := range want {
			r := printertest.StatusReply(lang.Name(), f)
			if !lang.ReplyComplete(r) {
				t.Errorf("%s %v: reply % x not complete", lang.Name(), f, r)
			}
			s, err := lang.ParseStatus(r)
			if err != nil || s.String() != w {
				t.Errorf("%s %v: ParseStatus = %q, %v; want %q", lang.Name(), f, s, err, w)
			}
		}
	}
}

func FuzzZPLParseStatus(f *testing.F) {
	f.Add([]byte(hsReady))
	f.Add(printertest.StatusReply("zpl", printertest.PaperOut))
	f.Add(printertest.StatusReply("zpl", printertest.HeadOpen))
	f.Add([]byte("\x02030,0,0\x03"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := printer.ZPL{}.ParseStatus(b)
		if err != nil {
			if !errors.Is(err, printer.ErrBadReply) {
				t.Fatalf("error %v is not ErrBadReply", err)
			}
			if s.Ready() {
				t.Fatal("ready together with an error")
			}
			return
		}
		if !s.Answered || s.Language != "zpl" {
			t.Fatalf("parsed status %+v not marked answered zpl", s)
		}
		if s.Ready() != (len(s.Faults()) == 0) {
			t.Fatalf("Ready %v disagrees with faults %v", s.Ready(), s.Faults())
		}
	})
}

func FuzzTSPLParseStatus(f *testing.F) {
	for _, b := range []byte{0x00, 0x01, 0x04, 0x20, 0xff} {
		f.Add([]byte{b})
	}
	f.Add([]byte{})
	f.Add([]byte{0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := printer.TSPL{}.ParseStatus(b)
		if len(b) != 1 {
			if !errors.Is(err, printer.ErrBadReply) {
				t.Fatalf("ParseStatus(% x) = %v, %v; want ErrBadReply", b, s, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Ready(); got != (b[0]&^0x20 == 0) {
			t.Fatalf("ParseStatus(%#x).Ready() = %v", b[0], got)
		}
	})
}
