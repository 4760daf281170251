package pack

import "github.com/packdesk/packdesk/internal/barcode"

// pending handles the scan that should be the serial (or, with AwaitLot,
// the lot) of the unit waiting in o.AwaitSerial.
func (e Engine) pending(n *State, sc barcode.Scan, data string) Decision {
	o := n.Open
	if o.AwaitLot {
		return e.lot(n, sc, data)
	}
	sku := o.AwaitSerial
	d := Decision{SKU: sku, Units: 1}
	serial, lot := "", ""
	if m, s, l, ok := e.resolve(sc, data); ok {
		if m.SKU != sku || s == "" {
			d.Verdict, d.Detail = VerdictSerialRequired, "that is a product barcode: scan the serial number of the "+sku+" unit"
			return d
		}
		serial, lot = s, l
	} else if _, isOrder := e.Catalog.Order(data); isOrder {
		d.Verdict, d.Detail = VerdictSerialRequired, "that is an order barcode: scan the serial number of the "+sku+" unit"
		return d
	} else {
		serial = data
		if sc.AIs != nil && sc.AIs["21"] != "" {
			serial = sc.AIs["21"]
		}
	}
	if other, dup := e.serialUsed(o, sku, serial); dup {
		return duplicateSerial(d, serial, other, "scan the serial of this unit")
	}
	if info, _ := e.Catalog.SKU(sku); info.LotRequired && lot == "" {
		o.AwaitLot, o.AwaitUnits, o.AwaitSerialValue = true, 1, serial
		d.Verdict, d.Serial, d.Detail = VerdictLotRequired, serial, "serial "+serial+" noted: now scan the lot number of this "+sku
		return d
	}
	o.clearAwait()
	return e.count(n, d, sku, 1, serial, lot)
}

// lot handles the scan that should be the lot of the waiting unit(s).
func (e Engine) lot(n *State, sc barcode.Scan, data string) Decision {
	o := n.Open
	sku, units, serial := o.AwaitSerial, max(o.AwaitUnits, 1), o.AwaitSerialValue
	d := Decision{SKU: sku, Units: units, Serial: serial}
	lot := ""
	if m, sn, l, ok := e.resolve(sc, data); ok {
		if m.SKU != sku || l == "" || serial != "" && sn != "" && sn != serial {
			d.Verdict, d.Detail = VerdictLotRequired, "that is another product barcode: scan the lot number of the "+sku
			return d
		}
		lot = l
	} else if _, isOrder := e.Catalog.Order(data); isOrder {
		d.Verdict, d.Detail = VerdictLotRequired, "that is an order barcode: scan the lot number of the "+sku
		return d
	} else {
		lot = data
		if sc.AIs != nil && sc.AIs["10"] != "" {
			lot = sc.AIs["10"]
		}
	}
	o.clearAwait()
	return e.count(n, d, sku, units, serial, lot)
}

// serialUsed reports whether serial of sku was captured in the open order
// (other "") or, when the catalog keeps a ledger, in another order (other
// is its id). The ledger naming the open order itself is not a duplicate
// (the order was recorded before, e.g. packed and then reopened by the
// server): within the order, o.Captured decides.
func (e Engine) serialUsed(o *Open, sku, serial string) (other string, used bool) {
	for _, c := range o.Captured {
		if c.SKU == sku && c.Serial == serial {
			return "", true
		}
	}
	if l, ok := e.Catalog.(SerialLedger); ok {
		if other, used := l.SerialUsed(sku, serial); used && other != o.Order.ID {
			return other, true
		}
	}
	return "", false
}

// duplicateSerial is the duplicate_serial answer: the serial alone (never
// the whole GS1 scan it came in) and the order that has it.
func duplicateSerial(d Decision, serial, other, then string) Decision {
	d.Verdict, d.Serial, d.UsedIn = VerdictDuplicateSerial, serial, other
	d.Detail = "serial " + serial + " was already captured in this order: " + then
	if other != "" {
		d.Cause = CauseSerialUsedElsewhere
		d.Detail = "serial " + serial + " was already captured in order " + other + ": " + then
	}
	return d
}
