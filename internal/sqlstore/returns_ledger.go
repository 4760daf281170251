package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/packdesk/packdesk/internal/central"
)

// ReturnUnits implements central.Store.
func (db *DB) ReturnUnits(ctx context.Context, f central.ReturnFilter) ([]central.ReturnUnit, error) {
	where, args := returnWhere(f, "received")
	q := "SELECT body FROM return_units" + where + " ORDER BY received, return_id, station, unit"
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	var out []central.ReturnUnit
	err := db.read(ctx, "list return units", func(tx *sql.Tx) error {
		var err error
		out, err = queryJSON[central.ReturnUnit](ctx, tx, db.q(q), args...)
		return err
	})
	return out, err
}

// WriteOffs implements central.Store.
func (db *DB) WriteOffs(ctx context.Context, f central.ReturnFilter) ([]central.WriteOff, error) {
	f.OrderID = "" // the ledger is by warehouse and time
	where, args := returnWhere(f, "at")
	q := "SELECT id, body FROM return_ledger" + where + " ORDER BY at, id"
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	var out []central.WriteOff
	err := db.read(ctx, "list write-offs", func(tx *sql.Tx) error {
		var err error
		out, err = readLedger(ctx, tx, db.q(q), args...)
		return err
	})
	return out, err
}

func readLedger(ctx context.Context, tx interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, q string, args ...any) ([]central.WriteOff, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []central.WriteOff
	for rows.Next() {
		var id int64
		var body string
		if err := rows.Scan(&id, &body); err != nil {
			return nil, err
		}
		var w central.WriteOff
		if err := json.Unmarshal([]byte(body), &w); err != nil {
			return nil, err
		}
		w.ID = id
		out = append(out, w)
	}
	return out, rows.Err()
}

// ReturnStats implements central.Store: the returns created in f's time
// range, with their units and write-offs, counted by central.CountReturns.
func (db *DB) ReturnStats(ctx context.Context, f central.ReturnFilter) (central.ReturnStats, error) {
	f.Limit = 0
	where, args := returnWhere(f, "created")
	var rs []central.Return
	var us []central.ReturnUnit
	var ws []central.WriteOff
	err := db.read(ctx, "count returns", func(tx *sql.Tx) error {
		var err error
		if rs, err = queryJSON[central.Return](ctx, tx, db.q("SELECT body FROM returns"+where), args...); err != nil {
			return err
		}
		in := " WHERE return_id IN (SELECT id FROM returns" + where + ")"
		if us, err = queryJSON[central.ReturnUnit](ctx, tx, db.q("SELECT body FROM return_units"+in), args...); err != nil {
			return err
		}
		ws, err = readLedger(ctx, tx, db.q("SELECT id, body FROM return_ledger"+in), args...)
		return err
	})
	if err != nil {
		return central.ReturnStats{}, err
	}
	return central.CountReturns(rs, us, ws), nil
}

// insertWriteOff adds w to the ledger. The UNIQUE key on its event makes
// a second entry for one event an error, never a silent duplicate.
func (t *tx) insertWriteOff(ctx context.Context, w central.WriteOff) error {
	body, err := json.Marshal(w)
	if err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, t.db.q(`INSERT INTO return_ledger (warehouse, return_id, sku, at, event_station, event_seq, body)
		VALUES (?, ?, ?, ?, ?, ?, ?)`), w.Warehouse, w.Return, w.SKU, nanos(w.At), w.Event.Station, int64(w.Event.Seq), string(body))
	return err
}
