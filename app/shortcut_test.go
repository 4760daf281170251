package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/internal/station"
)

// keyClock is the UI's key clock in these tests: keys are typed at the
// times a scanner or a person would type them.
type keyClock struct{ t time.Time }

func newClock(u *app.UI) *keyClock {
	k := &keyClock{t: time.Date(2026, 1, 5, 9, 0, 0, 0, time.Local)}
	u.SetClock(func() time.Time { return k.t })
	return k
}

// timing gives the pause before key i of a scanner's burst.
type timing struct {
	name string
	gap  func(i int) time.Duration
}

// scannerTimings are how a wedge scanner's keys reach the window: 1 ms per
// key, or bunched to Fyne's ~16 ms frames under Xvfb (0 or 16 ms apart),
// sometimes with a missed frame (33 ms).
var scannerTimings = []timing{
	{"1ms", func(int) time.Duration { return time.Millisecond }},
	{"xvfb-0-16ms", func(i int) time.Duration {
		if i%3 == 2 {
			return 16 * time.Millisecond
		}
		return 0
	}},
	{"missed-frame-33ms", func(i int) time.Duration {
		if i%5 == 4 {
			return 33 * time.Millisecond
		}
		return 0
	}},
}

// driverKey delivers one key press as Fyne's desktop (GLFW) driver does:
// first TypedKey with the key's name ("4", "A", Space, Return), then, for
// a key that makes a character, TypedRune; both to the focused widget, or
// to the canvas when nothing has focus.
func driverKey(c fyne.Canvas, r rune) {
	name := fyne.KeyName(strings.ToUpper(string(r)))
	switch r {
	case '\r':
		name = fyne.KeyReturn
	case ' ':
		name = fyne.KeySpace
	}
	if f := c.Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: name})
	} else {
		c.OnTypedKey()(&fyne.KeyEvent{Name: name})
	}
	if r == '\r' {
		return
	}
	if f := c.Focused(); f != nil {
		f.TypedRune(r)
	} else {
		c.OnTypedRune()(r)
	}
}

// burst types s as a scanner does, with tm's timing, after a pause.
func (k *keyClock) burst(c fyne.Canvas, s string, tm timing) {
	k.t = k.t.Add(500 * time.Millisecond)
	for i, r := range s {
		k.t = k.t.Add(tm.gap(i))
		driverKey(c, r)
	}
}

// quiet lets the keyboard rest so the wedge decides what it holds.
func (k *keyClock) quiet(u *app.UI) {
	k.t = k.t.Add(500 * time.Millisecond)
	u.FlushWedge(0)
}

// press types one key as a person does: on its own, then a pause.
func (k *keyClock) press(u *app.UI, c fyne.Canvas, r rune) {
	k.t = k.t.Add(500 * time.Millisecond)
	driverKey(c, r)
	k.quiet(u)
}

// queueFocus puts the focus on one kind of widget of the queue screen
// ("" = nothing focused).
func queueFocus(t *testing.T, u *app.UI, c fyne.Canvas, kind string) {
	t.Helper()
	if kind == "" {
		c.Unfocus()
		return
	}
	w := u.Focusables()[kind]
	if w == nil {
		t.Fatalf("queue screen has no %s", kind)
	}
	c.Focus(w)
}

// selectJob moves the queue selection to the job of order with ↓ / ↑.
func selectJob(t *testing.T, u *app.UI, c fyne.Canvas, order string) {
	t.Helper()
	for range 2 * len(u.QueueRows()) {
		if strings.HasPrefix(u.QueueSelected(), order+"/") {
			return
		}
		keyLikeDriver(c, fyne.KeyDown)
		if strings.HasPrefix(u.QueueSelected(), order+"/") {
			return
		}
	}
	for range len(u.QueueRows()) {
		keyLikeDriver(c, fyne.KeyUp)
		if strings.HasPrefix(u.QueueSelected(), order+"/") {
			return
		}
	}
	t.Fatalf("cannot select %s: rows %q, selected %q", order, u.QueueRows(), u.QueueSelected())
}

