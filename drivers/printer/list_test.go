package printer_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/packdesk/packdesk/drivers/printer"
)

func TestLister(t *testing.T) {
	dir, dev := t.TempDir(), t.TempDir()
	for _, n := range []string{"lp1", "lp0"} {
		os.WriteFile(filepath.Join(dev, n), nil, 0o600)
	}
	lpstat := filepath.Join(dir, "lpstat")
	os.WriteFile(lpstat, []byte("#!/bin/sh\n[ \"$1\" = -e ] || exit 1\necho Zebra_GK420d\necho TSC_TE200\n"), 0o755)
	got, err := printer.Lister{DevGlob: filepath.Join(dev, "lp*"), LPStat: lpstat}.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"file://" + dev + "/lp0", "file://" + dev + "/lp1", "cups://TSC_TE200", "cups://Zebra_GK420d"}
	if len(got) != len(want) {
		t.Fatalf("List = %+v, want %v", got, want)
	}
	for i := range want {
		if got[i].Addr != want[i] {
			t.Errorf("List[%d] = %+v, want %s", i, got[i], want[i])
		}
	}
	// No lpstat: CUPS is optional, not an error.
	got, err = printer.Lister{DevGlob: filepath.Join(dir, "none*"), LPStat: filepath.Join(dir, "missing")}.List(t.Context())
	if err != nil || len(got) != 0 {
		t.Fatalf("List without lpstat = %+v, %v", got, err)
	}
	// lpstat failing for another reason is reported.
	bad := filepath.Join(dir, "badstat")
	os.WriteFile(bad, []byte("#!/bin/sh\necho 'lpstat: Bad file descriptor' >&2\nexit 1\n"), 0o755)
	if _, err := (printer.Lister{DevGlob: filepath.Join(dir, "none*"), LPStat: bad}).List(t.Context()); err == nil {
		t.Fatal("a failing lpstat was not reported")
	}
}
