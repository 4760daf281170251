package printer_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/drivers/printer/printertest"
)

func emulator(t *testing.T, lang string) *printertest.Emulator {
	t.Helper()
	e, err := printertest.Start(lang)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// Detect asks in ZPL, then TSPL, and reports the language that answered,
// with the status it answered and the address to use.
func TestDetect(t *testing.T) {
	for _, tt := range []struct {
		lang  string
		fault printertest.Fault
	}{{"zpl", printertest.None}, {"tspl", printertest.None}, {"tspl", printertest.PaperOut}, {"zpl", printertest.HeadOpen}} {
		e := emulator(t, tt.lang)
		e.SetFault(tt.fault)
		addr := "tcp://" + e.Addr() + "?status_timeout=300ms"
		d, err := printer.Detect(context.Background(), addr)
		if err != nil {
			t.Fatalf("%s: %v", tt.lang, err)
		}
		if d.Language.Name() != tt.lang || d.Status.Ready() != (tt.fault == printertest.None) {
			t.Errorf("%s %v: detected %s, status %v", tt.lang, tt.fault, d.Language.Name(), d.Status)
		}
		if want := addr + "&lang=" + tt.lang; d.Addr != want {
			t.Errorf("addr %q, want %q", d.Addr, want)
		}
		if _, err := printer.ParseAddr(d.Addr); err != nil {
			t.Errorf("the detected address does not parse: %v", err)
		}
		if len(e.Jobs()) != 0 {
			t.Errorf("%s: probing printed %d jobs", tt.lang, len(e.Jobs()))
		}
	}
}

func TestDetectFailures(t *testing.T) {
	silent := emulator(t, "zpl")
	silent.SetFault(printertest.Silent)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens there now
	tests := []struct {
		name, addr string
		is         error
		want       string
	}{
		{"silent", "tcp://" + silent.Addr() + "?status_timeout=200ms", printer.ErrNoAnswer, "answered neither a ZPL (~HS) nor a TSPL (ESC !?)"},
		{"nothing listening", "tcp://" + closed + "?connect_timeout=1s", nil, "nothing listens on port"},
		{"cups", "cups://q", printer.ErrStatusUnsupported, "CUPS queue"},
		{"bad port", "tcp://10.0.0.5:99999", nil, `port "99999" is not a valid port`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := printer.Detect(context.Background(), tt.addr)
			if err == nil || !strings.Contains(err.Error(), tt.want) || (tt.is != nil && !errors.Is(err, tt.is)) {
				t.Fatalf("Detect(%s) = %v, want %q", tt.addr, err, tt.want)
			}
		})
	}
}

// A port out of range is an address error, not a connect failure; an
// unknown host is named as such, not "check the printer is on".
func TestAddressProblemsSaidPlainly(t *testing.T) {
	for _, addr := range []string{"tcp://10.0.0.5:99999?lang=zpl", "tcp://10.0.0.5:0?lang=zpl"} {
		_, err := printer.ParseAddr(addr)
		var ae *printer.AddrError
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), "is not a valid port: want 1-65535") {
			t.Errorf("ParseAddr(%s) = %v", addr, err)
		}
	}
	d, err := printer.Open("tcp://printer.invalid:9100?lang=zpl&connect_timeout=5s")
	if err != nil {
		t.Fatal(err)
	}
	err = d.Send(context.Background(), []byte("^XA^XZ"))
	if err == nil || !printer.IsNotSent(err) || !strings.Contains(err.Error(), "printer.invalid") ||
		strings.Contains(err.Error(), "check that the printer is on") {
		t.Fatalf("send to an unknown host: %v", err)
	}
	if !strings.Contains(err.Error(), "host printer.invalid not found") {
		t.Logf("this machine's resolver did not say not-found: %v", err) // still names the host
	}
}

func TestSniffLanguage(t *testing.T) {
	for _, tt := range []struct{ job, want string }{
		{"^XA^FO10,10^FDhi^FS^XZ", "zpl"},
		{"SIZE 50 mm,25 mm\r\nGAP 2 mm,0\r\nCLS\r\nTEXT 10,10,\"3\",0,1,1,\"hi\"\r\nPRINT 1\r\n", "tspl"},
		{"hello", ""},
		{"^XA\nCLS\nPRINT 1\n^XZ", ""},
	} {
		if got := printer.SniffLanguage([]byte(tt.job)); got != tt.want {
			t.Errorf("SniffLanguage(%q) = %q, want %q", tt.job, got, tt.want)
		}
	}
}

func FuzzSniffLanguage(f *testing.F) {
	for _, s := range []string{"^XA^XZ", "SIZE 4,6\nPRINT 1\n", "", "\x00^XA\nCLS"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, job []byte) {
		switch got := printer.SniffLanguage(job); got {
		case "":
		case "zpl":
			if !strings.ContainsAny(string(job), "^~") {
				t.Fatalf("zpl without a ^ or ~ command: %q", job)
			}
		case "tspl":
			if strings.Contains(string(job), "^XA") {
				t.Fatalf("tspl with ^XA: %q", job)
			}
		default:
			t.Fatalf("SniffLanguage = %q", got)
		}
	})
}
