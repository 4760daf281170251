package app_test

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/packdesk/packdesk/app"
)

// F8 with an order open: the station asks; a lone 1 hands the order over,
// a lone 2 puts it back, Esc keeps the packer logged in. A burst of keys
// answers nothing. No mouse is needed.
func TestLogoutQuestion(t *testing.T) {
	for _, tt := range []struct {
		key  rune
		want bool
	}{{'1', true}, {'2', false}} {
		f := newFake()
		packScript(f)
		u, c := newTestUI(t, f, app.Options{})
		clk := newClock(u)
		scan(c, orderID)
		u.PressKey(fyne.KeyF8)
		if !u.LogoutShown() {
			t.Fatal("F8 with an order open did not ask what happens to the order")
		}
		u.PressKey(fyne.KeyF7) // the exception chooser does not open over it
		if u.ExceptionsShown() {
			t.Fatal("F7 opened the exception chooser over the log-out question")
		}
		clk.press(u, c, tt.key)
		if len(f.choices) != 1 || f.choices[0] != tt.want || u.LogoutShown() {
			t.Fatalf("key %c: choices %v (question shown %v), want [%v]", tt.key, f.choices, u.LogoutShown(), tt.want)
		}
	}

	f := newFake()
	packScript(f)
	u, c := newTestUI(t, f, app.Options{})
	scan(c, orderID)
	u.PressKey(fyne.KeyF8)
	u.PressKey(fyne.KeyEscape)
	if u.LogoutShown() || len(f.choices) != 0 {
		t.Fatalf("Esc: question shown %v, choices %v", u.LogoutShown(), f.choices)
	}
	u.PressKey(fyne.KeyF8) // asked again: shown again
	if !u.LogoutShown() {
		t.Fatal("F8 after Esc did not ask again")
	}
}
