package journal

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// PullResult says what ApplyPull did with a pull, for the station (which
// raises intercepts and refreshes its counts) and the sync status (which
// shows what the supervisor must hear about).
type PullResult struct {
	Changes int // changes in the pull
	// Cancelled lists orders the pull cancelled that the station holds;
	// Intercept those of them packed here: the station's intercept path
	// (Station.CheckIntercepts) must raise an alert for each.
	Cancelled []string
	Intercept []string
	// Revoked lists orders taken back by the server and removed here: the
	// station refuses to open them ("no order … at this station").
	Revoked []string
	// RevokedStarted lists orders the server revoked that this station has
	// already started (it has events for them, or they are no longer
	// ready here). They are kept: tell the supervisor.
	RevokedStarted []string
	// Kept lists orders whose pulled grant, order change or hold was not
	// applied because an event for them is still in the outbox (or the
	// order is packed or cancelled here): a pulled change never undoes a
	// local event. The server learns the local event on the next push.
	// A change held back for an event in the outbox is kept in the
	// journal and applied by the first pull after that event was pushed
	// (Resumed); one for an order packed or cancelled here is dropped.
	Kept []string
	// Resumed lists orders whose held-back changes this pull applied
	// (their outbox events were pushed since).
	Resumed []string
	// Returns lists the return tasks the pull added or changed;
	// KeptReturns those it left alone because they are closed here (the
	// station's return_closed event reaches the server on the next push).
	Returns     []string
	KeptReturns []string
}

// ApplyPull applies one pull response in one transaction, with the new
// cursor and the server's applied mark (resp.Applied, as MarkPushed): either
// all of it is stored or nothing.
//
// Rules: a grant or order change upserts the order with the lease's epoch;
// a cancellation always wins (status cancelled, even over a local event not
// yet pushed); a hold sets status on_hold with its reason unless the order
// is packed or cancelled here; a revocation removes an order the station has
// not started and keeps (and reports) one it has; SKU and packer changes
// upsert the master data (a disabled packer is removed, so its badge no
// longer logs in). A grant, order change or hold for an order with an event
// still in the outbox, or packed or cancelled here, leaves it as it is
// (PullResult.Kept). Cancelled orders stay cancelled.
//
// Errors: ctx's error before the write; ErrClosed; a validation error naming
// the change (a grant without order or lease, a change without order id, an
// unknown kind, …); an error when resp.Applied is beyond the last event
// this station wrote (the server holds events this journal never wrote:
// wrong station token, or a journal restored from an older backup); a
// decoding error for a damaged stored order; an I/O error. On any error
// nothing was written.
func (j *Journal) ApplyPull(ctx context.Context, resp wire.PullResponse) (PullResult, error) {
	res := PullResult{Changes: len(resp.Changes)}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("journal: apply pull not started: %w", err)
	}
	for i, ch := range resp.Changes {
		if err := validChange(ch); err != nil {
			return res, fmt.Errorf("journal: apply pull: change %d of %d (%s): %w; nothing was applied", i+1, len(resp.Changes), ch.Kind, err)
		}
	}
	err := j.update(func(tx *bbolt.Tx) error {
		res = PullResult{Changes: len(resp.Changes)} // a retried transaction starts over
		sb := tx.Bucket(bSync)
		last := tx.Bucket(bOutbox).Sequence()
		if resp.Applied > last {
			return fmt.Errorf("the server holds events up to %d for this station, but its last event is %d: check that the station token belongs to this station, or restore the newest journal", resp.Applied, last)
		}
		pushed := uint64(0)
		if v := sb.Get(keyPushed); len(v) == 8 {
			pushed = binary.BigEndian.Uint64(v)
		}
		if resp.Applied > pushed {
			pushed = resp.Applied
			if err := sb.Put(keyPushed, u64(pushed)); err != nil {
				return err
			}
		}
		a := applier{tx: tx, pushed: pushed, res: &res}
		if err := a.resume(); err != nil {
			return err
		}
		for i, ch := range resp.Changes {
			if err := a.apply(ch); err != nil {
				return fmt.Errorf("change %d of %d (%s): %w", i+1, len(resp.Changes), ch.Kind, err)
			}
		}
		return sb.Put(keyCursor, []byte(resp.Cursor))
	})
	if err != nil {
		if errors.Is(err, ErrClosed) {
			return PullResult{}, err
		}
		return PullResult{}, fmt.Errorf("journal: apply pull (nothing was applied): %w", err)
	}
	return res, nil
}

