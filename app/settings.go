package app

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/packdesk/packdesk/internal/barcode"
	"github.com/packdesk/packdesk/internal/i18n"
	"github.com/packdesk/packdesk/internal/station"
)

// settingsScreen edits the station's settings (saved through the station)
// and tests each device. While it is open, scans show their meaning here
// instead of reaching the station.
type settingsScreen struct {
	u   *UI
	set station.Settings

	serverURL, token, claim            *keyEntry
	language                           *selectBox
	volume                             *slider
	scannerPort, framing               *selectEntry
	scannerKind                        *selectBox
	vidpid                             *keyEntry
	printerTransport, printerLang, dpi *selectBox
	printerAddr, labelW, labelH        *keyEntry
	labelFont                          *keyEntry
	shipFrom                           *keyEntry
	scalePort                          *selectEntry
	scaleProto                         *selectBox
	baud, tolerance                    *keyEntry
	scanTest                           *keyEntry
	scanResult, devices, testResult    *widget.Label
	connResult                         *widget.Label
	message                            *widget.Label
	langCodes                          []string
}

func newSettingsScreen(u *UI) *settingsScreen { return &settingsScreen{u: u} }

func (s *settingsScreen) buildUI() fyne.CanvasObject {
	tr := s.u.tr
	s.serverURL = newKeyEntry(s.u)
	s.serverURL.SetPlaceHolder("https://packdesk.example.com")
	s.token = newPasswordEntry(s.u)
	s.claim = newKeyEntry(s.u)
	s.langCodes = append([]string{""}, i18n.Languages()...)
	names := []string{tr.S("settings.language.system"), tr.S("settings.language.en"), tr.S("settings.language.zh")}
	s.language = newSelect(s.u, names, nil)
	s.volume = newSlider(s.u, 0, 100)
	s.volume.Step = 5
	s.scannerKind = newCodeSelect(s.u, []string{"wedge", "serial"},
		[]string{"settings.scanner.kind.wedge", "settings.scanner.kind.serial"})
	s.scannerPort = newSelectEntry(s.u, nil)
	s.vidpid = newKeyEntry(s.u)
	s.vidpid.SetPlaceHolder("05e0:1200")
	s.framing = newSelectEntry(s.u, station.ScannerFramings)
	s.printerTransport = newCodeSelect(s.u, []string{"tcp", "device", "serial", "cups", "file"},
		[]string{"settings.printer.transport.tcp", "settings.printer.transport.device", "settings.printer.transport.serial",
			"settings.printer.transport.cups", "settings.printer.transport.file"})
	s.printerAddr = newKeyEntry(s.u)
	s.printerAddr.SetPlaceHolder("tcp://printer-name:9100?lang=zpl")
	s.printerLang = newSelect(s.u, []string{"zpl", "tspl"}, nil)
	s.dpi = newSelect(s.u, []string{"203", "300", "600"}, nil)
	s.labelW, s.labelH = newKeyEntry(s.u), newKeyEntry(s.u)
	s.labelFont = newKeyEntry(s.u)
	s.labelFont.SetPlaceHolder(tr.S("settings.label_font.placeholder"))
	s.shipFrom = newKeyEntry(s.u)
	s.shipFrom.SetPlaceHolder(tr.S("settings.ship_from.placeholder"))
	s.scalePort = newSelectEntry(s.u, nil)
	s.scalePort.SetPlaceHolder(tr.S("settings.scale.port_none"))
	s.scannerPort.SetPlaceHolder(tr.S("settings.scanner.port_discover"))
	s.framing.SetPlaceHolder(station.DefaultScannerFraming)
	s.scaleProto = newCodeSelect(s.u, []string{"sics", "continuous"},
		[]string{"settings.scale.protocol.sics", "settings.scale.protocol.continuous"})
	s.baud, s.tolerance = newKeyEntry(s.u), newKeyEntry(s.u)
	s.tolerance.SetPlaceHolder(tr.S("settings.scale.tolerance_default"))
	s.scanTest = newKeyEntry(s.u)
	s.scanTest.SetPlaceHolder(tr.S("settings.scan_test.placeholder"))
	s.scanTest.OnSubmitted = func(text string) { s.onScanTest(text) }
	s.scanResult = widget.NewLabel(tr.S("settings.scan_test.hint"))
	s.scanResult.Wrapping = fyne.TextWrapWord
	// Not monospace: the monospace font has no CJK glyphs for the labels.
	s.scanResult.TextStyle.Bold = true
	s.devices = widget.NewLabel("")
	s.devices.Wrapping = fyne.TextWrapWord
	s.testResult = widget.NewLabel("")
	s.testResult.Wrapping = fyne.TextWrapWord
	s.message = widget.NewLabel("")
	s.message.TextStyle.Bold = true
	s.message.Wrapping = fyne.TextWrapWord

	s.connResult = widget.NewLabel("")
	s.connResult.Wrapping = fyne.TextWrapWord
	testConn := newButton(s.u, tr.S("settings.test_connection"), s.onTestConnection)
	if s.u.opts.TestConnection == nil {
		testConn.Disable()
	}
	general := widget.NewForm(
		widget.NewFormItem(tr.S("settings.server_url"), s.serverURL),
		widget.NewFormItem(tr.S("settings.token"), s.token),
		widget.NewFormItem(tr.S("settings.claim"), s.claim),
		widget.NewFormItem("", container.NewVBox(container.NewHBox(testConn), s.connResult)),
		widget.NewFormItem(tr.S("settings.language"), s.language),
		widget.NewFormItem(tr.S("settings.volume"), s.volume),
	)
	scannerForm := widget.NewForm(
		widget.NewFormItem(tr.S("settings.scanner.kind"), s.scannerKind),
		widget.NewFormItem(tr.S("settings.scanner.port"), s.scannerPort),
		widget.NewFormItem(tr.S("settings.scanner.vidpid"), s.vidpid),
		widget.NewFormItem(tr.S("settings.scanner.framing"), s.framing),
	)
	printerForm := widget.NewForm(
		widget.NewFormItem(tr.S("settings.printer.transport"), s.printerTransport),
		widget.NewFormItem(tr.S("settings.printer.address"), s.printerAddr),
		widget.NewFormItem(tr.S("settings.printer.language"), s.printerLang),
		widget.NewFormItem(tr.S("settings.printer.dpi"), s.dpi),
		widget.NewFormItem(tr.S("settings.printer.width"), s.labelW),
		widget.NewFormItem(tr.S("settings.printer.height"), s.labelH),
		widget.NewFormItem(tr.S("settings.label_font"), s.labelFont),
		widget.NewFormItem(tr.S("settings.ship_from"), s.shipFrom),
	)
	scaleForm := widget.NewForm(
		widget.NewFormItem(tr.S("settings.scale.port"), s.scalePort),
		widget.NewFormItem(tr.S("settings.scale.protocol"), s.scaleProto),
		widget.NewFormItem(tr.S("settings.scale.baud"), s.baud),
		widget.NewFormItem(tr.S("settings.scale.tolerance"), s.tolerance),
	)
	head := func(key string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(tr.S(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	testLabel := newButton(s.u, tr.S("settings.test_label"), s.onTestLabel)
	if s.u.opts.TestLabel == nil {
		testLabel.Disable()
	}
	detect := newButton(s.u, tr.S("settings.printer.detect"), s.onDetectPrinter)
	if s.u.opts.DetectPrinter == nil {
		detect.Disable()
	}
	for _, sel := range []*selectBox{s.language, s.scannerKind, s.printerTransport, s.printerLang, s.dpi, s.scaleProto} {
		sel.PlaceHolder = tr.S("settings.select")
	}
	left := container.NewVBox(head("settings.scan_test"), s.scanTest, s.scanResult,
		head("settings.general"), general, head("settings.scanner"), scannerForm)
	right := container.NewVBox(head("settings.printer"), printerForm,
		container.NewHBox(detect, testLabel), s.testResult,
		head("settings.scale"), scaleForm, newButton(s.u, tr.S("settings.scale.read"), s.onReadScale),
		head("settings.devices"), newButton(s.u, tr.S("settings.devices.refresh"), s.onRefreshDevices), s.devices)
	save := newButton(s.u, tr.S("settings.save"), s.onSave)
	save.Importance = widget.HighImportance
	back := newButton(s.u, tr.S("settings.back"), func() { s.u.show("packing") })
	title := widget.NewRichTextFromMarkdown("## " + tr.S("settings.title"))
	bottom := container.NewVBox(s.message, container.NewHBox(save, back, widget.NewLabel(tr.S("settings.keys"))),
		widget.NewLabel(tr.S("settings.restart_note")))
	body := container.NewGridWithColumns(2, container.NewVScroll(left), container.NewVScroll(right))
	s.fill()
	return container.NewBorder(title, bottom, nil, nil, body)
}

// load reads the settings off the UI thread and shows them.
func (s *settingsScreen) load() {
	s.u.spawn(func() {
		ctx, cancel := context.WithTimeout(s.u.ctx, s.u.opts.Timeout)
		defer cancel()
		set, err := s.u.st.Settings(ctx)
		fyne.Do(func() {
			if err != nil {
				s.showError(err)
				return
			}
			s.set = set
			s.fill()
		})
	})
	s.onRefreshDevices()
}

func (s *settingsScreen) fill() {
	if s.serverURL == nil {
		return
	}
	set := station.EffectiveSettings(s.set)
	s.serverURL.SetText(set.ServerURL)
	s.token.SetText(set.StationToken.Reveal())
	s.claim.SetText(strconv.Itoa(set.ClaimOrders))
	for i, c := range s.langCodes {
		if c == set.Language {
			s.language.SetSelectedIndex(i)
		}
	}
	s.volume.SetValue(float64(set.Volume))
	s.scannerKind.setCode(set.Scanner.Kind)
	s.scannerPort.SetText(set.Scanner.Port)
	s.vidpid.SetText(set.Scanner.VIDPID)
	s.framing.SetText(set.Scanner.Framing)
	s.printerTransport.setCode(set.Printer.Transport)
	s.printerAddr.SetText(set.Printer.Address)
	s.printerLang.SetSelected(set.Printer.Language)
	s.dpi.SetSelected(itoa(set.Printer.DPI))
	s.labelW.SetText(itoa(set.Printer.LabelWidthMM))
	s.labelH.SetText(itoa(set.Printer.LabelHeightMM))
	s.labelFont.SetText(set.LabelFont)
	s.shipFrom.SetText(station.FormatShipFrom(set.ShipFrom))
	s.scalePort.SetText(set.Scale.Port)
	s.scaleProto.setCode(set.Scale.Protocol)
	s.baud.SetText(itoa(set.Scale.Baud))
	s.tolerance.SetText(itoa(set.Scale.ToleranceGrams))
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// collect reads the form; a number field that does not parse is an error
// naming the field.
func (s *settingsScreen) collect() (station.Settings, error) {
	tr := s.u.tr
	set := s.set
	set.ServerURL = strings.TrimSpace(s.serverURL.Text)
	set.StationToken = station.Secret(strings.TrimSpace(s.token.Text))
	if i := s.language.SelectedIndex(); i >= 0 && i < len(s.langCodes) {
		set.Language = s.langCodes[i]
	}
	set.Volume = int(s.volume.Value)
	set.Scanner.Kind = s.scannerKind.code()
	set.Scanner.Port = strings.TrimSpace(s.scannerPort.Text)
	set.Scanner.VIDPID = strings.TrimSpace(s.vidpid.Text)
	set.Scanner.Framing = strings.TrimSpace(s.framing.Text)
	set.Printer.Transport = s.printerTransport.code()
	set.Printer.Address = strings.TrimSpace(s.printerAddr.Text)
	set.Printer.Language = s.printerLang.Selected
	set.LabelFont = strings.TrimSpace(s.labelFont.Text)
	from, err := station.ParseShipFrom(s.shipFrom.Text)
	if err != nil {
		return set, err
	}
	set.ShipFrom = from
	set.Scale.Port = strings.TrimSpace(s.scalePort.Text)
	set.Scale.Protocol = s.scaleProto.code()
	nums := []struct {
		key  string
		text string
		dst  *int
	}{
		{"settings.printer.dpi", s.dpi.Selected, &set.Printer.DPI},
		{"settings.printer.width", s.labelW.Text, &set.Printer.LabelWidthMM},
		{"settings.printer.height", s.labelH.Text, &set.Printer.LabelHeightMM},
		{"settings.scale.baud", s.baud.Text, &set.Scale.Baud},
		{"settings.scale.tolerance", s.tolerance.Text, &set.Scale.ToleranceGrams},
		{"settings.claim", s.claim.Text, &set.ClaimOrders},
	}
	for _, n := range nums {
		t := strings.TrimSpace(n.text)
		if t == "" {
			*n.dst = 0
			continue
		}
		v, err := strconv.Atoi(t)
		if err != nil || v < 0 {
			return set, fmt.Errorf("%s", tr.T("settings.error.number", map[string]any{"field": tr.S(n.key), "value": t}))
		}
		*n.dst = v
	}
	return set, nil
}

func (s *settingsScreen) onSave() {
	set, err := s.collect()
	if err != nil {
		s.message.SetText(err.Error())
		s.message.Importance = widget.DangerImportance
		s.message.Refresh()
		return
	}
	s.u.spawn(func() {
		ctx, cancel := context.WithTimeout(s.u.ctx, s.u.opts.Timeout)
		defer cancel()
		err := s.u.st.SaveSettings(ctx, set)
		fyne.Do(func() {
			if err != nil {
				s.showError(err)
				return
			}
			s.set = set
			s.u.soundMu.Lock()
			if s.u.sound != nil {
				s.u.sound.SetVolume(set.Volume)
			}
			s.u.soundMu.Unlock()
			s.u.renderLocked(s.u.st.View()) // a language change rebuilds the screens
			s.u.settings.message.SetText(s.u.tr.S("settings.saved"))
			s.u.settings.message.Importance = widget.SuccessImportance
			s.u.settings.message.Refresh()
		})
	})
}

func (s *settingsScreen) showError(err error) {
	s.u.setInputError(err)
	msg := s.u.tr.S("error.settings_load")
	if s.u.inputErr != nil {
		msg = s.u.tr.T(s.u.inputErr.Key, s.u.inputErr.Args)
	}
	s.message.SetText(msg)
	s.message.Importance = widget.DangerImportance
	s.message.Refresh()
}

// onScanTest shows what a scan means (barcode.Parse), without acting on it.
func (s *settingsScreen) onScanTest(raw string) {
	tr := s.u.tr
	if s.scanTest != nil {
		s.scanTest.SetText("")
	}
	sc := barcode.Parse(raw)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %q\n", tr.S("settings.scan_test.data"), sc.Data)
	fmt.Fprintf(&b, "%s: %s\n", tr.S("settings.scan_test.kind"), tr.S(kindKey(sc.Kind)))
	if sc.Symbology != "" {
		fmt.Fprintf(&b, "%s: %s\n", tr.S("settings.scan_test.symbology"), sc.Symbology)
	}
	if sc.GTIN != "" {
		fmt.Fprintf(&b, "GTIN: %s\n", sc.GTIN)
	}
	if sc.Carrier != "" {
		fmt.Fprintf(&b, "%s: %s\n", tr.S("settings.scan_test.carrier"), sc.Carrier)
	}
	ais := make([]string, 0, len(sc.AIs))
	for k, v := range sc.AIs {
		ais = append(ais, "("+k+") "+v)
	}
	sort.Strings(ais)
	if len(ais) > 0 {
		fmt.Fprintf(&b, "GS1: %s\n", strings.Join(ais, " "))
	}
	if !sc.Valid {
		fmt.Fprintf(&b, "%s: %s", tr.S("settings.scan_test.invalid"), sc.Error)
	}
	if s.scanResult != nil {
		s.scanResult.SetText(strings.TrimSpace(b.String()))
	}
}

// kindKey maps a scan kind to its message key (written out for the
// translation test).
func kindKey(k barcode.Kind) string {
	switch k {
	case barcode.KindGTIN:
		return "kind.gtin"
	case barcode.KindGS1:
		return "kind.gs1"
	case barcode.KindSSCC:
		return "kind.sscc"
	case barcode.KindFNSKU:
		return "kind.fnsku"
	case barcode.KindASIN:
		return "kind.asin"
	case barcode.KindAmazonOrder:
		return "kind.amazon_order"
	case barcode.KindFBACarton:
		return "kind.fba_carton"
	case barcode.KindTracking:
		return "kind.tracking"
	}
	return "kind.text"
}

func (s *settingsScreen) onRefreshDevices() {
	if s.u.opts.Devices == nil {
		s.devices.SetText(s.u.tr.S("settings.devices.none"))
		return
	}
	s.devices.SetText(s.u.tr.S("settings.devices.searching"))
	s.u.spawn(func() {
		list, err := s.u.opts.Devices()
		fyne.Do(func() {
			tr := s.u.tr
			switch {
			case err != nil:
				s.devices.SetText(tr.T("settings.devices.error", map[string]any{"detail": err.Error()}))
			case len(list) == 0:
				s.devices.SetText(tr.S("settings.devices.none"))
			default:
				s.devices.SetText(strings.Join(list, "\n"))
				s.scannerPort.SetOptions(list)
				s.scalePort.SetOptions(list)
			}
		})
	})
}

func (s *settingsScreen) onTestLabel() {
	s.testResult.SetText(s.u.tr.S("settings.test_label.printing"))
	s.u.spawn(func() {
		ctx, cancel := context.WithTimeout(s.u.ctx, s.u.opts.Timeout)
		defer cancel()
		err := s.u.opts.TestLabel(ctx)
		fyne.Do(func() {
			if err != nil {
				s.testResult.SetText(s.u.tr.T("settings.test_label.failed", map[string]any{"detail": err.Error()}))
				return
			}
			s.testResult.SetText(s.u.tr.S("settings.test_label.ok"))
		})
	})
}

// onDetectPrinter asks the printer at the address in the field (saved or
// not) which language it speaks, off the UI thread, and fills the language
// and the address with what answered; the operator still saves.
func (s *settingsScreen) onDetectPrinter() {
	addr := strings.TrimSpace(s.printerAddr.Text)
	if addr == "" {
		s.testResult.SetText(s.u.tr.S("settings.printer.detect.no_address"))
		return
	}
	s.testResult.SetText(s.u.tr.S("settings.printer.detect.asking"))
	s.u.spawn(func() {
		ctx, cancel := context.WithTimeout(s.u.ctx, s.u.opts.Timeout)
		defer cancel()
		lang, full, err := s.u.opts.DetectPrinter(ctx, addr)
		fyne.Do(func() {
			if err != nil {
				s.testResult.SetText(s.u.tr.T("settings.printer.detect.failed", map[string]any{"detail": err.Error()}))
				return
			}
			s.printerLang.SetSelected(lang)
			s.printerAddr.SetText(full)
			s.testResult.SetText(s.u.tr.T("settings.printer.detect.ok", map[string]any{"language": strings.ToUpper(lang)}))
		})
	})
}

// onTestConnection asks the server in the fields (saved or not) who the
// token belongs to, off the UI thread.
func (s *settingsScreen) onTestConnection() {
	url, token := strings.TrimSpace(s.serverURL.Text), strings.TrimSpace(s.token.Text)
	s.connResult.SetText(s.u.tr.S("settings.test_connection.testing"))
	s.u.spawn(func() {
		ctx, cancel := context.WithTimeout(s.u.ctx, s.u.opts.Timeout)
		defer cancel()
		st, wh, err := s.u.opts.TestConnection(ctx, url, token)
		fyne.Do(func() {
			if err != nil {
				s.connResult.SetText(s.u.tr.T("settings.test_connection.failed", map[string]any{"detail": err.Error()}))
				return
			}
			s.connResult.SetText(s.u.tr.T("settings.test_connection.ok", map[string]any{"station": st, "warehouse": wh}))
		})
	})
}

// onReadScale shows the scale's last reading from the station's status.
func (s *settingsScreen) onReadScale() {
	sc := s.u.view.Status.Scale
	tr := s.u.tr
	switch {
	case !sc.Configured:
		s.testResult.SetText(tr.S("status.scale_none"))
	case sc.Error != nil:
		s.testResult.SetText(tr.T(sc.Error.Key, sc.Error.Args))
	default:
		s.testResult.SetText(tr.T("status.scale", map[string]any{"grams": tr.Grams(sc.Grams), "state": tr.S(map[bool]string{true: "ui.weigh.stable", false: "ui.weigh.unstable"}[sc.Stable])}))
	}
}
