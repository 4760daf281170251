package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/packdesk/packdesk/drivers/scanner"
	"github.com/packdesk/packdesk/internal/station"
)

// keyDismiss dismisses the selected refused event (typed, so it goes
// through the wedge detector like all typing).
const keyDismiss = '1'

// rejectionsScreen lists the events the server refused (F11): order,
// event type, code, what to do and when, those not yet dismissed first.
// A supervisor dismisses the selected one with 1 or the button; the
// station decides who may.
type rejectionsScreen struct {
	u        *UI
	rows     []station.RejectionView
	selected int // index into rows, -1 when none
	sig      string

	list    *list
	dismiss *button
	detail  *widget.Label
	message *widget.Label
	empty   *widget.Label
}

func newRejectionsScreen(u *UI) *rejectionsScreen { return &rejectionsScreen{u: u, selected: -1} }

func (r *rejectionsScreen) buildUI() fyne.CanvasObject {
	tr := r.u.tr
	r.list = newList(r.u, func() int { return len(r.rows) }, r.newRow, r.updateRow)
	r.list.OnSelected = func(id widget.ListItemID) { r.selected = id; r.renderSelection() }
	r.dismiss = newButton(r.u, fmt.Sprintf("%c  %s", keyDismiss, tr.S("ui.rejections.dismiss")), r.act)
	r.detail = widget.NewLabel("")
	r.detail.Wrapping = fyne.TextWrapWord
	r.message = widget.NewLabel("")
	r.message.Wrapping = fyne.TextWrapWord
	r.message.TextStyle.Bold = true
	r.empty = widget.NewLabel(tr.S("ui.rejections.empty"))
	title := widget.NewRichTextFromMarkdown("## " + tr.S("ui.rejections.title"))
	keys := widget.NewLabel(tr.S("ui.rejections.keys"))
	keys.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(title, r.empty)
	bottom := container.NewVBox(widget.NewSeparator(), r.detail, container.NewHBox(r.dismiss), r.message, keys)
	r.renderSelection()
	return container.NewBorder(top, bottom, nil, nil, r.list)
}

func (r *rejectionsScreen) newRow() fyne.CanvasObject {
	mark := canvas.NewRectangle(colourIdle)
	mark.SetMinSize(fyne.NewSize(14, 14))
	text := widget.NewLabel("")
	text.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, mark, nil, text)
}

func (r *rejectionsScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(r.rows) {
		return
	}
	row := r.rows[id]
	open := row.Dismissed.IsZero()
	for _, c := range o.(*fyne.Container).Objects {
		switch x := c.(type) {
		case *canvas.Rectangle:
			x.FillColor = colourIdle
			if open {
				x.FillColor = colourReject
			}
			x.Refresh()
		case *widget.Label:
			x.TextStyle.Bold = open
			x.Importance = widget.LowImportance
			if open {
				x.Importance = widget.DangerImportance
			}
			x.SetText(r.rowText(row))
		}
	}
}

// rowText is one refused event as a line: order, event type, code, time,
// who dismissed it, and what to do (cut short; the selection shows it
// whole).
func (r *rejectionsScreen) rowText(row station.RejectionView) string {
	return r.rowHead(row) + " · " + clip(r.u.tr.T(row.Message.Key, row.Message.Args), 2*shownRunes)
}

// rowHead is rowText without what to do.
func (r *rejectionsScreen) rowHead(row station.RejectionView) string {
	tr := r.u.tr
	order, typ := row.Order, row.Type
	if order == "" {
		order = tr.S("ui.rejections.no_order")
	}
	if typ == "" {
		typ = tr.S("ui.rejections.no_type")
	}
	s := tr.T("ui.rejections.row", map[string]any{"order": clip(order, shownRunes), "type": typ, "code": clip(row.Code, shownRunes),
		"time": tr.DateTime(row.Received)})
	if !row.Dismissed.IsZero() {
		s += " · " + tr.T("ui.rejections.dismissed", map[string]any{"by": clip(row.DismissedBy, shownRunes), "time": tr.DateTime(row.Dismissed)})
	}
	return s
}

