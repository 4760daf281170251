package app

import (
	"context"
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/packdesk/packdesk/drivers/scanner"
	"github.com/packdesk/packdesk/internal/station"
)

// queueReason is recorded with every action taken on this screen (the
// station logs who did it: the logged-in packer).
const queueReason = "operator, print queue screen"

// queueAction is one operator action on the selected job: its typed key
// (a digit, so it goes through the wedge detector like all typing), its
// button and the states it applies to (station.QueueAdapter's rules).
type queueAction struct {
	key    rune
	label  string // message key
	states []string
	call   func(st Station) func(ctx context.Context, key station.JobKey, reason string) error
}

var queueActions = []queueAction{
	{'1', "ui.queue.release", []string{station.JobHeld},
		func(st Station) func(context.Context, station.JobKey, string) error { return st.ReleaseJob }},
	{'2', "ui.queue.mark_printed", []string{station.JobHeld, station.JobQueued, station.JobFailed},
		func(st Station) func(context.Context, station.JobKey, string) error { return st.MarkJobPrinted }},
	{'3', "ui.queue.cancel", []string{station.JobQueued, station.JobHeld},
		func(st Station) func(context.Context, station.JobKey, string) error { return st.CancelJob }},
	{'4', "ui.queue.reprint", []string{station.JobPrinted, station.JobHeld, station.JobFailed},
		func(st Station) func(context.Context, station.JobKey, string) error { return st.ReprintJob }},
}

// queueScreen lists the print queue (F9): order, label kind, state,
// attempts, last error and reprints of every job, held jobs first and in
// red; the operator acts on the selected job with 1–4 or the buttons.
type queueScreen struct {
	u        *UI
	jobs     []station.PrintJobView
	selected int // index into jobs, -1 when none
	sig      string

	list    *list
	buttons []*button
	detail  *widget.Label
	message *widget.Label
	empty   *widget.Label
	all     *check
}

func newQueueScreen(u *UI) *queueScreen { return &queueScreen{u: u, selected: -1} }

func (q *queueScreen) buildUI() fyne.CanvasObject {
	tr := q.u.tr
	q.list = newList(q.u, func() int { return len(q.jobs) }, q.newRow, q.updateRow)
	q.list.OnSelected = func(id widget.ListItemID) { q.selected = id; q.renderSelection() }
	q.buttons = nil
	for _, a := range queueActions {
		a := a
		q.buttons = append(q.buttons, newButton(q.u, fmt.Sprintf("%c  %s", a.key, tr.S(a.label)), func() { q.act(a) }))
	}
	q.detail = widget.NewLabel("")
	q.detail.Wrapping = fyne.TextWrapWord
	q.message = widget.NewLabel("")
	q.message.Wrapping = fyne.TextWrapWord
	q.message.TextStyle.Bold = true
	q.empty = widget.NewLabel(tr.S("ui.queue.empty"))
	q.all = newCheck(q.u, tr.S("ui.queue.show_done"), func(bool) { q.load() })
	title := widget.NewRichTextFromMarkdown("## " + tr.S("ui.queue.title"))
	actions := container.NewHBox()
	for _, b := range q.buttons {
		actions.Add(b)
	}
	keys := widget.NewLabel(tr.S("ui.queue.keys"))
	keys.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(title, q.all, q.empty)
	bottom := container.NewVBox(widget.NewSeparator(), q.detail, actions, q.message, keys)
	q.renderSelection()
	return container.NewBorder(top, bottom, nil, nil, q.list)
}

func (q *queueScreen) newRow() fyne.CanvasObject {
	mark := canvas.NewRectangle(colourIdle)
	mark.SetMinSize(fyne.NewSize(14, 14))
	text := widget.NewLabel("")
	text.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, mark, nil, text)
}

func (q *queueScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(q.jobs) {
		return
	}
	j := q.jobs[id]
	row := o.(*fyne.Container)
	var mark *canvas.Rectangle
	var text *widget.Label
	for _, c := range row.Objects {
		switch x := c.(type) {
		case *canvas.Rectangle:
			mark = x
		case *widget.Label:
			text = x
		}
	}
	mark.FillColor = jobColour(j.State)
	mark.Refresh()
	text.TextStyle.Bold = j.State == station.JobHeld
	text.Importance = widget.MediumImportance
	if j.State == station.JobHeld {
		text.Importance = widget.DangerImportance
	}
	text.SetText(q.rowText(j))
}

// rowText is one job as a line: order, kind, state, attempts, reprints,
// last error.
func (q *queueScreen) rowText(j station.PrintJobView) string {
	tr := q.u.tr
	s := tr.T("ui.queue.row", map[string]any{"order": j.Key.Order, "kind": jobKindName(tr, j.Key.Kind), "state": tr.S(jobStateKey(j.State)),
		"attempts": tr.Int(j.Attempts), "reprints": tr.Int(j.Reprints)})
	if j.LastError != "" {
		s += " · " + tr.T("ui.queue.last_error", map[string]any{"error": clip(j.LastError, 2*shownRunes)})
	}
	return s
}

// jobStateKey maps a job state to its message key (written out for the
// translation test).
func jobStateKey(state string) string {
	switch state {
	case station.JobQueued:
		return "ui.queue.state.queued"
	case station.JobSending:
		return "ui.queue.state.sending"
	case station.JobPrinted:
		return "ui.queue.state.printed"
	case station.JobHeld:
		return "ui.queue.state.held"
	case station.JobFailed:
		return "ui.queue.state.failed"
	}
	return "ui.queue.state.unknown"
}

