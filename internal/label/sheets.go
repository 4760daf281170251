package label

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"
	"github.com/packdesk/packdesk/internal/pack"
)

// CommandEntry is one barcode on a command sheet: a caption and the data.
type CommandEntry struct {
	Caption string
	Data    string // printable ASCII for Code 128; see Barcode.Data for the others
	// Symbology defaults to Code128; the demo's barcode sheet also uses
	// EAN13, UPCA, GS1128, QR and GS1DataMatrix entries.
	Symbology Symbology
}

// ExceptionReasons are the exception reasons on the default command sheet:
// the engine's closed list, so every printed code is one it accepts.
var ExceptionReasons = pack.ExceptionReasons

// DefaultCommands returns the Packdesk command barcodes: PDCMD:COMPLETE,
// PDCMD:REPRINT, PDCMD:LABEL-FAILED, PDCMD:EXCEPTION:<reason> for each of
// reasons (ExceptionReasons when nil), PDCMD:CANCEL,
// PDCMD:OVERRIDE:<reason> for each of pack.OverrideReasons (the engine
// refuses an override without one), PDCMD:LOGOUT, and the returns mode's:
// PDCMD:MODE:RETURNS and PDCMD:MODE:PACKING, PDCMD:GRADE:<A-D>,
// PDCMD:DISPOSE:<disposition> for each of pack.Dispositions and
// PDCMD:CLOSE-RETURN.
func DefaultCommands(reasons []string) []CommandEntry {
	if reasons == nil {
		reasons = ExceptionReasons
	}
	out := []CommandEntry{
		{Caption: "Complete order", Data: "PDCMD:COMPLETE"},
		{Caption: "Reprint label", Data: "PDCMD:REPRINT"},
		{Caption: "Label failed", Data: "PDCMD:LABEL-FAILED"},
	}
	for _, r := range reasons {
		out = append(out, CommandEntry{Caption: "Exception: " + r, Data: "PDCMD:EXCEPTION:" + r})
	}
	out = append(out, CommandEntry{Caption: "Cancel", Data: "PDCMD:CANCEL"})
	for _, r := range pack.OverrideReasons {
		out = append(out, CommandEntry{Caption: "Supervisor override: " + r, Data: "PDCMD:OVERRIDE:" + r})
	}
	out = append(out, CommandEntry{Caption: "Log out", Data: "PDCMD:LOGOUT"})
	return append(out, ReturnCommands()...)
}

// ReturnCommands returns the returns mode's command barcodes (see
// DefaultCommands), every one a command the engine accepts.
func ReturnCommands() []CommandEntry {
	out := []CommandEntry{
		{Caption: "Returns mode", Data: "PDCMD:MODE:" + pack.ModeArgReturns},
		{Caption: "Packing mode", Data: "PDCMD:MODE:" + pack.ModeArgPacking},
	}
	captions := map[pack.Grade]string{pack.GradeA: "A resaleable", pack.GradeB: "B open box", pack.GradeC: "C damaged", pack.GradeD: "D unsellable"}
	for _, g := range pack.Grades {
		out = append(out, CommandEntry{Caption: "Grade " + captions[g], Data: "PDCMD:GRADE:" + string(g)})
	}
	for _, d := range pack.Dispositions {
		out = append(out, CommandEntry{Caption: "Return unit: " + string(d), Data: "PDCMD:DISPOSE:" + strings.ToUpper(string(d))})
	}
	return append(out, CommandEntry{Caption: "Close return", Data: "PDCMD:" + string(pack.CommandCloseReturn)})
}

// Badge returns the command-sheet entry for a packer badge (PDBADGE:<id>).
func Badge(id, name string) CommandEntry {
	c := "Badge " + id
	if name != "" {
		c += " " + name
	}
	return CommandEntry{Caption: c, Data: "PDBADGE:" + id}
}

// CommandSheetData is a sheet of command barcodes on A4 pages.
type CommandSheetData struct {
	Title   string         // default "Packdesk command barcodes"
	Entries []CommandEntry // default DefaultCommands(nil)
}

// A4 is the ISO A4 paper size.
var A4 = MM(210, 297)

// CommandSheet lays the entries out one per row, nine rows per A4 page, each
// with its caption, its barcode (Code 128 unless the entry says otherwise)
// and the data in text, and returns the pages. It returns an error when an
// entry's data cannot be encoded or a caption cannot be drawn.
func CommandSheet(d CommandSheetData, dpi int) ([]*Label, error) {
	if d.Title == "" {
		d.Title = "Packdesk command barcodes"
	}
	if d.Entries == nil {
		d.Entries = DefaultCommands(nil)
	}
	const (
		m, top = 12.0, 24.0
		cellW  = 210 - 2*m
		cellH  = 29.5
		rows   = 9
	)
	var pages []*Label
	var p *layout
	for i, e := range d.Entries {
		if i%rows == 0 {
			var err error
			if p, err = newLayout(A4, dpi); err != nil {
				return nil, err
			}
			p.text(m, m, 6, 150, true, d.Title)
			if len(d.Entries) > rows {
				if err := p.textRight(m, m+1, 3.5, cellW, false, fmt.Sprintf("page %d", len(pages)+1)); err != nil {
					return nil, err
				}
			}
			pages = append(pages, p.l)
		}
		y := top + float64(i%rows)*cellH
		p.box(m, y, cellW, cellH-2, 0.2)
		if _, err := p.wrap(m+3, y+2, 4.5, 5.5, 55, 2, true, e.Caption); err != nil {
			return nil, err
		}
		sym := e.Symbology
		if sym == "" {
			sym = Code128
		}
		if err := p.textCenter(m+3, y+20.5, 2.6, 57, false, printable(e.Data)); err != nil {
			return nil, err
		}
		if err := p.barcode(sym, e.Data, m+60, y+2, cellW-62, 23.5); err != nil {
			return nil, fmt.Errorf("label: command sheet entry %q: %w", e.Caption, err)
		}
	}
	return pages, nil
}

