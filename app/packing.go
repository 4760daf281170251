package app

import (
	"bytes"
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/packdesk/packdesk/internal/i18n"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// recentShown is how many recent scans the packing screen lists.
const recentShown = 8

// packingScreen is the packer's main screen: the verdict banner, the next
// step, the open order and its lines, the recent scans, and the label,
// weigh and FBA panels when they apply.
type packingScreen struct {
	u *UI

	bannerBG    *canvas.Rectangle
	bannerTitle *canvas.Text
	bannerMsg   *widget.RichText
	bannerSev   string // severity shown, for tests

	next       *widget.RichText
	printAlert *widget.Label // held print jobs (View.PrintAlerts)
	packer     *widget.Label
	stats      *widget.Label
	orderID    *canvas.Text
	orderSub   *widget.Label
	flags      *widget.Label
	lines      *fyne.Container
	recent     *fyne.Container

	labelBox   *fyne.Container
	labelImg   *canvas.Image
	labelText  *widget.Label
	weighBox   *fyne.Container
	weighText  *widget.Label
	weighGrams *canvas.Text
	weighHold  *widget.Label
	fbaBox     *fyne.Container
	fbaText    *widget.Label
	keysHint   *widget.Label
	orderPane  fyne.CanvasObject // the order and its lines; the returns panel replaces it in returns mode
	returns    *returnsPanel
	labelCache []byte
	lineRows   []*lineRow
	recentRows []*recentRow
	// recentDetail shows one recent scan whole (scan data, message), for
	// the row the operator tapped (detailRow, -1: hidden).
	recentDetail *widget.Label
	detailRow    int
}

// recentRow is one reusable line of the recent-scans list; a tap shows
// its whole text (full) in the detail below the list.
type recentRow struct {
	mark *canvas.Rectangle
	text *widget.Label
	box  *tapBox
	full string
}

// tapBox shows content and reports taps. It takes no focus, so it never
// gets keys (see focus.go).
type tapBox struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onTap   func()
}

func newTapBox(content fyne.CanvasObject, onTap func()) *tapBox {
	t := &tapBox{content: content, onTap: onTap}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tapBox) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.content) }
func (t *tapBox) Tapped(*fyne.PointEvent)             { t.onTap() }

func newPackingScreen(u *UI) *packingScreen {
	p := &packingScreen{u: u, detailRow: -1}
	p.recentDetail = widget.NewLabel("")
	p.recentDetail.Wrapping = fyne.TextWrapBreak // a long scan has no spaces to wrap at
	p.recentDetail.Hide()
	p.bannerBG = canvas.NewRectangle(colourIdle)
	p.bannerTitle = canvas.NewText("", textLight)
	p.bannerTitle.TextSize = orderPts
	p.bannerTitle.TextStyle.Bold = true
	p.bannerMsg = widget.NewRichText()
	p.bannerMsg.Wrapping = fyne.TextWrapWord
	p.next = widget.NewRichText()
	p.next.Wrapping = fyne.TextWrapWord
	p.printAlert = widget.NewLabel("")
	p.printAlert.TextStyle.Bold = true
	p.printAlert.Wrapping = fyne.TextWrapWord
	p.printAlert.Importance = widget.DangerImportance
	p.printAlert.Hide()
	p.packer = widget.NewLabel("")
	p.packer.TextStyle.Bold = true
	p.stats = widget.NewLabel("")
	p.orderID = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	p.orderID.TextSize = orderPts
	p.orderID.TextStyle = fyne.TextStyle{Bold: true}
	p.orderSub = widget.NewLabel("")
	p.flags = widget.NewLabel("")
	p.flags.TextStyle.Bold = true
	p.flags.Importance = widget.WarningImportance
	p.lines = container.NewVBox()
	p.recent = container.NewVBox()
	p.labelImg = canvas.NewImageFromImage(nil)
	p.labelImg.FillMode = canvas.ImageFillContain
	// previewImage sized it for the screen: Fyne's software rescaling
	// (and its ~20 MB scratch buffer) is not needed.
	p.labelImg.ScaleMode = canvas.ImageScaleFastest
	p.labelImg.SetMinSize(fyne.NewSize(previewW, previewH))
	p.labelText = widget.NewLabel("")
	p.labelText.Wrapping = fyne.TextWrapWord
	p.weighText = widget.NewLabel("")
	p.weighText.TextStyle.Bold = true
	p.weighGrams = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	p.weighGrams.TextSize = orderPts * 1.5
	p.weighGrams.TextStyle.Bold = true
	p.weighHold = widget.NewLabel("")
	p.weighHold.TextStyle.Bold = true
	p.weighHold.Wrapping = fyne.TextWrapWord
	p.weighHold.Importance = widget.DangerImportance
	p.fbaText = widget.NewLabel("")
	p.fbaText.TextStyle.Bold = true
	p.keysHint = widget.NewLabel("")
	p.keysHint.Wrapping = fyne.TextWrapWord
	return p
}

