package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/packdesk/packdesk/internal/barcode"
	"github.com/packdesk/packdesk/internal/importfile"
	"github.com/packdesk/packdesk/internal/pack"
)

func init() {
	register(command{
		name:    "replay",
		summary: "--skus SKUS.csv --orders ORDERS.txt SCRIPT.jsonl: run a packing session through the engine",
		run:     runReplay,
	})
}

const replayUsage = `usage: packdeskctl replay --skus SKUS.csv --orders ORDERS.txt [--verbose] SCRIPT.jsonl

Runs a packing session through the real verification engine and prints one
JSON line per scan:
  {"line":N,"scan":"…","verdict":"…","order":"…","sku":"…","remaining":N}
(--verbose adds "detail"). ORDERS is Amazon's unshipped-orders report
(tab-separated), SKUS the SKU master CSV. SCRIPT has one JSON object per line:
  {"scan":"DATA"}                 a scan, parsed like a scanner's input
  {"label":"TRACKING"}            the station printed the label with TRACKING
  {"weigh":GRAMS}                 a stable scale reading (prints a line)
  {"scale":true}                  from now on, a scale is configured, as at a
                                  station: a complete order is weighed before
                                  its label, and a reading prints a line only
                                  in that step (not the same grams twice)
  {"packer":{"badge":"B","name":"N","supervisor":true}}  register a badge
  {"require_login":true}          from now on, scans need a logged-in packer
  {"status":{"order":"ID","status":"cancelled"}}  the server changed an
                                  order (ready, on_hold, cancelled, packed)
  {"order":{"id":"ID","channel":"FBA_PREP","lines":[{"sku":"S","quantity":3}]}}
                                  add or replace an order (pack.Order JSON)
  {"acknowledge":"ID"}            the packer acknowledged the intercept of ID
                                  (prints a line)
  {"restart":true}                the station restarted (prints a "resumed"
                                  line when a packer, an order or a return
                                  was there)
Returns (the bench's returns mode):
  {"return":{"id":"R-1","rma":"RMA1","order_id":"ID","tracking":"T",
    "lines":[{"sku":"S","shipped":2,"serials":["SN1","SN2"]}]}}
                                  add or replace a return task as the server
                                  sends it (pack.Return JSON; status open,
                                  closed or cancelled)
  {"mode":"returns"}              switch the bench to returns, like its key
  {"mode":"packing"}              (the same as a scan of PDCMD:MODE:RETURNS
                                  or PDCMD:MODE:PACKING; prints a line)
  In returns mode a scan of a return's tracking, RMA id or order number
  opens it; then units are scanned and PDCMD:GRADE:A…D,
  PDCMD:DISPOSE:RESTOCK|REFURBISH|VENDOR|SCRAP (a restock is followed by a
  scan of the shelf location), PDCMD:CLOSE-RETURN and PDCMD:CANCEL (leave
  the return open) act on it. Return lines add "return" and, for a
  received unit, "unit" (its number in the return).
Blank lines and lines starting with # are skipped. A line must be UTF-8
and at most 1 MB, a scan at most 4096 bytes (what a scanner sends), a weight
0 to 1,000,000 g; a label needs an open, complete order. Anything else stops
the replay with an error naming the line. Like the station, replay
marks an order packed after label_verified and records its serials, stores
an order released from hold as ready, and raises an intercept when an order
it packed is cancelled (every scan but a badge or log-out is then refused
until it is acknowledged).
Exit status: 0 session replayed, 1 a file is unreadable or malformed,
2 usage error.
`

// scriptLine is one line of a replay script.
type scriptLine struct {
	Scan         *string      `json:"scan"`
	Label        *string      `json:"label"`
	Weigh        *int         `json:"weigh"`
	Scale        *bool        `json:"scale"`
	Packer       *pack.Packer `json:"packer"`
	RequireLogin *bool        `json:"require_login"`
	Status       *struct {
		Order  string           `json:"order"`
		Status pack.OrderStatus `json:"status"`
	} `json:"status"`
	Order       *pack.Order  `json:"order"`
	Acknowledge *string      `json:"acknowledge"`
	Restart     *bool        `json:"restart"`
	Return      *pack.Return `json:"return"`
	Mode        *string      `json:"mode"`
}

