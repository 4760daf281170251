package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"strings"

	"github.com/packdesk/packdesk/drivers/printer"
)

func init() {
	register(command{
		name:    "printer",
		summary: "label printers: status ADDR, send ADDR FILE, list (see printer help)",
		run:     runPrinter,
	})
	deviceListers = append(deviceListers, deviceLister{Kind: "printer", List: listPrinters,
		None: "no printer devices found (USB /dev/usb/lp*, CUPS queues): check the USB cable and that your user is in the lp group; network printers are not listed: use tcp://HOST?lang=zpl|tspl"})
}

// listPrinters feeds `packdeskctl devices`: USB printer device files and
// CUPS queues, with the address to use (add ?lang=zpl or ?lang=tspl).
func listPrinters(ctx context.Context) ([]deviceEntry, error) {
	found, err := printer.ListDevices(ctx)
	out := make([]deviceEntry, 0, len(found))
	for _, f := range found {
		name := "USB printer"
		if f.Kind == "cups" {
			name = "CUPS queue (no status)"
		}
		out = append(out, deviceEntry{Kind: "printer", Path: f.Addr, Name: name,
			Details: map[string]string{"addr": f.Addr + "?lang=zpl|tspl"}})
	}
	return out, err
}

const printerUsage = `usage: packdeskctl printer status ADDR
       packdeskctl printer send [--force] ADDR FILE
       packdeskctl printer list

status  asks the printer and prints its state as JSON; exit 0 when ready,
        1 when it reports a fault or does not answer. Without ?lang= in ADDR
        it asks in ZPL (~HS), then TSPL (ESC !?), and reports which answered
        ("detected": true, "addr" with the language found).
send    sends FILE (ZPL or TSPL commands, "-" for standard input, at most
        64 MB) as one job; a FILE ending in .png is sent as a raster image
        (ZPL ^GF / TSPL BITMAP). A ZPL file to a TSPL printer (or the
        reverse) is refused unless --force. Exit 0 when the printer took it
        (and, over tcp/serial, confirmed it).
list    prints USB printer device files (/dev/usb/lp*) and CUPS queues as
        JSON, one per line; network printers are not searched.

` + printer.AddrHelp + "\n"

// printerStatusOutput is the JSON printed by printer status.
type printerStatusOutput struct {
	Addr     string   `json:"addr"`
	Language string   `json:"language"`
	Detected bool     `json:"detected,omitempty"` // the language was found by asking
	Ready    bool     `json:"ready"`
	Status   string   `json:"status"`
	Faults   []string `json:"faults,omitempty"`
	Printing bool     `json:"printing,omitempty"`
	Error    string   `json:"error,omitempty"`
}

func runPrinter(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "packdeskctl printer: missing subcommand\n\n"+printerUsage)
		return 2
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(stderr, printerUsage)
		return 0
	case "status":
		if len(args) != 2 {
			fmt.Fprint(stderr, "packdeskctl printer status: want exactly one ADDR\n\n"+printerUsage)
			return 2
		}
		return printerStatus(ctx, args[1], stdout, stderr)
	case "send":
		rest, force := withoutFlag(args[1:], "--force")
		if len(rest) != 2 {
			fmt.Fprint(stderr, "packdeskctl printer send: want ADDR and FILE\n\n"+printerUsage)
			return 2
		}
		return printerSend(ctx, rest[0], rest[1], force, stdout, stderr)
	case "list":
		return printerList(ctx, stdout, stderr)
	}
	fmt.Fprintf(stderr, "packdeskctl printer: unknown subcommand %q\n\n%s", args[0], printerUsage)
	return 2
}

// withoutFlag returns args without flag (given with one or two dashes), and
// whether it was there.
func withoutFlag(args []string, flag string) ([]string, bool) {
	var rest []string
	found := false
	for _, a := range args {
		if a == flag || a == "-"+strings.TrimLeft(flag, "-") {
			found = true
			continue
		}
		rest = append(rest, a)
	}
	return rest, found
}

func printerStatus(ctx context.Context, addr string, stdout, stderr io.Writer) int {
	if !printer.HasLang(addr) {
		return printerDetect(ctx, addr, stdout, stderr)
	}
	d, err := printer.Open(addr)
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl printer status: %v\n", err)
		return 2
	}
	defer d.Close()
	out := printerStatusOutput{Addr: addr, Language: d.Language().Name()}
	s, err := d.Status(ctx)
	if err != nil {
		out.Status, out.Error = "error", err.Error()
		fmt.Fprintf(stderr, "packdeskctl printer status: %v\n", err)
	} else {
		out.Ready, out.Status, out.Printing = s.Ready(), s.String(), s.Printing
		if !s.Ready() {
			out.Faults = s.Faults()
		}
	}
	return printStatus(out, stdout, stderr)
}

