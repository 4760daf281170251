package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/wire"
)

// Tasks implements central.Store.
func (db *DB) Tasks(ctx context.Context, f central.TaskFilter) ([]central.Task, error) {
	q := `SELECT o.body, s.name, s.last_seen FROM orders o JOIN stations s ON s.id = o.station
		WHERE o.state IN ('leased', 'started')`
	var args []any
	if f.Warehouse != "" {
		q, args = q+" AND o.warehouse = ?", append(args, f.Warehouse)
	}
	if f.Station != "" {
		q, args = q+" AND o.station = ?", append(args, f.Station)
	}
	q += " ORDER BY o.station, o.id"
	var out []central.Task
	err := db.read(ctx, "list tasks", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var body, name string
			var seen int64
			var o central.Order
			if err := rows.Scan(&body, &name, &seen); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(body), &o); err != nil {
				return err
			}
			out = append(out, central.Task{OrderID: o.ID, Warehouse: o.Warehouse, Station: o.Station, StationName: name,
				State: o.State, Epoch: o.Epoch, Expires: o.LeaseExpires, StartedAt: o.StartedAt, LastSeen: fromNanos(seen)})
		}
		return rows.Err()
	})
	return out, err
}

// Rejections implements central.Store.
func (db *DB) Rejections(ctx context.Context, f central.RejectionFilter) ([]central.Rejection, error) {
	var where = []string{"reject_code <> ''"}
	var args []any
	if f.Warehouse != "" {
		where, args = append(where, "warehouse = ?"), append(args, f.Warehouse)
	}
	if f.Station != "" {
		where, args = append(where, "station = ?"), append(args, f.Station)
	}
	q := "SELECT " + eventCols + " FROM events WHERE " + strings.Join(where, " AND ") + " ORDER BY recorded DESC, station, seq DESC"
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	var out []central.Rejection
	err := db.read(ctx, "list rejections", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanEvent(rows)
			if err != nil {
				return err
			}
			out = append(out, r.rejection())
		}
		return rows.Err()
	})
	return out, err
}

// eventRow is one row of the events table: every event the server holds,
// applied (the audit log) or rejected (reject_code set).
type eventRow struct {
	station, warehouse string
	e                  event.Envelope
	code, message      string
	recorded           int64
}

const eventCols = "station, seq, uuid, warehouse, order_id, type, epoch, packer, at, schema_v, payload, reject_code, reject_message, recorded"

func (r eventRow) args() []any {
	return []any{r.station, int64(r.e.Seq), r.e.UUID, r.warehouse, r.e.Order, string(r.e.Type), int64(r.e.Epoch), r.e.Packer,
		nanos(r.e.At), r.e.Schema, string(r.e.Payload), r.code, r.message, r.recorded}
}

func scanEvent(rows *sql.Rows) (eventRow, error) {
	var r eventRow
	var seq, epoch, at int64
	var typ, payload string
	err := rows.Scan(&r.station, &seq, &r.e.UUID, &r.warehouse, &r.e.Order, &typ, &epoch, &r.e.Packer, &at, &r.e.Schema, &payload, &r.code, &r.message, &r.recorded)
	r.e.Seq, r.e.Epoch, r.e.At, r.e.Type, r.e.Payload, r.e.Station = uint64(seq), uint64(epoch), fromNanos(at), event.Type(typ), json.RawMessage(payload), r.station
	return r, err
}

func (r eventRow) rejection() central.Rejection {
	return central.Rejection{
		Rejection: wire.Rejection{Seq: r.e.Seq, UUID: r.e.UUID, Order: r.e.Order, Code: r.code, Message: r.message},
		Station:   r.station, Warehouse: r.warehouse, Type: r.e.Type, At: r.e.At, Recorded: fromNanos(r.recorded),
	}
}
