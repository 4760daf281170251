package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/packdesk/packdesk/internal/station"
)

// statusBar is always visible: server, pending events and last sync,
// scanner, printer and its queue, scale, audio.
type statusBar struct {
	u                                        *UI
	server, pending, scanner, printer, scale *widget.Label
	audio                                    *widget.Label
	root                                     fyne.CanvasObject
	flow                                     *fyne.Container
}

func newStatusBar(u *UI) *statusBar {
	b := &statusBar{u: u}
	for _, l := range []**widget.Label{&b.server, &b.pending, &b.scanner, &b.printer, &b.scale, &b.audio} {
		*l = widget.NewLabel("")
	}
	setImportance(b.audio, widget.DangerImportance)
	b.audio.TextStyle.Bold = true
	return b
}

func (b *statusBar) buildUI() fyne.CanvasObject {
	// The cells flow left to right at their text's width, onto as many
	// rows as they need, so a long problem ("NO SOUND: …", "SCANNER
	// /dev/serial/by-id/…-scan1 DISCONNECTED") gets the room it needs
	// instead of a third of the bar. The texts are not cut: their
	// arguments are clipped (short), so a cell fits in a row.
	cells := []fyne.CanvasObject{}
	for _, l := range []*widget.Label{b.server, b.pending, b.scanner, b.printer, b.scale, b.audio} {
		cells = append(cells, l)
	}
	b.flow = container.New(&flowLayout{}, cells...)
	b.root = container.NewVBox(widget.NewSeparator(), b.flow)
	return b.root
}

// flowLayout places objects left to right at their MinSize, in the first
// row they fit in; an object wider than a row gets a row of its own.
type flowLayout struct{}

func (*flowLayout) natural(o fyne.CanvasObject) fyne.Size { return o.MinSize() }

// rows puts each visible object in the first row it fits in (at most
// width wide), so a long problem on its own row leaves the short cells
// together on one.
func (f *flowLayout) rows(objs []fyne.CanvasObject, width float32) [][]fyne.CanvasObject {
	var rows [][]fyne.CanvasObject
	var used []float32
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		w := f.natural(o).Width
		placed := false
		for i := range rows {
			if used[i]+w <= width {
				rows[i], used[i], placed = append(rows[i], o), used[i]+w, true
				break
			}
		}
		if !placed {
			rows, used = append(rows, []fyne.CanvasObject{o}), append(used, w)
		}
	}
	return rows
}

func (f *flowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, row := range f.rows(objs, size.Width) {
		h, x := float32(0), float32(0)
		for _, o := range row {
			h = max(h, f.natural(o).Height)
		}
		for i, o := range row {
			w := min(f.natural(o).Width, size.Width-x)
			if i == len(row)-1 && len(row) == 1 {
				w = size.Width
			}
			o.Move(fyne.NewPos(x, y))
			o.Resize(fyne.NewSize(w, h))
			x += w
		}
		y += h
	}
}

// MinSize is the height of the rows at the width the bar has now (one
// row per object before the first layout).
func (f *flowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	width := float32(0)
	if len(objs) > 0 {
		if c := fyne.CurrentApp().Driver().CanvasForObject(objs[0]); c != nil {
			width = c.Size().Width - 2*theme.Padding()
		}
	}
	if width <= 0 {
		width = 1280
	}
	h := float32(0)
	for _, row := range f.rows(objs, width) {
		rh := float32(0)
		for _, o := range row {
			rh = max(rh, f.natural(o).Height)
		}
		h += rh
	}
	return fyne.NewSize(0, h)
}

// Text returns the whole bar as one line (tests, accessibility).
func (b *statusBar) Text() string {
	return b.server.Text + " | " + b.pending.Text + " | " + b.scanner.Text + " | " + b.printer.Text + " | " +
		b.scale.Text + " | " + b.audio.Text
}

