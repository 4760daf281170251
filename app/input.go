package app

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/packdesk/packdesk/drivers/scanner"
	"github.com/packdesk/packdesk/internal/station"
)

// Function keys. Each is also shown on screen; command barcodes do the same
// from the scanner.
const (
	keyTypeScan    = fyne.KeyF2  // focus the manual scan entry
	keyAcknowledge = fyne.KeyF4  // acknowledge the intercept alert
	keyReprint     = fyne.KeyF5  // reprint the label
	keyLabelFailed = fyne.KeyF6  // the label did not come out right
	keyException   = fyne.KeyF7  // send the order to the exception pool
	keyLogout      = fyne.KeyF8  // log the packer out
	keyQueue       = fyne.KeyF9  // the print queue on/off
	keySettings    = fyne.KeyF10 // settings on/off
	keyRejections  = fyne.KeyF11 // the events the server refused on/off
)

// keyEntry is an Entry whose keys pass through the wedge detector first, so
// a scan typed while it has focus still reaches the station, and the
// station's function keys work whatever has focus.
type keyEntry struct {
	widget.Entry
	u *UI
}

func newKeyEntry(u *UI) *keyEntry {
	e := &keyEntry{u: u}
	e.ExtendBaseWidget(e)
	return e
}

func newPasswordEntry(u *UI) *keyEntry {
	e := newKeyEntry(u)
	e.Password = true
	return e
}

// TypedRune feeds the wedge; typing comes back to the entry via deliver.
func (e *keyEntry) TypedRune(r rune) { e.u.onRune(r) }

func (e *keyEntry) typeRune(r rune)          { e.Entry.TypedRune(r) }
func (e *keyEntry) typeKey(k *fyne.KeyEvent) { e.Entry.TypedKey(k) }
func (e *keyEntry) textField() bool          { return true }

// TypedKey handles function keys and Enter; other keys edit the entry.
func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if e.u.onCommandKey(k.Name) {
		return
	}
	if k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter {
		e.u.onRune('\r')
		return
	}
	if runeKey(k.Name) {
		return // its character follows through TypedRune and the wedge
	}
	if e.u.wedge.Pending() > 0 {
		e.u.deliver(e.u.wedge.Reset()) // keep order: held characters first
	}
	e.Entry.TypedKey(k)
}

// runeKey reports whether a key event is one whose character also
// arrives as a typed rune. Fyne's desktop driver sends every key press to
// TypedKey (with the name "4" or "A") before its character goes to
// TypedRune: such an event must not end the wedge's burst, or a scan's
// first character would be decided as typing by the second key's event.
func runeKey(k fyne.KeyName) bool {
	return k == fyne.KeySpace || k == fyne.KeyUnknown || utf8.RuneCountInString(string(k)) == 1
}

// onRune is every character typed, whatever has focus. Every character
// goes through the wedge detector first, whatever screen or overlay is
// open; deliver decides what a scan or typing does there.
func (u *UI) onRune(r rune) {
	now := u.now()
	u.deliver(u.wedge.Feed(r, now))
	u.armFlush(now)
}

// onKey is every non-character key typed while no widget has focus.
func (u *UI) onKey(k *fyne.KeyEvent) {
	if u.onCommandKey(k.Name) {
		return
	}
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		u.onRune('\r')
	case fyne.KeyTab:
		u.win.Canvas().FocusNext()
	default:
		u.onArrow(k.Name)
	}
}

// onArrow moves the print queue's or the refused events' selection with ↑
// and ↓, whatever widget of the screen has focus (a focused List would
// only move its focus mark, not the selection the actions apply to). It
// reports whether it used k.
func (u *UI) onArrow(k fyne.KeyName) bool {
	if u.overlay.choosing {
		return false
	}
	var move func(int)
	switch u.showing {
	case "queue":
		move = u.queue.move
	case "rejections":
		move = u.rejections.move
	default:
		return false
	}
	switch k {
	case fyne.KeyUp:
		move(-1)
	case fyne.KeyDown:
		move(1)
	default:
		return false
	}
	return true
}