// replayLine is one line of replay output.
type replayLine struct {
	Line      int    `json:"line"`
	Scan      string `json:"scan"`
	Verdict   string `json:"verdict"`
	Order     string `json:"order"`
	SKU       string `json:"sku"`
	Remaining int    `json:"remaining"`
	Weight    int    `json:"weight_g,omitempty"`
	Return    string `json:"return,omitempty"`
	Unit      int    `json:"unit,omitempty"`
	Detail    string `json:"detail,omitempty"`
}

func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	skusPath := fs.String("skus", "", "SKU master CSV")
	ordersPath := fs.String("orders", "", "Amazon unshipped-orders report")
	verbose := fs.Bool("verbose", false, "add the verdict's explanation")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, replayUsage)
			return 0
		}
		fmt.Fprintf(stderr, "packdeskctl replay: %v\n\n%s", err, replayUsage)
		return 2
	}
	if *skusPath == "" || *ordersPath == "" || fs.NArg() != 1 {
		fmt.Fprintf(stderr, "packdeskctl replay: need --skus, --orders and exactly one SCRIPT file\n\n%s", replayUsage)
		return 2
	}
	cat, err := loadCatalog(*skusPath, *ordersPath, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl replay: %v\n", err)
		return 1
	}
	script, err := os.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl replay: open script: %v\n", err)
		return 1
	}
	defer script.Close()
	if err := replay(ctx, cat, script, stdout, *verbose); err != nil {
		fmt.Fprintf(stderr, "packdeskctl replay: %s: %v\n", fs.Arg(0), err)
		return 1
	}
	return 0
}

// loadCatalog reads the SKU file and the orders report. Rows the report
// leaves out (nothing to ship) are listed on notes; an order line whose SKU
// is not in the SKU file is an error naming every such line.
func loadCatalog(skusPath, ordersPath string, notes io.Writer) (*pack.MapCatalog, error) {
	skus, err := readImport(skusPath, "SKU file", importfile.ReadSKUs)
	if err != nil {
		return nil, err
	}
	rep, err := readImport(ordersPath, "orders report", importfile.ReadAmazonOrdersReport)
	if err != nil {
		return nil, err
	}
	for _, e := range rep.Skipped {
		fmt.Fprintf(notes, "packdeskctl replay: note: %s: %v\n", ordersPath, e)
	}
	cat, err := pack.NewMapCatalog(skus, rep.Orders, nil)
	if err != nil {
		return nil, err
	}
	if unknown := rep.CheckSKUs(cat); len(unknown) > 0 {
		const show = 10
		msgs := make([]string, 0, show)
		for _, e := range unknown[:min(show, len(unknown))] {
			msgs = append(msgs, e.Error())
		}
		if len(unknown) > show {
			msgs = append(msgs, fmt.Sprintf("and %d more", len(unknown)-show))
		}
		return nil, fmt.Errorf("%s: %d order line(s) name a SKU that is not in %s:\n  %s", ordersPath, len(unknown), skusPath, strings.Join(msgs, "\n  "))
	}
	return cat, nil
}

// readImport opens path (what names it in errors) and reads it with parse.
func readImport[T any](path, what string, parse func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, fmt.Errorf("open %s: %w", what, err)
	}
	defer f.Close()
	rows, err := parse(f)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}

// session is replay's station: the engine, its state and what the station
// keeps beside it (the orders packed here, for intercepts).
type session struct {
	e      pack.Engine
	s      pack.State
	cat    *pack.MapCatalog
	packed []pack.Packed
}

