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
