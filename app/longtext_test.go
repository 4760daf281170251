package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/internal/station"
)

// within reports whether o is laid out inside the canvas, with a size.
func within(c fyne.Canvas, o fyne.CanvasObject) (fyne.Position, bool) {
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	size, win := o.Size(), c.Size()
	return pos, size.Height > 0 && size.Width > 0 && pos.Y >= 0 && pos.X >= 0 &&
		pos.Y+size.Height <= win.Height+0.5 && pos.X+size.Width <= win.Width+0.5
}

// Issue 13: a 300-character unknown scan is cut with an ellipsis in the
// banner and the recent scans, so the order lines, the scan entry and the
// status bar stay on screen; the recent-scans detail shows it whole.
func TestLongScanIsCutWithAnEllipsis(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			f := newFake()
			packScript(f)
			u, c := newTestUI(t, f, app.Options{Lang: lang})
			scan(c, "PDBADGE:P1")
			scan(c, orderID)
			raw := strings.Repeat("X9-LONG-UNKNOWN-", 19)[:300]
			scan(c, raw)
			_, msg, _ := u.Banner()
			if strings.Contains(msg, raw) || !strings.Contains(msg, "…") || utf8.RuneCountInString(msg) > 150 {
				t.Errorf("banner message (%d runes) %q: want the scan cut with an ellipsis", utf8.RuneCountInString(msg), msg)
			}
			recent := u.RecentTexts()
			if len(recent) == 0 || strings.Contains(recent[0], raw) || !strings.Contains(recent[0], "…") {
				t.Errorf("recent scans %q: want the first cut with an ellipsis", recent)
			}
			win := c.Size()
			if min := u.Window().Content().MinSize(); min.Height > win.Height || min.Width > win.Width {
				t.Errorf("window content needs %v, the window is %v", min, win)
			}
			for name, o := range map[string]fyne.CanvasObject{"scan entry": u.ManualObject(), "status bar": u.StatusBarObject(),
				"banner": u.BannerMessageObject()} {
				if pos, ok := within(c, o); !ok {
					t.Errorf("%s at %v size %v is not inside the %v window", name, pos, o.Size(), win)
				}
			}
			if got := u.LineCounts(); len(got) != 2 {
				t.Errorf("order lines %q, want both still shown", got)
			}

			if u.RecentDetail() != "" {
				t.Fatalf("detail shown before a tap: %q", u.RecentDetail())
			}
			u.TapRecent(0)
			if d := u.RecentDetail(); !strings.Contains(d, raw) || !strings.Contains(d, station.SourceWedge) {
				t.Errorf("recent-scans detail %q: want the whole scan and its source", d)
			}
			u.TapRecent(0)
			if d := u.RecentDetail(); d != "" {
				t.Errorf("a second tap left the detail %q", d)
			}
		})
	}
}

// Issue 13: status texts are not cut off ("NO SOUND: … o…", "SCANNER
// …scan1 DISCONNEC…"): a long one gets the room its text needs.
func TestStatusTextsAreNotCutOff(t *testing.T) {
	f := newFake()
	const port = "/dev/serial/by-id/usb-Honeywell_Imaging___Mobility_1900_21123B4567-if00-scan1"
	f.view.Status.Scanner = station.DeviceStatus{Configured: true, Name: port}
	u, _ := newTestUI(t, f, app.Options{Sound: func(context.Context) (app.Sounder, error) {
		return nil, app.ErrNoAudioDevice
	}})
	lines := u.StatusLabelLines()
	for cell, want := range map[string]string{"scanner": "SCANNER " + port + " DISCONNECTED",
		"audio":  "NO SOUND: no audio device found. Verdicts show on screen only; connect speakers, then restart.",
		"server": "Server: no server configured", "pending": "Unsent events: 0 · last sync —",
		"printer": "Printer: ready · 2 queued · 0 held", "scale": "No scale"} {
		got := strings.Join(lines[cell], " ")
		if strings.Contains(got, "…") || strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(want, " ", "") {
			t.Errorf("%s cell draws %q, want all of %q", cell, lines[cell], want)
		}
	}
	c := u.Window().Canvas()
	if pos, ok := within(c, u.StatusBarObject()); !ok {
		t.Errorf("status bar at %v size %v is not inside the %v window", pos, u.StatusBarObject().Size(), c.Size())
	}
}

// Issue 13: the sound error is in the UI's language.
func TestSoundErrorTranslated(t *testing.T) {
	for _, tc := range []struct {
		lang string
		err  error
		want string
	}{
		{"zh", app.ErrNoAudioDevice, "无声音：找不到声音设备"},
		{"zh", app.ErrAudioTimeout, "无声音：声音设备没有响应"},
		{"en", app.ErrAudioTimeout, "NO SOUND: the audio device did not answer"},
		{"zh", context.DeadlineExceeded, "无声音：声音设备没有响应"},
		{"zh", fmt.Errorf("%w: oto: ALSA error at snd_pcm_open: No such file or directory", app.ErrAudioFailed), "无声音：声音设备出错"},
	} {
		f := newFake()
		u, _ := newTestUI(t, f, app.Options{Lang: tc.lang, Sound: func(context.Context) (app.Sounder, error) { return nil, tc.err }})
		if got := u.StatusText(); !strings.Contains(got, tc.want) || strings.Contains(got, "sound:") {
			t.Errorf("%s %v: status bar %q, want %q", tc.lang, tc.err, got, tc.want)
		}
	}
}
