package pack

import "strings"

// CommandKind is what a command barcode asks for.
type CommandKind string

// Command kinds. The barcode is "PDCMD:" + kind (+ ":" + reason for
// EXCEPTION and OVERRIDE, both required by the engine: an EXCEPTION reason
// is one of ExceptionReasons, an OVERRIDE reason one of OverrideReasons;
// LOGOUT may carry ":" + LogoutHandover or LogoutPutBack), or "PDBADGE:" +
// badge id for CommandBadge.
const (
	CommandComplete    CommandKind = "COMPLETE"     // check the open order is complete
	CommandReprint     CommandKind = "REPRINT"      // print the label again (logged)
	CommandLabelFailed CommandKind = "LABEL-FAILED" // the label did not come out right
	CommandException   CommandKind = "EXCEPTION"    // send the open order to the exception pool
	CommandCancel      CommandKind = "CANCEL"       // abandon packing the open order
	CommandOverride    CommandKind = "OVERRIDE"     // lift the last rejection (supervisor badge first)
	CommandLogout      CommandKind = "LOGOUT"       // log the packer out (with an order open: asks HANDOVER or PUTBACK)
	CommandBadge       CommandKind = "BADGE"        // a PDBADGE: badge scan
	// Returns mode (returns.go).
	CommandMode        CommandKind = "MODE"         // PDCMD:MODE:RETURNS or PDCMD:MODE:PACKING switches the bench
	CommandGrade       CommandKind = "GRADE"        // PDCMD:GRADE:<A-D> grades the returned unit
	CommandDispose     CommandKind = "DISPOSE"      // PDCMD:DISPOSE:<RESTOCK|REFURBISH|VENDOR|SCRAP>
	CommandCloseReturn CommandKind = "CLOSE-RETURN" // close the open return
	CommandUnknown     CommandKind = "UNKNOWN"      // a PDCMD: code this version does not know
)

// Log-out choices with an order open: PDCMD:LOGOUT:HANDOVER leaves the
// order open for the next packer's badge; PDCMD:LOGOUT:PUTBACK abandons it
// (it stays ready, its items go back) and logs out.
const (
	LogoutHandover = "HANDOVER"
	LogoutPutBack  = "PUTBACK"
)

// Bench modes named by PDCMD:MODE:<mode>.
const (
	ModeArgReturns = "RETURNS"
	ModeArgPacking = "PACKING"
)

// Command is a parsed command barcode.
type Command struct {
	Kind CommandKind `json:"kind"`
	// Arg is the reason of EXCEPTION or OVERRIDE (upper case, not yet
	// validated: the engine refuses a reason not in its list), the choice
	// of LOGOUT, the badge id of BADGE, or the unrecognised text of UNKNOWN.
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
		case CommandComplete, CommandReprint, CommandLabelFailed, CommandCancel, CommandOverride, CommandLogout, CommandCloseReturn:
			return Command{Kind: CommandKind(rest)}, true
		}
		if k, arg, ok := returnsCommand(rest); ok {
			return Command{Kind: k, Arg: arg}, true
		}
		for _, k := range []CommandKind{CommandException, CommandOverride, CommandLogout} {
			if r, found := strings.CutPrefix(rest, string(k)+":"); found {
				r = strings.TrimSpace(r)
				if k == CommandLogout && r != LogoutHandover && r != LogoutPutBack {
					break
				}
				if r != "" {
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

// returnsCommand parses the returns mode's commands with an argument
// (rest is upper case, after "PDCMD:"); an unknown argument is not one.
func returnsCommand(rest string) (CommandKind, string, bool) {
	k, arg, found := strings.Cut(rest, ":")
	if !found {
		return "", "", false
	}
	arg = strings.TrimSpace(arg)
	switch CommandKind(k) {
	case CommandMode:
		return CommandMode, arg, arg == ModeArgReturns || arg == ModeArgPacking
	case CommandGrade:
		return CommandGrade, arg, Grade(arg).Valid()
	case CommandDispose:
		return CommandDispose, arg, Disposition(strings.ToLower(arg)).Valid()
	}
	return "", "", false
}
