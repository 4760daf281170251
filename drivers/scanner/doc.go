// Package scanner reads barcode scanners: serial and USB-COM (CDC-ACM)
// scanners through drivers/serialport, with configurable framing and
// reconnect after an unplug, and keyboard-wedge scanners through Wedge, a
// pure burst detector the GUI feeds with key events.
//
// Scans are delivered as Scan values; connection changes as State values.
// Nothing here interprets what a scan means: that is internal/barcode.
package scanner

import "time"

// Scan is one complete frame read from a scanner, framing removed.
type Scan struct {
	Data   []byte    // payload: suffix/STX/ETX and configured prefix removed
	At     time.Time // when the frame was complete
	Source string    // device the scan came from (port path, or "wedge")
}
