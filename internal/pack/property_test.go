package pack_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/barcode"
	"github.com/packdesk/packdesk/internal/pack"
	"pgregory.net/rapid"
)

// world is a random catalog plus what every code means, so the test can
// judge the engine without asking it.
type world struct {
	cat     *pack.MapCatalog
	skus    []pack.SKU
	orders  []pack.Order
	gtin    map[string]string // sku → 13-digit GTIN
	pack    map[string]int    // sku → units of its alias "PK-"+sku
	serials map[string]string // recorded ledger: sku+"/"+serial → order
}

func genWorld(t *rapid.T) *world {
	w := &world{gtin: map[string]string{}, pack: map[string]int{}, serials: map[string]string{}}
	nSKU := rapid.IntRange(1, 4).Draw(t, "skus")
	for i := range nSKU {
		id := fmt.Sprintf("S%d", i)
		g := fmt.Sprintf("40000000000%02d", i)
		units := rapid.IntRange(1, 6).Draw(t, "pack-"+id)
		w.gtin[id], w.pack[id] = g, units
		w.skus = append(w.skus, pack.SKU{
			SKU: id, Title: "商品 " + id,
			Barcodes:       []pack.Alias{{Code: g, Units: 1}, {Code: "PK-" + id, Units: units}},
			WeightGrams:    rapid.IntRange(0, 500).Draw(t, "w-"+id),
			SerialRequired: rapid.IntRange(0, 3).Draw(t, "serial-"+id) == 0,
			LotRequired:    rapid.IntRange(0, 4).Draw(t, "lot-"+id) == 0,
		})
	}
	statuses := []pack.OrderStatus{pack.StatusReady, pack.StatusReady, pack.StatusReady, pack.StatusOnHold, pack.StatusCancelled, pack.StatusPacked}
	nOrders := rapid.IntRange(1, 3).Draw(t, "orders")
	for i := range nOrders {
		o := pack.Order{ID: fmt.Sprintf("111-000000%d-0000001", i), Status: rapid.SampledFrom(statuses).Draw(t, "status")}
		for j := range rapid.IntRange(1, 3).Draw(t, "lines") {
			o.Lines = append(o.Lines, pack.Line{
				ItemID:   fmt.Sprintf("%d-%d", i, j),
				SKU:      fmt.Sprintf("S%d", rapid.IntRange(0, nSKU-1).Draw(t, "line-sku")),
				Quantity: rapid.IntRange(1, 4).Draw(t, "qty"),
			})
		}
		w.orders = append(w.orders, o)
	}
	cat, err := pack.NewMapCatalog(w.skus, w.orders, []pack.Packer{{Badge: "P1", Name: "P"}, {Badge: "SUP", Name: "S", Supervisor: true}})
	if err != nil {
		t.Fatal(err)
	}
	w.cat = cat
	return w
}

// action is one generated input and what it means.
type action struct {
	desc  string
	scan  barcode.Scan
	sku   string // product scans: the SKU …
	units int    // … and the units the code stands for
	label string // LabelPrinted with this tracking
	weigh int    // Weigh with this many grams (> 0)
}

