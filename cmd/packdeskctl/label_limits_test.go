package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The command ran 10 minutes to 15 GB: it is now refused at once,
// naming the limit, and nothing is written.
func TestLabelRenderCountLimit(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sheet.pdf")
	var stdout, stderr bytes.Buffer
	code := runLabel(context.Background(), []string{"render", "--template", "fnsku-sheet", "--field", "count=1000000", "--format", "pdf", "--out", out}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "limit of 3000") || !strings.Contains(stderr.String(), "several runs") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an output file was written")
	}
}

// A multi-page render shows its progress on stderr and stops on Ctrl-C
// (ctx), removing the partial file.
func TestLabelRenderProgressAndInterrupt(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sheet.pdf")
	var stdout, stderr bytes.Buffer
	args := []string{"render", "--template", "fnsku-sheet", "--field", "count=90", "--format", "pdf", "--out", out}
	if code := runLabel(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if got := stderr.String(); got != "page 1/3\npage 2/3\npage 3/3\n" {
		t.Errorf("progress %q", got)
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
		t.Fatalf("output: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // SIGTERM before the first page
	stderr.Reset()
	code := runLabel(ctx, args, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "stopped after 0 of 3 pages") {
		t.Fatalf("interrupted: exit %d, stderr %q", code, stderr.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("the partial PDF was left behind")
	}
}

func TestLabelConvertSizeLimit(t *testing.T) {
	in := filepath.Join(t.TempDir(), "huge.zpl")
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxCarrierLabelBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var stdout, stderr bytes.Buffer
	code := runLabel(context.Background(), []string{"convert", "--in", in, "--out", filepath.Join(t.TempDir(), "o.zpl")}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "larger than the limit of 32 MB") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}
