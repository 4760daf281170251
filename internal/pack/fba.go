package pack

import (
	"strconv"
	"strings"

	"github.com/packdesk/packdesk/internal/barcode"
)

// fba handles a product or FNSKU scan in an open FBA_PREP order that is
// taking units. The product's own barcode never counts a unit there: it
// prints the FNSKU labels of the units of that SKU still needed
// (fba_labels_printed; Open.FBA holds the batch). Each applied label is
// then verified by scanning it, and only that scan counts its unit. ok is
// false for every other scan (unknown codes, order numbers, a SKU the order
// does not need), which the ordinary rules answer.
//
// Once every unit is counted (the carton label step) only an FNSKU label
// is answered here (fba_sku_done). The model (pending = Printed - Verified):
//
//	pending 0, product P needed, P has an FNSKU   → fba_labels_printed (Printed = need)
//	pending 0, product P needed, no FNSKU         → fba_product_not_in_order (fba_no_fnsku)
//	pending 0, FNSKU label of P, P still needed   → fba_label_mismatch (fba_product_first)
//	pending 0, FNSKU label of P, P all done       → fba_label_mismatch (fba_sku_done)
//	pending>0, FNSKU label of the batch's SKU     → the unit is counted (accepted / order_complete); Verified++
//	pending>0, another SKU's FNSKU label          → fba_label_mismatch (fba_other_label)
//	pending>0, any product barcode                → fba_label_mismatch (fba_verify_first)
func (e Engine) fba(n *State, sc barcode.Scan, data string) (Decision, bool) {
	o := n.Open
	if o.Order.Channel != ChannelFBAPrep {
		return Decision{}, false
	}
	m, _, _, ok := e.resolve(sc, data)
	if !ok || lineOf(o, m.SKU) < 0 {
		return Decision{}, false
	}
	sku, _ := e.Catalog.SKU(m.SKU)
	f, pending := o.FBA, o.FBA.Pending()
	isLabel := sku.FNSKU != "" && (sameCode(data, sku.FNSKU) || sc.ID != "" && sameCode(sc.ID, sku.FNSKU))
	need := needOf(o, m.SKU)
	d := Decision{SKU: m.SKU, FNSKU: sku.FNSKU}
	if o.Step != StepPacking && !isLabel {
		return Decision{}, false // the batch is complete: the ordinary rules say so
	}
	switch {
	case isLabel && pending > 0 && f.SKU == m.SKU:
		d = e.unit(n, Match{SKU: m.SKU, Units: 1}, "", "")
		switch d.Verdict {
		case VerdictAccepted, VerdictOrderComplete, VerdictSerialRequired, VerdictLotRequired:
			n.Open.FBA.Verified++ // the label is on the unit; a serial or lot may follow
		}
		d.FNSKU = sku.FNSKU
		return d, true
	case isLabel && pending > 0:
		d.Verdict, d.Cause, d.FNSKU, d.Expected = VerdictFBALabelMismatch, CauseFBAOtherLabel, f.FNSKU, []string{f.FNSKU}
		d.Detail = "this is the FNSKU label of " + m.SKU + ", but the labels of " + f.SKU + " (" + f.FNSKU + ") are waiting: take it off and scan those"
	case isLabel && need == 0:
		d.Verdict, d.Cause = VerdictFBALabelMismatch, CauseFBASKUDone
		d.Detail = "all FNSKU labels of " + m.SKU + " are done: take this one off"
	case isLabel:
		d.Verdict, d.Cause = VerdictFBALabelMismatch, CauseFBAProductFirst
		d.Detail = "no FNSKU labels of " + m.SKU + " are waiting: scan the product first, then its printed labels"
	case pending > 0:
		d.Verdict, d.Cause, d.FNSKU, d.Expected, d.Units = VerdictFBALabelMismatch, CauseFBAVerifyFirst, f.FNSKU, []string{f.FNSKU}, pending
		d.SKU = f.SKU
		d.Detail = "verify the printed FNSKU labels of " + f.SKU + " first (" + strconv.Itoa(pending) + " left)"
	case need == 0:
		return Decision{}, false // over_scan from the ordinary rules
	case sku.FNSKU == "":
		d.Verdict, d.Cause = VerdictFBAProductNotInOrder, CauseFBANoFNSKU
		d.Detail = "SKU " + m.SKU + " has no FNSKU in the SKU master: add it and import again"
	default:
		o.FBA = &FBABatch{SKU: m.SKU, FNSKU: sku.FNSKU, Printed: need}
		d.Verdict, d.Units = VerdictFBALabelsPrinted, need
		d.Detail = "print " + strconv.Itoa(need) + " FNSKU labels " + sku.FNSKU + " for " + m.SKU + ": stick them on and scan each"
	}
	return d, true
}

// sameCode compares two codes as the catalog indexes them, ignoring case
// (FNSKUs are upper case; a typed one may not be).
func sameCode(a, b string) bool {
	return strings.EqualFold(NormalizeCode(a), NormalizeCode(b))
}