// onCommandKey runs the station's function keys; it reports whether k was
// one.
func (u *UI) onCommandKey(k fyne.KeyName) bool {
	if u.overlay.onKey(k) {
		return true
	}
	switch k {
	case keyTypeScan:
		u.show("packing")
		u.win.Canvas().Focus(u.manual)
	case keyAcknowledge:
		u.onAcknowledge()
	case keyReprint:
		u.run(u.st.Reprint)
	case keyLabelFailed:
		u.run(u.st.LabelFailed)
	case keyException:
		if u.view.Order != nil {
			u.overlay.showExceptions()
		}
	case keyLogout:
		u.run(u.st.Logout)
	case keySettings:
		u.toggle("settings")
	case keyQueue:
		u.toggle("queue")
	case keyRejections:
		u.toggle("rejections")
	case keyReturnsMode:
		u.show("packing")
		u.onSwitchMode()
	case keyCloseReturn:
		if u.view.Return != nil {
			u.onCloseReturn()
		}
	case fyne.KeyEscape:
		u.show("packing")
	default:
		return false
	}
	return true
}

// toggle shows screen, or the packing screen when screen is showing.
func (u *UI) toggle(screen string) {
	if u.showing == screen {
		u.show("packing")
		return
	}
	u.show(screen)
}

func (u *UI) onAcknowledge() {
	if len(u.view.Alerts) == 0 {
		return
	}
	order := u.view.Alerts[0].Order
	u.run(func(ctx context.Context) (station.Outcome, error) {
		return station.Outcome{}, u.st.AcknowledgeIntercept(ctx, order)
	})
}

func (u *UI) onException(reason string) {
	u.run(func(ctx context.Context) (station.Outcome, error) { return u.st.RaiseException(ctx, reason) })
}

// deliver acts on the detector's results: scans go to the station (or the
// settings scan test), typing to the focused widget. Text typed while a
// button or list has focus on the packing screen goes to the manual scan
// entry instead (a Space there still presses the button). While the
// exception chooser, the print queue or the refused events are open, a
// scan is still a scan
// (the chooser closes: the packer moved on), and only a lone key can pick
// a reason or an action.
func (u *UI) deliver(rs []scanner.WedgeResult) {
	for _, r := range rs {
		if r.Scan {
			u.overlay.hideExceptions()
			u.scan(r.Text, station.SourceWedge)
			continue
		}
		if u.overlay.choosing {
			u.overlay.onTyped(r)
			continue
		}
		target, _ := u.win.Canvas().Focused().(typist)
		if u.onReturnKey(r, target) {
			continue // a lone grade or disposition key
		}
		if u.showing == "queue" && (target == nil || !target.textField()) && strings.TrimSpace(r.Text) != "" {
			u.queue.onTyped(r) // the action digits
			continue
		}
		if u.showing == "rejections" && (target == nil || !target.textField()) && strings.TrimSpace(r.Text) != "" {
			u.rejections.onTyped(r) // the dismiss key
			continue
		}
		if target == nil || (!target.textField() && u.showing == "packing" && strings.TrimSpace(r.Text) != "") {
			if u.showing != "packing" {
				continue // typing with nothing to type into
			}
			target = u.manual
			u.win.Canvas().Focus(target)
		}
		for _, c := range r.Text {
			if c == '\r' || c == '\n' {
				target.typeKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
				continue
			}
			target.typeRune(c)
		}
	}
}

// armFlush decides a burst once its keys stop (a burst with no Enter is
// typing, or a scan from a scanner without suffix).
func (u *UI) armFlush(now time.Time) {
	at, ok := u.wedge.Deadline()
	if !ok || !u.timers {
		return
	}
	d := at.Sub(now) + time.Millisecond
	if u.flushTimer != nil {
		u.flushTimer.Stop()
	}
	u.flushTimer = time.AfterFunc(d, func() {
		fyne.Do(func() { u.flush(u.now()) })
	})
}

func (u *UI) flush(now time.Time) {
	u.deliver(u.wedge.Flush(now))
	u.armFlush(now)
}
