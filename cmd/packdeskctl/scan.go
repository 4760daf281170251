package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/packdesk/packdesk/internal/barcode"
)

func init() {
	register(command{
		name:    "scan",
		summary: "inspect DATA: print what a scan means as JSON (--hex: DATA is hex bytes)",
		run:     runScan,
	})
}

// scanOutput is the JSON that scan inspect prints: the barcode.Scan plus,
// for --hex input, the exact raw bytes (JSON strings cannot carry
// invalid UTF-8).
type scanOutput struct {
	barcode.Scan
	RawHex string `json:"raw_hex,omitempty"`
}

const scanUsage = `usage: packdeskctl scan inspect [--hex] DATA

Prints the meaning of one scan as a JSON object (kind, gtin, ais, carrier,
valid, error, …). With --hex, DATA is the raw bytes in hex (spaces and colons
allowed), so control characters such as GS (1d) or CR (0d) can be given.
Exit status: 0 valid scan, 1 invalid scan, 2 usage error.
`

func runScan(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "inspect" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprint(stderr, scanUsage)
			return 0
		}
		fmt.Fprint(stderr, "packdeskctl scan: missing or unknown subcommand; the only one is \"inspect\"\n\n"+scanUsage)
		return 2
	}
	fs := flag.NewFlagSet("scan inspect", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	useHex := fs.Bool("hex", false, "DATA is hex-encoded bytes")
	if err := fs.Parse(args[1:]); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprint(stderr, scanUsage)
			return 0
		}
		fmt.Fprintf(stderr, "packdeskctl scan inspect: %v\n\n%s", err, scanUsage)
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "packdeskctl scan inspect: expected exactly one DATA argument, got %d (quote data that contains spaces)\n\n%s", fs.NArg(), scanUsage)
		return 2
	}
	raw := fs.Arg(0)
	out := scanOutput{}
	if *useHex {
		clean := strings.NewReplacer(" ", "", ":", "", "\t", "", "\n", "").Replace(raw)
		b, err := hex.DecodeString(clean)
		if err != nil {
			fmt.Fprintf(stderr, "packdeskctl scan inspect: --hex DATA %q is not hex (%v); give two hex digits per byte, e.g. 5d43313031…\n", raw, err)
			return 2
		}
		raw = string(b)
		out.RawHex = hex.EncodeToString(b)
	}
	out.Scan = barcode.Parse(raw)
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(stderr, "packdeskctl scan inspect: write result: %v\n", err)
		return 1
	}
	if !out.Valid {
		return 1
	}
	return 0
}
