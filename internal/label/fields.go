package label

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/packdesk/packdesk/internal/pack"
)

// Field is one documented template field with its default.
type Field struct {
	Name, Default, Doc string
}

// Template is a named label template driven by a map of fields.
type Template struct {
	Name, Summary string
	Fields        []Field
	// Pages builds the template's pages (one for single labels).
	Pages func(f Fields, dpi int) ([]*Label, error)
}

// Fields are template field values by name; missing fields take defaults.
type Fields map[string]string

func (f Fields) int(name string) (int, error) {
	v, err := strconv.Atoi(strings.TrimSpace(f[name]))
	if err != nil {
		return 0, fmt.Errorf("label: field %s=%q must be a whole number", name, f[name])
	}
	return v, nil
}

func (f Fields) addr(prefix string) Address {
	return Address{Name: f[prefix+".name"], Company: f[prefix+".company"], Line1: f[prefix+".line1"], Line2: f[prefix+".line2"],
		City: f[prefix+".city"], State: f[prefix+".state"], Postcode: f[prefix+".postcode"], Country: f[prefix+".country"], Phone: f[prefix+".phone"]}
}

func addrFields(prefix, what string, def Address) []Field {
	return []Field{
		{prefix + ".name", def.Name, what + " name"},
		{prefix + ".company", def.Company, what + " company"},
		{prefix + ".line1", def.Line1, what + " street line 1"},
		{prefix + ".line2", def.Line2, what + " street line 2"},
		{prefix + ".city", def.City, what + " city"},
		{prefix + ".state", def.State, what + " state/province"},
		{prefix + ".postcode", def.Postcode, what + " postcode"},
		{prefix + ".country", def.Country, what + " country"},
		{prefix + ".phone", def.Phone, what + " phone"},
	}
}

// lines parses "SKU*QTY*TITLE*LOCATION;…" into shipping lines.
func parseLines(s string) ([]ShippingLine, error) {
	var out []ShippingLine
	for part := range strings.SplitSeq(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		f := strings.Split(part, "*")
		if len(out) == MaxLines {
			return nil, limitError("the number of lines", fmt.Sprintf("over %d", MaxLines), fmt.Sprintf("%d (MaxLines)", MaxLines), "print the order's lines on a pick list instead")
		}
		l := ShippingLine{SKU: strings.TrimSpace(f[0]), Qty: 1}
		if len(f) > 1 {
			q, err := strconv.Atoi(strings.TrimSpace(f[1]))
			if err != nil || q < 0 {
				return nil, fmt.Errorf("label: line %q: quantity %q must be a whole number; write SKU*QTY*TITLE*LOCATION;…", part, f[1])
			}
			if q > MaxLineQty {
				return nil, limitError(fmt.Sprintf("line %q: the quantity", part), q, fmt.Sprintf("%d (MaxLineQty)", MaxLineQty), "check the quantity")
			}
			l.Qty = q
		}
		if len(f) > 2 {
			l.Title = strings.TrimSpace(f[2])
		}
		if len(f) > 3 {
			l.Location = strings.TrimSpace(f[3])
		}
		out = append(out, l)
	}
	return out, nil
}

func parseSize(s string) (Size, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	unit := 1.0
	if t, ok := strings.CutSuffix(s, "in"); ok {
		s, unit = t, 25.4
	} else {
		s = strings.TrimSuffix(s, "mm")
	}
	w, h, ok := strings.Cut(s, "x")
	if !ok {
		return Size{}, fmt.Errorf("label: size %q: write WxH in mm (50x25) or inches (4x6in)", s)
	}
	wv, err1 := strconv.ParseFloat(w, 64)
	hv, err2 := strconv.ParseFloat(h, 64)
	if err1 != nil || err2 != nil || !(wv > 0) || !(hv > 0) {
		return Size{}, fmt.Errorf("label: size %q: write WxH in mm (50x25) or inches (4x6in)", s)
	}
	if wv*unit > MaxLabelMM || hv*unit > MaxLabelMM {
		return Size{}, limitError(fmt.Sprintf("label size %q: a side", s), fmt.Sprintf("%.0f mm", max(wv, hv)*unit), fmt.Sprintf("%.0f mm (MaxLabelMM)", MaxLabelMM), "give the label's real size")
	}
	return Size{wv * unit, hv * unit}, nil
}

