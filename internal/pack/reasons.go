package pack

import "slices"

// Exception reasons: why the packer sends an order to the exception pool.
// The barcode is "PDCMD:EXCEPTION:" + reason; the F7 chooser offers the
// same codes, in this order, and the reason goes into the order's
// HoldReason, the audit log and the event.
const (
	ExceptionDamaged      = "DAMAGED"             // an item is damaged
	ExceptionMissingItem  = "MISSING-ITEM"        // an item cannot be found
	ExceptionWrongInStock = "WRONG-ITEM-IN-STOCK" // the stock holds another item under this SKU
	ExceptionWrongAddress = "WRONG-ADDRESS"       // the address is incomplete or suspicious
	ExceptionLabelFailed  = "LABEL-FAILED"        // the label cannot be printed
	ExceptionOther        = "OTHER"               // anything else: the supervisor asks
)

// ExceptionReasons are the reasons PDCMD:EXCEPTION:<reason> accepts, in the
// order of the command sheet and the F7 chooser. Callers must not modify it.
var ExceptionReasons = []string{ExceptionDamaged, ExceptionMissingItem, ExceptionWrongInStock,
	ExceptionWrongAddress, ExceptionLabelFailed, ExceptionOther}

// ValidExceptionReason reports whether reason (upper case, as
// ParseCommand returns it) is one of ExceptionReasons.
func ValidExceptionReason(reason string) bool { return slices.Contains(ExceptionReasons, reason) }

// Override reasons: why a supervisor lifts a rejection. The barcode is
// "PDCMD:OVERRIDE:" + reason; the reason goes into the audit log.
const (
	// The unit is right but its barcode is not in the SKU master yet
	// (new packaging): lifts unknown_barcode or wrong_item.
	OverrideBarcodeChanged = "BARCODE-CHANGED"
	// The unit's barcode is damaged or does not scan; the supervisor
	// checked the unit by eye.
	OverrideLabelUnreadable = "LABEL-UNREADABLE"
	// The serial or lot label is missing or unreadable: lifts
	// serial_required or lot_required.
	OverrideSerialUnreadable = "SERIAL-UNREADABLE"
	// The customer or seller approved a substitute item.
	OverrideCustomerApproved = "CUSTOMER-APPROVED"
	// The reason for an order's hold is resolved: lifts order_on_hold.
	OverrideHoldReleased = "HOLD-RELEASED"
)

// OverrideReasons are the reasons PDCMD:OVERRIDE:<reason> accepts, in the
// order of the command sheet. Callers must not modify it.
var OverrideReasons = []string{OverrideBarcodeChanged, OverrideLabelUnreadable, OverrideSerialUnreadable,
	OverrideCustomerApproved, OverrideHoldReleased}

// ValidOverrideReason reports whether reason (upper case, as
// ParseCommand returns it) is one of OverrideReasons.
func ValidOverrideReason(reason string) bool { return slices.Contains(OverrideReasons, reason) }
