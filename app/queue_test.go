package app_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/internal/station"
)

func queueFake() *fakeStation {
	f := newFake()
	packScript(f)
	now := time.Now()
	f.jobs = []station.PrintJobView{
		{Key: station.JobKey{Order: "114-0000001-0000001", Kind: "shipping"}, State: station.JobPrinted, Attempts: 1, Created: now, Updated: now},
		{Key: station.JobKey{Order: "114-0000002-0000002", Kind: "shipping-2"}, State: station.JobHeld, Attempts: 2,
			LastError: "outcome unknown after a crash", Reprints: 1, Created: now, Updated: now},
		{Key: station.JobKey{Order: "114-0000003-0000003", Kind: "fnsku-MUG-1"}, State: station.JobQueued, Attempts: 3,
			LastError: "printer offline", Created: now, Updated: now},
	}
	f.view.PrintAlerts = []station.PrintAlert{{Key: f.jobs[1].Key, Message: station.Message{Key: station.KeyAlertPrintHeld,
		Args: map[string]any{"order": "114-0000002-0000002", "kind": "shipping-2", "reason": "outcome unknown after a crash"}}}}
	f.view.Status.Printer.Held = 1
	return f
}

func TestPrintQueueScreen(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			f := queueFake()
			u, c := newTestUI(t, f, app.Options{Lang: lang})
			clk := newClock(u)
			alert := u.PrintAlertText()
			if !strings.Contains(alert, "114-0000002-0000002") || !strings.Contains(alert, "F9") {
				t.Fatalf("packing screen's held-job alert = %q", alert)
			}
			if lang == "zh" && !strings.Contains(alert, "标签") {
				t.Errorf("zh alert is not Chinese: %q", alert)
			}

			u.PressKey(fyne.KeyF9)
			if u.Showing() != "queue" {
				t.Fatalf("F9 shows %q", u.Showing())
			}
			rows := u.QueueRows()
			// Job kinds are named in the UI's language (issue 13).
			kinds := map[string][2]string{"en": {"shipping label, attempt 2", "FNSKU labels MUG, batch 1"},
				"zh": {"运单标签（第 2 次）", "FNSKU 标签 MUG（第 1 批）"}}[lang]
			if len(rows) != 2 || !strings.Contains(rows[0], "114-0000002-0000002") || !strings.Contains(rows[1], kinds[1]) {
				t.Fatalf("rows (held first, printed hidden) = %q", rows)
			}
			if !strings.Contains(alert, kinds[0]) {
				t.Errorf("held-job alert %q does not name the kind as %q", alert, kinds[0])
			}
			if !u.QueueRowHeld(0) {
				t.Errorf("held row is not marked red")
			}
			for _, want := range []string{kinds[0], "outcome unknown after a crash", "2"} {
				if !strings.Contains(rows[0], want) {
					t.Errorf("held row %q lacks %q", rows[0], want)
				}
			}
			if got := u.QueueSelected(); got != "114-0000002-0000002/shipping-2" {
				t.Errorf("selected %q, want the held job", got)
			}
			if got, want := u.QueueEnabled(), []string{"ui.queue.release", "ui.queue.mark_printed", "ui.queue.cancel", "ui.queue.reprint"}; !reflect.DeepEqual(got, want) {
				t.Errorf("actions for a held job %v, want %v", got, want)
			}

			clk.press(u, c, '1') // release
			if got := f.ops(); len(got) != 1 || !strings.HasPrefix(got[0], "release 114-0000002-0000002/shipping-2 ") {
				t.Fatalf("after 1: station saw %q", got)
			}
			if u.QueueMessage() == "" {
				t.Errorf("no confirmation after release")
			}
			// Both jobs are queued now; the selection stays on the released one.
			if got := u.QueueSelected(); got != "114-0000002-0000002/shipping-2" {
				t.Errorf("selected after release %q", got)
			}
			if got, want := u.QueueEnabled(), []string{"ui.queue.mark_printed", "ui.queue.cancel"}; !reflect.DeepEqual(got, want) {
				t.Errorf("actions for a queued job %v, want %v", got, want)
			}
			u.PressKey(fyne.KeyDown)
			if got := u.QueueSelected(); got != "114-0000003-0000003/fnsku-MUG-1" {
				t.Errorf("Down selects %q", got)
			}
			clk.press(u, c, '3') // cancel
			if got := f.ops(); len(got) != 2 || !strings.HasPrefix(got[1], "cancel 114-0000003-0000003/fnsku-MUG-1") {
				t.Fatalf("after 3: station saw %q", got)
			}
			clk.press(u, c, '1') // release does not apply to a queued job: nothing happens
			if got := f.ops(); len(got) != 2 {
				t.Errorf("release of a queued job reached the station: %q", got)
			}

			u.QueueShowDone(true)
			if rows := u.QueueRows(); len(rows) != 3 {
				t.Fatalf("with done jobs: %q", rows)
			}
			u.PressKey(fyne.KeyDown)
			u.PressKey(fyne.KeyDown)
			if got := u.QueueSelected(); got != "114-0000001-0000001/shipping" {
				t.Fatalf("selected %q, want the printed job", got)
			}
			clk.press(u, c, '4') // reprint
			if got := f.ops(); len(got) != 3 || !strings.HasPrefix(got[2], "reprint 114-0000001-0000001/shipping") {
				t.Errorf("after 4: station saw %q", got)
			}

			// A refused action is shown on this screen, translated.
			f.jobErr = &station.Error{Message: station.Message{Key: station.KeyErrLoginRequired,
				Args: map[string]any{"detail": "needs a packer"}}, Err: errors.New("x")}
			u.QueueShowDone(false)
			if msg := u.QueueMessage(); msg == "" || strings.Contains(msg, "error.") {
				t.Errorf("error shown as %q", msg)
			}
			f.jobErr = nil

			// Scans still reach the station while the queue is open.
			scan(c, "PDBADGE:P1")
			if got := f.scanned(); len(got) != 1 || got[0] != "PDBADGE:P1" {
				t.Errorf("scan on the queue screen: station saw %q", got)
			}
			u.PressKey(fyne.KeyF9)
			if u.Showing() != "packing" || u.PrintAlertText() != "" {
				t.Errorf("after F9: showing %q, alert %q", u.Showing(), u.PrintAlertText())
			}
		})
	}
}

// With the queue's Check, List or a Button focused, a scan reaches the
// station and F9 still closes the queue.
func TestQueueScanWhateverHasFocus(t *testing.T) {
	f := queueFake()
	u, c := newTestUI(t, f, app.Options{})
	u.PressKey(fyne.KeyF9)
	focusables := u.Focusables()
	for _, kind := range []string{"button", "check", "list"} {
		w := focusables[kind]
		if w == nil {
			t.Fatalf("queue screen has no %s (has %v)", kind, kinds(focusables))
		}
		c.Focus(w)
		typeLikeDriver(c, "PDBADGE:P1\r")
		if got := f.scanned(); len(got) == 0 || got[len(got)-1] != "PDBADGE:P1" {
			t.Fatalf("scan with a focused %s: station saw %q", kind, got)
		}
		if len(f.ops()) != 0 {
			t.Fatalf("the scan's characters acted on a job: %q", f.ops())
		}
	}
	keyLikeDriver(c, fyne.KeyF9)
	if u.Showing() != "packing" {
		t.Errorf("F9 with a focused widget left %q showing", u.Showing())
	}
}