var demoFrom = Address{Name: "Shenzhen Demo Trading Co.", Line1: "1 Keji Rd, Nanshan", City: "Shenzhen", State: "GD", Postcode: "518057", Country: "CN"}
var demoTo = Address{Name: "Jane Doe", Line1: "123 Main St", Line2: "Apt 4", City: "Springfield", State: "IL", Postcode: "62701", Country: "US"}
var demoFC = Address{Name: "Amazon.com Services LLC", Company: "LGB8", Line1: "1568 N Linden Ave", City: "Rialto", State: "CA", Postcode: "92376", Country: "US"}

func single(l *Label, err error) ([]*Label, error) {
	if err != nil {
		return nil, err
	}
	return []*Label{l}, nil
}

var templates = []Template{
	{
		Name: "fnsku", Summary: "Amazon FBA unit label 50x25 or 50x30 mm",
		Fields: []Field{
			{"fnsku", "X001ABCDEF", "FNSKU, Code 128"},
			{"title", "Demo product title", "product title, cut to fit with an ellipsis"},
			{"condition", "New", "condition"},
			{"madein", "", "country of origin: prints \"Made in …\" when set"},
			{"size", "50x25", "50x25 or 50x30 (mm)"},
		},
		Pages: func(f Fields, dpi int) ([]*Label, error) {
			s, err := parseSize(f["size"])
			if err != nil {
				return nil, err
			}
			return single(FNSKU(FNSKUData{FNSKU: f["fnsku"], Title: f["title"], Condition: f["condition"], MadeIn: f["madein"], Size: s}, dpi))
		},
	},
	{
		Name: "fnsku-sheet", Summary: "30-up A4 sheet of FNSKU labels (70x29.7 mm), best as PDF",
		Fields: []Field{
			{"fnsku", "X001ABCDEF", "FNSKU"},
			{"title", "Demo product title", "product title"},
			{"condition", "New", "condition"},
			{"madein", "", "country of origin"},
			{"count", "30", "number of labels"},
		},
		Pages: func(f Fields, dpi int) ([]*Label, error) {
			n, err := f.int("count")
			if err != nil {
				return nil, err
			}
			if n < 1 {
				return nil, fmt.Errorf("label: field count=%d: give at least 1 label", n)
			}
			return FNSKUSheet([]FNSKUSheetItem{{FNSKUData{FNSKU: f["fnsku"], Title: f["title"], Condition: f["condition"], MadeIn: f["madein"]}, n}}, dpi)
		},
	},
	{
		Name: "fba-carton", Summary: "FBA carton label 4x6 in: shipment id, box barcode FBA…U000001, box n of N",
		Fields: append(append([]Field{
			{"shipment", "FBA15ABCDE12", "FBA shipment id"},
			{"box", "1", "box number"},
			{"boxes", "1", "number of boxes"},
			{"fc", "LGB8", "fulfilment centre code"},
			{"contents", "Single SKU", "contents line"},
			{"size", "4x6in", "label size"},
		}, addrFields("from", "ship-from", demoFrom)...), addrFields("to", "ship-to", demoFC)...),
		Pages: func(f Fields, dpi int) ([]*Label, error) {
			box, err := f.int("box")
			if err != nil {
				return nil, err
			}
			boxes, err := f.int("boxes")
			if err != nil {
				return nil, err
			}
			if boxes > MaxBoxes {
				return nil, limitError("field boxes", boxes, fmt.Sprintf("%d (MaxBoxes: the carton id has six digits)", MaxBoxes), "split the shipment")
			}
			s, err := parseSize(f["size"])
			if err != nil {
				return nil, err
			}
			return single(FBACarton(FBACartonData{ShipmentID: f["shipment"], Box: box, Boxes: boxes, FC: f["fc"], Contents: f["contents"],
				ShipFrom: f.addr("from"), ShipTo: f.addr("to"), Size: s}, dpi))
		},
	},
	{
		Name: "shipping-4x6", Summary: "4x6 in shipping label: addresses, order, tracking barcode, SKU summary",
		Fields: append(append([]Field{
			{"order", "113-1234567-1234567", "order number (Code 128)"},
			{"tracking", "YT2412345678901234", "tracking number (Code 128)"},
			{"carrier", "Yanwen", "carrier"},
			{"service", "Standard", "service"},
			{"weight", "0", "weight in grams (0: not printed)"},
			{"reference", "", "free reference text"},
			{"lines", "DEMO-SKU-1*2*Demo product", "SKU*QTY*TITLE;… lines"},
		}, addrFields("from", "sender", demoFrom)...), addrFields("to", "recipient", demoTo)...),
		Pages: func(f Fields, dpi int) ([]*Label, error) {
			w, err := f.int("weight")
			if err != nil {
				return nil, err
			}
			if w < 0 || w > MaxWeightGrams {
				return nil, fmt.Errorf("label: field weight=%d: give grams from 0 to %d (MaxWeightGrams)", w, MaxWeightGrams)
			}
			lines, err := parseLines(f["lines"])
			if err != nil {
				return nil, err
			}
			return single(Shipping(ShippingData{From: f.addr("from"), To: f.addr("to"), OrderID: f["order"], Tracking: f["tracking"],
				Carrier: f["carrier"], Service: f["service"], WeightG: w, Reference: f["reference"], Lines: lines}, dpi))
		},
	},
	{
		Name: "pick-slip", Summary: "pick slip 4x6 in: order barcode and lines",
		Fields: []Field{
			{"order", "113-1234567-1234567", "order number (Code 128)"},
			{"shipby", "", "ship-by date as printed"},
			{"lines", "DEMO-SKU-1*2*Demo product*A-01-03", "SKU*QTY*TITLE*LOCATION;… lines"},
			{"note", "", "note at the bottom"},
			{"size", "4x6in", "label size"},
		},
		Pages: func(f Fields, dpi int) ([]*Label, error) {
			lines, err := parseLines(f["lines"])
			if err != nil {
				return nil, err
			}
			s, err := parseSize(f["size"])
			if err != nil {
				return nil, err
			}
			return single(PickSlip(PickSlipData{OrderID: f["order"], ShipBy: f["shipby"], Lines: lines, Note: f["note"], Size: s}, dpi))
		},
	},
	{
		Name: "command-sheet", Summary: "A4 sheet of Packdesk command barcodes and badges",
		Fields: []Field{
			{"title", "Packdesk command barcodes", "sheet title"},
			{"reasons", strings.Join(ExceptionReasons, ","), "exception reasons, comma-separated"},
			{"badges", "", "badges id[:name],… (PDBADGE:<id>)"},
			{"extra", "", "extra entries caption=DATA;…"},
			{"commands", "yes", "include the command barcodes (yes/no)"},
		},
		Pages: func(f Fields, dpi int) ([]*Label, error) {
			var entries []CommandEntry
			if f["commands"] != "no" {
				reasons := nonEmpty(strings.Split(f["reasons"], ",")...)
				for i, r := range reasons {
					reasons[i] = strings.ToUpper(strings.TrimSpace(r))
					if !pack.ValidExceptionReason(reasons[i]) {
						return nil, fmt.Errorf("label: exception reason %q is not one the station accepts: use some of %s", r, strings.Join(pack.ExceptionReasons, ","))
					}
				}
				entries = DefaultCommands(reasons)
			}
			for _, b := range nonEmpty(strings.Split(f["badges"], ",")...) {
				id, name, _ := strings.Cut(b, ":")
				entries = append(entries, Badge(id, name))
			}
			for _, e := range nonEmpty(strings.Split(f["extra"], ";")...) {
				c, d, ok := strings.Cut(e, "=")
				if !ok {
					return nil, fmt.Errorf("label: extra entry %q: write caption=DATA", e)
				}
				entries = append(entries, CommandEntry{Caption: c, Data: d})
			}
			if len(entries) == 0 {
				return nil, fmt.Errorf("label: command sheet has no entries; keep commands=yes or add badges/extra")
			}
			if len(entries) > MaxSheetEntries {
				return nil, limitError("the number of command sheet entries", len(entries), fmt.Sprintf("%d (MaxSheetEntries)", MaxSheetEntries), "print several sheets")
			}
			return CommandSheet(CommandSheetData{Title: f["title"], Entries: entries}, dpi)
		},
	},
}