func (p *packingScreen) buildUI() fyne.CanvasObject {
	tr := p.u.tr
	banner := container.NewStack(p.bannerBG, container.NewPadded(container.NewVBox(p.bannerTitle, p.bannerMsg)))
	orderHead := container.NewVBox(p.orderID, p.orderSub, p.flags)
	linesHead := widget.NewLabelWithStyle(tr.S("ui.packing.lines"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.orderPane = container.NewBorder(container.NewVBox(orderHead, widget.NewSeparator(), linesHead), nil, nil, nil,
		container.NewVScroll(p.lines))
	p.returns = newReturnsPanel(p.u)
	retPane := p.returns.buildUI()
	retPane.Hide()
	left := container.NewStack(p.orderPane, retPane)
	p.labelBox = container.NewVBox(widget.NewLabelWithStyle(tr.S("ui.label.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.labelImg, p.labelText)
	p.weighBox = container.NewVBox(widget.NewLabelWithStyle(tr.S("ui.weigh.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.weighGrams, p.weighText, p.weighHold)
	p.fbaBox = container.NewVBox(widget.NewLabelWithStyle(tr.S("ui.fba.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), p.fbaText)
	recentHead := widget.NewLabelWithStyle(tr.S("ui.packing.recent"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	right := container.NewVBox(p.weighBox, p.fbaBox, p.labelBox, recentHead, p.recent, p.recentDetail)
	body := container.NewHSplit(left, container.NewVScroll(right))
	body.SetOffset(0.6)
	who := container.NewHBox(p.packer, layout.NewSpacer(), p.stats)
	top := container.NewVBox(banner, p.next, p.printAlert, who, widget.NewSeparator())
	manual := container.NewBorder(nil, nil, widget.NewLabel(tr.S("ui.manual.label")),
		newButton(p.u, tr.S("ui.manual.submit"), func() { p.u.onManualScan(p.u.manual.Text) }), p.u.manual)
	bottom := container.NewVBox(widget.NewSeparator(), p.keysHint, manual)
	return container.NewBorder(top, bottom, nil, nil, body)
}

// render shows v.
func (p *packingScreen) render(v station.View) {
	tr := p.u.tr
	p.renderBanner(v)
	p.setRich(p.next, p.fit(tr.S("ui.next.prefix")+" "+short(tr, v.Next), nextPts, nextLines), sizeNext, theme.ColorNameForeground)

	if v.Packer.LoggedIn {
		setLabel(p.packer, tr.T("ui.packer.logged_in", map[string]any{"name": v.Packer.Name, "badge": v.Packer.Badge}))
		s := v.Stats
		setLabel(p.stats, tr.T("ui.stats.line", map[string]any{
			"orders": tr.Int(s.Orders), "orders_per_hour": tr.Float(s.OrdersPerHour, 1),
			"units": tr.Int(s.Units), "units_per_hour": tr.Float(s.UnitsPerHour, 1),
			"mistakes": tr.Int(s.Mistakes), "seconds": tr.Float(s.AvgSecondsPerOrder, 0)}))
	} else {
		setLabel(p.packer, tr.S("ui.packer.none"))
		setLabel(p.stats, "")
	}
	p.renderPrintAlerts(v)
	p.renderMode(v)
	p.renderOrder(v)
	p.renderRecent(v)
	p.renderPanels(v)
}

// renderMode shows the returns panel instead of the order in returns mode,
// with the keys that apply there.
func (p *packingScreen) renderMode(v station.View) {
	hint := "ui.keys.hint"
	if v.Returns {
		hint = "ui.keys.hint_returns"
		p.returns.render(v)
		if !p.returns.root.Visible() {
			p.orderPane.Hide()
			p.returns.root.Show()
		}
	} else if p.returns.root.Visible() {
		p.returns.root.Hide()
		p.orderPane.Show()
	}
	setLabel(p.keysHint, p.u.tr.S(hint))
}

// renderPrintAlerts shows the first held print job and how many more
// there are, with the key that opens the queue.
func (p *packingScreen) renderPrintAlerts(v station.View) {
	tr := p.u.tr
	if len(v.PrintAlerts) == 0 {
		setLabel(p.printAlert, "")
		p.printAlert.Hide()
		return
	}
	a := v.PrintAlerts[0]
	text := "⚠ " + short(tr, a.Message)
	if n := len(v.PrintAlerts) - 1; n > 0 {
		text += " " + tr.T("ui.queue.alert_more", map[string]any{"count": tr.Int(n)})
	}
	text += " " + tr.S("ui.queue.alert_open")
	setLabel(p.printAlert, text)
	p.printAlert.Show()
}

func (p *packingScreen) setRich(rt *widget.RichText, text string, size fyne.ThemeSizeName, col fyne.ThemeColorName) {
	if len(rt.Segments) == 1 {
		if ts, ok := rt.Segments[0].(*widget.TextSegment); ok && ts.Text == text && ts.Style.ColorName == col && ts.Style.SizeName == size {
			return // unchanged: re-shaping big text is the costliest part of a render
		}
	}
	rt.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		SizeName: size, ColorName: col, TextStyle: fyne.TextStyle{Bold: true}, Inline: true}}}
	rt.Refresh()
}

// renderBanner shows the input error, the station error or the last
// verdict, in that order of precedence.
func (p *packingScreen) renderBanner(v station.View) {
	tr := p.u.tr
	sev, title, msg := "", tr.S("ui.banner.ready"), tr.S("ui.banner.ready_detail")
	switch {
	case p.u.inputErr != nil:
		sev, title, msg = string(station.SeverityReject), tr.S("ui.banner.error"), short(tr, *p.u.inputErr)
	case v.Error != nil:
		sev, title, msg = string(station.SeverityReject), tr.S("ui.banner.error"), short(tr, *v.Error)
	case v.Last != nil:
		sev = string(v.Last.Severity)
		title = tr.S(severityTitle[sev])
		msg = short(tr, v.Last.Message)
	}
	bg, fg := severityColours(sev)
	p.bannerSev = sev
	p.bannerBG.FillColor = bg
	p.bannerBG.Refresh()
	p.bannerTitle.Text = title
	p.bannerTitle.Color = textLight
	if fg == colorOnBannerDark {
		p.bannerTitle.Color = textDark
	}
	p.bannerTitle.Refresh()
	p.setRich(p.bannerMsg, p.fit(msg, bannerPts, bannerLines), sizeBanner, fg)
}

// Lines of large text the banner message and the next step may take: more
// would push the order lines, the scan entry and the status bar off the
// window (a message is cut with an ellipsis instead; the recent-scans
// detail shows it whole).
const bannerLines, nextLines = 2, 2

// fit cuts text with an ellipsis so that, in bold at pts, it wraps onto at
// most lines lines of the window's width (with a margin for word wrap).
func (p *packingScreen) fit(text string, pts float32, lines int) string {
	width := p.u.win.Canvas().Size().Width - 4*theme.Padding()
	if width <= 0 {
		return text
	}
	style := fyne.TextStyle{Bold: true}
	budget := width * float32(lines) * 0.8
	if fyne.MeasureText(text, pts, style).Width <= budget {
		return text
	}
	r := []rune(text)
	lo, hi := 0, len(r) // r[:lo]+"…" fits; r[:hi]+"…" does not
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if fyne.MeasureText(string(r[:mid])+"…", pts, style).Width <= budget {
			lo = mid
		} else {
			hi = mid
		}
	}
	return string(r[:lo]) + "…"
}

func (p *packingScreen) renderOrder(v station.View) {
	tr := p.u.tr
	o := v.Order
	if o == nil {
		p.setLines(nil)
		p.orderID.Text = tr.S("ui.order.none")
		p.orderID.Refresh()
		setLabel(p.orderSub, "")
		setLabel(p.flags, "")
		return
	}
	p.orderID.Text = clip(o.ID, shownRunes)
	p.orderID.Color = theme.Color(theme.ColorNameForeground)
	p.orderID.Refresh()
	channel := tr.S("ui.channel.fbm")
	if o.Channel == "FBA_PREP" {
		channel = tr.S("ui.channel.fba_prep")
	}
	setLabel(p.orderSub, tr.T("ui.order.sub", map[string]any{
		"ship_by": tr.DateTime(o.ShipBy), "service": o.ServiceLevel, "channel": channel}))
	var flags []string
	for _, f := range o.Flags {
		flags = append(flags, tr.S("flag."+string(f)))
	}
	setLabel(p.flags, strings.Join(flags, " · "))
	p.setLines(o.Lines)
}

// setLines shows the order's lines, updating the rows already on screen
// in place: a scan changes one count, and rebuilding every row made Fyne
// shape and rasterise all their text again and keep the old textures
// until its cache expired.
func (p *packingScreen) setLines(lines []station.LineView) {
	if len(p.lineRows) != len(lines) {
		for len(p.lineRows) < len(lines) {
			p.lineRows = append(p.lineRows, newLineRow())
		}
		p.lineRows = p.lineRows[:len(lines)] // rows of a bigger, earlier order go
		objs := make([]fyne.CanvasObject, len(lines))
		for i, r := range p.lineRows {
			objs[i] = r.box
		}
		p.lines.Objects = objs
		p.lines.Refresh()
	}
	for i, l := range lines {
		p.lineRows[i].render(p.u.tr, l)
	}
}

// lineRow is one reusable order line: SKU, title, serials or lots, and
// the scanned / required count.
type lineRow struct {
	sku, title *widget.RichText
	extra      *widget.Label
	count      *canvas.Text
	box        *fyne.Container
}

func newLineRow() *lineRow {
	r := &lineRow{sku: lineText("", true), title: lineText("", false), extra: widget.NewLabel("")}
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.extra.Hide()
	r.count = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	r.count.TextSize = orderPts
	r.count.TextStyle.Bold = true
	r.box = container.NewBorder(nil, widget.NewSeparator(), r.sku, r.count, container.NewVBox(r.title, r.extra))
	return r
}

func (r *lineRow) render(tr *i18n.Translator, l station.LineView) {
	setSegment(r.sku, l.SKU)
	setSegment(r.title, l.Title)
	count, col := fmt.Sprintf("%d / %d", l.Scanned, l.Required), theme.Color(theme.ColorNameForeground)
	switch {
	case l.Scanned >= l.Required:
		col = colourOK
	case l.Scanned > 0:
		col = colourWarn
	}
	if r.count.Text != count || r.count.Color != col {
		r.count.Text, r.count.Color = count, col
		r.count.Refresh()
	}
	var extra []string
	if len(l.Serials) > 0 {
		extra = append(extra, tr.T("ui.line.serials", map[string]any{"serials": strings.Join(l.Serials, ", ")}))
	} else if l.SerialRequired {
		extra = append(extra, tr.S("ui.line.serial_needed"))
	}
	if len(l.Lots) > 0 {
		extra = append(extra, tr.T("ui.line.lots", map[string]any{"lots": strings.Join(l.Lots, ", ")}))
	}
	setLabel(r.extra, strings.Join(extra, " · "))
	if show := len(extra) > 0; show != r.extra.Visible() {
		if show {
			r.extra.Show()
		} else {
			r.extra.Hide()
		}
		r.box.Refresh() // the row's height changes
	}
}

// setSegment changes the text of a one-segment RichText (lineText) only
// when it differs.
func setSegment(rt *widget.RichText, text string) {
	if ts, ok := rt.Segments[0].(*widget.TextSegment); ok && ts.Text != text {
		ts.Text = text
		rt.Refresh()
	}
}

// lineText is order-line text, large enough to read from a metre away.
func lineText(text string, bold bool) *widget.RichText {
	return widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		SizeName: sizeLine, ColorName: theme.ColorNameForeground, TextStyle: fyne.TextStyle{Bold: bold}, Inline: true}})
}

func (p *packingScreen) renderRecent(v station.View) {
	tr := p.u.tr
	if p.recentRows == nil {
		for i := range recentShown {
			r := &recentRow{mark: canvas.NewRectangle(colourIdle), text: widget.NewLabel("")}
			r.mark.SetMinSize(fyne.NewSize(12, 12))
			r.text.Truncation = fyne.TextTruncateEllipsis
			r.box = newTapBox(container.NewBorder(nil, nil, r.mark, nil, r.text), func() { p.toggleDetail(i) })
			r.box.Hide()
			p.recentRows = append(p.recentRows, r)
			p.recent.Add(r.box)
		}
	}
	for i, r := range p.recentRows {
		if i >= len(v.Recent) {
			r.box.Hide()
			r.full = ""
			continue
		}
		s := v.Recent[i]
		if bg, _ := severityColours(string(s.Severity)); r.mark.FillColor != bg {
			r.mark.FillColor = bg
			r.mark.Refresh()
		}
		setLabel(r.text, tr.Clock(s.At)+"  "+clip(s.Data, shownRunes)+"  "+short(tr, s.Message))
		r.full = tr.Clock(s.At) + "  " + s.Source + "\n" + s.Data + "\n" + full(tr, s.Message)
		r.box.Show()
	}
	p.renderDetail()
}

// toggleDetail shows recent row i whole below the list, or hides the
// detail when it already shows row i.
func (p *packingScreen) toggleDetail(i int) {
	if p.detailRow == i {
		p.detailRow = -1
	} else {
		p.detailRow = i
	}
	p.renderDetail()
}

func (p *packingScreen) renderDetail() {
	if p.detailRow < 0 || p.detailRow >= len(p.recentRows) || p.recentRows[p.detailRow].full == "" {
		p.detailRow = -1
		setLabel(p.recentDetail, "")
		p.recentDetail.Hide()
		return
	}
	setLabel(p.recentDetail, p.recentRows[p.detailRow].full)
	p.recentDetail.Show()
}

func (p *packingScreen) renderPanels(v station.View) {
	tr := p.u.tr
	show := func(o fyne.CanvasObject, b bool) {
		if b {
			o.Show()
		} else {
			o.Hide()
		}
	}
	show(p.labelBox, v.Label != nil)
	if l := v.Label; l != nil {
		if !bytes.Equal(l.PNG, p.labelCache) {
			p.labelCache = l.PNG
			p.showLabel(l.PNG)
		}
		text := tr.T("ui.label.detail", map[string]any{"order": l.Order, "tracking": l.Tracking})
		if l.Message.Key != "" { // printed, or marked failed (F6): what to do
			text = short(tr, l.Message)
		}
		p.labelText.Importance = widget.MediumImportance
		if l.Failed {
			p.labelText.Importance = widget.DangerImportance
		}
		setLabel(p.labelText, text)
	}
	w := v.Weigh
	show(p.weighBox, w != nil && w.Configured && v.Step == station.StepWeigh)
	if w != nil {
		state := tr.S("ui.weigh.unstable")
		if w.Stable {
			state = tr.S("ui.weigh.stable")
		}
		text := tr.T("ui.weigh.detail", map[string]any{"grams": tr.Grams(w.Grams), "state": state,
			"expected": tr.Grams(w.ExpectedGrams), "tolerance": tr.Grams(w.ToleranceGrams)})
		if w.Error != nil {
			text += "\n" + short(tr, *w.Error)
		}
		setLabel(p.weighText, text)
		grams, col := tr.Grams(w.Grams), theme.Color(theme.ColorNameForeground)
		held := v.Last != nil && v.Last.Verdict == string(pack.VerdictWeightMismatch)
		switch {
		case held:
			col = colourReject
		case w.Stable:
			col = colourOK
		}
		if p.weighGrams.Text != grams || p.weighGrams.Color != col {
			p.weighGrams.Text, p.weighGrams.Color = grams, col
			p.weighGrams.Refresh()
		}
		hold := ""
		if held {
			hold = tr.S("ui.weigh.held")
		}
		setLabel(p.weighHold, hold)
		if hold == "" {
			p.weighHold.Hide()
		} else {
			p.weighHold.Show()
		}
	}
	show(p.fbaBox, v.FBA != nil)
	if f := v.FBA; f != nil {
		setLabel(p.fbaText, tr.T("ui.fba.detail", map[string]any{"sku": f.SKU, "fnsku": f.FNSKU, "title": f.Title,
			"printed": tr.Int(f.Printed), "verified": tr.Int(f.Verified)}))
	}
}

// Size of the label preview box, in Fyne units.
const previewW, previewH = 300, 380

// showLabel shows a label PNG whole in the preview box, shrunk once to the
// pixels the box has on this screen (see previewImage). The box takes the
// label's shape within previewW×previewH: a 50×25 mm FNSKU label in a
// box shaped for a 4×6 in label sat in the middle of 380 units of height,
// mostly below the fold of the right pane, showing a sliver of its
// barcode. A PNG that cannot be decoded leaves the box empty; the label
// text still names the order.
func (p *packingScreen) showLabel(data []byte) {
	scale := float32(1)
	if c := p.u.win.Canvas(); c != nil && c.Scale() > 0 {
		scale = c.Scale()
	}
	img, err := previewImage(data, int(previewW*scale+0.5), int(previewH*scale+0.5))
	if err != nil {
		fyne.LogError("label preview", err)
		p.labelImg.Image = nil
		p.labelImg.SetMinSize(fyne.NewSize(previewW, previewH))
	} else {
		p.labelImg.Image = img
		p.labelImg.SetMinSize(previewBox(img.Bounds().Dx(), img.Bounds().Dy()))
	}
	p.labelImg.Refresh()
}

// previewBox is the size of the largest box of a w×h label's shape that
// fits in previewW×previewH.
func previewBox(w, h int) fyne.Size {
	if w <= 0 || h <= 0 {
		return fyne.NewSize(previewW, previewH)
	}
	bw, bh := float32(previewW), float32(previewW)*float32(h)/float32(w)
	if bh > previewH {
		bw, bh = float32(previewH)*float32(w)/float32(h), previewH
	}
	return fyne.NewSize(bw, bh)
}

// setLabel changes a label's text only when it differs: a refresh
// re-shapes the text.
func setLabel(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

// severityTitle is the banner's headline by severity.
var severityTitle = map[string]string{
	"ok":     "ui.banner.severity.ok",
	"done":   "ui.banner.severity.done",
	"reject": "ui.banner.severity.reject",
	"warn":   "ui.banner.severity.warn",
}

// colourOf is the banner colour of a severity (tests compare it).
func colourOf(sev string) color.Color { bg, _ := severityColours(sev); return bg }
