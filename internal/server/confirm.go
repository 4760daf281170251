package server

import (
	"flag"

	"github.com/packdesk/packdesk/internal/central"
)

// ConfirmSettings are Main's settings for shipment confirmations and the
// deadline watch.
type ConfirmSettings struct {
	// Deadlines: --ship-by-within (an order not packed this close to its
	// ship-by raises an alert) and --confirm-within (a packed order not
	// confirmed this long after packing raises one); central's defaults
	// (6 h, 12 h) when 0.
	Deadlines central.DeadlineWatch
}

func (m *Main) confirmFlags(fs *flag.FlagSet) {
	fs.DurationVar(&m.Deadlines.ShipByWithin, "ship-by-within", central.DefaultShipByWithin, "alert on orders not packed this close to their ship-by time")
	fs.DurationVar(&m.Deadlines.ConfirmWithin, "confirm-within", central.DefaultConfirmWithin, "alert on packed orders Amazon has not confirmed this long after packing (half of its 24 h window)")
}
