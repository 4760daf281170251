package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/packdesk/packdesk/internal/station"
)

// statusBar is always visible: server, pending events and last sync,
// scanner, printer and its queue, scale, audio.
type statusBar struct {
	u                                        *UI
	server, pending, scanner, printer, scale *widget.Label
	audio                                    *widget.Label
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
	// Two rows of three cells: the bar never widens the window; a long
	// message is cut with an ellipsis rather than pushing others away.
	for _, l := range []*widget.Label{b.server, b.pending, b.scanner, b.printer, b.scale, b.audio} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	return container.NewVBox(widget.NewSeparator(), container.NewGridWithColumns(3,
		b.server, b.pending, b.scanner, b.printer, b.scale, b.audio))
}

// Text returns the whole bar as one line (tests, accessibility).
func (b *statusBar) Text() string {
	return b.server.Text + " | " + b.pending.Text + " | " + b.scanner.Text + " | " + b.printer.Text + " | " +
		b.scale.Text + " | " + b.audio.Text
}

func (b *statusBar) render(v station.View) {
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
		setLabel(b.server, tr.T(station.KeyServerRevoked, map[string]any{"orders": strings.Join(s.Server.RevokedStarted, ", ")}))
		setImportance(b.server, widget.DangerImportance)
	case s.Server.Rejections > 0: // the supervisor must act: shown before a passing error
		setLabel(b.server, tr.T(station.KeyServerRejections, map[string]any{"state": server, "count": tr.Int(s.Server.Rejections)}))
		setImportance(b.server, widget.DangerImportance)
	case s.Server.Error != nil:
		setLabel(b.server, tr.T(s.Server.Error.Key, s.Server.Error.Args))
	}
	setLabel(b.pending, tr.T("status.pending", map[string]any{"count": tr.Int(s.PendingEvents), "time": tr.Clock(s.Server.LastSync)}))

	switch sc := s.Scanner; {
	case sc.Error != nil:
		setLabel(b.scanner, tr.T(sc.Error.Key, sc.Error.Args))
		setImportance(b.scanner, widget.DangerImportance)
	case sc.Configured && !sc.Connected:
		setLabel(b.scanner, tr.T("status.scanner_disconnected", map[string]any{"name": sc.Name}))
		setImportance(b.scanner, widget.DangerImportance)
	case sc.Configured:
		setLabel(b.scanner, tr.T("status.scanner_connected", map[string]any{"name": sc.Name}))
		setImportance(b.scanner, widget.MediumImportance)
	default:
		setLabel(b.scanner, tr.S("status.scanner_wedge"))
		setImportance(b.scanner, widget.MediumImportance)
	}

	p := s.Printer
	if p.Error != nil { // the print worker stopped: nothing prints until it restarts
		setLabel(b.printer, tr.T(p.Error.Key, p.Error.Args))
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
		setLabel(b.scale, tr.T(sc.Error.Key, sc.Error.Args))
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
		setLabel(b.audio, tr.T(s.Audio.Key, s.Audio.Args))
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