// printerDetect is printer status for an address without ?lang=.
func printerDetect(ctx context.Context, addr string, stdout, stderr io.Writer) int {
	det, err := printer.Detect(ctx, addr)
	out := printerStatusOutput{Addr: addr}
	var bad *printer.AddrError
	switch {
	case errors.As(err, &bad):
		fmt.Fprintf(stderr, "packdeskctl printer status: %v\n", err)
		return 2
	case err != nil:
		out.Status, out.Error = "error", err.Error()
		fmt.Fprintf(stderr, "packdeskctl printer status: %v\n", err)
		return printStatus(out, stdout, stderr)
	}
	out.Addr, out.Language, out.Detected = det.Addr, det.Language.Name(), true
	out.Ready, out.Status, out.Printing = det.Status.Ready(), det.Status.String(), det.Status.Printing
	if !out.Ready {
		out.Faults = det.Status.Faults()
	}
	fmt.Fprintf(stderr, "packdeskctl printer status: the printer answered in %s: use %s\n", strings.ToUpper(out.Language), det.Addr)
	return printStatus(out, stdout, stderr)
}

// printStatus writes out as JSON; exit 0 when ready, 1 otherwise.
func printStatus(out printerStatusOutput, stdout, stderr io.Writer) int {
	if err := json.NewEncoder(stdout).Encode(out); err != nil {
		fmt.Fprintf(stderr, "packdeskctl printer status: write result: %v\n", err)
		return 1
	}
	if !out.Ready {
		return 1
	}
	return 0
}

// maxJobBytes bounds a job file: a 4x6 in label as a 600 dpi raster is
// about 5 MB; 64 MB is no label.
const maxJobBytes = 64 << 20

func printerSend(ctx context.Context, addr, file string, force bool, stdout, stderr io.Writer) int {
	d, err := printer.Open(addr)
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl printer send: %v\n", err)
		return 2
	}
	defer d.Close()
	job, err := readLimited(file, maxJobBytes)
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl printer send: read the job: %v\n", err)
		return 2
	}
	if strings.HasSuffix(strings.ToLower(file), ".png") {
		img, err := png.Decode(bytes.NewReader(job))
		if err != nil {
			fmt.Fprintf(stderr, "packdeskctl printer send: %s is not a PNG image (%v): give a PNG or a ZPL/TSPL command file\n", file, err)
			return 2
		}
		job = d.Language().RasterJob(img)
	}
	if len(job) == 0 {
		fmt.Fprintf(stderr, "packdeskctl printer send: %s is empty: nothing to print\n", file)
		return 2
	}
	if got, want := printer.SniffLanguage(job), d.Language().Name(); got != "" && got != want && !force {
		fmt.Fprintf(stderr, "packdeskctl printer send: %s is a %s job but the printer at %s speaks %s: it would print garbage or nothing; send a %s job, fix ?lang= in the address, or add --force\n",
			file, strings.ToUpper(got), addr, strings.ToUpper(want), strings.ToUpper(want))
		return 2
	}
	if err := d.Send(ctx, job); err != nil {
		hint := "the job may have partly printed: check the printer before sending again"
		switch {
		case printer.IsNotSent(err):
			hint = "nothing was sent"
		case errors.Is(err, printer.ErrUnconfirmed):
			hint = "check whether the label came out"
		}
		fmt.Fprintf(stderr, "packdeskctl printer send: %v (%s)\n", err, hint)
		return 1
	}
	fmt.Fprintf(stdout, "sent %d bytes to %s\n", len(job), d)
	return 0
}

func printerList(ctx context.Context, stdout, stderr io.Writer) int {
	found, err := printer.ListDevices(ctx)
	enc := json.NewEncoder(stdout)
	for _, f := range found {
		enc.Encode(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl printer list: %v\n", err)
		return 1
	}
	if len(found) == 0 {
		fmt.Fprintln(stderr, "packdeskctl printer list: no USB printer device (/dev/usb/lp*) and no CUPS queue found; network printers: use tcp://HOST?lang=zpl|tspl")
	}
	return 0
}
