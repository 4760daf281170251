package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/packdesk/packdesk/drivers/scanner"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// Returns mode keys. The letters (and 1–4) grade or dispose of the unit
// only when pressed on their own (scanner.WedgeResult.Lone) while the
// station waits for a grade or a disposition: a scan is never a key.
const (
	keyReturnsMode = fyne.KeyF3  // returns mode on/off
	keyCloseReturn = fyne.KeyF12 // close the open return
)

// gradeKeys and dispositionKeys map the lone keys of the two steps.
var (
	gradeKeys = map[rune]pack.Grade{'a': pack.GradeA, 'b': pack.GradeB, 'c': pack.GradeC, 'd': pack.GradeD,
		'1': pack.GradeA, '2': pack.GradeB, '3': pack.GradeC, '4': pack.GradeD}
	dispositionKeys = map[rune]pack.Disposition{'r': pack.DispositionRestock, 'f': pack.DispositionRefurbish,
		'v': pack.DispositionVendor, 's': pack.DispositionScrap,
		'1': pack.DispositionRestock, '2': pack.DispositionRefurbish, '3': pack.DispositionVendor, '4': pack.DispositionScrap}
	// dispositionLetters are the keys shown on the disposition buttons.
	dispositionLetters = map[pack.Disposition]string{pack.DispositionRestock: "R", pack.DispositionRefurbish: "F",
		pack.DispositionVendor: "V", pack.DispositionScrap: "S"}
)

// returnsPanel replaces the order pane of the packing screen in returns
// mode: the return, what its order shipped and what came back, the units
// received here, and buttons for the grade, the disposition and closing.
// It only shows the View and calls the station.
type returnsPanel struct {
	u       *UI
	root    *fyne.Container
	title   *canvas.Text
	sub     *widget.Label
	lines   *widget.Label
	units   *widget.Label
	refused *widget.Label
	grades  []*button
	disps   []*button
	close   *button
	leave   *button
}

func newReturnsPanel(u *UI) *returnsPanel {
	r := &returnsPanel{u: u}
	r.title = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	r.title.TextSize = orderPts
	r.title.TextStyle.Bold = true
	r.sub = widget.NewLabel("")
	r.sub.Wrapping = fyne.TextWrapWord
	r.lines = widget.NewLabel("")
	r.lines.TextStyle.Bold = true
	r.units = widget.NewLabel("")
	r.refused = widget.NewLabel("")
	r.refused.Importance = widget.DangerImportance
	r.refused.TextStyle.Bold = true
	return r
}

