package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/packdesk/packdesk/internal/central"
)

// Returns apply the stations' return events in the push's transaction:
// the return and its unit change, a restock moves stock (moveStock, ref
// the event), a refurbish, vendor return or scrap writes one ledger entry
// (UNIQUE on the event). Push runs the hook once per applied event, so a
// retried push changes nothing twice.
func init() { registerApplied("returns", applyReturnEvent) }

func applyReturnEvent(ctx context.Context, t *tx, a appliedEvent) error {
	p, err := a.Event.Decode()
	if err != nil {
		return nil // not applied as a return event (DecideEvent rejected it)
	}
	id, orderID, unitNo, ok := central.ReturnEvent(p)
	if !ok {
		return nil
	}
	ctx = central.WithActor(ctx, "station:"+a.Station.ID)
	in := central.ReturnInput{Station: a.Station, Event: a.Event, Payload: p, Now: t.db.opt.Now().UTC()}
	if in.Return, err = t.lockReturn(ctx, id); err != nil {
		return err
	}
	if in.Return == nil && orderID != "" {
		if in.Order, err = t.readOrder(ctx, orderID); err != nil {
			return err
		}
		if in.Order != nil && in.Order.Warehouse != a.Station.Warehouse {
			in.Order = nil // another warehouse's order is unknown here
		}
	}
	switch {
	case in.Return != nil:
		in.Units, err = t.returnUnits(ctx, *in.Return)
	case in.Order != nil: // a return new to the server, for a known order
		in.Units, err = t.returnUnits(ctx, central.Return{OrderID: in.Order.ID, OrderKnown: true})
	}
	if err != nil {
		return err
	}
	if unitNo > 0 {
		if in.Unit, err = t.returnUnit(ctx, id, a.Station.ID, unitNo); err != nil {
			return err
		}
	}
	eff := central.ApplyReturnEvent(in)
	if err := t.saveReturn(ctx, eff.Return); err != nil {
		return err
	}
	if eff.Unit != nil {
		if err := t.saveReturnUnit(ctx, *eff.Unit); err != nil {
			return err
		}
	}
	if eff.Restock != nil {
		if err := t.moveStock(ctx, *eff.Restock); err != nil {
			return err
		}
	}
	if eff.WriteOff != nil {
		if err := t.insertWriteOff(ctx, *eff.WriteOff); err != nil {
			return err
		}
	}
	if in.Return == nil || eff.Restock != nil || eff.WriteOff != nil || eff.Action == "closed" {
		var before any
		if in.Unit != nil {
			before = in.Unit
		}
		after := struct {
			Unit     *central.ReturnUnit `json:"unit,omitempty"`
			Restock  *central.StockMove  `json:"restock,omitempty"`
			WriteOff *central.WriteOff   `json:"write_off,omitempty"`
			State    central.ReturnState `json:"state"`
		}{eff.Unit, eff.Restock, eff.WriteOff, eff.Return.State}
		if err := t.audit(ctx, central.AuditEntry{Warehouse: eff.Return.Warehouse, Kind: "return", Subject: eff.Return.ID,
			Action: eff.Action, Detail: central.RefOf(a.Event).String()}, before, after); err != nil {
			return err
		}
	}
	if eff.Task {
		return t.sendReturn(ctx, eff.Return)
	}
	return nil
}

// lockReturn reads return id locked for update, first locking every
// return of its order in id order, so pushes receiving units of one order
// through different returns count them one at a time.
func (t *tx) lockReturn(ctx context.Context, id string) (*central.Return, error) {
	var order string
	err := t.QueryRowContext(ctx, t.db.q("SELECT order_id FROM returns WHERE id = ?"), id).Scan(&order)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if t.db.d.ForUpdate != "" {
		if _, err := t.ids(ctx, "SELECT id FROM returns WHERE order_id = ? ORDER BY id"+t.db.d.ForUpdate, order); err != nil {
			return nil, err
		}
	}
	return t.loadReturn(ctx, id)
}

func (t *tx) returnUnit(ctx context.Context, ret, station string, unit int) (*central.ReturnUnit, error) {
	us, err := queryJSON[central.ReturnUnit](ctx, t, t.db.q("SELECT body FROM return_units WHERE return_id = ? AND station = ? AND unit = ?"), ret, station, unit)
	if err != nil || len(us) == 0 {
		return nil, err
	}
	return &us[0], nil
}

func (t *tx) saveReturnUnit(ctx context.Context, u central.ReturnUnit) error {
	body, err := json.Marshal(u)
	if err != nil {
		return err
	}
	excess := 0
	if u.Excess {
		excess = 1
	}
	_, err = t.ExecContext(ctx, t.db.q(`INSERT INTO return_units (return_id, station, unit, warehouse, order_id, sku, excess, received, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (return_id, station, unit) DO UPDATE SET body = excluded.body`),
		u.Return, u.Station, u.Unit, u.Warehouse, u.OrderID, u.SKU, excess, nanos(u.ReceivedAt), string(body))
	return err
}
