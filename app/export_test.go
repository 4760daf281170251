package app

import (
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func richText(rt *widget.RichText) string {
	var b strings.Builder
	for _, s := range rt.Segments {
		b.WriteString(s.Textual())
	}
	return b.String()
}

// Banner returns the banner's headline, message and background colour.
func (u *UI) Banner() (title, msg string, bg color.Color) {
	p := u.packing
	return p.bannerTitle.Text, richText(p.bannerMsg), p.bannerBG.FillColor
}

// SeverityColour is the banner colour of a severity.
func SeverityColour(sev string) color.Color { return colourOf(sev) }

func (u *UI) NextText() string   { return richText(u.packing.next) }
func (u *UI) StatusText() string { return u.status.Text() }
func (u *UI) OrderText() string {
	return u.packing.orderID.Text + " | " + u.packing.orderSub.Text + " | " + u.packing.flags.Text
}
func (u *UI) StatsText() string { return u.packing.packer.Text + " | " + u.packing.stats.Text }
func (u *UI) RecentCount() int {
	n := 0
	for _, o := range u.packing.recent.Objects {
		if o.Visible() {
			n++
		}
	}
	return n
}
func (u *UI) InterceptShown() bool { return u.overlay.intercept.Visible() }
func (u *UI) InterceptText() string {
	return richText(u.overlay.alertText)
}
func (u *UI) InterceptTitle() string { return u.overlay.alertTitle.Text }
func (u *UI) ExceptionsShown() bool  { return u.overlay.exceptions.Visible() }

func (u *UI) LogoutShown() bool { return u.overlay.logout.box.Visible() }
func (u *UI) Showing() string   { return u.showing }
func (u *UI) ManualEntry() *widget.Entry {
	return &u.manual.Entry
}
func (u *UI) FocusManual()        { u.win.Canvas().Focus(u.manual) }
func (u *UI) ManualFocused() bool { return u.win.Canvas().Focused() == u.manual }
func (u *UI) TypeIntoManual(s string) {
	for _, r := range s {
		u.manual.TypedRune(r)
	}
}
func (u *UI) PressKey(k fyne.KeyName) { u.onKey(&fyne.KeyEvent{Name: k}) }
func (u *UI) PressKeyInManual(k fyne.KeyName) {
	u.manual.TypedKey(&fyne.KeyEvent{Name: k})
}
func (u *UI) LabelShown() bool { return u.packing.labelBox.Visible() }
func (u *UI) LabelImage() *canvas.Image {
	return u.packing.labelImg
}

// LineCounts returns each order line as "SKU scanned/required".
func (u *UI) LineCounts() []string {
	var out []string
	for _, o := range u.packing.lines.Objects {
		walk(o, func(t *canvas.Text) { out = append(out, strings.ReplaceAll(t.Text, " ", "")) })
	}
	return out
}

func walk(o fyne.CanvasObject, fn func(*canvas.Text)) {
	switch x := o.(type) {
	case *canvas.Text:
		fn(x)
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, fn)
		}
	}
}

// Settings screen access.
func (u *UI) SettingsServerURL() *widget.Entry { return &u.settings.serverURL.Entry }
func (u *UI) SettingsToken() *widget.Entry     { return &u.settings.token.Entry }
func (u *UI) SettingsLabelWidth() *widget.Entry {
	return &u.settings.labelW.Entry
}
func (u *UI) SettingsLanguage() *widget.Select { return &u.settings.language.Select }
func (u *UI) SettingsSave()                    { u.settings.onSave() }
func (u *UI) SettingsMessage() string          { return u.settings.message.Text }
func (u *UI) ScanTestResult() string           { return u.settings.scanResult.Text }
func (u *UI) Title() string                    { return u.win.Title() }

func (u *UI) FBAText() string {
	if !u.packing.fbaBox.Visible() {
		return ""
	}
	return u.packing.fbaText.Text
}

func (u *UI) WeighText() string {
	if !u.packing.weighBox.Visible() {
		return ""
	}
	return u.packing.weighText.Text
}

// SettingsCodes returns the codes behind the settings' translated
// choices (what Save would store).
func (u *UI) SettingsCodes() map[string]string {
	s := u.settings
	return map[string]string{"scanner": s.scannerKind.code(), "transport": s.printerTransport.code(), "scale_protocol": s.scaleProto.code()}
}

