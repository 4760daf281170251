package station

import (
	"time"

	"github.com/packdesk/packdesk/internal/pack"
)

// View is an immutable snapshot of everything the packing screen shows.
// The station never changes a View after handing it out; callers must not
// modify its slices or maps either (they may be shared between snapshots).
type View struct {
	Rev uint64 // increases with every change; equal Rev means equal View

	Packer PackerView
	Order  *OrderView // nil when no order is open
	Step   Step
	Next   Message // the next action, always set

	Last   *DecisionView // the last verdict, nil before the first scan
	Recent []ScanView    // newest first, at most Config.RecentScans
	Error  *Message      // last operator error (commit/print failure), shown red; nil when none
	Alerts []Alert       // intercept alerts; while non-empty they take over the screen
	// PrintAlerts are print jobs held for the operator (outcome unknown
	// after a crash), oldest first; they do not take over the screen but
	// must stay visible until the job is released, marked printed or
	// cancelled (see PrintJobs and the job actions).
	PrintAlerts []PrintAlert
	FBA         *FBAView   // FBA prep progress, nil unless an FBA_PREP order is open
	Weigh       *WeighView // weigh step details, nil unless a scale is configured
	Label       *LabelView // preview of the label just printed, nil when none
	// Returns mode: Returns is set while the bench receives returns;
	// Return is the return being received, nil when none.
	Returns  bool
	Return   *ReturnView
	Stats    Stats
	Status   StatusView
	Language string // language from settings ("en", "zh"), "" = system locale
}

// Step is where the packer stands in the order flow.
type Step string

// Steps.
const (
	StepLogin       Step = "login"        // no packer logged in: scan a badge
	StepScanOrder   Step = "scan_order"   // no open order
	StepScanUnits   Step = "scan_units"   // order open, units still missing
	StepSerial      Step = "serial"       // the last unit needs its serial/lot
	StepFBALabel    Step = "fba_label"    // FBA prep: scan a product to print its FNSKU labels
	StepFBAVerify   Step = "fba_verify"   // FBA prep: scan the applied FNSKU labels
	StepWeigh       Step = "weigh"        // complete, put the parcel on the scale
	StepScanLabel   Step = "scan_label"   // label printed, scan its tracking barcode
	StepDone        Step = "done"         // last order packed, scan the next one
	StepIntercept   Step = "intercept"    // an intercept alert must be acknowledged
	StepLabelFailed Step = "label_failed" // printing failed: reprint or raise an exception
	StepLogout      Step = "logout"       // log-out asked with an order open: hand it over or put it back
)

// Severity is how a verdict looks and sounds: the engine's one severity
// (pack.Verdict.Severity).
type Severity = pack.Severity

// Severities: green, blue, red, amber.
const (
	SeverityOK     = pack.SeverityOK
	SeverityDone   = pack.SeverityDone
	SeverityReject = pack.SeverityReject
	SeverityWarn   = pack.SeverityWarn
)

// Message is user-visible text as an i18n key plus its template arguments
// (go-i18n TemplateData). The station never produces display text itself.
type Message struct {
	Key  string
	Args map[string]any
}

// PackerView is the logged-in packer.
type PackerView struct {
	LoggedIn   bool
	Badge      string
	Name       string
	Supervisor bool
	Since      time.Time // login time, the start of the shift statistics
}

// OrderView is the open order.
type OrderView struct {
	ID           string
	Channel      string // "FBM" or "FBA_PREP"
	ShipBy       time.Time
	ServiceLevel string
	Status       string // pack.OrderStatus
	Flags        []Flag
	Lines        []LineView
	Recipient    string // recipient name, for the label step
	Tracking     string // tracking number expected on the label, once known
}

// Flag marks something special about an order.
type Flag string

// Order flags.
const (
	FlagSerialRequired Flag = "serial_required"
	FlagLotRequired    Flag = "lot_required"
	FlagOnHold         Flag = "on_hold"
	FlagMultiUnit      Flag = "multi_unit"
	FlagFBAPrep        Flag = "fba_prep"
	FlagCancelled      Flag = "cancelled"
)

// LineView is one order line and how far it is scanned.
type LineView struct {
	ItemID         string
	SKU            string
	Title          string
	Scanned        int
	Required       int
	SerialRequired bool
	Serials        []string
	Lots           []string
}

