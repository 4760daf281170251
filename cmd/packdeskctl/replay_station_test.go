package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
	"github.com/packdesk/packdesk/internal/wire"
)

// The catalog both sides start from. Orders carry their tracking number,
// so the station's own label (which takes the order's known tracking) is
// the one the script's {"label":…} lines name.
var (
	eqSKUs = []pack.SKU{
		{SKU: "MUG", FNSKU: "X00MUG0001", Barcodes: []pack.Alias{{Code: "4006381333931", Units: 1}, {Code: "MUG-6PK", Units: 6}}},
		{SKU: "PEN", FNSKU: "X00PEN0001", WeightGrams: 15, Barcodes: []pack.Alias{{Code: "PEN-1", Units: 1}}},
		{SKU: "CABLE", Barcodes: []pack.Alias{{Code: "036000291452", Units: 1}}},
	}
	eqPackers = []pack.Packer{{Badge: "P1", Name: "Li"}, {Badge: "P2", Name: "Wang"}, {Badge: "SUP", Name: "Zhang", Supervisor: true}}
)

func eqOrders() []pack.Order {
	line := func(sku string, q int) pack.Line { return pack.Line{ItemID: sku, SKU: sku, Quantity: q} }
	return []pack.Order{
		{ID: "FBA15EQ00001", Status: pack.StatusReady, Channel: pack.ChannelFBAPrep, Tracking: "FBA15EQ00001U000001",
			Lines: []pack.Line{line("MUG", 2), line("PEN", 1)}},
		{ID: "FBA15EQ00002", Status: pack.StatusReady, Channel: pack.ChannelFBAPrep, Tracking: "FBA15EQ00002U000001",
			Lines: []pack.Line{line("CABLE", 1)}},
		{ID: "111-0000001-0000001", Status: pack.StatusOnHold, HoldReason: "ADDRESS CHECK", Tracking: "1Z999AA10123456784",
			Lines: []pack.Line{line("MUG", 1)}},
		{ID: "111-0000002-0000002", Status: pack.StatusReady, Tracking: "9400111899223197428490",
			Lines: []pack.Line{line("MUG", 2), line("CABLE", 1)}},
		{ID: "111-0000003-0000003", Status: pack.StatusReady, Tracking: "LZ123456785CN", Lines: []pack.Line{line("PEN", 1)}},
	}
}

