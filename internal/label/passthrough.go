package label

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
)

// ZPLInfo is what CheckZPL learned about a ZPL document.
type ZPLInfo struct {
	DPI           int    // resolution the document was made for; 0 = unknown
	Source        string // how DPI was found: "comment", "size" or ""
	Width, Height int    // ^PW and ^LL in dots, 0 when absent
}

var (
	reFXDPI   = regexp.MustCompile(`(?i)\^FX[^\^]*?\b(?:dpi\s*[=:]\s*(\d{3})|(\d{3})\s*dpi|(\d{1,2})\s*dpmm)`)
	rePW      = regexp.MustCompile(`\^PW(\d{1,6})`)
	reLL      = regexp.MustCompile(`\^LL(\d{1,6})`)
	dpmmToDPI = map[int]int{8: 203, 12: 300, 24: 600}
)

// Common label sizes in inches, for recognising the DPI from ^PW/^LL.
var commonSizesIn = [][2]float64{
	{4, 6}, {4, 4}, {4, 8}, {4, 3}, {4, 2}, {3, 2}, {3, 1}, {2, 1}, {2.25, 1.25}, {2, 1.5},
	{100 / 25.4, 150 / 25.4}, {100 / 25.4, 100 / 25.4}, {100 / 25.4, 200 / 25.4}, {50 / 25.4, 25 / 25.4},
	{50 / 25.4, 30 / 25.4}, {60 / 25.4, 40 / 25.4}, {70 / 25.4, 50 / 25.4}, {4.09, 6}, {4.1, 6},
}

// CheckZPL checks that a carrier ZPL document can print unchanged on a
// printer of printerDPI. The document's resolution comes from a ^FX
// comment ("dpi=300", "300 dpi", "12dpmm") or, failing that, from ^PW and
// ^LL matching a common label size at exactly one resolution. It returns an
// error when the document is not ZPL (no ^XA…^XZ), when its resolution
// differs from the printer's, or when it is wider than the printer's
// head (maxWidthIn inches, 0 = 4.1 in); an unknown resolution is not an
// error.
func CheckZPL(doc []byte, printerDPI int, maxWidthIn float64) (ZPLInfo, error) {
	var info ZPLInfo
	if err := CheckDPI(printerDPI); err != nil {
		return info, err
	}
	if maxWidthIn <= 0 {
		maxWidthIn = 4.1
	}
	start, end := bytes.Index(doc, []byte("^XA")), bytes.LastIndex(doc, []byte("^XZ"))
	if start < 0 || end < start {
		return info, fmt.Errorf("label: carrier label is not a ZPL document (no ^XA…^XZ); ask the carrier for ZPL, PNG or PDF")
	}
	if m := rePW.FindSubmatch(doc); m != nil {
		info.Width, _ = strconv.Atoi(string(m[1]))
	}
	if m := reLL.FindSubmatch(doc); m != nil {
		info.Height, _ = strconv.Atoi(string(m[1]))
	}
	if m := reFXDPI.FindSubmatch(doc); m != nil {
		switch {
		case m[1] != nil:
			info.DPI, _ = strconv.Atoi(string(m[1]))
		case m[2] != nil:
			info.DPI, _ = strconv.Atoi(string(m[2]))
		default:
			d, _ := strconv.Atoi(string(m[3]))
			info.DPI = dpmmToDPI[d]
		}
		if info.DPI == 0 || CheckDPI(info.DPI) != nil {
			info.DPI = 0
			return info, fmt.Errorf("label: carrier ZPL declares a resolution Packdesk does not know (%q); use 203, 300 or 600 dpi (8, 12, 24 dpmm)", m[0])
		}
		info.Source = "comment"
	} else if info.Width > 0 && info.Height > 0 {
		var cands []int
		for _, d := range []int{DPI203, DPI300, DPI600} {
			w, h := float64(info.Width)/float64(d), float64(info.Height)/float64(d)
			for _, s := range commonSizesIn {
				if math.Abs(w-s[0]) <= 0.04*s[0] && math.Abs(h-s[1]) <= 0.04*s[1] {
					cands = append(cands, d)
					break
				}
			}
		}
		if len(cands) == 1 {
			info.DPI, info.Source = cands[0], "size"
		}
	}
	if info.DPI != 0 && info.DPI != printerDPI {
		dpmm := map[int]int{203: 8, 300: 12, 600: 24}
		return info, fmt.Errorf("label: carrier ZPL was made for %d dpi (from its %s: ^PW%d ^LL%d) but the printer prints %d dpi; request the label at %d dpi (%d dpmm) from the carrier or set the printer's DPI in settings",
			info.DPI, info.Source, info.Width, info.Height, printerDPI, printerDPI, dpmm[printerDPI])
	}
	if info.Width > 0 && float64(info.Width) > maxWidthIn*float64(printerDPI)*1.02 {
		return info, fmt.Errorf("label: carrier ZPL is %d dots wide (^PW), %.2f in at %d dpi, wider than the printer's %.2f in head; it was probably made for a higher resolution",
			info.Width, float64(info.Width)/float64(printerDPI), printerDPI, maxWidthIn)
	}
	return info, nil
}

