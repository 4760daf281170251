package station

// Message keys. The GUI translates them (assets translations); the station
// never produces display text. Verdict messages are KeyVerdictPrefix +
// verdict name ("verdict.wrong_item"); their args are listed at VerdictKey.
const (
	KeyVerdictPrefix = "verdict."

	// Next actions, by step. Args: see each.
	KeyNextLogin       = "next.login"        // {}
	KeyNextScanOrder   = "next.scan_order"   // {}
	KeyNextScanUnits   = "next.scan_units"   // {"order", "remaining"}
	KeyNextScanSerial  = "next.scan_serial"  // {"sku"}
	KeyNextFBAProduct  = "next.fba_product"  // {"order", "remaining"}
	KeyNextFBAVerify   = "next.fba_verify"   // {"fnsku", "count"}: labels still to verify
	KeyNextWeigh       = "next.weigh"        // {"expected_grams", "tolerance_grams"}
	KeyNextScanLabel   = "next.scan_label"   // {"order", "tracking"}
	KeyNextDone        = "next.done"         // {"order"}: packed, scan the next order
	KeyNextIntercept   = "next.intercept"    // {"order"}: pull the parcel, then acknowledge
	KeyNextLabelFailed = "next.label_failed" // {"order"}: reprint or raise an exception

	// Intercept alert. Args {"order"}.
	KeyInterceptCancelled = "intercept.cancelled_after_packed"

	// Operator errors (View.Error, Outcome errors). Args {"detail"} (English, technical).
	KeyErrCommit      = "error.commit"       // the scan was NOT recorded; scan again
	KeyErrPrint       = "error.print"        // the label could not be queued/printed
	KeyErrLabelRender = "error.label_render" // the label could not be drawn
	KeyErrSettings    = "error.settings"     // settings could not be saved
	KeyErrBusy        = "error.busy"         // context cancelled while waiting

	// Print queue actions (PrintJobs, ReleaseJob, MarkJobPrinted,
	// CancelJob, ReprintJob).
	KeyErrLoginRequired = "error.login_required" // {"detail"}: scan a badge first
	KeyErrPrintJob      = "error.print_job"      // {"order", "kind", "detail"}: no such job, wrong state, queue unreadable

	// Print alerts (View.PrintAlerts).
	KeyAlertPrintHeld = "alert.print_held" // {"order", "kind", "reason"}: check whether the label came out, then release or mark printed

	// Status bar.
	KeyStatusAudioUnavailable = "status.audio_unavailable" // {"detail"}
	KeyStatusScannerError     = "status.scanner_error"     // {"detail"}
	KeyStatusScaleError       = "status.scale_error"       // {"detail"}
)

// Station verdicts, in addition to the pack.Verdict names. Their message
// keys are KeyVerdictPrefix + name as well.
const (
	VerdictFBALabelsPrinted      = "fba_labels_printed"       // {"sku", "fnsku", "count"}
	VerdictFBALabelVerified      = "fba_label_verified"       // {"sku", "fnsku", "remaining"}
	VerdictFBALabelMismatch      = "fba_label_mismatch"       // {"expected", "scan"}
	VerdictInterceptAcknowledged = "intercept_acknowledged"   // {"order"}
	VerdictInterceptPending      = "intercept_pending"        // {"order"}: scans refused until acknowledged
	VerdictLabelPrinted          = "label_printed"            // {"order", "tracking"}
	VerdictFBAProductNotInOrder  = "fba_product_not_in_order" // {"sku", "order"}
)

// Verdict message args (all optional, present when meaningful):
//
//	"order"     order id
//	"sku"       SKU of the scanned unit
//	"units"     units the scan counted
//	"remaining" units still to scan in the open order
//	"expected"  SKUs still needed (wrong_item), comma-separated
//	"serial", "lot", "detail", "scan"
//
// VerdictKey returns the message key of a verdict name.
func VerdictKey(verdict string) string { return KeyVerdictPrefix + verdict }