// replay runs script against cat, acting like the station between scans.
func replay(ctx context.Context, cat *pack.MapCatalog, script io.Reader, out io.Writer, verbose bool) error {
	ss := &session{e: pack.Engine{Catalog: cat}, cat: cat}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	at := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	sc := bufio.NewScanner(script)
	sc.Buffer(make([]byte, 64<<10), maxScriptLine)
	n := 1
	for ; sc.Scan(); n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		text := sc.Bytes()
		if n == 1 {
			text = bytes.TrimPrefix(text, []byte("\ufeff")) // UTF-8 byte-order mark
		}
		text = bytes.TrimSpace(text) // also the CR of CRLF line ends
		if len(text) == 0 || text[0] == '#' {
			continue
		}
		if !utf8.Valid(text) {
			// encoding/json would turn the bad bytes into U+FFFD and
			// replay a scan the script never had.
			return fmt.Errorf("script line %d: not valid UTF-8 at byte %d: save the script as UTF-8", n, invalidUTF8At(text)+1)
		}
		var l scriptLine
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		err := dec.Decode(&l)
		if err == nil && dec.More() {
			err = errors.New("more than one JSON value on the line")
		}
		if err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				err = fmt.Errorf("character %d: %w", se.Offset, err)
			}
			return fmt.Errorf("script line %d: %v: each line must be a JSON object such as {\"scan\":\"…\"}", n, err)
		}
		at = at.Add(2 * time.Second)
		row := replayLine{Line: n}
		d, print, err := ss.step(l, at, &row)
		if err != nil {
			return fmt.Errorf("script line %d: %w", n, err)
		}
		if !print {
			continue
		}
		row.Verdict, row.Order, row.SKU, row.Remaining = string(d.Verdict), d.Order, d.SKU, d.Remaining
		row.Return, row.Unit = d.Return, d.Unit
		if verbose {
			row.Detail = d.Detail
		}
		if err := enc.Encode(row); err != nil {
			return fmt.Errorf("write result: %w", err)
		}
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return fmt.Errorf("script line %d: longer than %d bytes, the limit for one line: is it a script?", n, maxScriptLine)
	} else if err != nil {
		return fmt.Errorf("script line %d: read script: %w", n, err)
	}
	return nil
}

// Limits on a replay script.
const (
	maxScriptLine = 1 << 20 // one JSON line
	maxScanBytes  = 4096    // drivers/scanner's default frame limit (Framing.MaxLength)
	maxWeighGrams = 1_000_000
)

// invalidUTF8At returns the offset of the first byte that is not UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// step runs one script line; print says whether it gives a verdict line.
func (ss *session) step(l scriptLine, at time.Time, row *replayLine) (d pack.Decision, print bool, err error) {
	switch {
	case l.Scan != nil:
		if len(*l.Scan) > maxScanBytes {
			return d, false, fmt.Errorf("the scan is %d bytes, more than a scanner sends (limit %d bytes, the scanner's frame limit)", len(*l.Scan), maxScanBytes)
		}
		prev := ss.s
		d, ss.s = ss.e.Apply(ss.s, pack.Input{Scan: barcode.Parse(*l.Scan), At: at})
		row.Scan = *l.Scan
		ss.actLikeStation(prev, d, at)
		return d, true, nil
	case l.Weigh != nil:
		if g := *l.Weigh; g < 0 || g > maxWeighGrams {
			return d, false, fmt.Errorf("weigh %d: a stable scale reading is 0 to %d grams", g, maxWeighGrams)
		}
		if o := ss.s.Open; ss.e.WeighBeforeLabel && (o == nil || o.Step != pack.StepWeigh || len(ss.s.Alerts) > 0 ||
			o.WeightGrams == *l.Weigh && o.WeightGrams != 0) {
			return d, false, nil // the station judges a reading only in the weigh step
		}
		d, ss.s = ss.e.Weigh(ss.s, *l.Weigh, at)
		row.Weight = *l.Weigh
		return d, true, nil
	case l.Scale != nil:
		ss.e.WeighBeforeLabel = *l.Scale
	case l.Label != nil:
		if strings.TrimSpace(*l.Label) == "" {
			return d, false, errors.New("a label needs its tracking number")
		}
		next := ss.e.LabelPrinted(ss.s, *l.Label)
		if next.Open == nil || next.Open.Tracking != strings.TrimSpace(*l.Label) {
			// The station prints only for an open, complete order.
			return d, false, fmt.Errorf("label %q printed, but no complete order is open: scan an order and all its units first", *l.Label)
		}
		ss.s = next
	case l.Packer != nil:
		if l.Packer.Badge == "" {
			return d, false, errors.New("a packer needs a badge")
		}
		ss.cat.PutPacker(*l.Packer)
	case l.RequireLogin != nil:
		ss.e.RequireLogin = *l.RequireLogin
	case l.Status != nil:
		switch l.Status.Status {
		case pack.StatusReady, pack.StatusOnHold, pack.StatusCancelled, pack.StatusPacked, pack.StatusException:
		default:
			return d, false, fmt.Errorf("unknown order status %q: use ready, on_hold, cancelled, packed or exception", l.Status.Status)
		}
		if !ss.cat.SetStatus(l.Status.Order, l.Status.Status) {
			return d, false, fmt.Errorf("no order %q in the orders report", l.Status.Order)
		}
		ss.intercepts()
	case l.Order != nil:
		if l.Order.ID == "" || len(l.Order.Lines) == 0 {
			return d, false, errors.New("an order needs an id and at least one line")
		}
		if l.Order.Status == "" {
			l.Order.Status = pack.StatusReady
		}
		ss.cat.PutOrder(*l.Order)
		ss.intercepts()
	case l.Acknowledge != nil:
		d, ss.s = ss.e.Acknowledge(ss.s, *l.Acknowledge)
		return d, true, nil
	case l.Restart != nil:
		d, ok := ss.e.Resume(ss.s)
		return d, ok, nil
	case l.Return != nil:
		return d, false, ss.putReturn(*l.Return)
	case l.Mode != nil:
		arg := map[string]string{"returns": pack.ModeArgReturns, "packing": pack.ModeArgPacking}[*l.Mode]
		if arg == "" {
			return d, false, fmt.Errorf("unknown mode %q: use returns or packing", *l.Mode)
		}
		scan := "PDCMD:MODE:" + arg
		prev := ss.s
		d, ss.s = ss.e.Apply(ss.s, pack.Input{Scan: barcode.Parse(scan), At: at})
		row.Scan = scan
		ss.actLikeStation(prev, d, at)
		return d, true, nil
	default:
		return d, false, errors.New("nothing to do: give scan, label, weigh, scale, packer, require_login, status, order, acknowledge, restart, return or mode")
	}
	return d, false, nil
}