// jobColour is the mark of a job's row: held red, waiting amber, printed
// green, failed grey.
func jobColour(state string) color.Color {
	switch state {
	case station.JobHeld:
		return colourReject
	case station.JobQueued, station.JobSending:
		return colourWarn
	case station.JobPrinted:
		return colourOK
	}
	return colourIdle
}

// load reads the jobs off the UI thread and shows them.
func (q *queueScreen) load() {
	all := q.all != nil && q.all.Checked
	q.u.spawn(func() {
		ctx, cancel := context.WithTimeout(q.u.ctx, q.u.opts.Timeout)
		defer cancel()
		jobs, err := q.u.st.PrintJobs(ctx)
		fyne.Do(func() {
			if err != nil {
				q.showError(err)
				return
			}
			q.setJobs(sortJobs(jobs, all))
		})
	})
}

// sortJobs puts held jobs first, then queued and sending, then (with all)
// failed and printed ones, each oldest first as the station lists them.
func sortJobs(jobs []station.PrintJobView, all bool) []station.PrintJobView {
	rank := map[string]int{station.JobHeld: 0, station.JobQueued: 1, station.JobSending: 1, station.JobFailed: 2, station.JobPrinted: 3}
	out := make([]station.PrintJobView, 0, len(jobs))
	for r := 0; r <= 3; r++ {
		for _, j := range jobs {
			if rank[j.State] == r && (all || r < 2) {
				out = append(out, j)
			}
		}
	}
	return out
}

func (q *queueScreen) setJobs(jobs []station.PrintJobView) {
	cur, had := q.current()
	q.jobs = jobs
	q.selected = reselect(jobs, cur.Key, had, func(j station.PrintJobView) station.JobKey { return j.Key })
	showRows(q.list, q.empty, q.selected, len(jobs))
	q.renderSelection()
}

// renderSelection shows the selected job's details and enables the
// actions that apply to it.
func (q *queueScreen) renderSelection() {
	if q.detail == nil {
		return
	}
	j, ok := q.current()
	for i, a := range queueActions {
		if ok && applies(a, j.State) {
			q.buttons[i].Enable()
		} else {
			q.buttons[i].Disable()
		}
	}
	if !ok {
		setLabel(q.detail, q.u.tr.S("ui.queue.none_selected"))
		return
	}
	tr := q.u.tr
	setLabel(q.detail, q.rowText(j)+"\n"+tr.T("ui.queue.times", map[string]any{
		"created": tr.DateTime(j.Created), "updated": tr.DateTime(j.Updated)}))
}

func (q *queueScreen) current() (station.PrintJobView, bool) {
	if q.selected < 0 || q.selected >= len(q.jobs) {
		return station.PrintJobView{}, false
	}
	return q.jobs[q.selected], true
}

func applies(a queueAction, state string) bool {
	for _, s := range a.states {
		if s == state {
			return true
		}
	}
	return false
}

// act runs a on the selected job through the station, then reloads.
func (q *queueScreen) act(a queueAction) {
	j, ok := q.current()
	if !ok || !applies(a, j.State) {
		return
	}
	call := a.call(q.u.st)
	q.u.spawn(func() {
		ctx, cancel := context.WithTimeout(q.u.ctx, q.u.opts.Timeout)
		defer cancel()
		err := call(ctx, j.Key, queueReason)
		fyne.Do(func() {
			if err != nil {
				q.showError(err)
			} else {
				q.showMessage(q.u.tr.T("ui.queue.done", map[string]any{"action": q.u.tr.S(a.label), "order": j.Key.Order, "kind": jobKindName(q.u.tr, j.Key.Kind)}), widget.SuccessImportance)
			}
			q.load()
		})
	})
}

func (q *queueScreen) showError(err error) {
	q.u.setInputError(err) // plays the rejection sound
	msg := short(q.u.tr, *q.u.inputErr)
	q.u.inputErr = nil // shown here, not on the packing banner
	q.showMessage(msg, widget.DangerImportance)
}

func (q *queueScreen) showMessage(msg string, imp widget.Importance) {
	if q.message == nil {
		return
	}
	q.message.Importance = imp
	q.message.SetText(msg)
}

// move changes the selection by d rows (arrow keys with nothing focused).
func (q *queueScreen) move(d int) {
	if len(q.jobs) == 0 {
		return
	}
	i := q.selected + d
	i = max(0, min(i, len(q.jobs)-1))
	q.selected = i
	q.list.Select(i)
	q.list.ScrollTo(i)
	q.renderSelection()
}

// onTyped handles what a person typed on this screen (never a scan): a
// lone action digit acts on the selected job. A burst of keys that the
// wedge detector did not take for a scan (a scanner without suffix, a
// paste, two keys at once) is refused with a message: its digits never
// act.
func (q *queueScreen) onTyped(r scanner.WedgeResult) {
	text := strings.TrimSpace(r.Text)
	if !r.Lone {
		q.u.play(soundFor("", station.SeverityReject))
		q.showMessage(q.u.tr.S("ui.keys.not_alone"), widget.DangerImportance)
		return
	}
	for _, a := range queueActions {
		if string(a.key) == text {
			q.act(a)
		}
	}
}

// render follows the station: a change of the queue counts or of the held
// jobs reloads the list.
func (q *queueScreen) render(v station.View) {
	sig := fmt.Sprint(v.Status.Printer.Queued, v.Status.Printer.Held, len(v.PrintAlerts), v.Label != nil)
	if sig == q.sig {
		return
	}
	q.sig = sig
	q.load()
}