// Templates returns the templates, sorted by name.
func Templates() []Template {
	out := append([]Template(nil), templates...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup returns the named template; ok is false when there is none.
func Lookup(name string) (Template, bool) {
	for _, t := range templates {
		if t.Name == name {
			return t, true
		}
	}
	return Template{}, false
}

// Build fills in defaults and builds the named template's pages. It
// returns an error for an unknown template or field name, and the
// template's own errors.
func Build(name string, fields Fields, dpi int) ([]*Label, error) {
	t, ok := Lookup(name)
	if !ok {
		var names []string
		for _, t := range Templates() {
			names = append(names, t.Name)
		}
		return nil, fmt.Errorf("label: unknown template %q; use one of %s", name, strings.Join(names, ", "))
	}
	f := Fields{}
	known := map[string]bool{}
	for _, fd := range t.Fields {
		f[fd.Name] = fd.Default
		known[fd.Name] = true
	}
	for k, v := range fields {
		if !known[k] {
			var names []string
			for _, fd := range t.Fields {
				names = append(names, fd.Name)
			}
			return nil, fmt.Errorf("label: template %s has no field %q; fields: %s", name, k, strings.Join(names, ", "))
		}
		f[k] = v
	}
	if err := checkFieldLengths(f); err != nil {
		return nil, err
	}
	return t.Pages(f, dpi)
}

// Format is an output format.
type Format string

// Output formats.
const (
	FormatPNG  Format = "png"
	FormatZPL  Format = "zpl"
	FormatTSPL Format = "tspl"
	FormatPDF  Format = "pdf"
)

// Write writes pages in format: ZPL and TSPL concatenate one job per page,
// PDF puts each on its own page, PNG supports a single page only. It
// returns an error for an unknown format, several pages as PNG, and the
// rendering and write errors. It cannot be interrupted: for many pages use
// WritePages.
func Write(w io.Writer, pages []*Label, format Format, o Options) error {
	return WritePages(context.Background(), w, pages, format, o, nil)
}

// WritePages is Write that stops when ctx ends (checked before each page)
// and calls progress, when not nil, after each page. Errors: Write's, and
// ctx's error wrapped with how many pages were done.
func WritePages(ctx context.Context, w io.Writer, pages []*Label, format Format, o Options, progress Progress) error {
	switch format {
	case FormatPDF:
		return writePDF(ctx, w, pages, o, progress)
	case FormatPNG:
		if len(pages) != 1 {
			return fmt.Errorf("label: %d pages cannot be one PNG; use --format pdf", len(pages))
		}
		return pages[0].PNG(w, o)
	case FormatZPL, FormatTSPL:
		for i, p := range pages {
			if err := checkCtx(ctx, i, len(pages)); err != nil {
				return err
			}
			var b []byte
			var err error
			if format == FormatZPL {
				b, err = p.ZPL(o)
			} else {
				b, err = p.TSPL(o)
			}
			if err != nil {
				return err
			}
			if _, err := w.Write(b); err != nil {
				return fmt.Errorf("label: write %s: %w", format, err)
			}
			if progress != nil {
				progress(i+1, len(pages))
			}
		}
		return nil
	}
	return fmt.Errorf("label: unknown format %q; use png, zpl, tspl or pdf", format)
}
