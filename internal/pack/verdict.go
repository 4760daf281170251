package pack

// Verdict is the engine's judgement of one input. The names are part of the
// CLI contract (packdeskctl replay) and of the journal's events: never rename.
type Verdict string

// Verdicts.
const (
	VerdictOrderOpened        Verdict = "order_opened"         // an order scan opened the order
	VerdictAccepted           Verdict = "accepted"             // a unit counted
	VerdictOrderComplete      Verdict = "order_complete"       // the scan that counted the last unit
	VerdictWrongItem          Verdict = "wrong_item"           // a SKU that the open order does not contain
	VerdictOverScan           Verdict = "over_scan"            // more units than the order still needs
	VerdictUnknownBarcode     Verdict = "unknown_barcode"      // nothing in the catalog has this code
	VerdictSerialRequired     Verdict = "serial_required"      // scan the unit's serial number next
	VerdictDuplicateSerial    Verdict = "duplicate_serial"     // that serial was already captured
	VerdictNoOpenOrder        Verdict = "no_open_order"        // a unit scanned while no order is open
	VerdictOrderNotFound      Verdict = "order_not_found"      // no order has this number
	VerdictOrderCancelled     Verdict = "order_cancelled"      // must never ship
	VerdictOrderOnHold        Verdict = "order_on_hold"        // held (or in the exception pool)
	VerdictOrderAlreadyPacked Verdict = "order_already_packed" // packed before
	VerdictLabelVerified      Verdict = "label_verified"       // the label's tracking matched: order packed
	VerdictLabelMismatch      Verdict = "label_mismatch"       // the scanned label is not this order's
	VerdictOverride           Verdict = "override"             // a supervisor lifted the last rejection
	VerdictAnotherOrderOpen   Verdict = "another_order_open"   // another order's number while one is open
	VerdictInvalidScan        Verdict = "invalid_scan"         // barcode.Scan.Valid is false
	VerdictPackerLogin        Verdict = "packer_login"         // a packer badge logged in
	VerdictPackerLogout       Verdict = "packer_logout"        // PDCMD:LOGOUT
	VerdictLoginRequired      Verdict = "login_required"       // Engine.RequireLogin and nobody logged in
	VerdictOrderException     Verdict = "order_exception"      // PDCMD:EXCEPTION:<REASON> closed the order
	VerdictReprint            Verdict = "reprint"              // PDCMD:REPRINT: print the label again
	VerdictLabelFailed        Verdict = "label_failed"         // PDCMD:LABEL-FAILED: the label did not print
	VerdictWeightOK           Verdict = "weight_ok"            // parcel weight within tolerance
	VerdictWeightMismatch     Verdict = "weight_mismatch"      // parcel weight out of tolerance: held
	VerdictCommandRejected    Verdict = "command_rejected"     // a command that does not apply now
	VerdictSupervisorPresent  Verdict = "supervisor_present"   // supervisor badge scanned: PDCMD:OVERRIDE may follow
	VerdictOrderClosed        Verdict = "order_closed"         // PDCMD:CANCEL: packing abandoned, order stays ready
	VerdictLotRequired        Verdict = "lot_required"         // scan the unit's lot (batch) number next

	// FBA prep (FBA_PREP orders): a product scan prints the FNSKU labels of
	// the units still needed; each applied label is then scanned.
	VerdictFBALabelsPrinted     Verdict = "fba_labels_printed"       // a product scan: print Units FNSKU labels of SKU
	VerdictFBALabelMismatch     Verdict = "fba_label_mismatch"       // not the label (or product) the batch waits for
	VerdictFBAProductNotInOrder Verdict = "fba_product_not_in_order" // the SKU has no FNSKU: no label can be printed (Cause says)

	// Intercepts: an order packed here was cancelled afterwards.
	VerdictInterceptPending      Verdict = "intercept_pending"      // scans refused until the alert is acknowledged
	VerdictInterceptAcknowledged Verdict = "intercept_acknowledged" // the packer pulled the parcel

	// Log-out with an order open: the packer chooses.
	VerdictLogoutChoice Verdict = "logout_choice" // PDCMD:LOGOUT with an order open: hand it over or put it back
	VerdictResumed      Verdict = "resumed"       // the station restarted: the saved packer and order are back

	// Returns mode (returns.go): the bench receives returned parcels.
	VerdictReturnsMode            Verdict = "returns_mode"             // PDCMD:MODE:RETURNS: the bench receives returns
	VerdictPackingMode            Verdict = "packing_mode"             // PDCMD:MODE:PACKING: the bench packs orders again
	VerdictReturnOpened           Verdict = "return_opened"            // a return's tracking, RMA id or order number opened it
	VerdictReturnNotFound         Verdict = "return_not_found"         // no open return has this code (Cause: closed, cancelled)
	VerdictNoOpenReturn           Verdict = "no_open_return"           // a unit scanned while no return is open
	VerdictReturnExpected         Verdict = "return_expected"          // a unit shipped on the order: received, grade it
	VerdictReturnNotOnOrder       Verdict = "return_not_on_order"      // a SKU the order did not ship: possible swap, set aside
	VerdictReturnSerialMismatch   Verdict = "return_serial_mismatch"   // the right SKU with a serial not shipped: possible swap
	VerdictReturnMoreThanShipped  Verdict = "return_more_than_shipped" // more units of the SKU than the order shipped
	VerdictReturnAlreadyReceived  Verdict = "return_already_received"  // that serial (or every unit of the SKU) came back before
	VerdictReturnUnitPending      Verdict = "return_unit_pending"      // the last unit is not graded and disposed yet
	VerdictReturnGraded           Verdict = "return_graded"            // PDCMD:GRADE:<A-D> graded the unit: dispose of it
	VerdictReturnLocationRequired Verdict = "return_location_required" // restock: scan the stock location next
	VerdictReturnDisposed         Verdict = "return_disposed"          // the unit's disposition is recorded (restock: label printed)
	VerdictReturnClosed           Verdict = "return_closed"            // PDCMD:CLOSE-RETURN closed the return
	VerdictReturnLeft             Verdict = "return_left"              // PDCMD:CANCEL left the return open for later
)

