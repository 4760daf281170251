package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/packdesk/packdesk/drivers/scanner"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// exceptionReasons are the reason codes offered for the exception pool, in
// the order of their number keys: the engine's closed list (the command
// sheet prints the same codes).
var exceptionReasons = pack.ExceptionReasons

// overlay takes over the window: the intercept alert (until acknowledged)
// and the exception reason chooser.
type overlay struct {
	u          *UI
	root       *fyne.Container
	intercept  *fyne.Container
	alertTitle *canvas.Text
	alertText  *widget.RichText
	exceptions *fyne.Container
	excMessage *widget.Label // why typing did not pick a reason
	choosing   bool
	chooser    string // which chooser is open while choosing: chooseException or chooseLogout
	logout     logoutPrompt
}

// Choosers.
const (
	chooseException = "exception"
	chooseLogout    = "logout"
)

func newOverlay(u *UI) *overlay { return &overlay{u: u} }

func (o *overlay) buildUI() fyne.CanvasObject {
	tr := o.u.tr
	bg := canvas.NewRectangle(colourReject)
	title := canvas.NewText(tr.S("ui.intercept.title"), textLight)
	title.TextSize = bannerPts
	title.TextStyle.Bold = true
	o.alertTitle = title
	o.alertText = widget.NewRichText()
	o.alertText.Wrapping = fyne.TextWrapWord
	ack := newButton(o.u, tr.S("ui.intercept.acknowledge"), o.u.onAcknowledge)
	ack.Importance = widget.HighImportance
	// Border, not VBox: the wrapped message gets the height it needs.
	o.intercept = container.NewStack(bg, container.NewPadded(container.NewBorder(title, ack, nil, nil, o.alertText)))
	o.intercept.Hide()

	list := container.NewVBox(widget.NewRichTextFromMarkdown("## " + tr.S("ui.exception.title")))
	for i, r := range exceptionReasons {
		code := r
		list.Add(newButton(o.u, fmt.Sprintf("%d  %s", i+1, tr.S(station.ExceptionReasonKey(r))), func() { o.chooseException(code) }))
	}
	list.Add(newButton(o.u, tr.S("ui.exception.cancel"), o.hideExceptions))
	o.excMessage = widget.NewLabel("")
	o.excMessage.TextStyle.Bold = true
	o.excMessage.Importance = widget.DangerImportance
	o.excMessage.Hide()
	list.Add(o.excMessage)
	o.exceptions = container.NewCenter(container.NewStack(canvas.NewRectangle(colourWarn), container.NewPadded(list)))
	o.exceptions.Hide()
	o.root = container.NewStack(o.intercept, o.exceptions, o.buildLogout())
	return o.root
}

func (o *overlay) render(v station.View) {
	tr := o.u.tr
	o.renderLogout(v)
	if len(v.Alerts) == 0 {
		o.intercept.Hide()
		return
	}
	a := v.Alerts[0]
	// An alert of an open order or return closed by the server brings its
	// own title and instructions; a packed order's has the ones here.
	title, do := tr.S("ui.intercept.title"), tr.T("ui.intercept.instructions", map[string]any{"order": a.Order, "time": tr.DateTime(a.PackedAt)})
	if a.Title.Key != "" {
		title, do = short(tr, a.Title), short(tr, a.Instructions)
	}
	if o.alertTitle.Text != title {
		o.alertTitle.Text = title
		o.alertTitle.Refresh()
	}
	text := short(tr, a.Message) + "\n\n" + do
	if n := len(v.Alerts); n > 1 {
		text += "\n" + tr.T("ui.intercept.more", map[string]any{"count": n - 1})
	}
	o.alertText.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		SizeName: sizeOrder, ColorName: colorOnBannerLight, TextStyle: fyne.TextStyle{Bold: true}}}}
	o.alertText.Refresh()
	o.intercept.Show()
}

func (o *overlay) showExceptions() {
	if o.choosing {
		return // the log-out question is open
	}
	o.choosing, o.chooser = true, chooseException
	setLabel(o.excMessage, "")
	o.excMessage.Hide()
	o.exceptions.Show()
}

func (o *overlay) hideExceptions() {
	if !o.choosing || o.chooser != chooseException {
		return
	}
	o.choosing = false
	o.exceptions.Hide()
}

func (o *overlay) chooseException(code string) {
	o.hideExceptions()
	o.u.onException(code)
}

// onKey handles keys while the chooser is open: Escape closes it, Enter
// goes on to the wedge detector (it ends a scan), other keys do nothing
// (digits arrive as typing, through the detector). It reports whether it
// used k.
func (o *overlay) onKey(k fyne.KeyName) bool {
	switch {
	case !o.choosing, k == fyne.KeyReturn, k == fyne.KeyEnter:
		return false
	case k == fyne.KeyEscape && o.chooser == chooseLogout:
		o.dismissLogout()
	case k == fyne.KeyEscape:
		o.hideExceptions()
	}
	return true
}

// onTyped picks a reason by its number while the chooser is open. Only a
// lone key picks (scanner.WedgeResult.Lone): a burst of keys that the
// wedge detector did not take for a scan (a scanner without suffix, a
// paste) is refused with a message, never read as a choice.
func (o *overlay) onTyped(r scanner.WedgeResult) {
	text := strings.TrimSpace(r.Text)
	if text == "" {
		return
	}
	if o.chooser == chooseLogout {
		o.onLogoutTyped(r, text)
		return
	}
	if !r.Lone {
		setLabel(o.excMessage, o.u.tr.S("ui.keys.not_alone"))
		o.excMessage.Show()
		o.u.play(soundFor("", station.SeverityReject))
		return
	}
	if c := []rune(text)[0]; c >= '1' && c <= '9' {
		if i := int(c - '1'); i < len(exceptionReasons) {
			o.chooseException(exceptionReasons[i])
		}
	}
}
