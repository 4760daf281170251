package printer_test

import (
	"errors"
	"image"
	"image/color"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/drivers/printer/printertest"
	"github.com/packdesk/packdesk/internal/label"
)

const zplJob = "^XA^FO50,50^A0N,40,40^FDorder 1^FS^XZ"
const tsplJob = "SIZE 100 mm,150 mm\r\nCLS\r\nTEXT 10,10,\"3\",0,1,1,\"order 1\"\r\nPRINT 1,1\r\n"

var fast = printer.Options{StatusTimeout: 300 * time.Millisecond, ConnectTimeout: time.Second, WriteTimeout: time.Second, Confirm: true}

func startEmulator(t *testing.T, lang string) *printertest.Emulator {
	t.Helper()
	e, err := printertest.Start(lang)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func tcpDevice(e *printertest.Emulator, lang printer.Language) *printer.Device {
	return printer.New(printer.TCP{Addr: e.Addr()}, lang, fast)
}

func TestTCPStatus(t *testing.T) {
	ctx := t.Context()
	for _, lang := range []printer.Language{printer.ZPL{}, printer.TSPL{}} {
		for _, tt := range []struct {
			fault printertest.Fault
			want  string
		}{
			{printertest.None, "ready"},
			{printertest.PaperOut, "paper out"},
			{printertest.HeadOpen, "head open"},
			{printertest.RibbonOut, "ribbon out"},
			{printertest.Paused, "paused"},
		} {
			e := startEmulator(t, lang.Name())
			e.SetFault(tt.fault)
			s, err := tcpDevice(e, lang).Status(ctx)
			if err != nil {
				t.Fatalf("%s %v: %v", lang.Name(), tt.fault, err)
			}
			if got := s.String(); got != tt.want {
				t.Errorf("%s %v: status %q, want %q", lang.Name(), tt.fault, got, tt.want)
			}
			if got := s.Ready(); got != (tt.fault == printertest.None) {
				t.Errorf("%s %v: Ready() = %v", lang.Name(), tt.fault, got)
			}
		}
	}
}

func TestTCPSilentIsNoAnswerNotReady(t *testing.T) {
	for _, lang := range []printer.Language{printer.ZPL{}, printer.TSPL{}} {
		e := startEmulator(t, lang.Name())
		e.SetFault(printertest.Silent)
		s, err := tcpDevice(e, lang).Status(t.Context())
		if !errors.Is(err, printer.ErrNoAnswer) || s.Ready() {
			t.Errorf("%s: silent printer: Status = %v, %v; want ErrNoAnswer", lang.Name(), s, err)
		}
	}
}

func TestTCPSend(t *testing.T) {
	for _, tt := range []struct {
		lang printer.Language
		job  string
	}{{printer.ZPL{}, zplJob}, {printer.TSPL{}, tsplJob}} {
		e := startEmulator(t, tt.lang.Name())
		d := tcpDevice(e, tt.lang)
		for range 3 {
			if err := d.Send(t.Context(), []byte(tt.job)); err != nil {
				t.Fatalf("%s: %v", tt.lang.Name(), err)
			}
		}
		jobs := e.Jobs()
		if len(jobs) != 3 {
			t.Fatalf("%s: emulator printed %d jobs, want 3", tt.lang.Name(), len(jobs))
		}
		for _, j := range jobs {
			if string(j) != tt.job {
				t.Errorf("%s: job %q, want %q", tt.lang.Name(), j, tt.job)
			}
		}
		if got := e.StatusQueries(); got != 3 {
			t.Errorf("%s: %d confirming status queries, want 3", tt.lang.Name(), got)
		}
	}
}

func TestTCPConnectRefusedIsNotSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	err = printer.New(printer.TCP{Addr: addr}, printer.ZPL{}, fast).Send(t.Context(), []byte(zplJob))
	if err == nil || !printer.IsNotSent(err) {
		t.Fatalf("Send to a closed port = %v; want a not-sent error", err)
	}
	if !strings.Contains(err.Error(), "9100") {
		t.Errorf("message %q does not say what to check", err)
	}
}