// FNSKUSheetItem is one product on an FNSKU sheet, printed Count times.
type FNSKUSheetItem struct {
	FNSKUData
	Count int
}

// FNSKUSheet30 is the 30-up A4 layout: 3 columns × 10 rows of 70×29.7 mm.
var FNSKUSheet30 = struct {
	Columns, Rows int
	Cell          Size
}{3, 10, MM(70, 29.7)}

// FNSKUSheetMarginMM is the white border inside each sheet cell: most
// office printers cannot print the outer 4 mm of the page, and the outer
// cells' content must not be cut.
const FNSKUSheetMarginMM = 4.0

// FNSKUSheet lays FNSKU labels out 30-up on A4 pages (3×10 cells of
// 70×29.7 mm, each an FNSKU label of that size) and returns the pages. It
// returns the errors of FNSKU and an error when there is nothing to print.
func FNSKUSheet(items []FNSKUSheetItem, dpi int) ([]*Label, error) {
	g := FNSKUSheet30
	total := 0
	for _, it := range items {
		if it.Count > 0 {
			total += min(it.Count, MaxSheetLabels+1) // no overflow on absurd counts
		}
	}
	if total > MaxSheetLabels {
		return nil, limitError("the number of FNSKU labels", total, fmt.Sprintf("%d (MaxSheetLabels, %d A4 pages)", MaxSheetLabels, MaxSheetLabels/(g.Columns*g.Rows)),
			"print them in several runs")
	}
	var cells []image.Image
	for _, it := range items {
		if it.Count <= 0 {
			continue
		}
		fd := it.FNSKUData
		fd.Size = g.Cell
		fd.MarginMM = FNSKUSheetMarginMM
		l, err := FNSKU(fd, dpi)
		if err != nil {
			return nil, err
		}
		bm, err := l.Bitmap(Options{})
		if err != nil {
			return nil, err
		}
		img := bm.Image() // one image shared by the item's cells
		for range it.Count {
			cells = append(cells, img)
		}
	}
	if len(cells) == 0 {
		return nil, fmt.Errorf("label: FNSKU sheet has no labels; give at least one item with a count")
	}
	var pages []*Label
	per := g.Columns * g.Rows
	for i, img := range cells {
		if i%per == 0 {
			pages = append(pages, New(A4, dpi))
		}
		k := i % per
		x := float64(k%g.Columns) * g.Cell.WidthMM
		y := float64(k/g.Columns) * g.Cell.HeightMM
		pages[len(pages)-1].Add(Image{X: Dots(x, dpi), Y: Dots(y, dpi), Img: img})
	}
	return pages, nil
}

// WritePDF writes the labels as a PDF, one page per label at the label's
// physical size, each page a lossless image of the rendered label. It
// returns rendering errors and write errors. See WritePages to interrupt it.
func WritePDF(w io.Writer, pages []*Label, o Options) error {
	return writePDF(context.Background(), w, pages, o, nil)
}

func writePDF(ctx context.Context, w io.Writer, pages []*Label, o Options, progress Progress) error {
	if len(pages) == 0 {
		return fmt.Errorf("label: no pages to write to the PDF")
	}
	s := pages[0].SizeMM()
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: s.WidthMM, Ht: s.HeightMM}})
	pdf.SetCompression(true)
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCreator("Packdesk", true)
	for i, l := range pages {
		if err := checkCtx(ctx, i, len(pages)); err != nil {
			return err
		}
		img, err := l.Image(o)
		if err != nil {
			return fmt.Errorf("label: PDF page %d: %w", i+1, err)
		}
		var buf bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
			return fmt.Errorf("label: PDF page %d: %w", i+1, err)
		}
		ps := l.SizeMM()
		pdf.AddPageFormat("P", fpdf.SizeType{Wd: ps.WidthMM, Ht: ps.HeightMM})
		name := fmt.Sprintf("page%d", i+1)
		opt := fpdf.ImageOptions{ImageType: "PNG"}
		pdf.RegisterImageOptionsReader(name, opt, &buf)
		pdf.ImageOptions(name, 0, 0, ps.WidthMM, ps.HeightMM, false, opt, 0, "")
		if progress != nil {
			progress(i+1, len(pages))
		}
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("label: write PDF: %w", err)
	}
	return nil
}
