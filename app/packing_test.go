package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/assets"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

const orderID = "111-1111111-1111111"

// packScript scripts a two-line order: MUG x2, LAMP x1.
func packScript(f *fakeStation) {
	order := func(mug, lamp int) *station.OrderView {
		return &station.OrderView{ID: orderID, Channel: "FBM", ServiceLevel: "Expedited",
			ShipBy: time.Date(2026, 1, 5, 14, 30, 0, 0, time.Local), Flags: []station.Flag{station.FlagMultiUnit},
			Lines: []station.LineView{{SKU: "MUG-01", Title: "Blue mug", Scanned: mug, Required: 2},
				{SKU: "LAMP-01", Title: "Desk lamp", Scanned: lamp, Required: 1}}}
	}
	f.script["PDBADGE:P1"] = func(v *station.View) {
		v.Packer = station.PackerView{LoggedIn: true, Badge: "P1", Name: "Li Wei", Since: time.Now()}
		v.Last = decision("packer_login", station.SeverityOK, nil)
	}
	f.script[orderID] = func(v *station.View) {
		v.Order, v.Step = order(0, 0), station.StepScanUnits
		v.Next = station.Message{Key: station.KeyNextScanUnits, Args: map[string]any{"order": orderID, "remaining": 3}}
		v.Last = decision("order_opened", station.SeverityOK, map[string]any{"order": orderID, "remaining": 3})
	}
	f.script["0012345678905"] = func(v *station.View) {
		v.Order = order(1, 0)
		v.Last = decision("accepted", station.SeverityOK, map[string]any{"sku": "MUG-01", "remaining": 2})
	}
	f.script["0099999999999"] = func(v *station.View) {
		v.Last = decision("wrong_item", station.SeverityReject, map[string]any{"sku": "SOCK-9", "expected": "MUG-01, LAMP-01"})
	}
	f.script["0012345678912"] = func(v *station.View) {
		v.Last = decision("over_scan", station.SeverityReject, map[string]any{"sku": "MUG-01"})
	}
	f.script["LAMP"] = func(v *station.View) {
		v.Order, v.Step = order(2, 1), station.StepScanLabel
		v.Next = station.Message{Key: station.KeyNextScanLabel, Args: map[string]any{"order": orderID, "tracking": "1Z999"}}
		v.Last = decision("order_complete", station.SeverityDone, map[string]any{"order": orderID})
		v.Label = &station.LabelView{Order: orderID, Kind: "shipping", Tracking: "1Z999", PNG: assets.Icon}
	}
	f.script["HOLD-1"] = func(v *station.View) {
		v.Last = decision("weight_mismatch", station.SeverityWarn, nil)
	}
}