// RasterJob returns a complete print job that prints img one pixel per dot
// in the printer language (FormatZPL or FormatTSPL). It returns an error
// for another format, a bad DPI, or an image wider than maxWidthIn inches
// (0 = 4.1 in) at dpi.
func RasterJob(img image.Image, dpi int, lang Format, maxWidthIn float64) ([]byte, error) {
	if err := CheckDPI(dpi); err != nil {
		return nil, err
	}
	if maxWidthIn <= 0 {
		maxWidthIn = 4.1
	}
	r := img.Bounds()
	if r.Dx() == 0 || r.Dy() == 0 {
		return nil, fmt.Errorf("label: image is empty")
	}
	if float64(r.Dx()) > maxWidthIn*float64(dpi)*1.02 {
		return nil, fmt.Errorf("label: image is %d pixels wide, %.2f in at %d dpi, wider than the printer's %.2f in head; get the label rendered for %d dpi",
			r.Dx(), float64(r.Dx())/float64(dpi), dpi, maxWidthIn, dpi)
	}
	l := &Label{DPI: dpi, Width: r.Dx(), Height: r.Dy()}
	l.Add(Image{Img: img})
	switch lang {
	case FormatZPL:
		return l.ZPL(Options{})
	case FormatTSPL:
		return l.TSPL(Options{})
	}
	return nil, fmt.Errorf("label: printer language %q unknown; use zpl or tspl", lang)
}

// ErrNoPDFRenderer is returned when a PDF label arrives and pdftoppm
// (poppler-utils) is not installed.
var ErrNoPDFRenderer = errors.New("label: PDF labels need pdftoppm to print; install poppler-utils (apt-get install poppler-utils) or ask the carrier for ZPL or PNG labels")

// RasterizePDF renders each page of a PDF at dpi with poppler's pdftoppm
// (anti-aliasing off, so bars stay sharp) and returns the pages. It returns
// ErrNoPDFRenderer when pdftoppm is missing, ctx's error when cancelled,
// and an error with pdftoppm's message when it fails.
func RasterizePDF(ctx context.Context, pdf []byte, dpi int) ([]image.Image, error) {
	if err := CheckDPI(dpi); err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, fmt.Errorf("label: file is not a PDF (no %%PDF- header)")
	}
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		return nil, ErrNoPDFRenderer
	}
	dir, err := os.MkdirTemp("", "packdesk-pdf-")
	if err != nil {
		return nil, fmt.Errorf("label: temporary directory for PDF rendering: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		return nil, fmt.Errorf("label: write PDF for rendering: %w", err)
	}
	cmd := exec.CommandContext(ctx, bin, "-r", strconv.Itoa(dpi), "-gray", "-png", "-aa", "no", "-aaVector", "no", in, filepath.Join(dir, "page"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("label: render PDF: %w", ctx.Err())
		}
		return nil, fmt.Errorf("label: pdftoppm could not render the PDF (%v: %s); check the file or ask the carrier for ZPL/PNG", err, bytes.TrimSpace(stderr.Bytes()))
	}
	files, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	sort.Strings(files) // pdftoppm zero-pads page numbers
	if len(files) == 0 {
		return nil, fmt.Errorf("label: pdftoppm produced no pages from the PDF")
	}
	var out []image.Image
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("label: read rendered PDF page: %w", err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("label: decode rendered PDF page: %w", err)
		}
		out = append(out, img)
	}
	return out, nil
}

// Kind is the type of a carrier label document.
type Kind string

// Document kinds recognised by Detect.
const (
	KindZPL Kind = "zpl"
	KindPNG Kind = "png"
	KindPDF Kind = "pdf"
)

// Detect recognises a carrier label document by its content; it returns an
// error when it is none of ZPL, PNG or PDF.
func Detect(doc []byte) (Kind, error) {
	switch {
	case bytes.HasPrefix(doc, []byte("%PDF-")):
		return KindPDF, nil
	case bytes.HasPrefix(doc, []byte("\x89PNG\r\n\x1a\n")):
		return KindPNG, nil
	case bytes.Contains(doc, []byte("^XA")):
		return KindZPL, nil
	}
	return "", fmt.Errorf("label: carrier label is not ZPL, PNG or PDF; ask the carrier for one of these")
}

// PrintJob turns a carrier label document into a job for a printer with
// language lang (FormatZPL or FormatTSPL) at dpi: ZPL passes unchanged
// after CheckZPL (only to ZPL printers), PNG becomes ^GF/BITMAP, PDF is
// rendered with pdftoppm, one job per page. It returns the errors of
// Detect, CheckZPL, RasterJob and RasterizePDF.
func PrintJob(ctx context.Context, doc []byte, dpi int, lang Format) ([]byte, error) {
	k, err := Detect(doc)
	if err != nil {
		return nil, err
	}
	switch k {
	case KindZPL:
		if lang != FormatZPL {
			return nil, fmt.Errorf("label: carrier label is ZPL but the printer speaks %s; ask the carrier for PNG or PDF labels, or use a ZPL printer", lang)
		}
		if _, err := CheckZPL(doc, dpi, 0); err != nil {
			return nil, err
		}
		return doc, nil
	case KindPNG:
		img, err := png.Decode(bytes.NewReader(doc))
		if err != nil {
			return nil, fmt.Errorf("label: carrier PNG label cannot be decoded: %w", err)
		}
		return RasterJob(img, dpi, lang, 0)
	default:
		pages, err := RasterizePDF(ctx, doc, dpi)
		if err != nil {
			return nil, err
		}
		var out []byte
		for i, p := range pages {
			j, err := RasterJob(p, dpi, lang, 0)
			if err != nil {
				return nil, fmt.Errorf("label: PDF page %d: %w", i+1, err)
			}
			out = append(out, j...)
		}
		return out, nil
	}
}
