// Package review is the server's automatic order review (自动审核规则):
// pure rules, read from a configuration text (Parse), that decide whether
// an order may become a pack task or goes to the exception pool
// (异常订单池) with one or more reasons. It also owns every exception
// reason code the server uses, with its messages in English and
// Simplified Chinese (Message), including the codes the stock and carrier
// steps set. No I/O: the store hands in the order, the SKU master lookup
// and the orders that look the same (Input).
package review

import (
	"slices"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

// Reason codes the review rules raise. A rule's name in the rules file is
// its code.
const (
	UnknownSKU        central.ReasonCode = "unknown_sku"        // a line's SKU is not in the SKU master
	UnitMismatch      central.ReasonCode = "unit_mismatch"      // a line's unit (件/套) differs from the SKU master's
	AddressIncomplete central.ReasonCode = "address_incomplete" // a field the country needs is missing
	AddressInvalid    central.ReasonCode = "address_invalid"    // country or postal code malformed for the country
	POBox             central.ReasonCode = "po_box"             // a PO box where the order's channel refuses them
	SensitiveAddress  central.ReasonCode = "sensitive_address"  // the address holds a configured keyword
	HighValue         central.ReasonCode = "high_value"         // the order's value is over its currency's threshold
	DuplicateOrder    central.ReasonCode = "duplicate_order"    // same buyer, address and SKUs as an earlier order
	Cancelled         central.ReasonCode = "cancelled"          // cancelled, or the buyer asked to cancel
)

// RuleCodes are the codes of the review rules, in the order they are
// evaluated and explained.
var RuleCodes = []central.ReasonCode{Cancelled, UnknownSKU, UnitMismatch, AddressIncomplete,
	AddressInvalid, POBox, SensitiveAddress, HighValue, DuplicateOrder}

// Codes lists every reason code the server sets: the review rules' and
// those of the stock and carrier steps. Callers must not modify it.
var Codes = append(append([]central.ReasonCode(nil), RuleCodes...),
	central.ReasonStockShort, central.ReasonNoWarehouse, central.ReasonChannelNotFound, central.ReasonLabelFetchFailed)

// IsRule reports whether code is one of the review rules (RuleCodes).
func IsRule(code central.ReasonCode) bool {
	for _, c := range RuleCodes {
		if c == code {
			return true
		}
	}
	return false
}

// IsCode reports whether code is one of Codes or a station's exception
// (StationPrefix and a reason).
func IsCode(code central.ReasonCode) bool {
	if r, ok := strings.CutPrefix(string(code), StationPrefix); ok {
		return r != ""
	}
	return slices.Contains(Codes, code)
}

// CodeList is Codes as "a, b, c", for messages.
func CodeList() string {
	s := make([]string, len(Codes))
	for i, c := range Codes {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
