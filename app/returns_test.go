package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/assets"
	"github.com/packdesk/packdesk/internal/station"
)

// returnsScript scripts returns mode on the fake: F3, a return opened by
// its tracking, a unit not on the order, a unit received, its grade and
// disposition, and closing.
func returnsScript(f *fakeStation) {
	ret := func(units ...station.ReturnUnitView) *station.ReturnView {
		return &station.ReturnView{ID: "R-100", RMA: "RMA100", OrderID: orderID, Reason: "DEFECTIVE",
			Lines: []station.ReturnLineView{{SKU: "MUG-01", Title: "Blue mug", Shipped: 2, Here: len(units)}}, Units: units, Refused: 1}
	}
	step := func(v *station.View, s station.Step, key string) {
		v.Step, v.Next = s, station.Message{Key: key, Args: map[string]any{"return": "R-100", "unit": 1, "sku": "MUG-01"}}
	}
	f.script["mode:returns"] = func(v *station.View) {
		v.Returns = true
		step(v, station.StepScanReturn, station.KeyNextScanReturn)
		v.Last = decision("returns_mode", station.SeverityOK, nil)
	}
	f.script["mode:packing"] = func(v *station.View) {
		v.Returns, v.Return = false, nil
		v.Step, v.Next = station.StepScanOrder, station.Message{Key: station.KeyNextScanOrder}
		v.Last = decision("packing_mode", station.SeverityOK, nil)
	}
	f.script["1ZRETURN0100"] = func(v *station.View) {
		v.Return = ret()
		step(v, station.StepReturnUnits, station.KeyNextReturnUnits)
		v.Last = decision("return_opened", station.SeverityOK, map[string]any{"return": "R-100", "return_order": orderID})
	}
	f.script["SOCK-9"] = func(v *station.View) {
		v.Last = decision("return_not_on_order", station.SeverityReject, map[string]any{"sku": "SOCK-9", "return": "R-100"})
	}
	f.script["MUG"] = func(v *station.View) {
		v.Return = ret(station.ReturnUnitView{N: 1, SKU: "MUG-01"})
		step(v, station.StepReturnGrade, station.KeyNextReturnGrade)
		v.Last = decision("return_expected", station.SeverityOK, map[string]any{"sku": "MUG-01", "unit": 1, "return": "R-100"})
	}
	f.script["grade:B"] = func(v *station.View) {
		v.Return = ret(station.ReturnUnitView{N: 1, SKU: "MUG-01", Grade: "B"})
		step(v, station.StepReturnDispose, station.KeyNextReturnDispose)
		v.Last = decision("return_graded", station.SeverityOK, map[string]any{"sku": "MUG-01", "unit": 1, "grade": "B"})
	}
	f.script["dispose:scrap"] = func(v *station.View) {
		v.Return = ret(station.ReturnUnitView{N: 1, SKU: "MUG-01", Grade: "B", Disposition: "scrap"})
		step(v, station.StepReturnUnits, station.KeyNextReturnUnits)
		v.Last = decision("return_disposed", station.SeverityDone, map[string]any{"sku": "MUG-01", "unit": 1, "grade": "B", "disposition": "scrap"})
	}
	f.script["close"] = func(v *station.View) {
		v.Return = nil
		step(v, station.StepScanReturn, station.KeyNextScanReturn)
		v.Last = decision("return_closed", station.SeverityDone, map[string]any{"return": "R-100", "units": 1})
	}
}