func (b *statusBar) render(v station.View) {
	before := b.Text()
	defer func() {
		if b.flow != nil && b.Text() != before {
			b.flow.Refresh() // lay the cells out again at their new widths
		}
	}()
	tr := b.u.tr
	s := v.Status
	server := tr.S("server.state." + string(s.Server.State))
	if s.Server.State == "" {
		server = tr.S("server.state.none")
	}
	setLabel(b.server, tr.T("status.server", map[string]any{"state": server}))
	setImportance(b.server, widget.MediumImportance)
	if s.Server.State == station.ServerOffline {
		setImportance(b.server, widget.WarningImportance)
	}
	switch {
	case len(s.Server.RevokedStarted) > 0: // a started order taken back: the supervisor decides
		setLabel(b.server, tr.T(station.KeyServerRevoked, map[string]any{"orders": clip(strings.Join(s.Server.RevokedStarted, ", "), 2*shownRunes)}))
		setImportance(b.server, widget.DangerImportance)
	case s.Server.Rejections > 0: // the supervisor must act: shown before a passing error
		setLabel(b.server, tr.T(station.KeyServerRejections, map[string]any{"state": server, "count": tr.Int(s.Server.Rejections)}))
		setImportance(b.server, widget.DangerImportance)
	case s.Server.Error != nil:
		setLabel(b.server, short(tr, *s.Server.Error))
	}
	setLabel(b.pending, tr.T("status.pending", map[string]any{"count": tr.Int(s.PendingEvents), "time": tr.Clock(s.Server.LastSync)}))

	switch sc := s.Scanner; {
	case sc.Error != nil:
		setLabel(b.scanner, short(tr, *sc.Error))
		setImportance(b.scanner, widget.DangerImportance)
	case sc.Configured && !sc.Connected:
		setLabel(b.scanner, tr.T("status.scanner_disconnected", map[string]any{"name": clip(sc.Name, 2*shownRunes)}))
		setImportance(b.scanner, widget.DangerImportance)
	case sc.Configured:
		setLabel(b.scanner, tr.T("status.scanner_connected", map[string]any{"name": clip(sc.Name, 2*shownRunes)}))
		setImportance(b.scanner, widget.MediumImportance)
	default:
		setLabel(b.scanner, tr.S("status.scanner_wedge"))
		setImportance(b.scanner, widget.MediumImportance)
	}

	p := s.Printer
	if p.Error != nil { // the print worker stopped: nothing prints until it restarts
		setLabel(b.printer, short(tr, *p.Error))
		setImportance(b.printer, widget.DangerImportance)
	} else if !p.Configured {
		setLabel(b.printer, tr.S("status.printer_none"))
		setImportance(b.printer, widget.WarningImportance)
	} else {
		setLabel(b.printer, tr.T("status.printer", map[string]any{"state": tr.S(printerStateKey(p.State)),
			"queued": tr.Int(p.Queued), "held": tr.Int(p.Held)}))
		setImportance(b.printer, widget.MediumImportance)
		if p.State != "ready" || p.Held > 0 {
			setImportance(b.printer, widget.DangerImportance)
		}
	}

	switch sc := s.Scale; {
	case !sc.Configured:
		setLabel(b.scale, tr.S("status.scale_none"))
	case sc.Error != nil:
		setLabel(b.scale, short(tr, *sc.Error))
	case !sc.Connected:
		setLabel(b.scale, tr.S("status.scale_disconnected"))
	default:
		st := tr.S("ui.weigh.unstable")
		if sc.Stable {
			st = tr.S("ui.weigh.stable")
		}
		setLabel(b.scale, tr.T("status.scale", map[string]any{"grams": tr.Grams(sc.Grams), "state": st}))
	}
	if s.Audio != nil {
		setLabel(b.audio, short(tr, *s.Audio))
		b.audio.Show()
	} else {
		setLabel(b.audio, "")
		b.audio.Hide()
	}
}

// setImportance changes a label's importance, refreshing only on a change.
func setImportance(l *widget.Label, imp widget.Importance) {
	if l.Importance != imp {
		l.Importance = imp
		l.Refresh()
	}
}

// printerStateKey maps a printer state to its message key; every state the
// station reports is listed so the translation test sees the keys.
func printerStateKey(state string) string {
	switch state {
	case "ready":
		return "printer.state.ready"
	case "paper_out":
		return "printer.state.paper_out"
	case "head_open":
		return "printer.state.head_open"
	case "paused":
		return "printer.state.paused"
	case "offline":
		return "printer.state.offline"
	case "error":
		return "printer.state.error"
	}
	return "printer.state.unknown"
}