func TestTCPResetMidJobIsNotNotSent(t *testing.T) {
	for _, tt := range []struct {
		lang printer.Language
		job  string
	}{{printer.ZPL{}, zplJob}, {printer.TSPL{}, tsplJob}} {
		e := startEmulator(t, tt.lang.Name())
		e.SetFault(printertest.Reset)
		err := tcpDevice(e, tt.lang).Send(t.Context(), []byte(tt.job))
		if err == nil || printer.IsNotSent(err) {
			t.Errorf("%s: Send through a reset = %v; want an error that is not 'not sent'", tt.lang.Name(), err)
		}
		if n := len(e.Jobs()); n != 0 {
			t.Errorf("%s: %d jobs printed through a reset", tt.lang.Name(), n)
		}
	}
}

func TestTCPSilentAfterJobIsUnconfirmed(t *testing.T) {
	e := startEmulator(t, "zpl")
	e.Inject = func(k printertest.EventKind) printertest.Fault {
		if k == printertest.JobStart {
			return printertest.Silent
		}
		return printertest.None
	}
	err := tcpDevice(e, printer.ZPL{}).Send(t.Context(), []byte(zplJob))
	if !errors.Is(err, printer.ErrUnconfirmed) || printer.IsNotSent(err) {
		t.Fatalf("Send = %v; want ErrUnconfirmed", err)
	}
}

func TestRasterJobThroughEmulator(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 20, 10))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	img.Set(3, 2, color.Black)
	for _, lang := range []printer.Language{printer.ZPL{}, printer.TSPL{}} {
		e := startEmulator(t, lang.Name())
		job := lang.RasterJob(img)
		if err := tcpDevice(e, lang).Send(t.Context(), job); err != nil {
			t.Fatalf("%s: %v", lang.Name(), err)
		}
		jobs := e.Jobs()
		if len(jobs) != 1 {
			t.Fatalf("%s: %d jobs, want 1", lang.Name(), len(jobs))
		}
		var bm *label.Bitmap
		var err error
		if lang.Name() == "zpl" {
			j := string(jobs[0])
			i, k := strings.Index(j, "^GFA"), strings.Index(j, "^FS")
			bm, err = label.DecodeZPLGraphic([]byte(j[i:k]))
		} else {
			j := jobs[0]
			i := strings.Index(string(j), "BITMAP")
			k := strings.LastIndex(string(j), "PRINT")
			_, _, bm, err = label.DecodeTSPLBitmap(j[i:k])
		}
		if err != nil {
			t.Fatalf("%s: decode raster: %v", lang.Name(), err)
		}
		if !bm.Black(3, 2) || bm.Black(4, 2) || bm.H != 10 {
			t.Errorf("%s: raster round trip wrong", lang.Name())
		}
	}
}

