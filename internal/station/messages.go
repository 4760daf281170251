package station

import (
	"strings"

	"github.com/packdesk/packdesk/internal/pack"
)

// Message keys. The GUI translates them (assets translations); the station
// never produces display text. Verdict messages are KeyVerdictPrefix +
// verdict name ("verdict.wrong_item"); their args are listed at VerdictKey.
const (
	KeyVerdictPrefix = "verdict."
	// KeyCausePrefix + pack.Cause is shown instead of the verdict's own
	// message when the engine gave a cause; same args.
	KeyCausePrefix = "verdict.cause."
	// KeyExceptionReasonPrefix + the reason code in lower case with "_"
	// for "-" names an exception reason (ExceptionReasonKey).
	KeyExceptionReasonPrefix = "exception.reason."

	// Next actions, by step. Args: see each.
	KeyNextLogin      = "next.login"       // {}
	KeyNextScanOrder  = "next.scan_order"  // {}
	KeyNextScanUnits  = "next.scan_units"  // {"order", "remaining"}
	KeyNextScanSerial = "next.scan_serial" // {"sku"}
	KeyNextFBAProduct = "next.fba_product" // {"order", "remaining"}
	KeyNextFBAVerify  = "next.fba_verify"  // {"fnsku", "count"}: labels still to verify
	KeyNextWeigh      = "next.weigh"       // {"expected_grams", "tolerance_grams"}
	KeyNextScanLabel  = "next.scan_label"  // {"order", "tracking"}
	KeyNextDone       = "next.done"        // {"order"}: packed, scan the next order
	KeyNextIntercept  = "next.intercept"   // {"order"}: pull the parcel, then acknowledge
	// {"order"}: an open order or return closed by the server: set it aside, then acknowledge.
	KeyNextInterceptHeld    = "next.intercept_held"
	KeyNextInterceptChanged = "next.intercept_changed"
	KeyNextInterceptReturn  = "next.intercept_return_cancelled"
	KeyNextLabelFailed      = "next.label_failed" // {"order"}: reprint or raise an exception
	KeyNextLogout           = "next.logout"       // {"order"}: hand the open order over, or put it back

	// Label pane captions (LabelView.Message). Args {"order", "tracking"}.
	KeyLabelPrinted = "ui.label.printed" // stick it on and scan it
	KeyLabelFailed  = "ui.label.failed"  // marked failed: F5 for a new label, or F7

	// Intercept alert. Args {"order"}.
	KeyInterceptCancelled = "intercept.cancelled_after_packed"
	// Alerts of an open order or return closed by the server (pack.Engine.Refresh):
	// the alert, its title and its instructions. Args {"order", "reason"}
	// (order: the return's id for a return; reason: the server's hold reason).
	KeyInterceptHeld         = "intercept.held_while_open"
	KeyInterceptHeldTitle    = "intercept.held_while_open.title"
	KeyInterceptHeldDo       = "intercept.held_while_open.instructions"
	KeyInterceptChanged      = "intercept.changed_while_open"
	KeyInterceptChangedTitle = "intercept.changed_while_open.title"
	KeyInterceptChangedDo    = "intercept.changed_while_open.instructions"
	KeyInterceptReturn       = "intercept.return_cancelled"
	KeyInterceptReturnTitle  = "intercept.return_cancelled.title"
	KeyInterceptReturnDo     = "intercept.return_cancelled.instructions"

	// Operator errors (View.Error, Outcome errors). Args {"detail"} (English, technical).
	KeyErrCommit      = "error.commit"       // the scan was NOT recorded; scan again
	KeyErrPrune       = "error.prune"        // {"detail"}: acknowledged events could not be deleted (nothing lost)
	KeyErrPrint       = "error.print"        // the label could not be queued/printed
	KeyErrLabelRender = "error.label_render" // the label could not be drawn
	KeyErrNoShipFrom  = "error.no_ship_from" // ErrNoShipFrom: set the ship-from address, then reprint
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
	// A background loop stopped and is restarted after {"seconds"}; {"detail"} says why.
	KeyStatusPrintWorkerRestarting = "status.print_worker_restarting"
	KeyStatusScannerRestarting     = "status.scanner_restarting"
	KeyStatusScaleRestarting       = "status.scale_restarting"
)

// Verdict message args (all optional, present when meaningful):
//
//	"order"     order id
//	"sku"       SKU of the scanned unit
//	"units"     units the scan counted (or tried to)
//	"remaining" units still to scan in the open order
//	"expected"  SKUs still needed (wrong_item), comma-separated
//	"missing"   units of the SKU still missing (over_scan of a set)
//	"used_in"   the other order of a duplicate serial
//	"fnsku"     FBA verdicts: the batch's FNSKU
//	"serial", "lot", "tracking", "reason", "lifted", "detail", "scan"
//
// VerdictKey returns the message key of a verdict name.
func VerdictKey(verdict string) string { return KeyVerdictPrefix + verdict }

// CauseKey returns the message key of an engine cause.
func CauseKey(c pack.Cause) string { return KeyCausePrefix + string(c) }

// ExceptionReasonKey returns the message key of an exception reason code
// (one of pack.ExceptionReasons): "exception.reason.missing_item".
func ExceptionReasonKey(code string) string {
	return KeyExceptionReasonPrefix + strings.ReplaceAll(strings.ToLower(code), "-", "_")
}
