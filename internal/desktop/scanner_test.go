package desktop_test

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/creack/pty"

	"github.com/packdesk/packdesk/internal/desktop"
	"github.com/packdesk/packdesk/internal/i18n"
	"github.com/packdesk/packdesk/internal/station"
)

// scannerText is the status bar's scanner problem in lang ("" = none).
// The GUI's own rendering of it is tested in app; reading the window's
// labels here would race with the scanner goroutine's renders.
func scannerText(m *desktop.Main, lang string) string {
	e := m.Station.View().Status.Scanner.Error
	if e == nil {
		return ""
	}
	return i18n.MustNew(lang).T(e.Key, e.Args)
}

// withScanner configures a serial scanner on port in a new demo station
// directory and returns the directory.
func withScanner(t *testing.T, port string) string {
	t.Helper()
	dir := t.TempDir()
	m := desktop.NewMain()
	m.DemoDir, m.App, m.Sync = dir, test.NewApp(), true
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	set := m.Settings
	set.Scanner = station.ScannerSettings{Kind: "serial", Port: port}
	if err := m.Station.SaveSettings(context.Background(), set); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Issue 13: a scanner configured but absent at start shows its port and
// why in the status bar.
func TestScannerAbsentAtStart(t *testing.T) {
	const port = "/dev/ttyPACKDESK-NO-SUCH-PORT"
	m := start(t, withScanner(t, port))
	waitFor(t, "the scanner's status", func() bool { return m.Station.View().Status.Scanner.Error != nil })
	if got, want := scannerText(m, "en"), "SCANNER "+port+" NOT FOUND"; !strings.Contains(got, want) {
		t.Errorf("status %q, want %q", got, want)
	}
	if got, want := scannerText(m, "zh"), "找不到扫描枪 "+port; !strings.Contains(got, want) {
		t.Errorf("status %q, want %q", got, want)
	}
}

// Issue 13: a 1 MB line from the serial scanner is ignored and the status
// bar says so; the next good scan clears the message and reaches the
// station.
func TestScannerOverLongLineInStatusBar(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer master.Close()
	defer slave.Close()
	m := start(t, withScanner(t, slave.Name()))
	waitFor(t, "the scanner connected", func() bool { return m.Station.View().Status.Scanner.Connected })
	go func() { _, _ = master.Write([]byte(strings.Repeat("7", 1<<20) + "\r")) }()
	waitFor(t, "the over-long message", func() bool {
		return scannerText(m, "en") == "Scanner "+slave.Name()+" sent an over-long line: ignored"
	})
	if got := scannerText(m, "zh"); !strings.Contains(got, "超长数据：已忽略") {
		t.Errorf("zh status %q", got)
	}
	if _, err := master.Write([]byte("PDBADGE:P100\r")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the badge scan and a clear status", func() bool {
		v := m.Station.View()
		return v.Packer.LoggedIn && v.Status.Scanner.Error == nil && v.Status.Scanner.Connected
	})
}
