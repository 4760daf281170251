package app_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/internal/station"
	"github.com/packdesk/packdesk/internal/wire"
)

const refusedOrder = "114-0000009-0000009"

func rejectionsFake() *fakeStation {
	f := newFake()
	packScript(f)
	now := time.Now()
	f.rejections = []station.RejectionView{
		{Seq: 7, Order: refusedOrder, Type: "scan", Code: wire.RejectOrderCancelled, Received: now,
			Message: station.Message{Key: station.RejectionKey(wire.RejectOrderCancelled), Args: map[string]any{"order": refusedOrder, "code": wire.RejectOrderCancelled, "detail": "cancelled 10:02"}}},
		{Seq: 3, Order: "114-0000008-0000008", Type: "packed", Code: wire.RejectStaleEpoch, Received: now.Add(-time.Hour),
			Dismissed: now, DismissedBy: "SUP",
			Message: station.Message{Key: station.RejectionKey(wire.RejectStaleEpoch), Args: map[string]any{"order": "114-0000008-0000008", "code": wire.RejectStaleEpoch, "detail": "x"}}},
	}
	f.view.Status.Server = station.ServerStatus{State: station.ServerOnline, Rejections: 1}
	return f
}

// F11 opens the events the server refused, with what to do; the station's
// refusal to dismiss is shown there, a dismissal reloads the list.
func TestRejectionsScreen(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			f := rejectionsFake()
			u, c := newTestUI(t, f, app.Options{Lang: lang})
			clk := newClock(u)
			if got := u.StatusText(); !strings.Contains(got, "F11") {
				t.Fatalf("status bar does not say which key shows the refused events: %q", got)
			}
			u.PressKey(fyne.KeyF11)
			if u.Showing() != "rejections" {
				t.Fatalf("F11 shows %q", u.Showing())
			}
			rows := u.RejectionRows()
			todo := map[string]string{"en": "cancelled on the server", "zh": "已在服务器上取消"}[lang]
			if len(rows) != 2 || !strings.Contains(rows[0], refusedOrder) || !strings.Contains(rows[0], "scan") ||
				!strings.Contains(rows[0], wire.RejectOrderCancelled) || !strings.Contains(rows[1], "SUP") {
				t.Fatalf("rows %q", rows)
			}
			if !strings.Contains(rows[0], todo) {
				t.Errorf("row %q does not say what to do (%q)", rows[0], todo)
			}
			if d := u.RejectionDetail(); !strings.Contains(d, todo) || !strings.Contains(d, refusedOrder) {
				t.Errorf("detail of the selected event %q lacks %q", d, todo)
			}
			if !u.RejectionDismissOn() {
				t.Fatal("dismiss is off for an event not dismissed")
			}

			// The station refuses (no supervisor): shown here, translated, nothing dismissed.
			f.dismissErr = &station.Error{Message: station.Message{Key: station.KeyErrSupervisorRequired,
				Args: map[string]any{"detail": "Alice is no supervisor"}}, Err: errors.New("x")}
			clk.press(u, c, '1')
			want := map[string]string{"en": "Only a supervisor", "zh": "只有主管"}[lang]
			if msg := u.RejectionMessage(); !strings.Contains(msg, want) {
				t.Errorf("refusal shown as %q, want %q", msg, want)
			}
			f.dismissErr = nil

			f.update(func(v *station.View) { v.Packer = station.PackerView{LoggedIn: true, Badge: "SUP", Supervisor: true} })
			clk.press(u, c, '1')
			if got := f.dismissedSeqs(); len(got) != 1 || got[0] != 7 {
				t.Fatalf("dismissed %v, want [7]", got)
			}
			if rows := u.RejectionRows(); len(rows) != 2 || !strings.Contains(rows[0], "SUP") {
				t.Errorf("rows after dismissing %q", rows)
			}
			if u.RejectionDismissOn() {
				t.Error("dismiss still on for a dismissed event")
			}
			u.TapDismissRejection() // a dismissed event is not dismissed again
			if got := f.dismissedSeqs(); len(got) != 1 {
				t.Errorf("dismissed again: %v", got)
			}
			u.PressKey(fyne.KeyF11)
			if u.Showing() != "packing" {
				t.Errorf("after F11: showing %q", u.Showing())
			}
		})
	}
}

// A wedge scan that starts with the dismiss key reaches the station as a
// scan while the refused events are open and never dismisses, whatever
// has focus and whatever the scanner's timing; 1 pressed alone does.
func TestRejectionsScanIsNeverDismiss(t *testing.T) {
	for _, tm := range scannerTimings {
		for _, focus := range []string{"", "list", "button"} {
			t.Run(fmt.Sprintf("%s/focus=%q", tm.name, focus), func(t *testing.T) {
				f := rejectionsFake()
				u, c := newTestUI(t, f, app.Options{})
				clk := newClock(u)
				u.PressKey(fyne.KeyF11)
				queueFocus(t, u, c, focus)
				raw := "1006381333931"
				clk.burst(c, raw+"\r", tm)
				clk.quiet(u)
				if got := f.scanned(); len(got) != 1 || got[0] != raw || f.sources[0] != station.SourceWedge {
					t.Fatalf("station saw scans %q from %q, want %q from the wedge", got, f.sources, raw)
				}
				if got := f.dismissedSeqs(); len(got) != 0 {
					t.Fatalf("the scan dismissed %v", got)
				}
				if u.Showing() != "rejections" {
					t.Fatalf("after the scan %q is showing", u.Showing())
				}
				queueFocus(t, u, c, focus)
				clk.press(u, c, '1')
				if got := f.dismissedSeqs(); len(got) != 1 || got[0] != 7 {
					t.Fatalf("lone 1 dismissed %v, want [7]", got)
				}
			})
		}
	}
}
