package pack

import "strings"

// CommandKind is what a command barcode asks for.
type CommandKind string

// Command kinds. The barcode is "PDCMD:" + kind (+ ":" + reason for
// EXCEPTION and OVERRIDE, both required by the engine; an OVERRIDE reason
// is one of OverrideReasons), or "PDBADGE:" + badge id for CommandBadge.
const (
	CommandComplete    CommandKind = "COMPLETE"     // check the open order is complete
	CommandReprint     CommandKind = "REPRINT"      // print the label again (logged)
	CommandLabelFailed CommandKind = "LABEL-FAILED" // the label did not come out right
	CommandException   CommandKind = "EXCEPTION"    // send the open order to the exception pool
	CommandCancel      CommandKind = "CANCEL"       // abandon packing the open order
	CommandOverride    CommandKind = "OVERRIDE"     // lift the last rejection (supervisor badge first)
	CommandLogout      CommandKind = "LOGOUT"       // log the packer out
	CommandBadge       CommandKind = "BADGE"        // a PDBADGE: badge scan
	CommandUnknown     CommandKind = "UNKNOWN"      // a PDCMD: code this version does not know
)

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
func ValidOverrideReason(reason string) bool {
	for _, r := range OverrideReasons {
		if r == reason {
			return true
		}
	}
	return false
}

// Command is a parsed command barcode.
type Command struct {
	Kind CommandKind `json:"kind"`
	// Arg is the reason of EXCEPTION or OVERRIDE (upper case), the badge
	// id of BADGE, or the unrecognised text of UNKNOWN.
	Arg string `json:"arg,omitempty"`
}

// ParseCommand recognises command and badge barcodes ("PDCMD:…",
// "PDBADGE:…", prefixes in any case). It returns ok=false for any other
// data. A PDCMD: code it does not know, an EXCEPTION without a reason, or a
// badge without an id (or an OVERRIDE: with an empty reason) is returned
// as CommandUnknown, so the engine can
// answer command_rejected rather than unknown_barcode.
func ParseCommand(data string) (cmd Command, ok bool) {
	data = strings.TrimSpace(data)
	switch {
	case hasPrefixFold(data, "PDBADGE:"):
		id := strings.TrimSpace(data[len("PDBADGE:"):])
		if id == "" {
			return Command{Kind: CommandUnknown, Arg: data}, true
		}
		return Command{Kind: CommandBadge, Arg: id}, true
	case hasPrefixFold(data, "PDCMD:"):
		rest := strings.ToUpper(strings.TrimSpace(data[len("PDCMD:"):]))
		switch CommandKind(rest) {
		case CommandComplete, CommandReprint, CommandLabelFailed, CommandCancel, CommandOverride, CommandLogout:
			return Command{Kind: CommandKind(rest)}, true
		}
		for _, k := range []CommandKind{CommandException, CommandOverride} {
			if r, found := strings.CutPrefix(rest, string(k)+":"); found {
				if r = strings.TrimSpace(r); r != "" {
					return Command{Kind: k, Arg: r}, true
				}
			}
		}
		return Command{Kind: CommandUnknown, Arg: data}, true
	}
	return Command{}, false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
