package app_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/packdesk/packdesk/app"
)

// typeLikeDriver types s the way Fyne's desktop (GLFW) driver delivers
// keys (driverKey): to the focused widget when one has focus, else to the
// canvas; each key as TypedKey with its name, then its character as
// TypedRune ('\r' is the Return key alone). test.TypeOnCanvas always goes
// to the canvas, whatever has focus, so it cannot show a scan swallowed by
// a focused widget.
func typeLikeDriver(c fyne.Canvas, s string) {
	for _, r := range s {
		driverKey(c, r)
	}
}

func keyLikeDriver(c fyne.Canvas, k fyne.KeyName) {
	if f := c.Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: k})
		return
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: k})
}

func kinds(m map[string]fyne.Focusable) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// A wedge scan reaches the settings scan test whatever widget of the
// settings screen has focus, and F10 still leaves settings.
func TestScanReachesScanTestWhateverHasFocus(t *testing.T) {
	for _, typing := range []struct {
		name string
		typ  func(fyne.Canvas, string)
	}{{"driver", typeLikeDriver}, {"TypeOnCanvas", test.TypeOnCanvas}} {
		f := newFake()
		u, c := newTestUI(t, f, app.Options{})
		u.PressKey(fyne.KeyF10)
		focusables := u.Focusables()
		for _, want := range []string{"button", "select", "slider", "select_entry", "entry"} {
			if focusables[want] == nil {
				t.Fatalf("settings screen has no %s (has %v): the test would not cover it", want, kinds(focusables))
			}
		}
		for _, kind := range kinds(focusables) {
			t.Run(typing.name+"/"+kind, func(t *testing.T) {
				c.Focus(focusables[kind])
				if c.Focused() != focusables[kind] {
					t.Fatalf("%s did not take focus", kind)
				}
				raw := "114-" + strings.Repeat("1", 7) + "-" + strings.Repeat("2", 7)
				typing.typ(c, raw+"\r")
				if got := u.ScanTestResult(); !strings.Contains(got, raw) || !strings.Contains(got, "Amazon order number") {
					t.Errorf("scan typed with a focused %s: scan test shows %q", kind, got)
				}
				if len(f.scanned()) != 0 {
					t.Errorf("settings scan reached the station: %q", f.scanned())
				}
				if kind == "entry" || kind == "select_entry" {
					if txt := focusedText(c); strings.Contains(txt, "114-") {
						t.Errorf("the scan was also typed into the focused %s: %q", kind, txt)
					}
				}
				u.SettingsScanTestReset()
			})
		}
		keyLikeDriver(c, fyne.KeyF10)
		if u.Showing() != "packing" {
			t.Errorf("%s: F10 with a focused widget left %q showing", typing.name, u.Showing())
		}
	}
}

func focusedText(c fyne.Canvas) string { return app.FocusedEntryText(c) }

// On the packing screen a scan reaches the station with the Submit button,
// the manual entry or the queue list focused, function keys work, and a
// Space on a focused button still presses it.
func TestPackingScanWhateverHasFocus(t *testing.T) {
	f := newFake()
	packScript(f)
	u, c := newTestUI(t, f, app.Options{})
	for _, kind := range []string{"button", "entry"} {
		focusables := u.Focusables()
		if focusables[kind] == nil {
			t.Fatalf("packing screen has no %s (has %v)", kind, kinds(focusables))
		}
		c.Focus(focusables[kind])
		typeLikeDriver(c, "PDBADGE:P1\r")
		if got := f.scanned(); len(got) == 0 || got[len(got)-1] != "PDBADGE:P1" {
			t.Fatalf("scan with a focused %s: station saw %q", kind, got)
		}
		keyLikeDriver(c, fyne.KeyF8)
		if f.logouts == 0 {
			t.Errorf("F8 with a focused %s did not log out", kind)
		}
		f.logouts = 0
	}
	// Space typed by a person on the focused Submit button presses it.
	u.ManualEntry().SetText("LAMP")
	c.Focus(u.Focusables()["button"])
	typeLikeDriver(c, " ")
	u.FlushWedge(time.Second)
	if got := f.scanned(); got[len(got)-1] != "LAMP" {
		t.Errorf("Space on the focused Submit button: station saw %q, want the manual entry's LAMP", got)
	}
}