// TestReturnsScreen drives returns mode with the keyboard and a wedge
// scanner: F3 shows the returns panel, verdicts colour the banner and
// sound, a lone key grades and disposes of the unit only in its step, a
// scanned letter is a scan (never a key), F12 closes the return, F3 goes
// back to packing.
func TestReturnsScreen(t *testing.T) {
	f := newFake()
	packScript(f)
	returnsScript(f)
	snd := &recorder{}
	u, c := newTestUI(t, f, app.Options{Sound: func(context.Context) (app.Sounder, error) { return snd, nil }})
	clk := newClock(u)
	scan(c, "PDBADGE:P1")

	u.PressKey(fyne.KeyF3)
	u.FlushWedge(0)
	holds(t, 1, func() bool { return u.ReturnsShown() })
	if !strings.Contains(u.KeysHint(), "A–D grade") || !strings.Contains(u.ReturnsText(), "No open return") {
		t.Errorf("returns mode: hint %q, panel %q", u.KeysHint(), u.ReturnsText())
	}
	if title, msg, _ := u.Banner(); title != "OK" || !strings.Contains(msg, "RETURNS MODE") {
		t.Errorf("banner after F3 = %q %q", title, msg)
	}

	clk.press(u, c, 'a') // no unit waits for a grade: typing, not a grade
	if len(f.returnOps) != 1 {
		t.Fatalf("a lone key with no unit waiting acted: %v", f.returnOps)
	}
	u.ManualEntry().SetText("")

	scan(c, "1ZRETURN0100")
	holds(t, 2, func() bool { return strings.Contains(u.ReturnsText(), "Return R-100") })
	if txt := u.ReturnsText(); !strings.Contains(txt, "MUG-01 Blue mug: 0 received here, 0 before, 2 shipped") || !strings.Contains(txt, "RMA RMA100") {
		t.Errorf("panel = %q", txt)
	}
	if g, d, cl := u.ReturnButtonsEnabled(); g || d || !cl {
		t.Errorf("buttons enabled: grade %v, dispose %v, close %v; want only close", g, d, cl)
	}

	scan(c, "SOCK-9")
	holds(t, 3, func() bool { _, msg, _ := u.Banner(); return strings.Contains(msg, "NOT ON THE ORDER") })
	if _, _, bg := u.Banner(); bg != app.SeverityColour("reject") || snd.last() != assets.SoundWrongItem {
		t.Errorf("not on the order: colour %v, sound %s", bg, snd.last())
	}

	scan(c, "MUG")
	holds(t, 4, func() bool { return strings.Contains(u.NextText(), "Grade item 1") })
	scan(c, "b") // a scanner sending "b": a scan, never the grade key
	if slices.Contains(f.returnOps, "grade:B") || f.scans[len(f.scans)-1] != "b" {
		t.Fatalf("a scanned b graded the unit: ops %v, scans %v", f.returnOps, f.scans)
	}
	clk.press(u, c, 'b')
	holds(t, 5, func() bool { return slices.Contains(f.returnOps, "grade:B") })
	holds(t, 6, func() bool { return strings.Contains(u.NextText(), "Where does item 1") })
	if g, d, _ := u.ReturnButtonsEnabled(); g || !d {
		t.Errorf("dispose step: grade buttons %v, disposition buttons %v", g, d)
	}
	clk.press(u, c, 'b') // not a disposition key: typed into the scan entry
	if got := u.ManualEntry().Text; got != "b" {
		t.Errorf("b in the dispose step: entry %q, want it typed", got)
	}
	clk.press(u, c, 's') // the entry holds text: s is typing too
	if slices.Contains(f.returnOps, "dispose:scrap") {
		t.Fatal("s typed after b disposed of the unit")
	}
	u.ManualEntry().SetText("")
	clk.press(u, c, 's')
	holds(t, 7, func() bool { return slices.Contains(f.returnOps, "dispose:scrap") })
	if got := strings.Join(f.returnOps, " "); got != "mode:returns grade:B dispose:scrap" {
		t.Errorf("returns calls = %s", got)
	}
	holds(t, 8, func() bool { return strings.Contains(u.ReturnsText(), "#1 MUG-01 · grade B · scrap") })
	if snd.last() != assets.SoundComplete {
		t.Errorf("disposed: sound %s, want the done chime", snd.last())
	}

	u.PressKey(fyne.KeyF12)
	holds(t, 9, func() bool { return slices.Contains(f.returnOps, "close") })
	holds(t, 10, func() bool { return strings.Contains(u.ReturnsText(), "No open return") })
	u.PressKey(fyne.KeyF12) // nothing open: nothing asked
	u.PressKey(fyne.KeyF3)
	holds(t, 11, func() bool { return !u.ReturnsShown() })
	if got := strings.Join(f.returnOps, " "); got != "mode:returns grade:B dispose:scrap close mode:packing" {
		t.Errorf("returns calls = %s", got)
	}
	if strings.Contains(u.KeysHint(), "A–D") {
		t.Errorf("packing mode hint = %q", u.KeysHint())
	}
}

// The returns panel and verdicts speak the station's other language.
func TestReturnsScreenInChinese(t *testing.T) {
	f := newFake()
	returnsScript(f)
	u, c := newTestUI(t, f, app.Options{Lang: "zh"})
	u.PressKey(fyne.KeyF3)
	holds(t, 12, func() bool { return u.ReturnsShown() })
	scan(c, "1ZRETURN0100")
	holds(t, 13, func() bool { return strings.Contains(u.ReturnsText(), "退货 R-100") })
	if txt := u.ReturnsText(); !strings.Contains(txt, "发出 2") {
		t.Errorf("panel = %q", txt)
	}
	if _, msg, _ := u.Banner(); !strings.Contains(msg, "已打开") {
		t.Errorf("banner = %q", msg)
	}
}

// holds fails the test when cond does not hold (the UI renders
// synchronously under NewSync); n numbers the check in the message.
func holds(t *testing.T, n int, cond func() bool) {
	t.Helper()
	if !cond() {
		t.Fatalf("check %d does not hold", n)
	}
}