// SettingsShown returns what each device field of the settings screen
// shows: its text, or its placeholder in brackets when empty.
func (u *UI) SettingsShown() map[string]string {
	s := u.settings
	entry := func(e *widget.Entry) string {
		if e.Text == "" {
			return "[" + e.PlaceHolder + "]"
		}
		return e.Text
	}
	sel := func(b *selectBox) string {
		x := &b.Select
		if x.Selected == "" {
			return "[" + x.PlaceHolder + "]"
		}
		return x.Selected
	}
	return map[string]string{
		"transport": sel(s.printerTransport), "address": entry(&s.printerAddr.Entry),
		"language": sel(s.printerLang), "dpi": sel(s.dpi),
		"width": entry(&s.labelW.Entry), "height": entry(&s.labelH.Entry),
		"scanner": sel(s.scannerKind), "scanner_port": entry(&s.scannerPort.Entry),
		"scale_port": entry(&s.scalePort.Entry), "scale_protocol": sel(s.scaleProto),
		"baud": entry(&s.baud.Entry), "tolerance": entry(&s.tolerance.Entry),
		"label_font": entry(&s.labelFont.Entry),
	}
}

// WeighGrams is the big live weight of the weigh panel.
func (u *UI) WeighGrams() string { return u.packing.weighGrams.Text }

// WeighHold is the weigh panel's hold line, "" when hidden.
func (u *UI) WeighHold() string {
	if !u.packing.weighHold.Visible() {
		return ""
	}
	return u.packing.weighHold.Text
}

// Focusables returns one focusable widget of each kind the screen now
// showing has, by kind ("button", "select", "check", "slider", "list",
// "select_entry", "entry").
func (u *UI) Focusables() map[string]fyne.Focusable {
	out := map[string]fyne.Focusable{}
	var visit func(o fyne.CanvasObject)
	visit = func(o fyne.CanvasObject) {
		kind := ""
		switch o.(type) {
		case *button:
			kind = "button"
		case *selectBox:
			kind = "select"
		case *check:
			kind = "check"
		case *slider:
			kind = "slider"
		case *list:
			kind = "list"
		case *selectEntry:
			kind = "select_entry"
		case *keyEntry:
			kind = "entry"
		}
		if f, ok := o.(fyne.Focusable); ok && kind != "" && out[kind] == nil {
			if d, ok := o.(fyne.Disableable); !ok || !d.Disabled() {
				out[kind] = f
			}
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				visit(c)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(x)
			for _, c := range r.Objects() {
				visit(c)
			}
		}
	}
	visit(u.win.Content())
	return out
}

// SettingsScanTestReset clears the scan test result.
func (u *UI) SettingsScanTestReset() { u.settings.scanResult.SetText("") }

// FocusedEntryText is the text of the focused entry, "" when none.
func FocusedEntryText(c fyne.Canvas) string {
	switch x := c.Focused().(type) {
	case *keyEntry:
		return x.Text
	case *selectEntry:
		return x.Text
	}
	return ""
}

// Print queue screen access.
func (u *UI) QueueRows() []string {
	var out []string
	for _, j := range u.queue.jobs {
		out = append(out, u.queue.rowText(j))
	}
	return out
}
func (u *UI) QueueSelected() string {
	if j, ok := u.queue.current(); ok {
		return j.Key.String()
	}
	return ""
}
func (u *UI) QueueEnabled() []string {
	var out []string
	for i, b := range u.queue.buttons {
		if !b.Disabled() {
			out = append(out, queueActions[i].label)
		}
	}
	return out
}
func (u *UI) QueueMessage() string  { return u.queue.message.Text }
func (u *UI) QueueShowDone(on bool) { u.queue.all.SetChecked(on) }
func (u *UI) QueueRowHeld(i int) bool {
	return u.queue.jobs[i].State == "held" && jobColour("held") == colourReject
}
func (u *UI) PrintAlertText() string {
	if !u.packing.printAlert.Visible() {
		return ""
	}
	return u.packing.printAlert.Text
}

func (u *UI) SettingsLabelFont() *widget.Entry { return &u.settings.labelFont.Entry }

// PreviewImage is previewImage, for tests.
var PreviewImage = previewImage