// eqScripts are run through replay and through a real station; the
// verdicts must be the same, line by line.
var eqScripts = map[string]string{
	"fba batches": `{"require_login":true}
{"scan":"FBA15EQ00001"}
{"scan":"PDBADGE:P1"}
{"scan":"FBA15EQ00001"}
{"scan":"X00MUG0001"}
{"scan":"4006381333931"}
{"scan":"4006381333931"}
{"scan":"X00PEN0001"}
{"scan":"X00MUG0001"}
{"scan":"PDCMD:REPRINT"}
{"scan":"X00MUG0001"}
{"scan":"X00MUG0001"}
{"scan":"PEN-1"}
{"scan":"X00PEN0001"}
{"label":"FBA15EQ00001U000001"}
{"scan":"X00PEN0001"}
{"scan":"PEN-1"}
{"scan":"FBA15EQ00001"}
{"scan":"FBA15EQ00001U000001"}
{"scan":"FBA15EQ00001"}
{"scan":"FBA15EQ00002"}
{"scan":"036000291452"}
{"scan":"PDCMD:EXCEPTION:NO-FNSKU"}
{"scan":"PDCMD:EXCEPTION:OTHER"}
`,
	"holds and intercepts": `{"scan":"PDBADGE:P1"}
{"scan":"111-0000001-0000001"}
{"scan":"PDCMD:OVERRIDE:HOLD-RELEASED"}
{"scan":"111-0000001-0000001"}
{"scan":"PDBADGE:SUP"}
{"scan":"PDCMD:OVERRIDE:TORN"}
{"scan":"PDCMD:OVERRIDE:HOLD-RELEASED"}
{"scan":"MUG-6PK"}
{"scan":"4006381333931"}
{"label":"1Z999AA10123456784"}
{"scan":"1Z999AA10123456784"}
{"scan":"111-0000001-0000001"}
{"status":{"order":"111-0000001-0000001","status":"cancelled"}}
{"scan":"111-0000003-0000003"}
{"scan":"PDBADGE:P2"}
{"acknowledge":"111-0000003-0000003"}
{"acknowledge":"111-0000001-0000001"}
{"scan":"111-0000003-0000003"}
{"status":{"order":"111-0000002-0000002","status":"on_hold"}}
{"scan":"PEN-1"}
{"label":"LZ123456785CN"}
{"scan":"PDCMD:LABEL-FAILED"}
{"scan":"LZ123456785CN"}
{"scan":"PDCMD:REPRINT"}
{"label":"LZ123456785CN"}
{"scan":"LZ123456785CN"}
{"scan":"111-0000002-0000002"}
`,
	"scale": `{"scale":true}
{"scan":"PDBADGE:P1"}
{"weigh":400}
{"scan":"111-0000003-0000003"}
{"weigh":400}
{"scan":"PEN-1"}
{"scan":"LZ123456785CN"}
{"weigh":900}
{"weigh":900}
{"scan":"PDCMD:REPRINT"}
{"weigh":15}
{"label":"LZ123456785CN"}
{"weigh":15}
{"scan":"LZ123456785CN"}
`,
	"hand-over and restart": `{"scan":"PDBADGE:P1"}
{"scan":"111-0000002-0000002"}
{"scan":"4006381333931"}
{"restart":true}
{"scan":"PDCMD:LOGOUT"}
{"scan":"PEN-1"}
{"scan":"PDCMD:LOGOUT"}
{"scan":"PDCMD:LOGOUT:HANDOVER"}
{"restart":true}
{"scan":"PDBADGE:P2"}
{"scan":"111-0000002-0000002"}
{"scan":"PDCMD:LOGOUT:PUTBACK"}
{"scan":"PDBADGE:P1"}
{"scan":"PDCMD:LOGOUT:PUTBACK"}
{"scan":"111-0000002-0000002"}
{"restart":true}
{"scan":"PDCMD:CANCEL"}
{"scan":"PDCMD:LOGOUT"}
{"restart":true}
`,
	"returns": `{"return":{"id":"R-1","rma":"RMA-EQ-1","order_id":"111-0000002-0000002","tracking":"1ZRETEQ0001","status":"open","lines":[{"item_id":"MUG","sku":"MUG","shipped":2,"unit_price":"8.00","currency":"EUR"},{"item_id":"CABLE","sku":"CABLE","shipped":1,"received":1}]}}
{"return":{"id":"R-2","order_id":"111-0000003-0000003","tracking":"1ZRETEQ0002","status":"cancelled","lines":[{"sku":"PEN","shipped":1}]}}
{"scan":"PDBADGE:P1"}
{"scan":"1ZRETEQ0001"}
{"mode":"returns"}
{"scan":"4006381333931"}
{"scan":"1ZRETEQ0002"}
{"scan":"PDCMD:REPRINT"}
{"scan":"RMA-EQ-1"}
{"scan":"PEN-1"}
{"scan":"036000291452"}
{"scan":"4006381333931"}
{"scan":"PDCMD:DISPOSE:SCRAP"}
{"scan":"PDCMD:GRADE:A"}
{"scan":"PDCMD:DISPOSE:RESTOCK"}
{"scan":"4006381333931"}
{"scan":"B-02-03"}
{"restart":true}
{"scan":"MUG-6PK"}
{"scan":"X00MUG0001"}
{"scan":"PDCMD:GRADE:D"}
{"scan":"PDCMD:DISPOSE:RESTOCK"}
{"scan":"PDCMD:DISPOSE:VENDOR"}
{"scan":"4006381333931"}
{"scan":"PDCMD:MODE:PACKING"}
{"scan":"PDCMD:CANCEL"}
{"scan":"1ZRETEQ0001"}
{"scan":"4006381333931"}
{"scan":"PDCMD:CLOSE-RETURN"}
{"scan":"111-0000002-0000002"}
{"return":{"id":"R-1","rma":"RMA-EQ-1","order_id":"111-0000002-0000002","tracking":"1ZRETEQ0001","status":"open","lines":[{"sku":"MUG","shipped":2}]}}
{"scan":"RMA-EQ-1"}
{"mode":"packing"}
{"scan":"111-0000003-0000003"}
`,
}

