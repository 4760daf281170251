package sqlstore

import (
	"context"

	"github.com/packdesk/packdesk/internal/central"
)

// CancelReturn implements central.Store: the return row locked, its
// units counted, central.CancelReturnRule, then saved, audited and sent
// to the warehouse's stations as cancelled, in one transaction.
func (db *DB) CancelReturn(ctx context.Context, id, reason string) (central.Return, error) {
	var out central.Return
	err := db.write(ctx, "cancel return", func(t *tx) error {
		r, err := t.loadReturn(ctx, id)
		if err != nil {
			return err
		}
		if r == nil {
			return central.NotFound("no return %s", id)
		}
		var units int
		if err := t.QueryRowContext(ctx, t.db.q("SELECT count(*) FROM return_units WHERE return_id = ?"), id).Scan(&units); err != nil {
			return err
		}
		n, changed, err := central.CancelReturnRule(*r, units, reason, central.Actor(ctx), db.opt.Now().UTC())
		if err != nil || !changed {
			out = n
			return err
		}
		out = n
		return t.recordReturn(ctx, r, n, "cancel", n.CancelReason)
	})
	if err != nil {
		return central.Return{}, err
	}
	return out, nil
}
