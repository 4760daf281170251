package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Fyne's desktop driver hands every key to the focused widget, and only to
// the canvas when nothing has focus. A plain Button, Select, Check, Slider
// or List with focus would swallow a wedge scan (their TypedRune does
// nothing) and the function keys. So every focusable widget the station
// shows is one of the wrappers below: its keys pass through the wedge
// detector first, and only typing (not a scan) reaches the widget itself.

// typist is a focusable widget whose own key handling runs only for what
// the wedge detector decided is typing.
type typist interface {
	fyne.Focusable
	// typeRune is the widget's own handling of a typed character.
	typeRune(r rune)
	// typeKey is the widget's own handling of a key.
	typeKey(k *fyne.KeyEvent)
	// textField reports whether typing edits text here (an entry).
	textField() bool
}

// focusedKey handles a key typed into a focused wrapper: function keys,
// Enter (a wedge terminator, so it goes through the detector), keys whose
// character comes too (digits, letters, Space: the character goes through
// the detector), the queue's ↑ ↓; other keys (Page Up, Home) go to the
// widget after any held characters.
func (u *UI) focusedKey(k *fyne.KeyEvent, own func(*fyne.KeyEvent)) {
	if u.onCommandKey(k.Name) {
		return
	}
	switch {
	case k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter:
		u.onRune('\r')
		return
	case runeKey(k.Name):
		return // its character follows through TypedRune and the wedge
	case u.onArrow(k.Name):
		return
	}
	if u.wedge.Pending() > 0 {
		u.deliver(u.wedge.Reset()) // keep order: held characters first
	}
	own(k)
}

// button is a widget.Button for the station window.
type button struct {
	widget.Button
	u *UI
}

func newButton(u *UI, label string, tapped func()) *button {
	b := &button{u: u}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *button) TypedRune(r rune)          { b.u.onRune(r) }
func (b *button) TypedKey(k *fyne.KeyEvent) { b.u.focusedKey(k, b.Button.TypedKey) }
func (b *button) typeKey(k *fyne.KeyEvent)  { b.Button.TypedKey(k) }
func (b *button) textField() bool           { return false }
func (b *button) typeRune(r rune)           { spaceKey(r, b.Button.TypedKey) }
func spaceKey(r rune, own func(*fyne.KeyEvent)) {
	if r == ' ' {
		own(&fyne.KeyEvent{Name: fyne.KeySpace})
	}
}

// selectBox is a widget.Select for the station window. With codes, its
// options are the codes' names in the UI's language and code/setCode
// read and set the code behind them.
type selectBox struct {
	widget.Select
	u     *UI
	codes []string
}

// newCodeSelect offers codes by their names: the message key prefix +
// code (a code's key is written out at the call for the translation test).
func newCodeSelect(u *UI, codes, keys []string) *selectBox {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = u.tr.S(k)
	}
	s := newSelect(u, names, nil)
	s.codes = codes
	return s
}

// code is the selected option's code ("" when none); an option that is
// not a code (set by setCode) is its own code.
func (s *selectBox) code() string {
	if i := s.SelectedIndex(); i >= 0 && i < len(s.codes) {
		return s.codes[i]
	}
	return s.Selected
}

// setCode selects code's option; a code not offered is shown as it is.
func (s *selectBox) setCode(code string) {
	for i, c := range s.codes {
		if c == code {
			s.SetSelectedIndex(i)
			return
		}
	}
	if code == "" {
		s.ClearSelected()
		return
	}
	s.SetSelected(code)
}

func newSelect(u *UI, options []string, changed func(string)) *selectBox {
	s := &selectBox{u: u}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

func (s *selectBox) TypedRune(r rune)          { s.u.onRune(r) }
func (s *selectBox) TypedKey(k *fyne.KeyEvent) { s.u.focusedKey(k, s.Select.TypedKey) }
func (s *selectBox) typeKey(k *fyne.KeyEvent)  { s.Select.TypedKey(k) }
func (s *selectBox) typeRune(r rune)           { spaceKey(r, s.Select.TypedKey) }
func (s *selectBox) textField() bool           { return false }

// check is a widget.Check for the station window.
type check struct {
	widget.Check
	u *UI
}

func newCheck(u *UI, label string, changed func(bool)) *check {
	c := &check{u: u}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

func (c *check) TypedRune(r rune)          { c.u.onRune(r) }
func (c *check) TypedKey(k *fyne.KeyEvent) { c.u.focusedKey(k, c.Check.TypedKey) }
func (c *check) typeKey(k *fyne.KeyEvent)  { c.Check.TypedKey(k) }
func (c *check) typeRune(r rune)           { c.Check.TypedRune(r) }
func (c *check) textField() bool           { return false }

// slider is a widget.Slider for the station window.
type slider struct {
	widget.Slider
	u *UI
}

func newSlider(u *UI, minimum, maximum float64) *slider {
	s := &slider{u: u}
	s.Min, s.Max, s.Step = minimum, maximum, 1
	s.Orientation = widget.Horizontal
	s.Value = minimum
	s.ExtendBaseWidget(s)
	return s
}

func (s *slider) TypedRune(r rune)          { s.u.onRune(r) }
func (s *slider) TypedKey(k *fyne.KeyEvent) { s.u.focusedKey(k, s.Slider.TypedKey) }
func (s *slider) typeKey(k *fyne.KeyEvent)  { s.Slider.TypedKey(k) }
func (s *slider) typeRune(rune)             {}
func (s *slider) textField() bool           { return false }

// selectEntry is a widget.SelectEntry for the station window.
type selectEntry struct {
	widget.SelectEntry
	u *UI
}

func newSelectEntry(u *UI, options []string) *selectEntry {
	e := &selectEntry{u: u}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetOptions(options)
	return e
}

func (e *selectEntry) TypedRune(r rune)          { e.u.onRune(r) }
func (e *selectEntry) TypedKey(k *fyne.KeyEvent) { e.u.focusedKey(k, e.SelectEntry.TypedKey) }
func (e *selectEntry) typeKey(k *fyne.KeyEvent)  { e.SelectEntry.TypedKey(k) }
func (e *selectEntry) typeRune(r rune)           { e.SelectEntry.TypedRune(r) }
func (e *selectEntry) textField() bool           { return true }

// list is a widget.List for the station window.
type list struct {
	widget.List
	u *UI
}

func newList(u *UI, length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *list {
	l := &list{u: u}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

func (l *list) TypedRune(r rune)          { l.u.onRune(r) }
func (l *list) TypedKey(k *fyne.KeyEvent) { l.u.focusedKey(k, l.List.TypedKey) }
func (l *list) typeKey(k *fyne.KeyEvent)  { l.List.TypedKey(k) }
func (l *list) typeRune(r rune)           { spaceKey(r, l.List.TypedKey) }
func (l *list) textField() bool           { return false }

var (
	_ typist = (*button)(nil)
	_ typist = (*selectBox)(nil)
	_ typist = (*check)(nil)
	_ typist = (*slider)(nil)
	_ typist = (*selectEntry)(nil)
	_ typist = (*list)(nil)
	_ typist = (*keyEntry)(nil)
)
