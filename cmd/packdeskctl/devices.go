package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/packdesk/packdesk/drivers/serialport"
)

// deviceEntry is one row of `packdeskctl devices`.
type deviceEntry struct {
	Kind    string            `json:"kind"`              // "serial", "printer", ...
	Path    string            `json:"path"`              // what to give other commands (port, device file, queue)
	Name    string            `json:"name,omitempty"`    // a short description for the operator
	Details map[string]string `json:"details,omitempty"` // e.g. vid, pid, serial, by_id
}

// deviceLister lists one kind of device. Other files append to
// deviceListers in their init (the printer driver adds printer devices);
// each runs once per `packdeskctl devices`.
type deviceLister struct {
	Kind string
	List func(ctx context.Context) ([]deviceEntry, error)
	// None is told to the operator (stderr) when this kind lists nothing.
	None string
}

var deviceListers = []deviceLister{{Kind: "serial", List: listSerial,
	None: "no serial ports found: check the cable, and that your user is in the dialout group"}}

// serialList is serialport.List, replaced in tests.
var serialList serialport.Lister = serialport.List

func init() {
	register(command{
		name:    "devices",
		summary: "list serial ports (with USB ids) and printer devices (--json)",
		run:     runDevices,
	})
}

func listSerial(context.Context) ([]deviceEntry, error) {
	devs, err := serialList()
	if err != nil {
		return nil, err
	}
	out := make([]deviceEntry, 0, len(devs))
	for _, d := range devs {
		e := deviceEntry{Kind: "serial", Path: d.Path, Details: map[string]string{}}
		if d.USB {
			e.Name = "USB serial"
			e.Details["vid"], e.Details["pid"] = d.VID, d.PID
			if d.Serial != "" {
				e.Details["serial"] = d.Serial
			}
			e.Details["identity"] = d.Identity().String()
		} else {
			e.Name = "serial port"
		}
		if d.ByID != "" {
			e.Details["by_id"] = d.ByID
		}
		out = append(out, e)
	}
	return out, nil
}

func runDevices(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("devices", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print a JSON array")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: packdeskctl devices [--json]\n\nLists serial ports with their USB ids and /dev/serial/by-id links, and\nprinter devices. Exit status: 0 listed, 1 a kind of device could not be listed.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return 2
	}
	code := 0
	all := []deviceEntry{}
	for _, l := range deviceListers {
		lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		es, err := l.List(lctx)
		cancel()
		if err != nil {
			fmt.Fprintf(stderr, "packdeskctl: cannot list %s devices: %v\n", l.Kind, err)
			code = 1
			continue
		}
		if len(es) == 0 && l.None != "" {
			fmt.Fprintln(stderr, l.None)
		}
		all = append(all, es...)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(all); err != nil {
			fmt.Fprintf(stderr, "packdeskctl: write output: %v\n", err)
			return 1
		}
		return code
	}
	if len(all) == 0 {
		return code // each kind said what is missing
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tPATH\tNAME\tDETAILS")
	for _, e := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Kind, e.Path, e.Name, formatDetails(e.Details))
	}
	_ = tw.Flush()
	return code
}

func formatDetails(m map[string]string) string {
	keys := []string{"identity", "vid", "pid", "serial", "by_id"}
	seen := map[string]bool{}
	var parts []string
	for _, k := range keys {
		if v, ok := m[k]; ok {
			parts = append(parts, k+"="+v)
			seen[k] = true
		}
	}
	var rest []string
	for k, v := range m {
		if !seen[k] {
			rest = append(rest, k+"="+v)
		}
	}
	sort.Strings(rest)
	return strings.Join(append(parts, rest...), " ")
}