func genAction(t *rapid.T, w *world, s pack.State) action {
	sku := w.skus[rapid.IntRange(0, len(w.skus)-1).Draw(t, "sku")].SKU
	serial := fmt.Sprintf("SN%d", rapid.IntRange(0, 4).Draw(t, "sn"))
	orderID := "999-9999999-9999999"
	if i := rapid.IntRange(0, len(w.orders)).Draw(t, "order"); i < len(w.orders) {
		orderID = w.orders[i].ID
	}
	// Steer towards the interesting paths: overrides, labels, weights.
	switch {
	case s.Supervisor != "" && rapid.IntRange(0, 3).Draw(t, "do-override") > 0:
		cmd := "PDCMD:OVERRIDE:" + rapid.SampledFrom(append([]string{"", "TORN LABEL"}, pack.OverrideReasons...)).Draw(t, "override-reason")
		return action{desc: cmd, scan: text(strings.TrimSuffix(cmd, ":"))}
	case s.LastReject != nil && rapid.IntRange(0, 2).Draw(t, "badge-sup") == 0:
		return action{desc: "PDBADGE:SUP", scan: text("PDBADGE:SUP")}
	case s.Open != nil && s.Remaining() == 0 && rapid.IntRange(0, 2).Draw(t, "finish") > 0:
		id := s.Open.Order.ID
		switch {
		case s.Open.Step == pack.StepWeigh:
			want := 0
			for _, l := range s.Open.Order.Lines {
				sk, _ := w.cat.SKU(l.SKU)
				want += sk.WeightGrams * l.Quantity
			}
			return action{desc: "weigh near", weigh: max(1, want+rapid.IntRange(-40, 40).Draw(t, "off"))}
		case s.Open.Tracking == "":
			return action{desc: "label printed", label: "TRK-" + id}
		default:
			return action{desc: "scan tracking", scan: text("TRK-" + id)}
		}
	case s.Packer == nil && rapid.IntRange(0, 3).Draw(t, "login") == 0:
		return action{desc: "PDBADGE:P1", scan: text("PDBADGE:P1")}
	case s.Open != nil && rapid.Bool().Draw(t, "own-order"):
		orderID = s.Open.Order.ID
		l := s.Open.Order.Lines[rapid.IntRange(0, len(s.Open.Order.Lines)-1).Draw(t, "line")]
		sku = l.SKU
	}
	switch rapid.IntRange(0, 11).Draw(t, "kind") {
	case 0:
		return action{desc: "order " + orderID, scan: text(orderID)}
	case 1:
		return action{desc: "sku " + sku, scan: text(sku), sku: sku, units: 1}
	case 2:
		return action{desc: "gtin " + sku, scan: gtinScan(w.gtin[sku]), sku: sku, units: 1}
	case 3:
		return action{desc: "alias " + sku, scan: text("PK-" + sku), sku: sku, units: w.pack[sku]}
	case 4:
		lot := rapid.SampledFrom([]string{"", "", "L1"}).Draw(t, "gs1-lot")
		return action{desc: "gs1 " + sku + " " + serial + " " + lot, scan: gs1Scan(w.gtin[sku], serial, lot), sku: sku, units: 1}
	case 5:
		if rapid.IntRange(0, 3).Draw(t, "lot-text") == 0 {
			return action{desc: "lot text", scan: text("LOT-7")}
		}
		return action{desc: "serial " + serial, scan: text(serial)}
	case 6:
		return action{desc: "junk", scan: text(fmt.Sprintf("JUNK%d", rapid.IntRange(0, 2).Draw(t, "junk")))}
	case 7:
		return action{desc: "invalid", scan: invalid()}
	case 8:
		cmd := rapid.SampledFrom([]string{"PDCMD:COMPLETE", "PDCMD:REPRINT", "PDCMD:LABEL-FAILED", "PDCMD:EXCEPTION:DAMAGED",
			"PDCMD:CANCEL", "PDCMD:OVERRIDE", "PDCMD:OVERRIDE:TORN LABEL", "PDCMD:OVERRIDE:LABEL-UNREADABLE", "PDCMD:LOGOUT", "PDCMD:LOGOUT:HANDOVER", "PDCMD:LOGOUT:PUTBACK", "PDCMD:EXCEPTION:TORN", "PDBADGE:P1", "PDBADGE:SUP", "PDBADGE:SUP", "PDBADGE:NOPE"}).Draw(t, "cmd")
		return action{desc: cmd, scan: text(cmd)}
	case 9:
		return action{desc: "label printed", label: "TRK-" + orderID}
	case 10:
		return action{desc: "scan tracking", scan: text("TRK-" + orderID)}
	default:
		return action{desc: "weigh", weigh: rapid.IntRange(1, 3000).Draw(t, "grams")}
	}
}

