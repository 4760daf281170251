package app

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/packdesk/packdesk/drivers/scanner"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// logoutPrompt is the question the station asks when the packer logs out
// with an order open (View.Step StepLogout): 1 hands the order over to the
// next packer, 2 puts it back; Esc keeps the packer logged in. The command
// barcodes PDCMD:LOGOUT:HANDOVER and PDCMD:LOGOUT:PUTBACK answer it too
// (they are scans). The station decides and audits; this only asks.
type logoutPrompt struct {
	box       *fyne.Container
	title     *widget.Label
	message   *widget.Label // why typing did not choose
	dismissed bool          // Esc: hidden until the station asks again
	asked     time.Time     // when the question on screen was asked (View.Last.At)
}

func (o *overlay) buildLogout() fyne.CanvasObject {
	tr, l := o.u.tr, &o.logout
	l.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.message = widget.NewLabel("")
	l.message.Importance = widget.DangerImportance
	l.message.Hide()
	list := container.NewVBox(l.title,
		newButton(o.u, tr.S("ui.logout.handover"), func() { o.chooseLogout(true) }),
		newButton(o.u, tr.S("ui.logout.putback"), func() { o.chooseLogout(false) }),
		newButton(o.u, tr.S("ui.logout.cancel"), o.dismissLogout),
		l.message)
	l.box = container.NewCenter(container.NewStack(canvas.NewRectangle(colourWarn), container.NewPadded(list)))
	l.box.Hide()
	return l.box
}

// renderLogout shows the question while the station asks it, and hides it
// once the station stopped asking (answered, or any other input).
func (o *overlay) renderLogout(v station.View) {
	l := &o.logout
	if v.Step != station.StepLogout || v.Order == nil {
		if o.chooser == chooseLogout {
			o.hideLogout()
		}
		return
	}
	if v.Last != nil && v.Last.Verdict == string(pack.VerdictLogoutChoice) && !v.Last.At.Equal(l.asked) {
		l.asked, l.dismissed = v.Last.At, false // asked again
	}
	if l.dismissed || o.choosing && o.chooser != chooseLogout {
		return // dismissed with Esc: shown again when the station asks again (F8)
	}
	setLabel(l.title, o.u.tr.T("ui.logout.title", map[string]any{"order": v.Order.ID}))
	o.choosing, o.chooser = true, chooseLogout
	l.box.Show()
}

func (o *overlay) hideLogout() {
	o.choosing, o.chooser = false, ""
	setLabel(o.logout.message, "")
	o.logout.message.Hide()
	o.logout.box.Hide()
}

func (o *overlay) dismissLogout() {
	o.logout.dismissed = true
	o.hideLogout()
}

func (o *overlay) chooseLogout(handOver bool) {
	o.hideLogout()
	o.u.run(func(ctx context.Context) (station.Outcome, error) { return o.u.st.LogoutChoice(ctx, handOver) })
}

// onLogoutTyped answers the question with a lone 1 or 2; a burst of keys
// is refused, as in the exception chooser.
func (o *overlay) onLogoutTyped(r scanner.WedgeResult, text string) {
	if !r.Lone {
		setLabel(o.logout.message, o.u.tr.S("ui.keys.not_alone"))
		o.logout.message.Show()
		o.u.play(soundFor("", station.SeverityReject))
		return
	}
	switch text {
	case "1":
		o.chooseLogout(true)
	case "2":
		o.chooseLogout(false)
	}
}