// DecisionView is a verdict as the screen shows it.
type DecisionView struct {
	Verdict   string // a pack.Verdict name
	Severity  Severity
	Message   Message // "verdict.<name>" with args
	Order     string
	SKU       string
	Units     int
	Remaining int
	Expected  []string
	Serial    string
	Lot       string
	Detail    string
	Scan      string // the scan's data
	At        time.Time
	// Returns mode: the return and the unit (numbered within the return;
	// 0 for a refused scan) the verdict is about.
	Return string
	Unit   int
}

// ScanView is one entry of the recent-scans list.
type ScanView struct {
	At       time.Time
	Data     string
	Source   string
	Verdict  string
	Severity Severity
	Message  Message
	Order    string
	SKU      string
}

// Alert is an intercept: an order packed here that the store now marks
// cancelled. It stays until acknowledged.
type Alert struct {
	Order    string
	PackedAt time.Time
	Message  Message // KeyInterceptCancelled with {"order": id}, or the key of Kind
	// Kind says why it was raised (pack.AlertKind: "" a packed order
	// cancelled). For the other kinds (an open order or return closed by
	// the server) Title and Instructions say what to do ({"order",
	// "reason"}); for "" they are empty and the GUI shows its own.
	Kind         pack.AlertKind
	Title        Message
	Instructions Message
}

// FBAView is FBA prep progress for the open FBA_PREP order.
type FBAView struct {
	SKU      string // product whose labels are being applied, "" when none
	FNSKU    string
	Title    string
	Printed  int // FNSKU labels printed for SKU
	Verified int // of those, verified by scan
}

// WeighView is the weigh step.
type WeighView struct {
	Configured     bool
	Stable         bool
	Grams          int // last reading
	ExpectedGrams  int
	ToleranceGrams int
	Error          *Message // scale error, nil when fine
}

// LabelView is the last printed label.
type LabelView struct {
	Order    string
	Kind     string // "shipping", "fnsku"
	Tracking string
	PNG      []byte // preview image
	// Failed is set once the packer marked this label failed (F6): the
	// preview stays, but Message says it failed and what to do.
	Failed bool
	// Message is the caption: KeyLabelPrinted {"order", "tracking"} or
	// KeyLabelFailed {"order", "tracking"}.
	Message Message
}

// Stats are the logged-in packer's shift statistics, computed from the
// journal's events since login.
type Stats struct {
	Since              time.Time
	Orders             int // orders packed (label verified)
	Units              int // units accepted
	Mistakes           int // rejections caught
	OrdersPerHour      float64
	UnitsPerHour       float64
	AvgSecondsPerOrder float64 // from order opened to label verified
}

// StatusView is the status bar.
type StatusView struct {
	Server        ServerStatus
	PendingEvents int // events not yet pushed to the server
	Scanner       DeviceStatus
	Printer       PrinterStatus
	Scale         ScaleStatus
	Audio         *Message // audio warning, nil when sound works
}

// ServerState is the sync client's connection state.
type ServerState string

// Server states.
const (
	ServerNone    ServerState = "none" // no server configured
	ServerOnline  ServerState = "online"
	ServerOffline ServerState = "offline"
)

// ServerStatus is filled by the sync client (SetServerStatus).
type ServerStatus struct {
	State    ServerState
	URL      string
	LastSync time.Time
	Error    *Message
	// Rejections counts events the server refused that no supervisor has
	// dismissed yet (journal.Rejections).
	Rejections int
	// RevokedStarted lists orders the server took back although this
	// station had started them (they stay here): a supervisor decides.
	RevokedStarted []string
}

// DeviceStatus is a device's connection state.
type DeviceStatus struct {
	Configured bool
	Connected  bool
	Name       string
	Error      *Message
}

// PrinterStatus is the printer's state and its queue.
type PrinterStatus struct {
	Configured bool
	State      string // "ready", "paper_out", "head_open", "paused", "offline", "error", "unknown"
	Detail     string // transport detail, not translated
	Queued     int    // jobs waiting to print
	Held       int    // jobs held for the operator (outcome unknown after a crash)
	// Error is set while the print worker is stopped and about to be
	// restarted (KeyStatusPrintWorkerRestarting); nil while it runs.
	Error *Message
}

// ScaleStatus is the scale's last reading.
type ScaleStatus struct {
	Configured bool
	Connected  bool
	Stable     bool
	Grams      int
	Error      *Message
}

// Outcome is the result of one input, returned once it is durable.
type Outcome struct {
	Decision DecisionView
	View     View
}