func validChange(ch wire.Change) error {
	switch ch.Kind {
	case wire.ChangeGrant, wire.ChangeOrder:
		if ch.Order == nil || ch.Order.ID == "" {
			return fmt.Errorf("no order")
		}
		if ch.Kind == wire.ChangeGrant && ch.Lease == nil {
			return fmt.Errorf("order %s: grant without lease", ch.Order.ID)
		}
	case wire.ChangeRevoke, wire.ChangeCancel, wire.ChangeHold:
		if ch.OrderID == "" {
			return fmt.Errorf("no order id")
		}
	case wire.ChangeSKU:
		if ch.SKU == nil || ch.SKU.SKU == "" {
			return fmt.Errorf("no SKU")
		}
	case wire.ChangePacker:
		if ch.Packer == nil || ch.Packer.Badge == "" {
			return fmt.Errorf("no packer badge")
		}
	case wire.ChangeReturn:
		if ch.Return == nil {
			return fmt.Errorf("no return")
		}
		return validReturn(*ch.Return)
	default:
		return fmt.Errorf("unknown kind %q: this Packdesk is older than the server; upgrade it", ch.Kind)
	}
	return nil
}

// applier applies the changes of one pull inside its transaction.
type applier struct {
	tx      *bbolt.Tx
	pushed  uint64
	pending map[string]bool // orders with an outbox event after pushed
	started map[string]bool // orders with any outbox event
	res     *PullResult
}

func (a *applier) apply(ch wire.Change) error {
	switch ch.Kind {
	case wire.ChangeGrant, wire.ChangeOrder:
		return a.upsert(ch)
	case wire.ChangeCancel:
		return a.cancel(ch.OrderID)
	case wire.ChangeHold:
		return a.hold(ch.OrderID, ch.Reason)
	case wire.ChangeRevoke:
		return a.revoke(ch.OrderID)
	case wire.ChangeSKU:
		return putSKU(a.tx, *ch.SKU)
	case wire.ChangePacker:
		if ch.Disabled {
			return a.tx.Bucket(bPackers).Delete([]byte(ch.Packer.Badge))
		}
		return putPacker(a.tx, *ch.Packer)
	case wire.ChangeReturn:
		return a.upsertReturn(*ch.Return)
	}
	return fmt.Errorf("unknown kind %q", ch.Kind)
}

// local returns the stored order and whether a pulled change must leave it
// as it is: an event for it is still in the outbox, or it is packed or
// cancelled here.
func (a *applier) local(id string) (pack.Order, bool, bool, error) {
	o, ok, err := getOrder(a.tx, id)
	if err != nil || !ok {
		return o, ok, false, err
	}
	if o.Status == pack.StatusPacked || o.Status == pack.StatusCancelled {
		return o, true, true, nil
	}
	pending, err := a.isPending(id)
	return o, true, pending, err
}

// isPending reports whether an outbox event after the pushed mark names
// order id.
func (a *applier) isPending(id string) (bool, error) {
	if a.pending == nil {
		var err error
		if a.pending, err = outboxOrders(a.tx, a.pushed); err != nil {
			return false, err
		}
	}
	return a.pending[id], nil
}

// deferredPrefix keys (in the sync bucket) the changes held back for an
// order with events in the outbox: deferred/ORDER → JSON []wire.Change,
// oldest first.
var deferredPrefix = []byte("deferred/")

// maxDeferred bounds the changes held back per order (the newest kept):
// the server's order changes each carry the whole order.
const maxDeferred = 20

// keep reports a change not applied to order id: held back when an event
// for it is in the outbox (resume applies it later), dropped when the
// order is packed or cancelled here.
func (a *applier) keep(id string, ch wire.Change) error {
	a.res.Kept = append(a.res.Kept, id)
	pending, err := a.isPending(id)
	if err != nil || !pending {
		return err
	}
	sb := a.tx.Bucket(bSync)
	key := append(append([]byte(nil), deferredPrefix...), id...)
	var chs []wire.Change
	if v := sb.Get(key); v != nil {
		if err := json.Unmarshal(v, &chs); err != nil {
			chs = nil // a damaged record: the newer change still holds the order whole
		}
	}
	chs = append(chs, ch)
	if len(chs) > maxDeferred {
		chs = chs[len(chs)-maxDeferred:]
	}
	v, err := json.Marshal(chs)
	if err != nil {
		return err
	}
	return sb.Put(key, v)
}