func newTestUI(t testing.TB, f *fakeStation, opts app.Options) (*app.UI, fyne.Canvas) {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	opts.Station = f
	if opts.Lang == "" {
		opts.Lang = "en"
	}
	u, err := app.NewSync(a, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(u.Close)
	return u, u.Window().Canvas()
}

// scan types raw as a wedge scanner does: a burst ending in Enter.
func scan(c fyne.Canvas, raw string) { test.TypeOnCanvas(c, raw+"\r") }

func TestWedgeScansDriveTheBanner(t *testing.T) {
	f := newFake()
	packScript(f)
	snd := &recorder{}
	u, c := newTestUI(t, f, app.Options{Sound: func(context.Context) (app.Sounder, error) { return snd, nil }})

	if title, msg, bg := u.Banner(); title != "READY" || !strings.Contains(msg, "Scan your badge") || bg != app.SeverityColour("") {
		t.Fatalf("start banner = %q %q %v", title, msg, bg)
	}
	tests := []struct {
		scan, title, msgPart, sev, sound string
		lines                            []string
	}{
		{"PDBADGE:P1", "OK", "Welcome", "ok", assets.SoundAccepted, nil},
		{orderID, "OK", "Order " + orderID + " opened. Items to scan: 3", "ok", assets.SoundAccepted, []string{"0/2", "0/1"}},
		{"0012345678905", "OK", "MUG-01 accepted: 2 still to scan", "ok", assets.SoundAccepted, []string{"1/2", "0/1"}},
		{"0099999999999", "STOP", "WRONG ITEM: SOCK-9 is not in this order", "reject", assets.SoundWrongItem, []string{"1/2", "0/1"}},
		{"0012345678912", "STOP", "TOO MANY", "reject", assets.SoundOverScan, []string{"1/2", "0/1"}},
		{"GARBAGE-77", "STOP", "UNKNOWN BARCODE GARBAGE-77", "reject", assets.SoundUnknown, []string{"1/2", "0/1"}},
		{"HOLD-1", "CHECK", "WEIGHT WRONG", "warn", assets.SoundWarn, []string{"1/2", "0/1"}},
		{"LAMP", "DONE", "Order " + orderID + " complete", "done", assets.SoundComplete, []string{"2/2", "1/1"}},
	}
	for i, tc := range tests {
		scan(c, tc.scan)
		if got := f.scanned(); len(got) != i+1 || got[i] != tc.scan {
			t.Fatalf("after %q the station got scans %q", tc.scan, got)
		}
		title, msg, bg := u.Banner()
		if title != tc.title || !strings.Contains(msg, tc.msgPart) || bg != app.SeverityColour(tc.sev) {
			t.Errorf("scan %q: banner %q / %q / %v, want %q / ...%q... / %s", tc.scan, title, msg, bg, tc.title, tc.msgPart, tc.sev)
		}
		if got := snd.last(); got != tc.sound {
			t.Errorf("scan %q: sound %q, want %q", tc.scan, got, tc.sound)
		}
		if tc.lines != nil {
			if got := strings.Join(u.LineCounts(), " "); got != strings.Join(tc.lines, " ") {
				t.Errorf("scan %q: line counts %q, want %q", tc.scan, got, tc.lines)
			}
		}
	}
	if got := u.RecentCount(); got != 8 {
		t.Errorf("recent scans shown = %d, want 8", got)
	}
	if !strings.Contains(u.OrderText(), orderID) || !strings.Contains(u.OrderText(), "Expedited") ||
		!strings.Contains(u.OrderText(), "Mon 5 Jan 14:30") || !strings.Contains(u.OrderText(), "SEVERAL ITEMS") {
		t.Errorf("order header = %q", u.OrderText())
	}
	if got := u.NextText(); !strings.Contains(got, "scan its tracking barcode (1Z999)") {
		t.Errorf("next step = %q", got)
	}
	if !u.LabelShown() || u.LabelImage().Image == nil {
		t.Error("label preview not shown at the label step")
	}
	if got := u.StatsText(); !strings.Contains(got, "Li Wei") {
		t.Errorf("packer/stats = %q", got)
	}
	for _, s := range f.sources {
		if s != station.SourceWedge {
			t.Errorf("source %q, want wedge", s)
		}
	}
}

func TestScanWhileManualEntryHasFocus(t *testing.T) {
	f := newFake()
	packScript(f)
	u, _ := newTestUI(t, f, app.Options{})
	u.FocusManual()
	u.TypeIntoManual(orderID + "\r") // a wedge scanner typing into the focused entry
	if got := f.scanned(); len(got) != 1 || got[0] != orderID {
		t.Fatalf("station got %q, want the order scan", got)
	}
	if got := u.ManualEntry().Text; got != "" {
		t.Errorf("the scan leaked into the entry: %q", got)
	}
}

func TestTypingGoesToTheManualEntry(t *testing.T) {
	f := newFake()
	packScript(f)
	u, c := newTestUI(t, f, app.Options{})
	test.TypeOnCanvas(c, "ab") // too short for a scan: a person typing
	u.FlushWedge(time.Second)
	if !u.ManualFocused() || u.ManualEntry().Text != "ab" {
		t.Fatalf("typing: entry focused %v text %q, want focused with \"ab\"", u.ManualFocused(), u.ManualEntry().Text)
	}
	if got := f.scanned(); len(got) != 0 {
		t.Fatalf("typing reached the station as scans %q", got)
	}
	u.TypeIntoManual("c")
	u.FlushWedge(time.Second)
	u.PressKeyInManual(fyne.KeyReturn) // Enter after a pause submits the typed text
	u.FlushWedge(time.Second)
	if got := f.scanned(); len(got) != 1 || got[0] != "abc" || f.sources[0] != station.SourceKeyboard {
		t.Fatalf("manual entry submitted %q from %q, want \"abc\" from keyboard", got, f.sources)
	}
	if u.ManualFocused() {
		t.Error("focus stays in the entry after submitting; scans would type into it")
	}
}

func TestFunctionKeys(t *testing.T) {
	f := newFake()
	packScript(f)
	u, c := newTestUI(t, f, app.Options{})
	clk := newClock(u)
	scan(c, orderID)
	u.PressKey(fyne.KeyF5)
	u.PressKey(fyne.KeyF6)
	if f.reprints != 1 || f.failed != 1 {
		t.Errorf("F5/F6: reprints %d, label failed %d, want 1 and 1", f.reprints, f.failed)
	}
	u.PressKey(fyne.KeyF7)
	if !u.ExceptionsShown() {
		t.Fatal("F7 did not open the exception reasons")
	}
	clk.press(u, c, '2')
	if len(f.exceptions) != 1 || f.exceptions[0] != "MISSING-ITEM" || u.ExceptionsShown() {
		t.Errorf("exception reasons sent %q (chooser shown %v), want [MISSING-ITEM]", f.exceptions, u.ExceptionsShown())
	}
	if title, _, _ := u.Banner(); title != "CHECK" {
		t.Errorf("after the exception the banner says %q", title)
	}
	u.PressKey(fyne.KeyF7) // no open order now: nothing to send
	if u.ExceptionsShown() {
		t.Error("F7 without an open order opened the chooser")
	}
	u.PressKey(fyne.KeyF8)
	if f.logouts != 1 {
		t.Errorf("F8: logouts %d", f.logouts)
	}
	u.PressKey(fyne.KeyF10)
	if u.Showing() != "settings" {
		t.Fatalf("F10 shows %q", u.Showing())
	}
	u.PressKey(fyne.KeyEscape)
	if u.Showing() != "packing" {
		t.Fatalf("Escape shows %q", u.Showing())
	}
	u.PressKey(fyne.KeyF2)
	if !u.ManualFocused() {
		t.Error("F2 did not focus the manual scan entry")
	}
	u.PressKeyInManual(fyne.KeyF5) // function keys work while the entry has focus
	if f.reprints != 2 {
		t.Errorf("F5 in the entry: reprints %d, want 2", f.reprints)
	}
}

func TestInterceptTakesOverUntilAcknowledged(t *testing.T) {
	f := newFake()
	snd := &recorder{}
	u, _ := newTestUI(t, f, app.Options{Sound: func(context.Context) (app.Sounder, error) { return snd, nil }})
	f.update(func(v *station.View) {
		v.Step = station.StepIntercept
		v.Alerts = []station.Alert{{Order: orderID, PackedAt: time.Now(),
			Message: station.Message{Key: station.KeyInterceptCancelled, Args: map[string]any{"order": orderID}}}}
	})
	if !u.InterceptShown() || !strings.Contains(u.InterceptText(), "CANCELLED after it was packed") {
		t.Fatalf("intercept shown %v text %q", u.InterceptShown(), u.InterceptText())
	}
	if snd.last() != assets.SoundIntercept {
		t.Errorf("intercept sound %q", snd.last())
	}
	u.PressKey(fyne.KeyF4)
	if len(f.acked) != 1 || f.acked[0] != orderID {
		t.Fatalf("acknowledged %q", f.acked)
	}
	if u.InterceptShown() {
		t.Error("alert still shown after acknowledgement")
	}
}

// TestAlertOfClosedReturnShowsItsOwnWords: an alert the station raised
// for an open return the server cancelled shows its own title and
// instructions (from the View); a packed order's alert shows the usual ones.
func TestAlertOfClosedReturnShowsItsOwnWords(t *testing.T) {
	f := newFake()
	u, _ := newTestUI(t, f, app.Options{})
	args := map[string]any{"order": "R-100", "reason": ""}
	f.update(func(v *station.View) {
		v.Step = station.StepIntercept
		v.Alerts = []station.Alert{{Order: "R-100", Kind: pack.AlertReturnCancelled,
			Message:      station.Message{Key: station.KeyInterceptReturn, Args: args},
			Title:        station.Message{Key: station.KeyInterceptReturnTitle, Args: args},
			Instructions: station.Message{Key: station.KeyInterceptReturnDo, Args: args}}}
	})
	if !u.InterceptShown() || u.InterceptTitle() != "STOP: RETURN CANCELLED" ||
		!strings.Contains(u.InterceptText(), "Return R-100 was CANCELLED") || !strings.Contains(u.InterceptText(), "stay recorded") ||
		strings.Contains(u.InterceptText(), "packed") {
		t.Fatalf("shown %v title %q text %q", u.InterceptShown(), u.InterceptTitle(), u.InterceptText())
	}
	f.update(func(v *station.View) {
		v.Alerts = []station.Alert{{Order: orderID, PackedAt: time.Now(),
			Message: station.Message{Key: station.KeyInterceptCancelled, Args: map[string]any{"order": orderID}}}}
	})
	if u.InterceptTitle() != "STOP: DO NOT SHIP THIS PARCEL" || !strings.Contains(u.InterceptText(), "off the line") {
		t.Fatalf("packed order's alert: title %q text %q", u.InterceptTitle(), u.InterceptText())
	}
}

func TestStatusBar(t *testing.T) {
	f := newFake()
	u, _ := newTestUI(t, f, app.Options{Sound: func(context.Context) (app.Sounder, error) {
		return nil, errors.New("sound: no audio device: alsa: no card")
	}})
	got := u.StatusText()
	for _, want := range []string{"Server: no server configured", "Unsent events: 0", "Printer: ready · 2 queued",
		"Scanner: keyboard", "No scale", "NO SOUND: sound: no audio device"} {
		if !strings.Contains(got, want) {
			t.Errorf("status bar %q lacks %q", got, want)
		}
	}
	f.update(func(v *station.View) {
		v.Status.Printer.State = "paper_out"
		v.Status.PendingEvents = 1234
		v.Status.Scale = station.ScaleStatus{Configured: true, Connected: true, Stable: true, Grams: 1520}
	})
	got = u.StatusText()
	for _, want := range []string{"PAPER OUT", "Unsent events: 1,234", "Scale: 1,520 g (stable)"} {
		if !strings.Contains(got, want) {
			t.Errorf("status bar %q lacks %q", got, want)
		}
	}
}

func TestInputErrorIsRed(t *testing.T) {
	f := newFake()
	u, c := newTestUI(t, f, app.Options{})
	f.err = &station.Error{Message: station.Message{Key: station.KeyErrCommit, Args: map[string]any{"detail": "disk full"}},
		Err: errors.New("journal: disk full")}
	scan(c, orderID)
	if title, msg, bg := u.Banner(); title != "STOP" || !strings.Contains(msg, "NOT recorded") || bg != app.SeverityColour("reject") {
		t.Errorf("commit failure banner %q %q %v", title, msg, bg)
	}
	f.err = nil
	scan(c, "GARBAGE-1")
	if _, msg, _ := u.Banner(); strings.Contains(msg, "NOT recorded") {
		t.Error("the old error stayed after a successful scan")
	}
}

func TestLanguageFollowsTheStation(t *testing.T) {
	f := newFake()
	a := test.NewApp()
	defer a.Quit()
	u, err := app.NewSync(a, app.Options{Station: f}) // no forced language
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	f.update(func(v *station.View) { v.Language = "zh" })
	if got := u.Title(); got != "Packdesk 打包工作站" {
		t.Errorf("title after switching to zh = %q", got)
	}
	if title, msg, _ := u.Banner(); title != "就绪" || !strings.Contains(msg, "请扫工牌") {
		t.Errorf("zh banner %q %q", title, msg)
	}
	if got := u.StatusText(); !strings.Contains(got, "未配置服务器") {
		t.Errorf("zh status %q", got)
	}
	f.update(func(v *station.View) { v.Language = "en" })
	if got := u.Title(); got != "Packdesk packing station" {
		t.Errorf("title after switching back = %q", got)
	}
}

func TestWeighPanel(t *testing.T) {
	f := newFake()
	u, _ := newTestUI(t, f, app.Options{})
	if u.WeighText() != "" {
		t.Fatal("weigh panel shown without a weigh step")
	}
	f.update(func(v *station.View) {
		v.Step = station.StepWeigh
		v.Next = station.Message{Key: station.KeyNextWeigh, Args: map[string]any{"expected_grams": 1200, "tolerance_grams": 50}}
		v.Weigh = &station.WeighView{Configured: true, Stable: true, Grams: 1234, ExpectedGrams: 1200, ToleranceGrams: 50}
	})
	if got := u.WeighText(); !strings.Contains(got, "Scale: 1,234 g (stable)") || !strings.Contains(got, "Expected 1,200 g ± 50 g") {
		t.Errorf("weigh panel %q", got)
	}
	if got := u.NextText(); !strings.Contains(got, "Put the parcel on the scale (expected 1200 g ± 50 g)") {
		t.Errorf("next %q", got)
	}
	if got := u.WeighGrams(); got != "1,234 g" {
		t.Errorf("big weight %q, want 1,234 g", got)
	}
	if got := u.WeighHold(); got != "" {
		t.Errorf("hold shown before a mismatch: %q", got)
	}

	// Out of tolerance: the station holds the parcel; the screen says so
	// in red and keeps the weigh step.
	f.update(func(v *station.View) {
		v.Weigh = &station.WeighView{Configured: true, Stable: true, Grams: 1500, ExpectedGrams: 1200, ToleranceGrams: 50}
		v.Last = &station.DecisionView{Verdict: "weight_mismatch", Severity: station.SeverityReject,
			Message: station.Message{Key: "verdict.weight_mismatch"}}
	})
	if title, msg, bg := u.Banner(); title != "STOP" || !strings.Contains(msg, "WEIGHT WRONG") || bg != app.SeverityColour("reject") {
		t.Errorf("banner after a mismatch %q %q %v", title, msg, bg)
	}
	if got := u.WeighHold(); !strings.Contains(got, "HELD") {
		t.Errorf("hold line %q", got)
	}
	if got := u.WeighText(); !strings.Contains(got, "Scale: 1,500 g (stable)") {
		t.Errorf("weigh panel after a mismatch %q", got)
	}

	// Back in tolerance and accepted: the hold goes.
	f.update(func(v *station.View) {
		v.Weigh = &station.WeighView{Configured: true, Stable: true, Grams: 1210, ExpectedGrams: 1200, ToleranceGrams: 50}
		v.Last = &station.DecisionView{Verdict: "weight_ok", Severity: station.SeverityOK, Message: station.Message{Key: "verdict.weight_ok"}}
	})
	if got := u.WeighHold(); got != "" {
		t.Errorf("hold still shown after weight_ok: %q", got)
	}
}

// A background loop that stopped shows in the status bar, in both
// languages, until it runs again.
func TestStatusBarShowsAStoppedLoop(t *testing.T) {
	f := newFake()
	u, _ := newTestUI(t, f, app.Options{})
	stopped := func(key string) *station.Message {
		return &station.Message{Key: key, Args: map[string]any{"detail": "disk I/O error", "seconds": 4}}
	}
	f.update(func(v *station.View) {
		v.Status.Printer.Error = stopped(station.KeyStatusPrintWorkerRestarting)
		v.Status.Scanner = station.DeviceStatus{Configured: true, Error: stopped(station.KeyStatusScannerRestarting)}
		v.Status.Scale = station.ScaleStatus{Configured: true, Error: stopped(station.KeyStatusScaleRestarting)}
	})
	got := u.StatusText()
	for _, want := range []string{"PRINTING STOPPED: disk I/O error. Restarting in 4 s", "SCANNER READER STOPPED: disk I/O error",
		"SCALE READER STOPPED: disk I/O error"} {
		if !strings.Contains(got, want) {
			t.Errorf("status bar %q lacks %q", got, want)
		}
	}
	a := test.NewApp()
	defer a.Quit()
	zh, err := app.NewSync(a, app.Options{Station: f, Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	defer zh.Close()
	got = zh.StatusText()
	for _, want := range []string{"打印已停止：disk I/O error。4 秒后重新启动", "扫描枪读取已停止", "秤读取已停止"} {
		if !strings.Contains(got, want) {
			t.Errorf("zh status bar %q lacks %q", got, want)
		}
	}
	f.update(func(v *station.View) { v.Status.Printer.Error = nil })
	if got := zh.StatusText(); strings.Contains(got, "打印已停止") {
		t.Errorf("the printer message stayed after the worker restarted: %q", got)
	}
}