// TestReplayGivesTheStationsVerdicts runs each script through replay and
// through a station on a real journal and compares every verdict line.
func TestReplayGivesTheStationsVerdicts(t *testing.T) {
	for name, script := range eqScripts {
		t.Run(name, func(t *testing.T) {
			cat, err := pack.NewMapCatalog(eqSKUs, eqOrders(), eqPackers)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := replay(context.Background(), cat, strings.NewReader(script), &out, false); err != nil {
				t.Fatal(err)
			}
			want := decodeRows(t, out.Bytes())
			got := runOnStation(t, script)
			if len(got) != len(want) {
				t.Errorf("station gave %d verdict lines, replay %d", len(got), len(want))
			}
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Errorf("line %d: station %+v, replay %+v", want[i].Line, got[i], want[i])
				}
			}
			seen := map[string]bool{}
			for _, r := range want {
				seen[r.Verdict] = true
			}
			t.Logf("%d lines, verdicts %v", len(want), keys(seen))
		})
	}
}

func decodeRows(t *testing.T, b []byte) []replayLine {
	t.Helper()
	var rows []replayLine
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var r replayLine
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("replay output %q: %v", sc.Text(), err)
		}
		r.Detail = ""
		rows = append(rows, r)
	}
	return rows
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// runOnStation plays script on a station over a fresh journal seeded with
// the same catalog, as the packer and the sync client would: scans through
// Station.Scan, order changes through UpsertOrders, acknowledgements
// through AcknowledgeIntercept, restarts by opening the station again.
func runOnStation(t *testing.T, script string) []replayLine {
	t.Helper()
	ctx := context.Background()
	j, err := journal.Open(filepath.Join(t.TempDir(), "station.db"), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	if err := j.PutSKUs(ctx, eqSKUs, nil); err != nil {
		t.Fatal(err)
	}
	if err := j.PutPackers(ctx, eqPackers, nil); err != nil {
		t.Fatal(err)
	}
	if err := j.PutOrders(ctx, eqOrders(), nil); err != nil {
		t.Fatal(err)
	}
	requireLogin, scale := false, false
	var st *station.Station
	start := func() {
		st, err = station.New(ctx, station.Config{Journal: j, StationID: "EQ1", Engine: pack.Engine{RequireLogin: requireLogin}, Scale: scale})
		if err != nil {
			t.Fatal(err)
		}
	}
	var rows []replayLine
	row := func(n int, scan string, d station.DecisionView) {
		rows = append(rows, replayLine{Line: n, Scan: scan, Verdict: d.Verdict, Order: d.Order, SKU: d.SKU, Remaining: d.Remaining,
			Return: d.Return, Unit: d.Unit})
	}
	for n, text := range strings.Split(script, "\n") {
		n++
		if strings.TrimSpace(text) == "" {
			continue
		}
		var l scriptLine
		if err := json.Unmarshal([]byte(text), &l); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		if l.RequireLogin != nil || l.Scale != nil {
			if st != nil {
				t.Fatalf("line %d: require_login or scale after the station started is not supported here", n)
			}
			if l.RequireLogin != nil {
				requireLogin = *l.RequireLogin
			} else {
				scale = *l.Scale
			}
			continue
		}
		if st == nil {
			start()
		}
		switch {
		case l.Scan != nil:
			out, err := st.Scan(ctx, *l.Scan, "replay")
			if err != nil {
				t.Fatalf("line %d: scan %q: %v", n, *l.Scan, err)
			}
			row(n, *l.Scan, out.Decision)
		case l.Weigh != nil:
			out, err := st.Weigh(ctx, *l.Weigh, true)
			if err != nil {
				t.Fatalf("line %d: weigh: %v", n, err)
			}
			if out.Decision.Verdict != "" {
				row(n, "", out.Decision)
				rows[len(rows)-1].Weight = *l.Weigh
			}
		case l.Label != nil:
			// The station printed its own label: it must be the one named.
			if o := st.View().Order; o == nil || o.Tracking != *l.Label {
				t.Fatalf("line %d: the station's label is not %s (order view %+v)", n, *l.Label, o)
			}
		case l.Status != nil:
			o, ok, err := j.Order(l.Status.Order)
			if err != nil || !ok {
				t.Fatalf("line %d: order %s: %v", n, l.Status.Order, err)
			}
			o.Status = l.Status.Status
			if err := st.UpsertOrders(ctx, []pack.Order{o}); err != nil {
				t.Fatalf("line %d: %v", n, err)
			}
		case l.Acknowledge != nil:
			if err := st.AcknowledgeIntercept(ctx, *l.Acknowledge); err != nil {
				// replay answers command_rejected (no_intercept)
				rows = append(rows, replayLine{Line: n, Verdict: string(pack.VerdictCommandRejected), Order: *l.Acknowledge,
					Remaining: pack.State{}.Remaining()})
				if o := st.View().Order; o != nil {
					rows[len(rows)-1].Remaining = remaining(o)
				}
				continue
			}
			row(n, "", *st.View().Last)
		case l.Return != nil:
			// As the sync client applies a pull.
			if _, err := j.ApplyPull(ctx, wire.PullResponse{Cursor: fmt.Sprint(n), Changes: []wire.Change{{Kind: wire.ChangeReturn, Return: l.Return}}}); err != nil {
				t.Fatalf("line %d: %v", n, err)
			}
		case l.Mode != nil:
			out, err := st.SwitchMode(ctx, *l.Mode == "returns")
			if err != nil {
				t.Fatalf("line %d: mode: %v", n, err)
			}
			row(n, "PDCMD:MODE:"+strings.ToUpper(*l.Mode), out.Decision)
		case l.Restart != nil:
			start()
			if last := st.View().Last; last != nil && last.Verdict == string(pack.VerdictResumed) {
				row(n, "", *last)
			}
		default:
			t.Fatalf("line %d: not supported here: %s", n, text)
		}
	}
	return rows
}

func remaining(o *station.OrderView) int {
	n := 0
	for _, l := range o.Lines {
		n += max(l.Required-l.Scanned, 0)
	}
	return n
}

// TestReplayDrivesReturns pins the verdicts of the returns script: the
// mode switch, every receipt verdict, grading, disposition, a restart, a
// return left and opened again with its units remembered, and one closed
// for good.
func TestReplayDrivesReturns(t *testing.T) {
	cat, err := pack.NewMapCatalog(eqSKUs, eqOrders(), eqPackers)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := replay(context.Background(), cat, strings.NewReader(eqScripts["returns"]), &out, false); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range decodeRows(t, out.Bytes()) {
		got = append(got, r.Verdict)
	}
	want := []string{"packer_login", "order_not_found", "returns_mode", "no_open_return", "return_not_found", "command_rejected",
		"return_opened", "return_not_on_order", "return_already_received", "return_expected", "command_rejected", "return_graded",
		"return_location_required", "return_location_required", "return_disposed", "resumed", "invalid_scan", "return_expected",
		"return_graded", "command_rejected", "return_disposed", "return_more_than_shipped", "command_rejected", "return_left",
		"return_opened", "return_already_received", "return_closed", "return_not_found", "return_not_found", "packing_mode", "order_opened"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("verdicts:\n got %v\nwant %v", got, want)
	}
	rows := decodeRows(t, out.Bytes())
	if r := rows[17]; r.Return != "R-1" || r.Unit != 2 || r.SKU != "MUG" || r.Order != "" {
		t.Errorf("second unit row = %+v", r)
	}
}