// load reads the refused events off the UI thread and shows them.
func (r *rejectionsScreen) load() {
	r.u.spawn(func() {
		ctx, cancel := context.WithTimeout(r.u.ctx, r.u.opts.Timeout)
		defer cancel()
		rows, err := r.u.st.Rejections(ctx)
		fyne.Do(func() {
			if err != nil {
				r.showError(err)
				return
			}
			r.setRows(rows)
		})
	})
}

func (r *rejectionsScreen) setRows(rows []station.RejectionView) {
	cur, had := r.current()
	r.rows = rows
	r.selected = reselect(rows, cur.Seq, had, func(v station.RejectionView) uint64 { return v.Seq })
	showRows(r.list, r.empty, r.selected, len(rows))
	r.renderSelection()
}

// renderSelection shows what to do about the selected refused event and
// enables dismiss while it is not dismissed.
func (r *rejectionsScreen) renderSelection() {
	if r.detail == nil {
		return
	}
	row, ok := r.current()
	if ok && row.Dismissed.IsZero() {
		r.dismiss.Enable()
	} else {
		r.dismiss.Disable()
	}
	if !ok {
		setLabel(r.detail, r.u.tr.S("ui.rejections.none_selected"))
		return
	}
	setLabel(r.detail, r.rowHead(row)+"\n"+clip(r.u.tr.T(row.Message.Key, row.Message.Args), 4*shownRunes))
}

func (r *rejectionsScreen) current() (station.RejectionView, bool) {
	if r.selected < 0 || r.selected >= len(r.rows) {
		return station.RejectionView{}, false
	}
	return r.rows[r.selected], true
}

// act dismisses the selected refused event through the station (which
// refuses unless a supervisor is logged in), then reloads.
func (r *rejectionsScreen) act() {
	row, ok := r.current()
	if !ok || !row.Dismissed.IsZero() {
		return
	}
	r.u.spawn(func() {
		ctx, cancel := context.WithTimeout(r.u.ctx, r.u.opts.Timeout)
		defer cancel()
		err := r.u.st.DismissRejection(ctx, row.Seq)
		fyne.Do(func() {
			if err != nil {
				r.showError(err)
			} else {
				r.showMessage(r.u.tr.T("ui.rejections.done", map[string]any{"seq": row.Seq, "order": row.Order}), widget.SuccessImportance)
			}
			r.load()
		})
	})
}

func (r *rejectionsScreen) showError(err error) {
	r.u.setInputError(err) // plays the rejection sound
	msg := short(r.u.tr, *r.u.inputErr)
	r.u.inputErr = nil // shown here, not on the packing banner
	r.showMessage(msg, widget.DangerImportance)
}

func (r *rejectionsScreen) showMessage(msg string, imp widget.Importance) {
	if r.message == nil {
		return
	}
	r.message.Importance = imp
	r.message.SetText(msg)
}

// move changes the selection by d rows (arrow keys).
func (r *rejectionsScreen) move(d int) {
	if len(r.rows) == 0 {
		return
	}
	r.selected = max(0, min(r.selected+d, len(r.rows)-1))
	r.list.Select(r.selected)
	r.list.ScrollTo(r.selected)
	r.renderSelection()
}

// onTyped handles what a person typed on this screen (never a scan): a
// lone 1 dismisses the selected event. A burst the wedge detector did not
// take for a scan is refused with a message, as in the print queue.
func (r *rejectionsScreen) onTyped(w scanner.WedgeResult) {
	if !w.Lone {
		r.u.play(soundFor("", station.SeverityReject))
		r.showMessage(r.u.tr.S("ui.keys.not_alone"), widget.DangerImportance)
		return
	}
	if strings.TrimSpace(w.Text) == string(keyDismiss) {
		r.act()
	}
}

// render follows the station: a change of the refused-events count or of
// the packer logged in reloads the list.
func (r *rejectionsScreen) render(v station.View) {
	sig := fmt.Sprint(v.Status.Server.Rejections, v.Packer.Badge)
	if sig == r.sig {
		return
	}
	r.sig = sig
	r.load()
}