func perSKU(o *pack.Open) map[string]int {
	m := map[string]int{}
	for i, l := range o.Order.Lines {
		m[l.SKU] += o.Counts[i]
	}
	return m
}

func linesPerSKU(o pack.Order) map[string]int {
	m := map[string]int{}
	for _, l := range o.Lines {
		m[l.SKU] += l.Quantity
	}
	return m
}

func total(o *pack.Open) int {
	n := 0
	for _, c := range o.Counts {
		n += c
	}
	return n
}

func TestEngineProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		e := pack.Engine{Catalog: w.cat,
			RequireLogin:     rapid.Bool().Draw(t, "require-login"),
			WeighBeforeLabel: rapid.Bool().Draw(t, "weigh"),
		}
		var s pack.State
		var model map[string]int // accepted units per SKU of the open order, by the model
		orderSerials := map[string]bool{}
		label := ""
		for range rapid.IntRange(1, 80).Draw(t, "steps") {
			a := genAction(t, w, s)
			before, _ := json.Marshal(s)
			var d pack.Decision
			var n pack.State
			switch {
			case a.label != "":
				n = e.LabelPrinted(s, a.label)
				if s.Open != nil && s.Remaining() == 0 {
					label = a.label
				}
			case a.weigh > 0:
				d, n = e.Weigh(s, a.weigh, t0)
			default:
				d, n = e.Apply(s, pack.Input{Scan: a.scan, At: t0})
			}
			after, _ := json.Marshal(s)
			if string(before) != string(after) {
				t.Fatalf("%s: input state was modified", a.desc)
			}
			roundTrip(t, n)
			checkStep(t, w, a, s, n, d, model, orderSerials, label)

			// Advance the model.
			switch {
			case n.Open == nil:
				if d.Verdict == pack.VerdictLabelVerified {
					for sn := range orderSerials {
						i := indexSlash(sn)
						w.cat.RecordSerial(sn[:i], sn[i+1:], s.Open.Order.ID)
						w.serials[sn] = s.Open.Order.ID
					}
				}
				model, orderSerials, label = nil, map[string]bool{}, ""
			case s.Open == nil || s.Open.Order.ID != n.Open.Order.ID:
				model, orderSerials, label = map[string]int{}, map[string]bool{}, ""
			default:
				if delta := total(n.Open) - total(s.Open); delta > 0 {
					model[d.SKU] += delta
				}
			}
			if n.Open != nil {
				for _, c := range n.Open.Captured {
					if c.Serial != "" {
						orderSerials[c.SKU+"/"+c.Serial] = true
					}
				}
				if got := perSKU(n.Open); !sameCounts(got, model) {
					t.Fatalf("%s: engine counts %v, model %v", a.desc, got, model)
				}
			}
			if n.Open != nil && n.Open.Tracking == "" {
				label = ""
			}
			s = n
		}
	})
}

func indexSlash(s string) int {
	for i := range len(s) {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}

func sameCounts(a, b map[string]int) bool {
	clean := func(m map[string]int) map[string]int {
		c := map[string]int{}
		for k, v := range m {
			if v != 0 {
				c[k] = v
			}
		}
		return c
	}
	return maps.Equal(clean(a), clean(b))
}

func roundTrip(t *rapid.T, s pack.State) {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("marshal state: %v", err)
	}
	var back pack.State
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("unmarshal state: %v", err)
	}
	if !reflect.DeepEqual(back, s) {
		t.Fatalf("state changed through JSON:\n%+v\n%+v", s, back)
	}
}

