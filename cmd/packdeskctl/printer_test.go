package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/drivers/printer/printertest"
)

func startPrinter(t *testing.T, lang string) *printertest.Emulator {
	t.Helper()
	e, err := printertest.Start(lang)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func TestPrinterStatus(t *testing.T) {
	for _, tt := range []struct {
		lang   string
		fault  printertest.Fault
		code   int
		status string
	}{
		{"zpl", printertest.None, 0, "ready"},
		{"tspl", printertest.None, 0, "ready"},
		{"zpl", printertest.PaperOut, 1, "paper out"},
		{"tspl", printertest.HeadOpen, 1, "head open"},
		{"zpl", printertest.Silent, 1, "error"},
	} {
		e := startPrinter(t, tt.lang)
		e.SetFault(tt.fault)
		var out, errb bytes.Buffer
		code := run(t.Context(), []string{"printer", "status", e.URL() + "&status_timeout=200ms"}, &out, &errb)
		if code != tt.code {
			t.Errorf("%s %v: exit %d, want %d (stderr %q)", tt.lang, tt.fault, code, tt.code, errb.String())
		}
		var got printerStatusOutput
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("%s %v: output %q is not JSON: %v", tt.lang, tt.fault, out.String(), err)
		}
		if got.Status != tt.status || got.Ready != (tt.code == 0) || got.Language != tt.lang {
			t.Errorf("%s %v: %+v", tt.lang, tt.fault, got)
		}
		if tt.fault == printertest.Silent && !strings.Contains(got.Error, "no answer") {
			t.Errorf("silent printer: error %q does not say it did not answer", got.Error)
		}
	}
}

func TestPrinterSend(t *testing.T) {
	dir := t.TempDir()
	job := filepath.Join(dir, "label.zpl")
	os.WriteFile(job, []byte("^XA^FDhello^FS^XZ"), 0o600)
	pic := filepath.Join(dir, "label.png")
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 16, 8)))
	os.WriteFile(pic, buf.Bytes(), 0o600)
	empty := filepath.Join(dir, "empty.zpl")
	os.WriteFile(empty, nil, 0o600)

	e := startPrinter(t, "zpl")
	for _, tt := range []struct {
		args []string
		code int
		want string // in stderr
	}{
		{[]string{"send", e.URL(), job}, 0, ""},
		{[]string{"send", e.URL(), pic}, 0, ""},
		{[]string{"send", e.URL(), empty}, 2, "empty"},
		{[]string{"send", e.URL(), filepath.Join(dir, "missing.zpl")}, 2, "read the job"},
		{[]string{"send", "tcp://127.0.0.1:9", job}, 2, "no language"},
		{[]string{"send", "tcp://127.0.0.1:1?lang=zpl&connect_timeout=1s", job}, 1, "nothing was sent"},
		{[]string{"status"}, 2, "exactly one ADDR"},
		{[]string{"frobnicate"}, 2, "unknown subcommand"},
	} {
		var out, errb bytes.Buffer
		if code := run(t.Context(), append([]string{"printer"}, tt.args...), &out, &errb); code != tt.code || !strings.Contains(errb.String(), tt.want) {
			t.Errorf("printer %q: exit %d, stderr %q; want %d with %q", tt.args, code, errb.String(), tt.code, tt.want)
		}
	}
	jobs := e.Jobs()
	if len(jobs) != 2 || string(jobs[0]) != "^XA^FDhello^FS^XZ" || !bytes.Contains(jobs[1], []byte("^GFA,")) {
		t.Fatalf("emulator jobs %q; want the ZPL file and a raster job", jobs)
	}
}

