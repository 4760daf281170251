package central

import (
	"context"
	"time"
)

// StockStore is the part of Store for stock per SKU and location,
// reservations, reconciliation.
//
// Stock is kept per warehouse, location and SKU: on hand (the units on
// the shelf) and reserved (the units ready orders hold). A warehouse keeps
// stock once it has a stock row (an import, an adjustment, a return) or
// routes; the orders of a warehouse that keeps none pass admission
// without reservations. A ready order reserves its units (admission), a
// packed one consumes them, a cancelled one releases them; reserved never
// exceeds on hand, so two orders never hold the same last unit.
type StockStore interface {
	// AdjustStock moves stock by m.Delta (reason and ref say why) and
	// returns the row after; audited with the actor of ctx. CodeInvalid
	// for an empty warehouse, location or SKU, or a zero delta;
	// CodeConflict when the units are not there (on hand would fall below
	// zero or below what orders have reserved).
	AdjustStock(ctx context.Context, m StockMove) (StockLevel, error)
	// ImportStock sets the counted quantities (a stock take or a file
	// from another system), all or nothing, each change audited with ref.
	// CodeInvalid for a bad row, CodeConflict for a count below what
	// orders have reserved; either names the row's Line.
	ImportStock(ctx context.Context, counts []StockCount, ref string) (StockImportResult, error)
	// Stock lists stock rows by warehouse, SKU and location.
	Stock(ctx context.Context, f StockFilter) ([]StockLevel, error)
	// StockMoves lists the stock ledger, newest first.
	StockMoves(ctx context.Context, f StockFilter) ([]StockMoveRecord, error)
	// Reservations lists the units orders hold, by order, SKU and location.
	Reservations(ctx context.Context, f StockFilter) ([]Reservation, error)
	// SetStockRoutes says from which other warehouses (in order of
	// preference) the orders of warehouse may be served when it is short
	// (none: only its own stock); audited. CodeInvalid for an empty name
	// or the warehouse itself among them.
	SetStockRoutes(ctx context.Context, warehouse string, from []string) error
	// StockRoutes lists every warehouse's routes.
	StockRoutes(ctx context.Context) ([]StockRoute, error)
	// StockReplenishment suggests what to bring to warehouse ("" all) for
	// the orders waiting in the exception pool as stock_short
	// (SuggestReplenishment over the stock now).
	StockReplenishment(ctx context.Context, warehouse string) ([]Replenishment, error)
	// SaveStockDiff keeps r as the last FBA reconciliation of its
	// warehouse and seller (replacing the one before). CodeInvalid for an
	// empty warehouse or an unknown source.
	SaveStockDiff(ctx context.Context, r StockDiffRun) error
	// StockDiffs lists the last reconciliation of each warehouse and
	// seller, of warehouse only unless it is "", by warehouse and seller.
	StockDiffs(ctx context.Context, warehouse string) ([]StockDiffRun, error)
}

// Move reasons (StockMove.Reason) the server writes; adjustments may give
// any other word.
const (
	MoveImport  = "import"  // a stock import set the count
	MoveAdjust  = "adjust"  // a supervisor's adjustment
	MoveReturn  = "return"  // a returned unit restocked (returns)
	MovePacked  = "packed"  // units consumed by a packed order
	MoveReserve = "reserve" // units reserved by a ready order (reserved only)
	MoveRelease = "release" // a reservation released (reserved only)
)

// StockMove changes the units on hand at one location: Delta units (may
// be negative) for Reason, Ref naming what caused it (the event, return,
// import or request).
type StockMove struct {
	Warehouse string `json:"warehouse"`
	Location  string `json:"location"`
	SKU       string `json:"sku"`
	Delta     int    `json:"delta"`
	Reason    string `json:"reason"`
	Ref       string `json:"ref,omitempty"`
}

// StockMoveRecord is one line of the stock ledger: a move of on hand
// (Delta) or of reserved (Reserved) with who and when.
type StockMoveRecord struct {
	StockMove
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Reserved int       `json:"reserved,omitempty"` // change of reserved units
}

// StockLevel is one stock row.
type StockLevel struct {
	Warehouse string    `json:"warehouse"`
	Location  string    `json:"location"`
	SKU       string    `json:"sku"`
	OnHand    int       `json:"on_hand"`
	Reserved  int       `json:"reserved"`
	Updated   time.Time `json:"updated"`
}

// Available is what new orders may still reserve.
func (l StockLevel) Available() int { return l.OnHand - l.Reserved }

// StockCount is one counted quantity (a row of a stock import), with the
// line of the file it came from (0 when none) for error messages.
type StockCount struct {
	Warehouse string `json:"warehouse"`
	Location  string `json:"location"`
	SKU       string `json:"sku"`
	Quantity  int    `json:"quantity"`
	Line      int    `json:"line,omitempty"`
}

// StockImportResult counts what an import did.
type StockImportResult struct {
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
}

// StockFilter selects stock rows, moves or reservations; zero fields
// select all.
type StockFilter struct {
	Warehouse string
	SKU       string
	// Order selects the reservations of one order, and the moves whose
	// Ref is it (reserve, release; an import's ref) or starts with
	// "ORDER/" (packed: "ORDER/EVENT-UUID").
	Order string
	Limit int // ≤ 0: no limit (moves)
}

// Reservation is units of a SKU an order holds at a location.
type Reservation struct {
	Order     string `json:"order"`
	Warehouse string `json:"warehouse"`
	Location  string `json:"location"`
	SKU       string `json:"sku"`
	Quantity  int    `json:"quantity"`
}

// StockRoute says that warehouse's orders may be served from From (in
// order of preference) when it is short.
type StockRoute struct {
	Warehouse string   `json:"warehouse"`
	From      []string `json:"from"`
}
