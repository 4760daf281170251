package pack

// Cause says more precisely why the engine gave a verdict, where the
// verdict alone would leave the packer guessing (a command_rejected, a
// label_mismatch of a label marked failed, a set too big for what is
// missing). It is a stable code like Verdict: the station shows the
// message "verdict.cause.<cause>" instead of "verdict.<verdict>" when it
// is set, so both languages say the same specific thing. Decision.Detail
// keeps the English explanation for logs and replay.
type Cause string

// Causes.
const (
	CauseNone Cause = ""

	// command_rejected
	CauseBadgeUnknown          Cause = "badge_unknown"            // a PDBADGE: not registered at this station
	CauseNobodyLoggedIn        Cause = "nobody_logged_in"         // PDCMD:LOGOUT with nobody logged in
	CauseUnknownCommand        Cause = "unknown_command"          // a PDCMD: code this version does not know
	CauseNeedsOrder            Cause = "needs_order"              // the command needs an open order
	CauseUnitsMissing          Cause = "units_missing"            // PDCMD:COMPLETE with units missing (Expected)
	CauseNotComplete           Cause = "not_complete"             // reprint / label failed before the order is complete
	CauseWeighFirst            Cause = "weigh_first"              // reprint before the weigh step is done
	CauseNoLabelYet            Cause = "no_label_yet"             // no label printed for the order yet
	CauseLabelAlreadyFailed    Cause = "label_already_failed"     // PDCMD:LABEL-FAILED twice
	CauseNoSupervisor          Cause = "no_supervisor"            // PDCMD:OVERRIDE without a supervisor badge right before
	CauseNothingToOverride     Cause = "nothing_to_override"      // a supervisor badge or override with no rejection to lift
	CauseOverrideReasonMissing Cause = "override_reason_missing"  // PDCMD:OVERRIDE without a reason
	CauseOverrideReasonUnknown Cause = "override_reason_unknown"  // a reason not in OverrideReasons (Reason)
	CauseOverrideRefused       Cause = "override_refused"         // that rejection cannot be lifted now (Lifted, Detail)
	CauseExceptionReasonBad    Cause = "exception_reason_unknown" // a reason not in ExceptionReasons (Reason)
	CauseNothingToWeigh        Cause = "nothing_to_weigh"         // a reading with no complete order open
	CauseNoIntercept           Cause = "no_intercept"             // acknowledge with no alert for the order
	CauseNoLogoutChoice        Cause = "no_logout_choice"         // PDCMD:LOGOUT:HANDOVER/PUTBACK with no order open
	CauseOrderOpenNoReturns    Cause = "order_open_no_returns"    // PDCMD:MODE:RETURNS with an order open
	CauseReturnStillOpen       Cause = "return_still_open"        // PDCMD:MODE:PACKING (or another return) with a return open
	CauseNotInReturns          Cause = "not_in_returns"           // a packing command in returns mode
	CauseReturnsOnly           Cause = "returns_only"             // a returns command in packing mode
	CauseNoReturn              Cause = "no_return"                // a returns command with no return open
	CauseNothingToGrade        Cause = "nothing_to_grade"         // PDCMD:GRADE with no unit waiting for a grade
	CauseGradeFirst            Cause = "grade_first"              // PDCMD:DISPOSE before the unit is graded
	CauseRestockRefused        Cause = "restock_refused"          // PDCMD:DISPOSE:RESTOCK of a unit graded C or D

	// order_opened
	CauseAlreadyOpen Cause = "already_open" // the open order scanned again: the step's instruction applies

	// order_on_hold
	CauseInExceptionPool Cause = "in_exception_pool" // the order was sent to the exception pool
	CauseNoUnits         Cause = "no_units"          // the order has nothing to pack

	// over_scan
	CauseSetTooBig Cause = "set_too_big" // an alias (set, pack) of Units units where only Missing are missing

	// duplicate_serial
	CauseSerialUsedElsewhere Cause = "serial_used_elsewhere" // UsedIn is the order that shipped it

	// label_mismatch
	CauseLabelMarkedFailed Cause = "label_marked_failed" // that label was marked failed (Tracking: the new one, if any)
	CauseLabelNotPrinted   Cause = "label_not_printed"   // no label printed yet
	CauseLabelWeighFirst   Cause = "label_weigh_first"   // weigh before scanning the label

	// fba_label_mismatch, fba_product_not_in_order
	CauseFBASKUDone      Cause = "fba_sku_done"      // every FNSKU label of this SKU is verified
	CauseFBAProductFirst Cause = "fba_product_first" // an FNSKU label before its product was scanned
	CauseFBAOtherLabel   Cause = "fba_other_label"   // another SKU's FNSKU label while a batch waits (FNSKU: the one wanted)
	CauseFBAVerifyFirst  Cause = "fba_verify_first"  // a product while a batch waits to be verified (Units left)
	CauseFBANoFNSKU      Cause = "fba_no_fnsku"      // the SKU has no FNSKU in the SKU master

	// invalid_scan: in operator words, never the parser's text
	CauseScanGarbled Cause = "scan_garbled" // bytes that are no barcode (not UTF-8, control characters): scanner settings
	CauseScanEmpty   Cause = "scan_empty"   // nothing but framing arrived
	CauseScanMisread Cause = "scan_misread" // a GS1 or EAN/UPC code that does not check out: misread or misprinted

	// returns: return_not_found, invalid_scan, return_location_required
	CauseReturnClosed    Cause = "return_closed"    // the return was closed already
	CauseReturnCancelled Cause = "return_cancelled" // the return authorisation was withdrawn
	CauseOneByOne        Cause = "one_by_one"       // a pack barcode in returns mode: scan each unit
	CauseNotALocation    Cause = "not_a_location"   // a product or order code where a stock location was wanted
)

// Causes lists every cause except CauseNone, for tests and translations.
var Causes = []Cause{
	CauseBadgeUnknown, CauseNobodyLoggedIn, CauseUnknownCommand, CauseNeedsOrder, CauseUnitsMissing,
	CauseNotComplete, CauseWeighFirst, CauseNoLabelYet, CauseLabelAlreadyFailed, CauseNoSupervisor,
	CauseNothingToOverride, CauseOverrideReasonMissing, CauseOverrideReasonUnknown, CauseOverrideRefused,
	CauseExceptionReasonBad, CauseNothingToWeigh, CauseNoIntercept, CauseNoLogoutChoice, CauseAlreadyOpen,
	CauseInExceptionPool, CauseNoUnits, CauseSetTooBig, CauseSerialUsedElsewhere, CauseLabelMarkedFailed,
	CauseLabelNotPrinted, CauseLabelWeighFirst, CauseFBASKUDone, CauseFBAProductFirst, CauseFBAOtherLabel,
	CauseFBAVerifyFirst, CauseFBANoFNSKU, CauseScanGarbled, CauseScanEmpty, CauseScanMisread,
	CauseOrderOpenNoReturns, CauseReturnStillOpen, CauseNotInReturns, CauseReturnsOnly, CauseNoReturn,
	CauseNothingToGrade, CauseGradeFirst, CauseRestockRefused, CauseReturnClosed, CauseReturnCancelled,
	CauseOneByOne, CauseNotALocation,
}