// Issue 13: in the print queue, a wedge scan whose first digit is an
// action key (1 release, 2 mark printed, 3 cancel, 4 reprint) reaches the
// station as a scan and never acts on the selected job, whatever has
// focus and whatever the scanner's timing; one digit pressed on its own
// still acts.
func TestQueueScanIsNeverAnAction(t *testing.T) {
	const printed, held = "114-0000001-0000001", "114-0000002-0000002"
	for _, tm := range scannerTimings {
		for _, focus := range []string{"", "check", "list", "button"} {
			t.Run(fmt.Sprintf("%s/focus=%q", tm.name, focus), func(t *testing.T) {
				f := queueFake()
				u, c := newTestUI(t, f, app.Options{})
				clk := newClock(u)
				u.PressKey(fyne.KeyF9)
				u.QueueShowDone(true) // "Also show printed"
				var want []string
				for _, digit := range "1234" {
					// The case: a printed shipping label selected;
					// and the held job, to which all four actions apply.
					for _, order := range []string{printed, held} {
						queueFocus(t, u, c, focus)
						selectJob(t, u, c, order)
						raw := string(digit) + "006381333931"
						clk.burst(c, raw+"\r", tm)
						clk.quiet(u)
						if ops := f.ops(); len(ops) != 0 {
							t.Fatalf("the scan %s with %s selected acted on the queue: %q", raw, order, ops)
						}
						want = append(want, raw)
						if got := f.scanned(); strings.Join(got, " ") != strings.Join(want, " ") {
							t.Fatalf("station saw scans %q, want %q", got, want)
						}
						if u.Showing() != "queue" {
							t.Fatalf("after the scan %q is showing", u.Showing())
						}
					}
				}
				for i, src := range f.sources {
					if src != station.SourceWedge {
						t.Errorf("scan %d came from %q, want the wedge", i, src)
					}
				}
			})
		}
	}
}

// One digit pressed on its own acts, whatever widget of the queue has
// focus; a fast burst that is not a scan (a scanner without suffix) is
// refused with a message.
func TestQueueLoneDigitActs(t *testing.T) {
	want := map[rune]string{'1': "release", '2': "mark_printed", '3': "cancel", '4': "reprint"}
	for _, focus := range []string{"", "check", "list", "button"} {
		for _, digit := range "1234" {
			t.Run(fmt.Sprintf("focus=%q/%c", focus, digit), func(t *testing.T) {
				f := queueFake()
				u, c := newTestUI(t, f, app.Options{})
				clk := newClock(u)
				u.PressKey(fyne.KeyF9)
				queueFocus(t, u, c, focus)
				selectJob(t, u, c, "114-0000002-0000002") // held: every action applies
				clk.press(u, c, digit)
				if ops := f.ops(); len(ops) != 1 || !strings.HasPrefix(ops[0], want[digit]+" 114-0000002-0000002/shipping-2") {
					t.Fatalf("key %c: station saw %q, want %s", digit, ops, want[digit])
				}
			})
		}
	}
	t.Run("burst without suffix", func(t *testing.T) {
		f := queueFake()
		u, c := newTestUI(t, f, app.Options{})
		clk := newClock(u)
		u.PressKey(fyne.KeyF9)
		clk.burst(c, "4006381333931", scannerTimings[0])
		clk.quiet(u)
		if ops := f.ops(); len(ops) != 0 {
			t.Fatalf("a burst acted: %q", ops)
		}
		if msg := u.QueueMessage(); !strings.Contains(msg, "Press one number key on its own") {
			t.Errorf("message %q, want the refusal", msg)
		}
	})
}

