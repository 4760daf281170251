package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/packdesk/packdesk/internal/label"
	"github.com/packdesk/packdesk/internal/station"
)

func init() {
	register(command{
		name:    "label",
		summary: "render a label template (render), list templates (templates), convert a carrier label (convert)",
		run:     runLabel,
	})
}

const labelUsage = `usage:
  packdeskctl label render --template NAME [--field K=V ...] [--dpi 203|300|600]
                           [--format png|zpl|tspl|pdf] [--raster-text] [--raster-all]
                           [--cjk-font PATH] --out FILE
  packdeskctl label templates
  packdeskctl label convert --in FILE [--dpi N] [--format zpl|tspl] --out FILE

render builds a template (see "label templates" for the fields and their
defaults; docs/LABELS.md explains them); "--out -" writes to stdout. A
template with several pages (command sheet, FNSKU sheet) as PNG is written
one file per page: --out sheet.png gives sheet-1.png, sheet-2.png, ... convert turns a carrier label (ZPL,
PNG or PDF) into a printer job: ZPL passes unchanged after a DPI check, PNG
and PDF become ^GF / BITMAP raster (PDF needs pdftoppm).
Exit status: 0 done, 1 the label could not be made, 2 usage error.
`

type fieldFlags label.Fields

func (f fieldFlags) String() string { return "" }
func (f fieldFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("field %q: write K=V", s)
	}
	f[k] = v
	return nil
}

func runLabel(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, labelUsage)
		return 2
	}
	switch args[0] {
	case "render":
		return labelRender(ctx, args[1:], stdout, stderr)
	case "templates":
		for _, t := range label.Templates() {
			fmt.Fprintf(stdout, "%s: %s\n", t.Name, t.Summary)
			for _, f := range t.Fields {
				fmt.Fprintf(stdout, "  %-16s %s (default %q)\n", f.Name, f.Doc, f.Default)
			}
		}
		return 0
	case "convert":
		return labelConvert(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, labelUsage)
		return 0
	}
	fmt.Fprintf(stderr, "packdeskctl label: unknown subcommand %q\n\n%s", args[0], labelUsage)
	return 2
}

// openOut opens path for writing ("-": stdout). remove deletes what was
// written, but only a regular file: --out may be a device such as
// /dev/usb/lp0, whose node must survive a failed write.
func openOut(path string, stdout io.Writer) (w io.Writer, closeFn func() error, remove func(), err error) {
	if path == "-" {
		return stdout, func() error { return nil }, func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, nil, err
	}
	remove = func() {}
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		remove = func() { _ = os.Remove(path) }
	}
	return f, f.Close, remove, nil
}

