package app_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/internal/station"
)

func TestSettingsSaveAndScanTest(t *testing.T) {
	f := newFake()
	f.settings.ServerURL = "http://127.0.0.1:8080"
	f.settings.StationToken = "s3cret"
	f.settings.Printer.DPI = 203
	f.settings.LabelFont = "/fonts/wqy.ttc"
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
	if got := u.SettingsLabelFont().Text; got != "/fonts/wqy.ttc" {
		t.Errorf("label font shown %q", got)
	}
	u.SettingsLabelFont().SetText(" /usr/share/fonts/noto.ttc ")
	u.SettingsServerURL().SetText("http://127.0.0.1:9090")
	u.SettingsLanguage().SetSelectedIndex(2) // 简体中文
	u.SettingsSave()
	if f.settings.ServerURL != "http://127.0.0.1:9090" || f.settings.Printer.LabelWidthMM != 102 ||
		f.settings.Printer.DPI != 203 || f.settings.Language != "zh" || f.settings.StationToken.Reveal() != "s3cret" ||
		f.settings.LabelFont != "/usr/share/fonts/noto.ttc" {
		t.Errorf("saved %+v", f.settings)
	}
	test.TypeOnCanvas(c, "") // no-op: the canvas survived the rebuild
}

// Issue 13: under Chinese, the scanner type, printer connection and scale
// protocol are shown in Chinese ("wedge", "file" were English), and the
// codes behind them are what is saved.
func TestSettingsChoicesTranslated(t *testing.T) {
	f := newFake()
	f.settings.Scale.Protocol = "continuous"
	u, _ := newTestUI(t, f, app.Options{Lang: "zh"})
	u.PressKey(fyne.KeyF10)
	shown, codes := u.SettingsShown(), u.SettingsCodes()
	for k, want := range map[string][2]string{
		"scanner": {"键盘输入（USB 键盘模式）", "wedge"}, "transport": {"仅保存为文件（无打印机）", "file"},
		"scale_protocol": {"连续输出", "continuous"},
	} {
		if shown[k] != want[0] || codes[k] != want[1] {
			t.Errorf("%s shows %q (code %q), want %q (%q)", k, shown[k], codes[k], want[0], want[1])
		}
	}
	u.SettingsSave()
	if got := f.settings; got.Scanner.Kind != "wedge" || got.Printer.Transport != "file" || got.Scale.Protocol != "continuous" {
		t.Errorf("saved scanner %q transport %q scale %q, want the codes", got.Scanner.Kind, got.Printer.Transport, got.Scale.Protocol)
	}
}

// Unset device settings show the values the station runs with, never a
// blank or "(choose)"; the printer address shows a neutral example.
func TestSettingsShowEffectiveValues(t *testing.T) {
	tests := []struct {
		name string
		set  station.Settings
		want map[string]string
	}{
		{"unset", station.Settings{}, map[string]string{
			"transport": "files only (no printer)", "language": "zpl", "dpi": "203", "width": "102", "height": "152",
			"scanner": "keyboard (USB wedge)", "scale_protocol": "Mettler Toledo SICS", "baud": "9600",
			"address":      "[tcp://printer-name:9100?lang=zpl]",
			"scanner_port": "[found by USB id (or type a port)]",
			"scale_port":   "[no scale (choose a port to use one)]",
			"tolerance":    "[5 %, at least 20 g]",
			"label_font":   "[found automatically (or the path of a .ttc/.ttf)]",
		}},
		{"set", station.Settings{
			Scanner: station.ScannerSettings{Kind: "serial", Port: "/dev/ttyACM0"},
			Printer: station.PrinterSettings{Address: "cups://zebra?lang=tspl", Language: "tspl", DPI: 300, LabelWidthMM: 100, LabelHeightMM: 150},
			Scale:   station.ScaleSettings{Port: "/dev/ttyUSB0", Protocol: "continuous", Baud: 4800, ToleranceGrams: 30},
		}, map[string]string{
			"transport": "CUPS queue", "address": "cups://zebra?lang=tspl", "language": "tspl", "dpi": "300",
			"width": "100", "height": "150", "scanner": "serial port (COM)", "scanner_port": "/dev/ttyACM0",
			"scale_port": "/dev/ttyUSB0", "scale_protocol": "continuous output", "baud": "4800", "tolerance": "30",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			f.settings = tt.set
			u, _ := newTestUI(t, f, app.Options{})
			u.PressKey(fyne.KeyF10)
			got := u.SettingsShown()
			for k, want := range tt.want {
				if got[k] != want {
					t.Errorf("%s shows %q, want %q", k, got[k], want)
				}
			}
			for k, v := range got {
				if strings.Contains(v, "192.168.") || strings.Contains(v, "(choose)") {
					t.Errorf("%s shows %q", k, v)
				}
			}
		})
	}
}