func TestPrinterList(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(t.Context(), []string{"printer", "list"}, &out, &errb); code != 0 {
		t.Fatalf("printer list: exit %d, stderr %q", code, errb.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if line == "" {
			continue
		}
		var f struct{ Kind, Addr string }
		if err := json.Unmarshal([]byte(line), &f); err != nil || f.Addr == "" {
			t.Errorf("line %q: %v", line, err)
		}
	}
}

func TestPrinterDevicesHook(t *testing.T) {
	n := 0
	for _, l := range deviceListers {
		if l.Kind == "printer" {
			n++
			if _, err := l.List(t.Context()); err != nil {
				t.Errorf("printer lister: %v", err)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d printer listers registered for packdeskctl devices, want 1", n)
	}
}

// printer status without ?lang= asks the printer and says which language
// answered.
func TestPrinterStatusDetects(t *testing.T) {
	for _, lang := range []string{"zpl", "tspl"} {
		e := startPrinter(t, lang)
		var out, errb bytes.Buffer
		code := run(t.Context(), []string{"printer", "status", "tcp://" + e.Addr() + "?status_timeout=300ms"}, &out, &errb)
		var got printerStatusOutput
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("%s: output %q: %v (stderr %q)", lang, out.String(), err, errb.String())
		}
		if code != 0 || !got.Detected || got.Language != lang || !strings.HasSuffix(got.Addr, "&lang="+lang) ||
			!strings.Contains(errb.String(), "answered in "+strings.ToUpper(lang)) {
			t.Errorf("%s: exit %d, %+v, stderr %q", lang, code, got, errb.String())
		}
	}
}

// A ZPL file to a TSPL printer (and the reverse) is refused before anything
// is sent, unless --force.
func TestPrinterSendRefusesOtherLanguage(t *testing.T) {
	dir := t.TempDir()
	zpl := filepath.Join(dir, "label.zpl")
	tspl := filepath.Join(dir, "label.tspl")
	os.WriteFile(zpl, []byte("^XA^FO10,10^FDhi^FS^XZ"), 0o600)
	os.WriteFile(tspl, []byte("SIZE 50 mm,25 mm\r\nCLS\r\nTEXT 10,10,\"3\",0,1,1,\"hi\"\r\nPRINT 1\r\n"), 0o600)
	for _, tt := range []struct{ printerLang, file, fileLang string }{{"tspl", zpl, "ZPL"}, {"zpl", tspl, "TSPL"}} {
		e := startPrinter(t, tt.printerLang)
		var out, errb bytes.Buffer
		code := run(t.Context(), []string{"printer", "send", e.URL(), tt.file}, &out, &errb)
		if code != 2 || !strings.Contains(errb.String(), "is a "+tt.fileLang+" job but the printer") || !strings.Contains(errb.String(), "--force") {
			t.Errorf("%s to %s: exit %d, stderr %q", tt.fileLang, tt.printerLang, code, errb.String())
		}
		if len(e.Received()) != 0 {
			t.Errorf("%s to %s: %d bytes reached the printer", tt.fileLang, tt.printerLang, len(e.Received()))
		}
		errb.Reset()
		code = run(t.Context(), []string{"printer", "send", "--force", e.URL(), tt.file}, &out, &errb)
		if code != 0 || len(e.Received()) == 0 {
			t.Errorf("--force: exit %d, stderr %q, %d bytes received", code, errb.String(), len(e.Received()))
		}
	}
}

func TestPrinterAddressErrors(t *testing.T) {
	for _, tt := range []struct {
		addr string
		code int
		want string
	}{
		{"tcp://10.0.0.5:99999?lang=zpl", 2, `port "99999" is not a valid port`},
		{"tcp://printer.invalid:9100?lang=zpl", 1, "printer.invalid"},
	} {
		var out, errb bytes.Buffer
		code := run(t.Context(), []string{"printer", "status", tt.addr}, &out, &errb)
		if code != tt.code || !strings.Contains(errb.String(), tt.want) || strings.Contains(errb.String(), "check that the printer is on") {
			t.Errorf("%s: exit %d, stderr %q", tt.addr, code, errb.String())
		}
	}
}
