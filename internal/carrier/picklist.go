package carrier

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/label"
)

// PickRow is one row of a wave's pick list: a SKU at a location with the
// units of all the wave's orders.
type PickRow struct {
	Location string `json:"location"` // "" when unknown
	SKU      string `json:"sku"`
	Title    string `json:"title"`
	Units    int    `json:"units"`
	Orders   int    `json:"orders"` // how many of the wave's orders need it
}

// PickRows totals a wave's lines per SKU, sorted by location (unknown
// locations last) then SKU: the picker's walk.
func PickRows(w central.Wave) []PickRow {
	loc := map[string]string{}
	for _, s := range w.Stock {
		loc[s.SKU] = s.Location
	}
	title := map[string]string{}
	for _, s := range w.SKUs {
		title[s.SKU] = s.Title
	}
	by := map[string]*PickRow{}
	for _, o := range w.Orders {
		seen := map[string]bool{}
		for _, l := range o.Lines {
			r, ok := by[l.SKU]
			if !ok {
				t := title[l.SKU]
				if t == "" {
					t = l.Title
				}
				r = &PickRow{Location: loc[l.SKU], SKU: l.SKU, Title: t}
				by[l.SKU] = r
			}
			r.Units += l.Quantity
			if !seen[l.SKU] {
				r.Orders++
				seen[l.SKU] = true
			}
		}
	}
	rows := make([]PickRow, 0, len(by))
	for _, r := range by {
		rows = append(rows, *r)
	}
	slices.SortFunc(rows, func(a, b PickRow) int {
		if (a.Location == "") != (b.Location == "") {
			if a.Location == "" {
				return 1
			}
			return -1
		}
		if c := strings.Compare(a.Location, b.Location); c != 0 {
			return c
		}
		return strings.Compare(a.SKU, b.SKU)
	})
	return rows
}

// PickList writes the wave's pick list as an A4 PDF: one row per SKU by
// location with its units and orders, and the totals. Text is drawn in the
// Go fonts (Latin, Greek, Cyrillic); characters they lack are left out of
// titles (SKU and location are what the picker reads). Errors: writing.
func PickList(out io.Writer, w central.Wave) error {
	rows := PickRows(w)
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreator("Packdesk", true)
	pdf.SetTitle("Pick list "+w.ID, true)
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.SetAutoPageBreak(true, 15)
	cols := []struct {
		head string
		w    float64
	}{{"Location", 28}, {"SKU", 42}, {"Item", 80}, {"Units", 18}, {"Orders", 18}}
	header := func() {
		pdf.SetFont("go", "B", 9)
		for _, c := range cols {
			pdf.CellFormat(c.w, 7, c.head, "B", 0, "L", false, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.SetHeaderFunc(func() {
		pdf.SetFont("go", "B", 14)
		pdf.CellFormat(0, 8, fmt.Sprintf("Pick list · wave %s · %s", w.ID, w.Warehouse), "", 1, "L", false, 0, "")
		pdf.SetFont("go", "", 9)
		pdf.CellFormat(0, 5, fmt.Sprintf("%d orders · created %s by %s · page %d", len(w.Orders), w.Created.Format("2006-01-02 15:04 MST"), w.Actor, pdf.PageNo()), "", 1, "L", false, 0, "")
		pdf.Ln(2)
		header()
	})
	pdf.AddPage()
	units := 0
	for _, r := range rows {
		pdf.SetFont("go", "B", 10)
		pdf.CellFormat(cols[0].w, 7, fit(pdf, dash(r.Location), cols[0].w), "B", 0, "L", false, 0, "")
		pdf.CellFormat(cols[1].w, 7, fit(pdf, r.SKU, cols[1].w), "B", 0, "L", false, 0, "")
		pdf.SetFont("go", "", 9)
		pdf.CellFormat(cols[2].w, 7, fit(pdf, latin(r.Title), cols[2].w), "B", 0, "L", false, 0, "")
		pdf.SetFont("go", "B", 10)
		pdf.CellFormat(cols[3].w, 7, fmt.Sprint(r.Units), "B", 0, "R", false, 0, "")
		pdf.SetFont("go", "", 10)
		pdf.CellFormat(cols[4].w, 7, fmt.Sprint(r.Orders), "B", 1, "R", false, 0, "")
		units += r.Units
	}
	pdf.Ln(3)
	pdf.SetFont("go", "B", 11)
	pdf.CellFormat(0, 7, fmt.Sprintf("Total: %d SKUs, %d units, %d orders", len(rows), units, len(w.Orders)), "", 1, "L", false, 0, "")
	pdf.SetFont("go", "", 9)
	pdf.MultiCell(0, 5, "Orders: "+strings.Join(w.OrderIDs, ", "), "", "L", false)
	if err := pdf.Output(out); err != nil {
		return fmt.Errorf("carrier: write the pick list of wave %s: %w", w.ID, err)
	}
	return nil
}

// fit shortens s with … until it fits a cell w mm wide.
func fit(pdf *fpdf.Fpdf, s string, w float64) string {
	r := []rune(s)
	for len(r) > 0 && pdf.GetStringWidth(string(r)) > w-2 {
		r = r[:len(r)-1]
		s = string(r) + "…"
	}
	return s
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// latin keeps the characters the Go fonts draw.
func latin(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x0530 || r >= 0x2000 && r < 0x2070 {
			return r
		}
		return -1
	}, s))
}

// PickSlips writes one 4×6 in pick slip per order of the wave (a PDF):
// the order's barcode, which the packer scans to open it, and its lines
// with their locations. Errors: an order id the barcode cannot carry,
// drawing or writing.
func PickSlips(ctx context.Context, out io.Writer, w central.Wave, dpi int) error {
	if dpi == 0 {
		dpi = 203
	}
	loc := map[string]string{}
	for _, s := range w.Stock {
		loc[s.SKU] = s.Location
	}
	draw := func(ascii bool) ([]byte, error) {
		pages := make([]*label.Label, 0, len(w.Orders))
		for _, o := range w.Orders {
			d := label.PickSlipData{OrderID: o.ID, Note: "Wave " + w.ID}
			if !o.ShipBy.IsZero() {
				d.ShipBy = o.ShipBy.Format("2006-01-02")
			}
			for _, l := range o.Lines {
				t := l.Title
				if ascii {
					t = latin(t)
				}
				d.Lines = append(d.Lines, label.ShippingLine{SKU: l.SKU, Title: t, Qty: l.Quantity, Location: loc[l.SKU]})
			}
			p, err := label.PickSlip(d, dpi)
			if err != nil {
				return nil, fmt.Errorf("pick slip of order %s: %w", o.ID, err)
			}
			pages = append(pages, p)
		}
		var b bytes.Buffer
		err := label.WritePages(ctx, &b, pages, label.FormatPDF, label.Options{}, nil)
		return b.Bytes(), err
	}
	// Titles in Chinese need a CJK font; without one the slips are drawn
	// without those characters rather than not at all.
	doc, err := draw(false)
	if errors.Is(err, label.ErrNoCJKFont) {
		doc, err = draw(true)
	}
	if err != nil {
		return fmt.Errorf("carrier: the pick slips of wave %s: %w", w.ID, err)
	}
	if _, err := out.Write(doc); err != nil {
		return fmt.Errorf("carrier: write the pick slips of wave %s: %w", w.ID, err)
	}
	return nil
}
