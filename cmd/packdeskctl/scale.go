package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/packdesk/packdesk/drivers/scale"
	"github.com/packdesk/packdesk/internal/station"
)

func init() {
	register(command{
		name:    "scale",
		summary: "read PORT: print the weight from a serial scale as JSON (--stable waits)",
		run:     runScale,
	})
}

const scaleUsage = `usage: packdeskctl scale read [flags] PORT

Reads a serial scale (MT-SICS, or a continuous-output scale with
--protocol continuous) and prints the reading as JSON: grams (float),
rounded_grams, value and unit as sent, stable. With --stable it waits up to
--wait for a stable weight. Exit status: 0 read, 1 no (stable) reading or
the port failed, 2 usage.
`

type scaleOutput struct {
	scale.Reading
	RoundedGrams int `json:"rounded_grams"`
}

func runScale(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("scale read", scaleUsage, stderr)
	sf := addSerialFlags(fs, station.DefaultScaleBaud)
	proto := fs.String("protocol", "sics", "sics (MT-SICS, polled) or continuous")
	stable := fs.Bool("stable", false, "wait for a stable weight")
	wait := fs.Duration("wait", 10*time.Second, "how long --stable waits")
	reply := fs.Duration("reply-timeout", 2*time.Second, "how long the scale may stay silent")
	if code, ok := parseSub(fs, args, "read", 1); !ok {
		return code
	}
	if *wait <= 0 || *reply <= 0 {
		fmt.Fprintf(stderr, "packdeskctl: --wait %v, --reply-timeout %v: want positive durations such as 10s and 2s\n", *wait, *reply)
		return 2
	}
	port, err := sf.config(fs.Arg(0))
	cfg := scale.Config{Port: port, Protocol: scale.Protocol(*proto), Options: scale.Options{ReplyTimeout: *reply}}
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl: %v\n", err)
		return 2
	}
	sc, err := scale.Open(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl: %v\n", err)
		return 1
	}
	defer sc.Close()
	var r scale.Reading
	if *stable {
		wctx, cancel := context.WithTimeout(ctx, *wait)
		r, err = sc.Weigh(wctx)
		cancel()
	} else {
		r, err = sc.Read(ctx)
	}
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl: %s: %v\n", fs.Arg(0), err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	if err := enc.Encode(scaleOutput{Reading: r, RoundedGrams: r.RoundedGrams()}); err != nil {
		fmt.Fprintf(stderr, "packdeskctl: write output: %v\n", err)
		return 1
	}
	return 0
}