func checkStep(t *rapid.T, w *world, a action, s, n pack.State, d pack.Decision, model map[string]int, serials map[string]bool, label string) {
	if n.Open != nil {
		for i, l := range n.Open.Order.Lines {
			if c := n.Open.Counts[i]; c < 0 || c > l.Quantity {
				t.Fatalf("%s: line %d counts %d of %d", a.desc, i, c, l.Quantity)
			}
		}
	}
	if d.Verdict == "" {
		return // LabelPrinted
	}
	if d.Remaining != n.Remaining() {
		t.Fatalf("%s: decision remaining %d, state %d", a.desc, d.Remaining, n.Remaining())
	}
	if d.Verdict == pack.VerdictOverride && !pack.ValidOverrideReason(d.Reason) {
		t.Fatalf("%s: override with reason %q, not one of %v", a.desc, d.Reason, pack.OverrideReasons)
	}
	sameOrder := s.Open != nil && n.Open != nil && s.Open.Order.ID == n.Open.Order.ID
	if d.Verdict.Rejected() || d.Verdict == pack.VerdictSerialRequired || d.Verdict == pack.VerdictLotRequired {
		if (s.Open == nil) != (n.Open == nil) || (s.Open != nil && !sameOrder) {
			t.Fatalf("%s: rejection %s opened or closed an order", a.desc, d.Verdict)
		}
		if s.Open != nil && !slices.Equal(s.Open.Counts, n.Open.Counts) {
			t.Fatalf("%s: rejection %s changed counts %v → %v", a.desc, d.Verdict, s.Open.Counts, n.Open.Counts)
		}
	}
	delta := 0
	if sameOrder {
		delta = total(n.Open) - total(s.Open)
	}
	if delta < 0 {
		t.Fatalf("%s: counts went down", a.desc)
	}
	need := func(sku string) int { return linesPerSKU(s.Open.Order)[sku] - model[sku] }
	if delta > 0 {
		switch d.Verdict {
		case pack.VerdictAccepted, pack.VerdictOrderComplete:
			if aw := s.Open.AwaitSerial; aw != "" {
				if d.SKU != aw || delta != max(s.Open.AwaitUnits, 1) {
					t.Fatalf("%s: serial/lot step counted %d of %s, awaiting %d of %s", a.desc, delta, d.SKU, s.Open.AwaitUnits, aw)
				}
			} else if a.sku == "" || d.SKU != a.sku || delta != a.units || a.units > need(a.sku) {
				t.Fatalf("%s: counted %d of %s; scan means %d of %s, %d needed", a.desc, delta, d.SKU, a.units, a.sku, need(a.sku))
			}
			if sk, _ := w.cat.SKU(d.SKU); sk.SerialRequired && (d.Serial == "" || delta != 1) || sk.LotRequired && d.Lot == "" {
				t.Fatalf("%s: %d of %s counted with serial %q lot %q", a.desc, delta, d.SKU, d.Serial, d.Lot)
			}
			if d.Serial != "" && serials[d.SKU+"/"+d.Serial] {
				t.Fatalf("%s: serial %s counted twice", a.desc, d.Serial)
			}
		case pack.VerdictOverride:
			if s.Supervisor == "" {
				t.Fatalf("%s: override without a supervisor badge", a.desc)
			}
			switch d.Lifted {
			case pack.VerdictSerialRequired, pack.VerdictLotRequired:
			case pack.VerdictWrongItem, pack.VerdictUnknownBarcode:
				var left []string
				for sku, q := range linesPerSKU(s.Open.Order) {
					if q > model[sku] {
						left = append(left, sku)
					}
				}
				if delta != 1 || len(left) != 1 || left[0] != d.SKU {
					t.Fatalf("%s: override counted %d of %s, SKUs left %v", a.desc, delta, d.SKU, left)
				}
			default:
				t.Fatalf("%s: override lifted %s and counted units", a.desc, d.Lifted)
			}
		default:
			t.Fatalf("%s: verdict %s changed counts", a.desc, d.Verdict)
		}
		after := maps.Clone(model)
		if after == nil {
			after = map[string]int{}
		}
		after[d.SKU] += delta
		complete := maps.Equal(after, linesPerSKU(s.Open.Order))
		if d.Completed != complete {
			t.Fatalf("%s: Completed=%v but model complete=%v (%v vs lines %v)", a.desc, d.Completed, complete, after, s.Open.Order.Lines)
		}
	} else if d.Completed {
		t.Fatalf("%s: Completed without counting a unit", a.desc)
	} else if d.Verdict == pack.VerdictAccepted || d.Verdict == pack.VerdictOverride && d.Lifted != pack.VerdictOrderOnHold {
		t.Fatalf("%s: %s but no unit counted", a.desc, d.Verdict)
	}
	if d.Verdict == pack.VerdictAccepted && delta != d.Units {
		t.Fatalf("%s: accepted %d units but counted %d", a.desc, d.Units, delta)
	}
	switch d.Verdict {
	case pack.VerdictOrderComplete:
		if n.Remaining() != 0 || n.Open == nil {
			t.Fatalf("%s: order_complete with %d remaining", a.desc, n.Remaining())
		}
	case pack.VerdictLabelVerified:
		if s.Open == nil || s.Remaining() != 0 || label == "" || !pack.TrackingEqual(label, a.scan.Data) || n.Open != nil {
			t.Fatalf("%s: label_verified wrongly (label %q)", a.desc, label)
		}
		if e := s.Open.Step; e == pack.StepWeigh {
			t.Fatalf("%s: label verified before weighing", a.desc)
		}
	case pack.VerdictWrongItem:
		if s.Open != nil && linesPerSKU(s.Open.Order)[d.SKU] > 0 {
			t.Fatalf("%s: wrong_item for SKU %s that the order has", a.desc, d.SKU)
		}
	case pack.VerdictOverScan:
		if s.Open.Step == pack.StepPacking && d.Units <= need(d.SKU) {
			t.Fatalf("%s: over_scan of %d %s though %d needed", a.desc, d.Units, d.SKU, need(d.SKU))
		}
	case pack.VerdictLogoutChoice:
		if s.Open == nil || n.Packer == nil || !n.LogoutAsked || !sameOrder || !slices.Equal(s.Open.Counts, n.Open.Counts) {
			t.Fatalf("%s: logout_choice must only ask, with an order open", a.desc)
		}
	case pack.VerdictPackerLogout:
		switch {
		case n.Packer != nil:
			t.Fatalf("%s: packer_logout left %v logged in", a.desc, n.Packer)
		case s.Open != nil && d.HandOver == "":
			t.Fatalf("%s: logged out with order %s open without asking", a.desc, s.Open.Order.ID)
		case d.HandOver == pack.LogoutPutBack && n.Open != nil:
			t.Fatalf("%s: put back but the order is still open", a.desc)
		case d.HandOver == pack.LogoutHandover && (!sameOrder || n.Open.HandedOverBy != s.Packer.Badge || !slices.Equal(s.Open.Counts, n.Open.Counts)):
			t.Fatalf("%s: hand-over did not keep the order as it was for the next packer", a.desc)
		}
	case pack.VerdictOrderOpened:
		if n.Open == nil {
			t.Fatalf("%s: order_opened but nothing open", a.desc)
		}
		if s.Open == nil {
			o, _ := w.cat.Order(n.Open.Order.ID)
			if o.Status != pack.StatusReady {
				t.Fatalf("%s: opened order with status %s", a.desc, o.Status)
			}
			for _, c := range s.Recent {
				if c.Order == o.ID {
					t.Fatalf("%s: reopened order closed as %s", a.desc, c.Outcome)
				}
			}
		}
	case pack.VerdictDuplicateSerial:
		if !serials[d.SKU+"/"+d.Serial] && w.serials[d.SKU+"/"+d.Serial] == "" {
			t.Fatalf("%s: duplicate_serial for new serial %s", a.desc, d.Serial)
		}
	}
}