func labelRender(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("label render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fields := fieldFlags{}
	tmpl := fs.String("template", "", "template name")
	fs.Var(fields, "field", "template field K=V (repeatable)")
	dpi := fs.Int("dpi", station.DefaultDPI, "printer resolution: 203, 300 or 600")
	format := fs.String("format", "png", "png, zpl, tspl or pdf")
	out := fs.String("out", "", "output file (- for stdout)")
	rasterText := fs.Bool("raster-text", false, "draw all text as bitmaps")
	rasterAll := fs.Bool("raster-all", false, "send the whole label as one bitmap")
	cjk := fs.String("cjk-font", "", "font file with Chinese glyphs (default: search the system)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *tmpl == "" || *out == "" || fs.NArg() > 0 {
		fmt.Fprint(stderr, "packdeskctl label render: --template and --out are required\n\n"+labelUsage)
		return 2
	}
	if _, ok := label.Lookup(*tmpl); !ok {
		var names []string
		for _, t := range label.Templates() {
			names = append(names, t.Name)
		}
		fmt.Fprintf(stderr, "packdeskctl label render: unknown template %q: use one of %s\n", *tmpl, strings.Join(names, ", "))
		return 2
	}
	if code := checkLabelFlags("render", *dpi, *format, renderFormats, stderr); code != 0 {
		return code
	}
	if *cjk != "" {
		label.SetDefaultFonts(label.NewFonts(*cjk))
	}
	pages, err := label.Build(*tmpl, label.Fields(fields), *dpi)
	if err != nil {
		fmt.Fprintln(stderr, "packdeskctl:", err)
		return 1
	}
	o := label.Options{RasterText: *rasterText, RasterAll: *rasterAll}
	if label.Format(*format) == label.FormatPNG && len(pages) > 1 {
		if *out == "-" {
			fmt.Fprintf(stderr, "packdeskctl: label: %d pages cannot go to stdout as one PNG; give --out FILE.png (one file per page) or use --format pdf\n", len(pages))
			return 1
		}
		ext := filepath.Ext(*out)
		for i, p := range pages {
			if ctx.Err() != nil {
				fmt.Fprintf(stderr, "packdeskctl: label: stopped after %d of %d pages (%v); the pages written so far are complete\n", i, len(pages), ctx.Err())
				return 1
			}
			name := fmt.Sprintf("%s-%d%s", strings.TrimSuffix(*out, ext), i+1, ext)
			if code := writeLabel(ctx, name, []*label.Label{p}, label.FormatPNG, o, stdout, stderr, nil); code != 0 {
				return code
			}
			fmt.Fprintln(stdout, name)
			pageProgress(stderr)(i+1, len(pages))
		}
		return 0
	}
	return writeLabel(ctx, *out, pages, label.Format(*format), o, stdout, stderr, pageProgress(stderr))
}

// pageProgress reports "page 12/40" on stderr for jobs of more than one page.
func pageProgress(stderr io.Writer) label.Progress {
	return func(done, total int) {
		if total > 1 {
			fmt.Fprintf(stderr, "page %d/%d\n", done, total)
		}
	}
}

// writeLabel writes pages to path ("-" for stdout); ctx ends it between
// pages (Ctrl-C, SIGTERM), and the partial file is removed.
func writeLabel(ctx context.Context, path string, pages []*label.Label, format label.Format, o label.Options, stdout, stderr io.Writer, progress label.Progress) int {
	return writeOutput(path, stdout, stderr, func(w io.Writer) error { return label.WritePages(ctx, w, pages, format, o, progress) })
}

// writeOutput creates path ("-" for stdout) and fills it with write. A
// regular file that could not be written completely is removed, so no
// partial label is left to be sent to a printer.
func writeOutput(path string, stdout, stderr io.Writer, write func(io.Writer) error) int {
	w, closeFn, remove, err := openOut(path, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl: label: create output: %v\n", err)
		return 1
	}
	err = write(w)
	if cerr := closeFn(); err == nil && cerr != nil {
		err = fmt.Errorf("label: close output: %w", cerr)
	}
	if err != nil {
		fmt.Fprintln(stderr, "packdeskctl:", err)
		remove()
		return 1
	}
	return 0
}

var (
	renderFormats  = []label.Format{label.FormatPNG, label.FormatZPL, label.FormatTSPL, label.FormatPDF}
	convertFormats = []label.Format{label.FormatZPL, label.FormatTSPL}
	labelDPIs      = []int{203, 300, 600}
)

// checkLabelFlags refuses a --dpi or --format the command cannot make
// before any file is read or written: exit 2, a usage error.
func checkLabelFlags(sub string, dpi int, format string, formats []label.Format, stderr io.Writer) int {
	if !slices.Contains(labelDPIs, dpi) {
		fmt.Fprintf(stderr, "packdeskctl label %s: --dpi %d: want 203, 300 or 600 (the printer's resolution)\n", sub, dpi)
		return 2
	}
	if !slices.Contains(formats, label.Format(format)) {
		fmt.Fprintf(stderr, "packdeskctl label %s: unknown format %q: want one of %v\n", sub, format, formats)
		return 2
	}
	return 0
}

func labelConvert(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("label convert", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "carrier label file (ZPL, PNG or PDF)")
	dpi := fs.Int("dpi", station.DefaultDPI, "printer resolution: 203, 300 or 600")
	format := fs.String("format", station.DefaultPrinterLanguage, "printer language: zpl or tspl")
	out := fs.String("out", "", "output file (- for stdout)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *in == "" || *out == "" || fs.NArg() > 0 {
		fmt.Fprint(stderr, "packdeskctl label convert: --in and --out are required\n\n"+labelUsage)
		return 2
	}
	if code := checkLabelFlags("convert", *dpi, *format, convertFormats, stderr); code != 0 {
		return code
	}
	doc, err := readLimited(*in, maxCarrierLabelBytes)
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl: label: read carrier label: %v\n", err)
		return 1
	}
	job, err := label.PrintJob(ctx, doc, *dpi, label.Format(*format))
	if err != nil {
		fmt.Fprintln(stderr, "packdeskctl:", err)
		return 1
	}
	return writeOutput(*out, stdout, stderr, func(w io.Writer) error {
		if _, err := w.Write(job); err != nil {
			return fmt.Errorf("label: write output: %w", err)
		}
		return nil
	})
}

// maxCarrierLabelBytes bounds a carrier label file (ZPL, PNG or PDF): a
// real one is a few hundred KB.
const maxCarrierLabelBytes = 32 << 20

// readLimited reads the file at path ("-": stdin) up to limit bytes.
// Errors: the read error; a file larger than limit, naming the limit.
func readLimited(path string, limit int64) ([]byte, error) {
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than the limit of %d MB: is it the right file?", path, limit>>20)
	}
	return b, nil
}