// LineRows returns each order line row's SKU, title and (when shown) the
// serial/lot text, and the row objects themselves (to check reuse).
func (u *UI) LineRows() (texts []string, rows []fyne.CanvasObject) {
	for _, r := range u.packing.lineRows {
		t := richText(r.sku) + "|" + richText(r.title)
		if r.extra.Visible() {
			t += "|" + r.extra.Text
		}
		texts = append(texts, t)
	}
	return texts, append(rows, u.packing.lines.Objects...)
}

// SetClock sets the clock the wedge detector reads for each key, so tests
// type with a scanner's or a person's timing.
func (u *UI) SetClock(now func() time.Time) { u.now, u.stopped = now, nil }

// ExceptionMessage is the exception chooser's message, "" when hidden.
func (u *UI) ExceptionMessage() string {
	if !u.overlay.excMessage.Visible() {
		return ""
	}
	return u.overlay.excMessage.Text
}

// SettingsTestConnection presses "test connection"; SettingsConnResult is
// what it shows.
func (u *UI) SettingsTestConnection()    { u.settings.onTestConnection() }
func (u *UI) SettingsConnResult() string { return u.settings.connResult.Text }

// SettingsDetectPrinter presses "detect language"; SettingsPrinter returns
// the address and language fields and the printer section's result line.
func (u *UI) SettingsDetectPrinter() { u.settings.onDetectPrinter() }
func (u *UI) SettingsPrinter() (addr, lang, result string) {
	s := u.settings
	return s.printerAddr.Text, s.printerLang.Selected, s.testResult.Text
}
func (u *UI) SettingsPrinterAddr() *widget.Entry { return &u.settings.printerAddr.Entry }

// Objects whose place on screen tests check.
func (u *UI) ManualObject() fyne.CanvasObject    { return u.manual }
func (u *UI) StatusBarObject() fyne.CanvasObject { return u.status.root }
func (u *UI) BannerMessageObject() fyne.CanvasObject {
	return u.packing.bannerMsg
}

// RecentTexts are the recent-scans rows as shown.
func (u *UI) RecentTexts() []string {
	var out []string
	for _, r := range u.packing.recentRows {
		if r.box.Visible() {
			out = append(out, r.text.Text)
		}
	}
	return out
}

// TapRecent taps recent-scans row i.
func (u *UI) TapRecent(i int) { test.Tap(u.packing.recentRows[i].box) }

// RecentDetail is the recent-scans detail, "" when hidden.
func (u *UI) RecentDetail() string {
	if !u.packing.recentDetail.Visible() {
		return ""
	}
	return u.packing.recentDetail.Text
}

// StatusLabelLines returns the text lines the status bar's cells draw
// (a wrapped label draws one canvas.Text per line; a cut one ends in "…").
func (u *UI) StatusLabelLines() map[string][]string {
	out := map[string][]string{}
	b := u.status
	for name, l := range map[string]*widget.Label{"server": b.server, "pending": b.pending, "scanner": b.scanner,
		"printer": b.printer, "scale": b.scale, "audio": b.audio} {
		var lines []string
		var visit func(o fyne.CanvasObject)
		visit = func(o fyne.CanvasObject) {
			switch x := o.(type) {
			case *canvas.Text:
				if x.Visible() && x.Text != "" {
					lines = append(lines, x.Text)
				}
			case *fyne.Container:
				for _, c := range x.Objects {
					visit(c)
				}
			case fyne.Widget:
				for _, c := range test.WidgetRenderer(x).Objects() {
					visit(c)
				}
			}
		}
		visit(l)
		out[name] = lines
	}
	return out
}

// PreviewBox is previewBox, for tests.
var PreviewBox = previewBox

func (u *UI) RejectionRows() []string {
	var out []string
	for _, r := range u.rejections.rows {
		out = append(out, u.rejections.rowText(r))
	}
	return out
}
func (u *UI) RejectionDetail() string  { return u.rejections.detail.Text }
func (u *UI) RejectionMessage() string { return u.rejections.message.Text }
func (u *UI) RejectionDismissOn() bool { return !u.rejections.dismiss.Disabled() }
func (u *UI) TapDismissRejection()     { u.rejections.dismiss.OnTapped() }