func TestFilePlayback(t *testing.T) {
	query := []byte{0x1b, '!', '?'}
	seq := printertest.NewSequence(
		// Send, confirmed by a status query.
		&printertest.Playback{Ops: []printertest.IO{{W: []byte(tsplJob)}, {W: query, R: []byte{0x20}}}},
		// Status: paper out.
		&printertest.Playback{Ops: []printertest.IO{{W: query, R: []byte{0x04}}}},
		// Status: silence.
		&printertest.Playback{Ops: []printertest.IO{{W: query, Silent: true}}},
		// Send fails on the first byte: nothing sent.
		&printertest.Playback{Ops: []printertest.IO{{W: []byte(tsplJob), WriteErr: errors.New("usblp: no device")}}},
	)
	opt := fast
	d := printer.New(printer.File{Path: "/dev/usb/lp0", Open: seq.Open}, printer.TSPL{}, opt)
	ctx := t.Context()
	if err := d.Send(ctx, []byte(tsplJob)); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if s, err := d.Status(ctx); err != nil || s.String() != "paper out" {
		t.Fatalf("Status = %v, %v; want paper out", s, err)
	}
	if s, err := d.Status(ctx); !errors.Is(err, printer.ErrNoAnswer) || s.Ready() {
		t.Fatalf("Status of a silent device = %v, %v; want ErrNoAnswer", s, err)
	}
	if err := d.Send(ctx, []byte(tsplJob)); !printer.IsNotSent(err) {
		t.Fatalf("Send with failing first write = %v; want not sent", err)
	}
	if err := seq.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestPlaybackCatchesUnexpectedWrite(t *testing.T) {
	seq := printertest.NewSequence(&printertest.Playback{Ops: []printertest.IO{{W: []byte("~HS"), R: []byte(hsReady)}}})
	d := printer.New(printer.File{Path: "/dev/usb/lp1", Open: seq.Open}, printer.TSPL{}, fast)
	if _, err := d.Status(t.Context()); err == nil {
		t.Fatal("TSPL query against a ZPL playback succeeded")
	}
	if err := seq.Check(); err == nil {
		t.Fatal("Check did not report the unexpected write")
	}
	// A playback closed before all its exchanges fails Check too.
	seq = printertest.NewSequence(&printertest.Playback{Ops: []printertest.IO{{W: []byte("a")}, {W: []byte("b")}}})
	rwc, _ := seq.Open("x")
	rwc.Write([]byte("a"))
	rwc.Close()
	if err := seq.Check(); err == nil {
		t.Fatal("Check did not report the missing exchange")
	}
}

func TestSerialPlayback(t *testing.T) {
	seq := printertest.NewSequence(
		&printertest.Playback{ZeroReads: true, Ops: []printertest.IO{{W: []byte("~HS"), R: []byte(hsReady)}}},
		&printertest.Playback{ZeroReads: true, Ops: []printertest.IO{{W: []byte(zplJob)}, {W: []byte("~HS"), Silent: true}}},
	)
	d := printer.New(printer.Serial{Path: "/dev/ttyUSB0", Baud: 9600, Open: seq.OpenSerial}, printer.ZPL{}, fast)
	if s, err := d.Status(t.Context()); err != nil || !s.Ready() {
		t.Fatalf("Status = %v, %v; want ready", s, err)
	}
	if err := d.Send(t.Context(), []byte(zplJob)); !errors.Is(err, printer.ErrUnconfirmed) {
		t.Fatalf("Send to a printer that stops answering = %v; want ErrUnconfirmed", err)
	}
	if err := seq.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestCUPS(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "job")
	lp := filepath.Join(dir, "lp")
	script := "#!/bin/sh\n[ \"$1 $2 $3 $4\" = \"-d labels -o raw\" ] || { echo \"lp: bad args $*\" >&2; exit 1; }\ncat > " + out + "\necho 'request id is labels-1 (1 file(s))'\n"
	if err := os.WriteFile(lp, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	d := printer.New(printer.CUPS{Queue: "labels", LP: lp}, printer.ZPL{}, fast)
	if err := d.Send(t.Context(), []byte(zplJob)); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(out); string(got) != zplJob {
		t.Errorf("lp got %q, want %q", got, zplJob)
	}
	if _, err := d.Status(t.Context()); !errors.Is(err, printer.ErrStatusUnsupported) {
		t.Errorf("Status via CUPS = %v; want ErrStatusUnsupported", err)
	}
	refused := printer.New(printer.CUPS{Queue: "other", LP: lp}, printer.ZPL{}, fast)
	if err := refused.Send(t.Context(), []byte(zplJob)); !printer.IsNotSent(err) || !strings.Contains(err.Error(), "lpstat") {
		t.Errorf("refused job: %v; want not sent with a hint", err)
	}
	missing := printer.New(printer.CUPS{Queue: "labels", LP: filepath.Join(dir, "nope")}, printer.ZPL{}, fast)
	if err := missing.Send(t.Context(), []byte(zplJob)); !printer.IsNotSent(err) || !strings.Contains(err.Error(), "cups-client") {
		t.Errorf("missing lp: %v; want not sent, naming cups-client", err)
	}
}