// intercepts raises an alert for every order packed here that is now
// cancelled, as the station does after orders change.
func (ss *session) intercepts() {
	raised := ss.e.Intercepts(ss.s, ss.packed)
	for _, a := range raised {
		ss.packed = slices.DeleteFunc(ss.packed, func(p pack.Packed) bool { return p.Order == a.Order })
	}
	ss.s = ss.e.Intercept(ss.s, raised...)
}

// actLikeStation records what the station would after a decision: a packed
// order and its serials, an order sent to the exception pool, an order
// released from hold.
func (ss *session) actLikeStation(prev pack.State, d pack.Decision, at time.Time) {
	switch d.Verdict {
	case pack.VerdictLabelVerified:
		ss.cat.SetStatus(d.Order, pack.StatusPacked)
		ss.packed = append(ss.packed, pack.Packed{Order: d.Order, At: at})
		if prev.Open != nil {
			for _, c := range prev.Open.Captured {
				if c.Serial != "" {
					ss.cat.RecordSerial(c.SKU, c.Serial, d.Order)
				}
			}
		}
	case pack.VerdictOrderException:
		ss.cat.SetStatus(d.Order, pack.StatusException)
	case pack.VerdictOverride:
		if d.Lifted == pack.VerdictOrderOnHold && ss.s.Open != nil {
			ss.cat.PutOrder(ss.s.Open.Order)
		}
	case pack.VerdictReturnClosed, pack.VerdictReturnLeft:
		// The station keeps the return with the units received here.
		if prev.Return != nil {
			r := prev.Return.Received()
			if d.Verdict == pack.VerdictReturnClosed {
				r.Status = pack.ReturnClosed
			}
			ss.cat.PutReturn(r)
		}
	}
}

// putReturn adds a return task as a pull does; the station's own rules
// apply (journal.ApplyPull): an id, a known status, lines with a SKU and
// quantities of 0 or more.
func (ss *session) putReturn(r pack.Return) error {
	if r.ID == "" {
		return errors.New("a return needs its id")
	}
	switch r.Status {
	case "":
		r.Status = pack.ReturnOpen
	case pack.ReturnOpen, pack.ReturnClosed, pack.ReturnCancelled:
	default:
		return fmt.Errorf("return %s: unknown status %q: use open, closed or cancelled", r.ID, r.Status)
	}
	for i, l := range r.Lines {
		if l.SKU == "" || l.Shipped < 0 || l.Expected < 0 || l.Received < 0 {
			return fmt.Errorf("return %s: line %d: a line needs its SKU and quantities of 0 or more", r.ID, i+1)
		}
	}
	for _, old := range ss.cat.Returns(r.ID) {
		if old.ID == r.ID && old.Status == pack.ReturnClosed && r.Status == pack.ReturnOpen {
			return nil // closed here: a pulled open copy does not reopen it
		}
	}
	ss.cat.PutReturn(r)
	return nil
}