// Verdicts lists every verdict, for tests, translations and sounds.
var Verdicts = []Verdict{
	VerdictOrderOpened, VerdictAccepted, VerdictOrderComplete, VerdictWrongItem, VerdictOverScan,
	VerdictUnknownBarcode, VerdictSerialRequired, VerdictDuplicateSerial, VerdictNoOpenOrder,
	VerdictOrderNotFound, VerdictOrderCancelled, VerdictOrderOnHold, VerdictOrderAlreadyPacked,
	VerdictLabelVerified, VerdictLabelMismatch, VerdictOverride, VerdictAnotherOrderOpen,
	VerdictInvalidScan, VerdictPackerLogin, VerdictPackerLogout, VerdictLoginRequired,
	VerdictOrderException, VerdictReprint, VerdictLabelFailed, VerdictWeightOK,
	VerdictWeightMismatch, VerdictCommandRejected, VerdictSupervisorPresent, VerdictOrderClosed,
	VerdictLotRequired, VerdictFBALabelsPrinted, VerdictFBALabelMismatch, VerdictFBAProductNotInOrder,
	VerdictInterceptPending, VerdictInterceptAcknowledged, VerdictLogoutChoice, VerdictResumed,
	VerdictReturnsMode, VerdictPackingMode, VerdictReturnOpened, VerdictReturnNotFound, VerdictNoOpenReturn,
	VerdictReturnExpected, VerdictReturnNotOnOrder, VerdictReturnSerialMismatch, VerdictReturnMoreThanShipped,
	VerdictReturnAlreadyReceived, VerdictReturnUnitPending, VerdictReturnGraded, VerdictReturnLocationRequired,
	VerdictReturnDisposed, VerdictReturnClosed, VerdictReturnLeft,
}

// Severity is how a verdict is shown and heard. The station, its events
// and the GUI use this one type; its values are stored in events.
type Severity string

// Severities.
const (
	SeverityOK     Severity = "ok"     // green, short beep: go on
	SeverityDone   Severity = "done"   // blue, chime: a step finished (order complete, label verified)
	SeverityReject Severity = "reject" // red, buzzer: the scan did not count
	SeverityWarn   Severity = "warn"   // amber, double beep: attention, nothing was wrong
)

// String returns "ok", "done", "reject" or "warn".
func (s Severity) String() string { return string(s) }

// Severity says how v is shown. An unknown verdict is a rejection.
func (v Verdict) Severity() Severity {
	switch v {
	case VerdictOrderOpened, VerdictAccepted, VerdictPackerLogin, VerdictPackerLogout, VerdictWeightOK,
		VerdictFBALabelsPrinted, VerdictInterceptAcknowledged, VerdictResumed,
		VerdictReturnsMode, VerdictPackingMode, VerdictReturnOpened, VerdictReturnExpected, VerdictReturnGraded:
		return SeverityOK
	case VerdictOrderComplete, VerdictLabelVerified, VerdictReturnDisposed, VerdictReturnClosed:
		return SeverityDone
	case VerdictSerialRequired, VerdictLotRequired, VerdictOverride, VerdictOrderException, VerdictReprint,
		VerdictSupervisorPresent, VerdictOrderClosed, VerdictLogoutChoice, VerdictReturnLocationRequired, VerdictReturnLeft:
		return SeverityWarn
	}
	return SeverityReject
}

// Rejected reports whether v is a rejection (SeverityReject).
func (v Verdict) Rejected() bool { return v.Severity() == SeverityReject }
