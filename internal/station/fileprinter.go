package station

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/packdesk/packdesk/drivers/printer"
)

// FilePrinter is the demo printer: a real destination that writes each job
// into a directory (native bytes as NNNNNN.zpl or .tspl, previews as
// <order>-<kind>.png) and is always ready.
type FilePrinter struct {
	dir      string
	language string

	mu sync.Mutex
	n  int
}

var (
	_ printer.Printer = (*FilePrinter)(nil)
	_ Previewer       = (*FilePrinter)(nil)
)

// NewFilePrinter creates dir (0755) and returns a printer writing there.
// language is "zpl" or "tspl". Errors: an unknown language; dir cannot be
// created.
func NewFilePrinter(dir, language string) (*FilePrinter, error) {
	if language != "zpl" && language != "tspl" {
		return nil, fmt.Errorf("station: file printer language %q: use zpl or tspl", language)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("station: file printer: create %s: %w: check the path and its permissions", dir, err)
	}
	ents, _ := os.ReadDir(dir)
	return &FilePrinter{dir: dir, language: language, n: len(ents)}, nil
}

// Dir returns the directory the printer writes to.
func (p *FilePrinter) Dir() string { return p.dir }

// Send writes job as the next numbered file. Errors: ctx's error before
// writing (nothing written: printer.NotSent); an I/O error.
func (p *FilePrinter) Send(ctx context.Context, job []byte) error {
	if err := ctx.Err(); err != nil {
		return printer.NotSent(err)
	}
	p.mu.Lock()
	p.n++
	name := filepath.Join(p.dir, fmt.Sprintf("%06d.%s", p.n, p.language))
	p.mu.Unlock()
	if err := writeAtomic(name, job); err != nil {
		return printer.NotSent(fmt.Errorf("station: file printer: write %s: %w", name, err))
	}
	return nil
}

// writeAtomic writes data to a hidden temporary file in name's directory
// and renames it into place, so whoever watches the directory (the label
// pane, a user's viewer, a test) never reads a half-written label.
func writeAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".partial-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// Preview writes png as <order>-<kind>.png. Errors: I/O.
func (p *FilePrinter) Preview(ctx context.Context, order, kind string, png []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(png) == 0 {
		return nil
	}
	safe := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 || r == ':' {
			return '_'
		}
		return r
	}, order+"-"+kind)
	name := filepath.Join(p.dir, safe+".png")
	if err := writeAtomic(name, png); err != nil {
		return fmt.Errorf("station: file printer: write %s: %w", name, err)
	}
	return nil
}

// Status is always ready: the files are there once Send returns.
func (p *FilePrinter) Status(ctx context.Context) (printer.Status, error) {
	if err := ctx.Err(); err != nil {
		return printer.Status{}, err
	}
	return printer.Status{Language: p.language, Answered: true}, nil
}

// Close does nothing.
func (p *FilePrinter) Close() error { return nil }
