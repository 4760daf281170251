package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/packdesk/packdesk/drivers/scanner"
	"github.com/packdesk/packdesk/drivers/serialport"
	"github.com/packdesk/packdesk/internal/barcode"
)

func init() {
	register(command{
		name:    "scanner",
		summary: "listen PORT: print each scan from a serial scanner as JSON (raw hex too)",
		run:     runScanner,
	})
}

const scannerUsage = `usage: packdeskctl scanner listen [flags] PORT

Reads a serial (RS-232 or USB-COM) scanner and prints one JSON object per
scan: data, hex, time, source and what the scan means. Connection changes
and dropped bytes go to stderr. PORT is a path (/dev/ttyACM0), a
/dev/serial/by-id link, or usb:VID:PID[:SERIAL] (see packdeskctl devices);
the scanner is found again after an unplug. Stops on Ctrl-C or after
--count scans. Exit status: 0 done, 1 the port could not be opened, 2 usage.
`

// scanLine is what scanner listen prints for each scan.
type scanLine struct {
	Data    string       `json:"data"`
	Hex     string       `json:"hex"`
	At      time.Time    `json:"at"`
	Source  string       `json:"source"`
	Meaning barcode.Scan `json:"meaning"`
}

func runScanner(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("scanner listen", scannerUsage, stderr)
	sf := addSerialFlags(fs, 9600)
	framing := fs.String("framing", "suffix", "how scans end: suffix, stx-etx, idle")
	suffix := fs.String("suffix", "cr", "suffix for --framing suffix: cr, lf, crlf, tab")
	idle := fs.Duration("idle-gap", 50*time.Millisecond, "pause that ends a scan for --framing idle")
	prefix := fs.String("prefix", "", "prefix to strip from each scan")
	count := fs.Int("count", 0, "stop after this many scans (0: until Ctrl-C)")
	wait := fs.Bool("wait", false, "keep waiting when the port is missing at start instead of failing")
	if code, ok := parseSub(fs, args, "listen", 1); !ok {
		return code
	}
	if *count < 0 || *idle <= 0 {
		fmt.Fprintf(stderr, "packdeskctl: --count %d, --idle-gap %v: want a count of 0 (until Ctrl-C) or more and a positive gap such as 50ms\n", *count, *idle)
		return 2
	}
	sufs := map[string]string{"cr": scanner.SuffixCR, "lf": scanner.SuffixLF, "crlf": scanner.SuffixCRLF, "tab": scanner.SuffixTAB}
	suf, ok := sufs[*suffix]
	if !ok {
		fmt.Fprintf(stderr, "packdeskctl: --suffix %q: want cr, lf, crlf or tab\n", *suffix)
		return 2
	}
	id, err := serialport.ParseIdentity(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl: %v\n", err)
		return 2
	}
	port, err := sf.config(id.Path)
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl: %v\n", err)
		return 2
	}
	r, err := scanner.NewReader(scanner.Config{
		Port:    port,
		Device:  id,
		Framing: scanner.Framing{Mode: scanner.FrameMode(*framing), Suffix: suf, IdleGap: *idle, Prefix: *prefix},
		List:    serialList,
	})
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl: %v\n", err)
		return 2
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = r.Run(ctx)
	}()
	defer func() { cancel(); <-done }()

	enc := json.NewEncoder(stdout)
	connected := false
	n := 0
	events := r.Events()
	for {
		select {
		case s, ok := <-r.Scans():
			if !ok {
				return 0
			}
			data := string(s.Data)
			if err := enc.Encode(scanLine{Data: data, Hex: hex.EncodeToString(s.Data), At: s.At, Source: s.Source, Meaning: barcode.Parse(data)}); err != nil {
				fmt.Fprintf(stderr, "packdeskctl: write output: %v\n", err)
				return 1
			}
			n++
			if *count > 0 && n >= *count {
				return 0
			}
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			switch {
			case ev.State == scanner.StateConnected && ev.Err == nil:
				connected = true
				fmt.Fprintf(stderr, "scanner: connected on %s\n", ev.Path)
			case ev.State == scanner.StateDisconnected && !connected && !*wait:
				fmt.Fprintf(stderr, "packdeskctl: %v\n", ev.Err)
				return 1
			case ev.Err != nil:
				fmt.Fprintf(stderr, "%s: %v\n", ev.State, ev.Err)
			}
		case <-ctx.Done():
			return 0
		}
	}
}