// Issue 13: with the exception chooser (F7) open, a wedge scan whose first
// digit is a reason number never picks a reason: the chooser closes and
// the scan reaches the station. A number pressed on its own picks.
func TestExceptionChooserScanIsNeverAReason(t *testing.T) {
	for _, tm := range scannerTimings {
		for _, focus := range []string{"", "entry", "button"} {
			t.Run(fmt.Sprintf("%s/focus=%q", tm.name, focus), func(t *testing.T) {
				f := newFake()
				packScript(f)
				u, c := newTestUI(t, f, app.Options{})
				clk := newClock(u)
				clk.burst(c, orderID+"\r", tm)
				for i, digit := range "123456" {
					keyLikeDriver(c, fyne.KeyF7)
					if !u.ExceptionsShown() {
						t.Fatal("F7 did not open the chooser")
					}
					switch focus {
					case "entry":
						u.FocusManual()
					case "button":
						b := u.Focusables()["button"]
						if b == nil {
							t.Fatal("no button to focus")
						}
						c.Focus(b)
					}
					raw := string(digit) + "006381333931"
					clk.burst(c, raw+"\r", tm)
					clk.quiet(u)
					if len(f.exceptions) != 0 {
						t.Fatalf("the scan %s picked exception %q", raw, f.exceptions)
					}
					if got := f.scanned(); len(got) != i+2 || got[i+1] != raw {
						t.Fatalf("station saw %q, want the order then the scans up to %q", got, raw)
					}
					if u.ExceptionsShown() {
						t.Errorf("the chooser is still open after a scan")
					}
					if _, msg, _ := u.Banner(); !strings.Contains(msg, raw) {
						t.Errorf("banner %q does not show the scan's verdict", msg)
					}
				}
			})
		}
	}
	reasons := []string{"DAMAGED", "MISSING-ITEM", "WRONG-ITEM-IN-STOCK", "WRONG-ADDRESS", "LABEL-FAILED", "OTHER"} // pack.ExceptionReasons
	for i, digit := range "123456" {
		t.Run(fmt.Sprintf("lone %c", digit), func(t *testing.T) {
			f := newFake()
			packScript(f)
			u, c := newTestUI(t, f, app.Options{})
			clk := newClock(u)
			clk.burst(c, orderID+"\r", scannerTimings[0])
			keyLikeDriver(c, fyne.KeyF7)
			clk.press(u, c, digit)
			if len(f.exceptions) != 1 || f.exceptions[0] != reasons[i] {
				t.Fatalf("key %c picked %q, want %s", digit, f.exceptions, reasons[i])
			}
			if u.ExceptionsShown() {
				t.Errorf("the chooser stays open after a choice")
			}
		})
	}
	t.Run("burst without suffix", func(t *testing.T) {
		f := newFake()
		packScript(f)
		u, c := newTestUI(t, f, app.Options{Lang: "zh"})
		clk := newClock(u)
		clk.burst(c, orderID+"\r", scannerTimings[0])
		keyLikeDriver(c, fyne.KeyF7)
		clk.burst(c, "4006381333931", scannerTimings[1])
		clk.quiet(u)
		if len(f.exceptions) != 0 {
			t.Fatalf("a burst picked %q", f.exceptions)
		}
		if !u.ExceptionsShown() || !strings.Contains(u.ExceptionMessage(), "单独按一个数字键") {
			t.Errorf("chooser shown %v, message %q: want it open with the refusal", u.ExceptionsShown(), u.ExceptionMessage())
		}
		keyLikeDriver(c, fyne.KeyEscape)
		if u.ExceptionsShown() {
			t.Errorf("Esc did not close the chooser")
		}
	})
}

// Issue 13: ↓ and ↑ move the queue's selection whatever widget of the
// queue screen has focus (a focused List used to move only its focus
// mark, so the selection never left the first row).
func TestQueueArrowsMoveTheSelection(t *testing.T) {
	for _, focus := range []string{"", "check", "list", "button"} {
		t.Run(fmt.Sprintf("focus=%q", focus), func(t *testing.T) {
			f := queueFake()
			u, c := newTestUI(t, f, app.Options{})
			u.PressKey(fyne.KeyF9)
			u.QueueShowDone(true)
			queueFocus(t, u, c, focus)
			want := []string{"114-0000002-0000002/shipping-2", "114-0000003-0000003/fnsku-MUG-1", "114-0000001-0000001/shipping"}
			if got := u.QueueSelected(); got != want[0] {
				t.Fatalf("first selected %q", got)
			}
			for _, w := range want[1:] {
				keyLikeDriver(c, fyne.KeyDown)
				if got := u.QueueSelected(); got != w {
					t.Fatalf("↓ selects %q, want %q", got, w)
				}
			}
			keyLikeDriver(c, fyne.KeyDown) // at the end: stays
			keyLikeDriver(c, fyne.KeyUp)
			if got := u.QueueSelected(); got != want[1] {
				t.Errorf("↑ selects %q, want %q", got, want[1])
			}
		})
	}
}
