package main

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/packdesk/packdesk/internal/label"
)

func TestLabelRender(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		args     []string
		code     int
		stderrIn string
		check    func(t *testing.T, out []byte)
	}{
		{name: "fnsku png", args: []string{"render", "--template", "fnsku", "--field", "fnsku=X00ZZZ1234", "--field", "size=50x30", "--dpi", "300", "--out", "OUT"}, code: 0,
			check: func(t *testing.T, out []byte) {
				img, err := png.Decode(bytes.NewReader(out))
				if err != nil {
					t.Fatal(err)
				}
				if got, want := img.Bounds().Dx(), label.Dots(50, 300); got != want {
					t.Errorf("PNG width %d, want %d", got, want)
				}
			}},
		{name: "shipping zpl", args: []string{"render", "--template", "shipping-4x6", "--field", "tracking=1Z999AA10123456784", "--format", "zpl", "--out", "OUT"}, code: 0,
			check: func(t *testing.T, out []byte) {
				if err := label.ValidateZPL(out); err != nil {
					t.Error(err)
				}
				if !bytes.Contains(out, []byte("1Z999AA10123456784")) || !bytes.Contains(out, []byte("^PW812")) {
					t.Errorf("ZPL lacks the tracking number or ^PW812:\n%.300s", out)
				}
			}},
		{name: "pick slip tspl", args: []string{"render", "--template", "pick-slip", "--format", "tspl", "--out", "OUT"}, code: 0,
			check: func(t *testing.T, out []byte) {
				if err := label.ValidateTSPL(out); err != nil {
					t.Error(err)
				}
			}},
		{name: "command sheet pdf", args: []string{"render", "--template", "command-sheet", "--field", "badges=B7:Ann", "--format", "pdf", "--out", "OUT"}, code: 0,
			check: func(t *testing.T, out []byte) {
				if !bytes.HasPrefix(out, []byte("%PDF-")) {
					t.Errorf("not a PDF")
				}
			}},
		{name: "unknown template", args: []string{"render", "--template", "nope", "--out", "OUT"}, code: 2, stderrIn: "unknown template \"nope\": use one of"},
		{name: "bad dpi", args: []string{"render", "--template", "fnsku", "--dpi", "150", "--out", "OUT"}, code: 2, stderrIn: "--dpi 150"},
		{name: "bad field", args: []string{"render", "--template", "fnsku", "--field", "nonsense", "--out", "OUT"}, code: 2, stderrIn: "K=V"},
		{name: "missing out", args: []string{"render", "--template", "fnsku"}, code: 2, stderrIn: "--out"},
		{name: "bad format", args: []string{"render", "--template", "fnsku", "--format", "bmp", "--out", "OUT"}, code: 2, stderrIn: `unknown format "bmp"`},
		{name: "unknown subcommand", args: []string{"print"}, code: 2, stderrIn: "unknown subcommand"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+string(rune('a'+i)))
			args := []string{"label"}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "OUT", out))
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.stderrIn) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.stderrIn)
			}
			if tc.check != nil {
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, b)
			} else if _, err := os.Stat(out); err == nil {
				t.Errorf("failed render left %s behind", out)
			}
		})
	}
}

// TestLabelRenderPages: a command sheet of two pages as PNG is written as
// one file per page, each an A4 page; to stdout it is refused.
func TestLabelRenderPages(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "sheet.png")
	var stdout, stderr bytes.Buffer
	code := runLabel(context.Background(), []string{"render", "--template", "command-sheet", "--field", "badges=B7:Ann", "--format", "png", "--out", out}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for i, name := range []string{"sheet-1.png", "sheet-2.png"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		if got, want := img.Bounds().Dx(), label.Dots(210, 203); got != want {
			t.Errorf("page %d width %d, want %d (A4 at 203 dpi)", i+1, got, want)
		}
		if !strings.Contains(stdout.String(), name) {
			t.Errorf("stdout %q does not name %s", stdout.String(), name)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s written besides the per-page files", out)
	}
	stderr.Reset()
	if code := runLabel(context.Background(), []string{"render", "--template", "command-sheet", "--field", "badges=B7:Ann", "--out", "-"}, io.Discard, &stderr); code != 1 || !strings.Contains(stderr.String(), "one file per page") {
		t.Errorf("multi-page PNG to stdout: exit %d, %q", code, stderr.String())
	}
}

func TestLabelConvert(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "carrier.zpl")
	if err := os.WriteFile(in, []byte("^XA^PW812^LL1218^FO10,10^FDx^FS^XZ"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"label", "convert", "--in", in, "--dpi", "300", "--out", "-"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "203 dpi") {
		t.Errorf("203 dpi ZPL on 300 dpi printer: exit %d, stderr %q", code, stderr.String())
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"label", "convert", "--in", in, "--dpi", "203", "--out", "-"}, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "^XA^PW812") {
		t.Errorf("pass-through: exit %d, out %q", code, stdout.String())
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"label", "templates"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "fnsku-sheet") {
		t.Errorf("templates: exit %d", code)
	}
}

func TestLabelConvertUsage(t *testing.T) {
	in := filepath.Join(t.TempDir(), "carrier.zpl")
	if err := os.WriteFile(in, []byte("^XA^PW812^FDx^FS^XZ"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"--in", in, "--format", "png", "--out", "-"}, `unknown format "png"`},
		{[]string{"--in", in, "--dpi", "0", "--out", "-"}, "--dpi 0"},
		{[]string{"--in", in}, "--in and --out are required"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"label", "convert"}, tt.args...), &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), tt.msg) || stdout.Len() != 0 {
			t.Errorf("%q: exit %d, stderr %q, stdout %d bytes; want 2 with %q and no output", tt.args, code, stderr.String(), stdout.Len(), tt.msg)
		}
	}
}

// A label written straight to a device (--out /dev/usb/lp0) that fails
// must not delete the device node; a failed regular file is removed (see
// TestLabel).
func TestLabelOutputDeviceSurvivesFailedWrite(t *testing.T) {
	dev := filepath.Join(t.TempDir(), "full")
	// A private copy of /dev/full (char 1,7): every write fails with ENOSPC.
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|7); err != nil {
		t.Skipf("cannot make a device node here (needs root): %v", err)
	}
	in := filepath.Join(t.TempDir(), "carrier.zpl")
	if err := os.WriteFile(in, []byte("^XA^PW812^LL1218^FO10,10^FDx^FS^XZ"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"label", "convert", "--in", in, "--out", dev},
		{"label", "render", "--template", "fnsku", "--format", "zpl", "--out", dev},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "no space") {
			t.Errorf("%q: exit %d, stderr %q; want 1 with the write error", args, code, stderr.String())
		}
		if fi, err := os.Stat(dev); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("%q: the device node is gone or changed after a failed write: %v", args, err)
		}
	}
}