// resume applies the changes held back for orders whose outbox events
// have been pushed since (those still pending stay held back).
func (a *applier) resume() error {
	sb := a.tx.Bucket(bSync)
	type held struct {
		key []byte
		chs []wire.Change
	}
	var all []held
	c := sb.Cursor()
	for k, v := c.Seek(deferredPrefix); k != nil && bytes.HasPrefix(k, deferredPrefix); k, v = c.Next() {
		h := held{key: append([]byte(nil), k...)}
		if err := json.Unmarshal(v, &h.chs); err != nil {
			return fmt.Errorf("held-back changes of order %s are damaged: %w: run packdeskctl journal check", k[len(deferredPrefix):], err)
		}
		all = append(all, h)
	}
	for _, h := range all {
		id := string(h.key[len(deferredPrefix):])
		if pending, err := a.isPending(id); err != nil || pending {
			if err != nil {
				return err
			}
			continue
		}
		if err := sb.Delete(h.key); err != nil {
			return err
		}
		kept := len(a.res.Kept)
		for _, ch := range h.chs {
			if err := a.apply(ch); err != nil {
				return fmt.Errorf("held-back change of order %s: %w", id, err)
			}
		}
		a.res.Kept = a.res.Kept[:kept] // not news: reported when held back
		a.res.Resumed = append(a.res.Resumed, id)
	}
	return nil
}

func (a *applier) upsert(ch wire.Change) error {
	o := *ch.Order
	if ch.Lease != nil {
		o.Epoch = ch.Lease.Epoch
	}
	if o.Status == "" {
		o.Status = pack.StatusReady
	}
	prev, exists, keep, err := a.local(o.ID)
	if err != nil {
		return err
	}
	if keep {
		return a.keep(o.ID, ch)
	}
	if exists && prev.Status == pack.StatusCancelled {
		o.Status = pack.StatusCancelled
	}
	return putOrder(a.tx, o)
}

func (a *applier) cancel(id string) error {
	o, ok, err := getOrder(a.tx, id)
	if err != nil || !ok {
		return err
	}
	a.res.Cancelled = append(a.res.Cancelled, id)
	if o.Status == pack.StatusPacked {
		a.res.Intercept = append(a.res.Intercept, id)
	}
	if o.Status == pack.StatusCancelled {
		return nil
	}
	o.Status = pack.StatusCancelled
	return putOrder(a.tx, o)
}

func (a *applier) hold(id, reason string) error {
	o, ok, keep, err := a.local(id)
	if err != nil || !ok {
		return err
	}
	if keep {
		return a.keep(id, wire.Change{Kind: wire.ChangeHold, OrderID: id, Reason: reason})
	}
	o.Status, o.HoldReason = pack.StatusOnHold, reason
	return putOrder(a.tx, o)
}

func (a *applier) revoke(id string) error {
	o, ok, err := getOrder(a.tx, id)
	if err != nil || !ok {
		return err
	}
	if a.started == nil && o.Status == pack.StatusReady {
		if a.started, err = outboxOrders(a.tx, 0); err != nil {
			return err
		}
	}
	if o.Status != pack.StatusReady || a.started[id] {
		a.res.RevokedStarted = append(a.res.RevokedStarted, id)
		return nil
	}
	a.res.Revoked = append(a.res.Revoked, id)
	return deleteOrder(a.tx, o)
}

// outboxOrders returns the orders named by outbox events after seq. It reads
// only each event's "order" field, which every outbox format has.
func outboxOrders(tx *bbolt.Tx, after uint64) (map[string]bool, error) {
	out := map[string]bool{}
	c := tx.Bucket(bOutbox).Cursor()
	for k, v := c.Seek(u64(after + 1)); k != nil; k, v = c.Next() {
		var e struct {
			Order string `json:"order"`
		}
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, fmt.Errorf("outbox event %d is damaged: %w: run packdeskctl journal check", binary.BigEndian.Uint64(k), err)
		}
		if e.Order != "" {
			out[e.Order] = true
		}
	}
	return out, nil
}

// deleteOrder removes o (as stored) with its status index entry, count and
// order codes.
func deleteOrder(tx *bbolt.Tx, o pack.Order) error {
	key := []byte(o.ID)
	if err := tx.Bucket(bOrderStatus).Delete(statusKey(o.Status, o.ID)); err != nil {
		return err
	}
	if err := addCount(tx, o.Status, -1); err != nil {
		return err
	}
	codes := tx.Bucket(bOrderCodes)
	for _, c := range o.Barcodes {
		if string(codes.Get([]byte(c))) == o.ID {
			if err := codes.Delete([]byte(c)); err != nil {
				return err
			}
		}
	}
	return tx.Bucket(bOrders).Delete(key)
}
