package app_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/packdesk/packdesk/app"
)

func TestSettingsSaveAndScanTest(t *testing.T) {
	f := newFake()
	f.settings.ServerURL = "http://127.0.0.1:8080"
	f.settings.StationToken = "s3cret"
	f.settings.Printer.DPI = 203
	u, c := newTestUI(t, f, app.Options{Devices: func() ([]string, error) { return []string{"/dev/ttyACM0"}, nil }})
	u.PressKey(fyne.KeyF10)
	if got := u.SettingsServerURL().Text; got != "http://127.0.0.1:8080" {
		t.Fatalf("server URL shown %q", got)
	}
	if tok := u.SettingsToken(); !tok.Password || tok.Text != "s3cret" {
		t.Errorf("token entry password=%v", tok.Password)
	}

	// A scan while settings are open is explained, not packed.
	scan(c, "111-2222222-3333333")
	if got := f.scanned(); len(got) != 0 {
		t.Fatalf("settings scan reached the station: %q", got)
	}
	if got := u.ScanTestResult(); !strings.Contains(got, "Amazon order number") {
		t.Errorf("scan test shows %q", got)
	}

	u.SettingsLabelWidth().SetText("10x")
	u.SettingsSave()
	if got := u.SettingsMessage(); !strings.Contains(got, "not a whole number") {
		t.Errorf("bad number message %q", got)
	}
	u.SettingsLabelWidth().SetText("102")
	u.SettingsServerURL().SetText("http://127.0.0.1:9090")
	u.SettingsLanguage().SetSelectedIndex(2) // 简体中文
	u.SettingsSave()
	if f.settings.ServerURL != "http://127.0.0.1:9090" || f.settings.Printer.LabelWidthMM != 102 ||
		f.settings.Printer.DPI != 203 || f.settings.Language != "zh" || f.settings.StationToken.Reveal() != "s3cret" {
		t.Errorf("saved %+v", f.settings)
	}
	test.TypeOnCanvas(c, "") // no-op: the canvas survived the rebuild
}
