package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/wire"
)

// whoami answers GET /api/v1/station: the station the token belongs to
// (the station's "test connection" button).
func (h *Handler) whoami(w http.ResponseWriter, r *http.Request, st central.Station) error {
	if _, err := queryArgs(r); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, st)
}

// push answers POST /api/v1/sync/push. The body's station and every
// event's station (when set) must be the token's; an event about another
// warehouse's order is a recorded rejection (unknown_order), as the sync
// protocol wants, and changes nothing there.
func (h *Handler) push(w http.ResponseWriter, r *http.Request, st central.Station) error {
	var body pushBody
	if err := decodeBody(w, r, &body, h.opts.MaxBody); err != nil {
		return err
	}
	req, err := body.request()
	if err != nil {
		return err
	}
	if err := ownStation(st, req.Station, "the push's station"); err != nil {
		return err
	}
	if len(req.Events) > wire.MaxPushEvents {
		return errorf(wire.CodeTooLarge, "%d events in one push: send at most %d", len(req.Events), wire.MaxPushEvents)
	}
	for i, e := range req.Events {
		if e.Station != "" {
			if err := ownStation(st, e.Station, fmt.Sprintf("event %d (seq %d) station", i, e.Seq)); err != nil {
				return err
			}
		}
		if i > 0 && e.Seq <= req.Events[i-1].Seq {
			return errorf(wire.CodeInvalid, "event %d has seq %d after seq %d: send events in increasing seq order", i, e.Seq, req.Events[i-1].Seq)
		}
	}
	resp, err := h.store.Push(r.Context(), st, req.Events)
	if err != nil {
		return err
	}
	h.metrics.pushed(st, req.Events, resp, h.opts.Now())
	return writeJSON(w, http.StatusOK, resp)
}

// pull answers POST /api/v1/sync/pull. An order in Started that belongs
// to another warehouse is CodeForbidden (a station never holds one).
func (h *Handler) pull(w http.ResponseWriter, r *http.Request, st central.Station) error {
	var req wire.PullRequest
	if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
		return err
	}
	if err := ownStation(st, req.Station, "the pull's station"); err != nil {
		return err
	}
	if req.Claim < 0 {
		return errorf(wire.CodeInvalid, "claim is %d: ask for 0 or more tasks", req.Claim)
	}
	if req.Limit < 0 {
		return errorf(wire.CodeInvalid, "limit is %d: use 0 (the server's maximum, %d) or more", req.Limit, wire.MaxPullChanges)
	}
	if len(req.Started) > wire.MaxPullChanges {
		return errorf(wire.CodeTooLarge, "%d started orders in one pull: send at most %d", len(req.Started), wire.MaxPullChanges)
	}
	if len(req.Started) > 0 {
		os, err := h.store.Orders(r.Context(), central.OrderFilter{IDs: req.Started})
		if err != nil {
			return err
		}
		for _, o := range os {
			if o.Warehouse != st.Warehouse {
				return errorf(wire.CodeForbidden, "order %q in started belongs to warehouse %q, not this station's (%q)", o.ID, o.Warehouse, st.Warehouse)
			}
		}
	}
	resp, err := h.store.Pull(r.Context(), st, req)
	if err != nil {
		return err
	}
	h.metrics.pulled(st, h.opts.Now())
	return writeJSON(w, http.StatusOK, resp)
}

// pushBody is a push as read off the wire: the events stay raw until each
// is decoded on its own (pushBody.request).
type pushBody struct {
	Station string            `json:"station"`
	Events  []json.RawMessage `json:"events"`
}

// request decodes each event strictly, except that an envelope of a newer
// schema than this server reads may carry fields it does not know: that
// event is kept as it came, and the store records it as a rejection
// (unknown_type: upgrade the server) rather than the whole push being
// refused, so a newer station's queue never stalls on an older server.
// Errors: CodeInvalid naming the event.
func (b pushBody) request() (wire.PushRequest, error) {
	req := wire.PushRequest{Station: b.Station, Events: make([]event.Envelope, len(b.Events))}
	for i, raw := range b.Events {
		err := decodeJSON(bytes.NewReader(raw), &req.Events[i], int64(len(raw))+1)
		if err == nil {
			continue
		}
		var lax event.Envelope
		if json.Unmarshal(raw, &lax) == nil && lax.Schema > event.SchemaVersion {
			req.Events[i] = lax
			continue
		}
		return wire.PushRequest{}, errorf(wire.CodeInvalid, "event %d: %s", i, central.ErrorMessage(err))
	}
	return req, nil
}