func (r *returnsPanel) buildUI() fyne.CanvasObject {
	tr := r.u.tr
	gradeRow := container.NewGridWithColumns(len(pack.Grades))
	for _, g := range pack.Grades {
		g := g
		b := newButton(r.u, tr.S("ui.returns.grade."+string(g)), func() { r.u.onGrade(g) })
		r.grades = append(r.grades, b)
		gradeRow.Add(b)
	}
	dispRow := container.NewGridWithColumns(len(pack.Dispositions))
	for _, d := range pack.Dispositions {
		d := d
		b := newButton(r.u, dispositionLetters[d]+"  "+tr.S("ui.returns.disposition."+string(d)), func() { r.u.onDispose(d) })
		r.disps = append(r.disps, b)
		dispRow.Add(b)
	}
	r.close = newButton(r.u, tr.S("ui.returns.close"), r.u.onCloseReturn)
	r.leave = newButton(r.u, tr.S("ui.returns.leave"), func() {
		r.u.run(func(ctx context.Context) (station.Outcome, error) {
			return r.u.st.Scan(ctx, "PDCMD:CANCEL", station.SourceKeyboard)
		})
	})
	head := container.NewVBox(r.title, r.sub, widget.NewSeparator(),
		widget.NewLabelWithStyle(tr.S("ui.returns.shipped"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	actions := container.NewVBox(widget.NewSeparator(), gradeRow, dispRow, container.NewGridWithColumns(2, r.close, r.leave))
	body := container.NewVBox(r.lines, widget.NewSeparator(),
		widget.NewLabelWithStyle(tr.S("ui.returns.units"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), r.units, r.refused)
	r.root = container.NewBorder(head, actions, nil, nil, container.NewVScroll(body))
	// Enabled by render in returns mode, when the step needs them: a
	// hidden button never takes focus or a Space.
	for _, b := range append(append([]*button{r.close, r.leave}, r.grades...), r.disps...) {
		b.Disable()
	}
	return r.root
}

// render shows the return of v (the panel is shown only in returns mode).
func (r *returnsPanel) render(v station.View) {
	tr := r.u.tr
	rv := v.Return
	enable := func(bs []*button, on bool) {
		for _, b := range bs {
			if on {
				b.Enable()
			} else {
				b.Disable()
			}
		}
	}
	enable(r.grades, v.Step == station.StepReturnGrade)
	enable(r.disps, v.Step == station.StepReturnDispose)
	enable([]*button{r.close, r.leave}, v.Step == station.StepReturnUnits)
	if rv == nil {
		r.title.Text = tr.S("ui.returns.none")
		r.title.Refresh()
		setLabel(r.sub, "")
		setLabel(r.lines, "")
		setLabel(r.units, "")
		setLabel(r.refused, "")
		return
	}
	r.title.Text = clip(tr.T("ui.returns.title", map[string]any{"return": rv.ID}), shownRunes)
	r.title.Refresh()
	setLabel(r.sub, tr.T("ui.returns.sub", map[string]any{"order": rv.OrderID, "rma": rv.RMA, "reason": rv.Reason}))
	var lines []string
	for _, l := range rv.Lines {
		lines = append(lines, tr.T("ui.returns.line", map[string]any{"sku": l.SKU, "title": clip(l.Title, shownRunes),
			"here": tr.Int(l.Here), "before": tr.Int(l.Before), "shipped": tr.Int(l.Shipped)}))
	}
	setLabel(r.lines, strings.Join(lines, "\n"))
	var units []string
	for _, u := range rv.Units {
		units = append(units, tr.T("ui.returns.unit", map[string]any{"unit": u.N, "sku": u.SKU, "serial": u.Serial,
			"grade": u.Grade, "disposition": dispositionWord(tr.S, u.Disposition), "location": u.Location}))
	}
	setLabel(r.units, strings.Join(units, "\n"))
	refused := ""
	if rv.Refused > 0 {
		refused = tr.T("ui.returns.refused", map[string]any{"count": tr.Int(rv.Refused)})
	}
	setLabel(r.refused, refused)
}

// dispositionWord names a disposition in the UI's language ("" when none yet).
func dispositionWord(s func(string) string, d string) string {
	if d == "" {
		return ""
	}
	return s("ui.returns.disposition." + d)
}

// onReturnKey grades or disposes of the unit by a lone key, when the
// station waits for that and nobody is typing into a text field. It
// reports whether it used r.
func (u *UI) onReturnKey(r scanner.WedgeResult, target typist) bool {
	if !u.view.Returns || !r.Lone || u.showing != "packing" {
		return false
	}
	if target != nil && target.textField() && (target != typist(u.manual) || u.manual.Text != "") {
		return false // typing into a field
	}
	text := strings.ToLower(strings.TrimSpace(r.Text))
	if len([]rune(text)) != 1 {
		return false
	}
	c := []rune(text)[0]
	switch u.view.Step {
	case station.StepReturnGrade:
		if g, ok := gradeKeys[c]; ok {
			u.onGrade(g)
			return true
		}
	case station.StepReturnDispose:
		if d, ok := dispositionKeys[c]; ok {
			u.onDispose(d)
			return true
		}
	}
	return false
}

func (u *UI) onGrade(g pack.Grade) {
	u.run(func(ctx context.Context) (station.Outcome, error) { return u.st.Grade(ctx, g) })
}

func (u *UI) onDispose(d pack.Disposition) {
	u.run(func(ctx context.Context) (station.Outcome, error) { return u.st.Dispose(ctx, d) })
}

func (u *UI) onCloseReturn() {
	u.run(u.st.CloseReturn)
}

func (u *UI) onSwitchMode() {
	returns := !u.view.Returns
	u.run(func(ctx context.Context) (station.Outcome, error) { return u.st.SwitchMode(ctx, returns) })
}
