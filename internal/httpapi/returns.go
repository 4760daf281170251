package httpapi

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/returnsfile"
	"github.com/packdesk/packdesk/internal/wire"
)

// The returns routes (issue 10): import the FBM returns report, create a
// return authorisation, list and read returns, their units, the
// write-off ledger and the statistics. Admin only.
func init() {
	registerRoutes(func(h *Handler) {
		h.handle("POST /api/v1/admin/returns/import", h.admin(h.importReturns))
		h.handle("POST /api/v1/admin/returns", h.admin(h.createReturn))
		h.handle("GET /api/v1/admin/returns", h.admin(h.listReturns))
		h.handle("GET /api/v1/admin/returns/{id}", h.admin(h.getReturn))
		h.handle("GET /api/v1/admin/returns/units", h.admin(h.listReturnUnits))
		h.handle("GET /api/v1/admin/returns/ledger", h.admin(h.listWriteOffs))
		h.handle("GET /api/v1/admin/returns/stats", h.admin(h.returnStats))
	})
}

// CreateReturnRequest is the body of POST /api/v1/admin/returns: a
// return authorisation (售后工单) for Warehouse.
type CreateReturnRequest struct {
	Warehouse string `json:"warehouse"`
	central.ReturnRequest
}

// ReturnsResponse answers GET /api/v1/admin/returns.
type ReturnsResponse struct {
	Returns []central.Return `json:"returns"`
}

// ReturnResponse answers GET /api/v1/admin/returns/{id}.
type ReturnResponse struct {
	Return central.Return       `json:"return"`
	Units  []central.ReturnUnit `json:"units"`
}

// ReturnUnitsResponse answers GET /api/v1/admin/returns/units.
type ReturnUnitsResponse struct {
	Units []central.ReturnUnit `json:"units"`
}

// WriteOffsResponse answers GET /api/v1/admin/returns/ledger.
type WriteOffsResponse struct {
	WriteOffs []central.WriteOff `json:"write_offs"`
}

// importReturns reads the body as Amazon's FBM returns report into
// ?warehouse=W (a known order's warehouse wins). A file error is
// CodeInvalid naming its line and column; nothing is imported then.
func (h *Handler) importReturns(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "warehouse")
	if err != nil {
		return err
	}
	wh := strings.TrimSpace(q.Get("warehouse"))
	if wh == "" {
		return errorf(wire.CodeInvalid, "say which warehouse the returns come back to: ?warehouse=W")
	}
	rep, err := returnsfile.Read(http.MaxBytesReader(w, r.Body, h.opts.MaxImport))
	if err != nil {
		return returnsFileError(err, h.opts.MaxImport)
	}
	reqs, err := central.ReturnRequestsFromReport(rep, central.ReturnFromReport)
	if err != nil {
		return returnsFileError(err, h.opts.MaxImport)
	}
	res, err := h.store.ImportReturns(r.Context(), wh, reqs)
	if err != nil {
		return err
	}
	for _, s := range rep.Skipped {
		res.Skipped = append(res.Skipped, s.Error())
	}
	return writeJSON(w, http.StatusOK, res)
}

func returnsFileError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	var fe *returnsfile.Error
	switch {
	case errors.As(err, &mbe):
		return errorf(wire.CodeTooLarge, "the file is larger than %d bytes: download a shorter date range", limit)
	case errors.As(err, &fe):
		return errorf(wire.CodeInvalid, "%s", fe.Error())
	}
	return errorf(wire.CodeInvalid, "read the returns report: %v", err)
}

func (h *Handler) createReturn(w http.ResponseWriter, r *http.Request) error {
	var req CreateReturnRequest
	if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
		return err
	}
	ret, err := h.store.CreateReturn(r.Context(), strings.TrimSpace(req.Warehouse), req.ReturnRequest)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, ret)
}

// returnFilter reads the filter of the list routes: warehouse, order,
// state, flagged (true), from and to (dates YYYY-MM-DD, UTC; to is
// inclusive: the whole day counts), limit.
func returnFilter(r *http.Request, allowed ...string) (central.ReturnFilter, error) {
	q, err := queryArgs(r, append([]string{"warehouse", "from", "to", "limit"}, allowed...)...)
	if err != nil {
		return central.ReturnFilter{}, err
	}
	f := central.ReturnFilter{Warehouse: q.Get("warehouse"), OrderID: q.Get("order"), State: central.ReturnState(q.Get("state"))}
	switch q.Get("flagged") {
	case "", "false":
	case "true":
		f.Flagged = true
	default:
		return f, errorf(wire.CodeInvalid, "flagged %q: want true or false", q.Get("flagged"))
	}
	if f.State != "" && f.State != central.ReturnOpen && f.State != central.ReturnReceiving && f.State != central.ReturnClosed && f.State != central.ReturnCancelled {
		return f, errorf(wire.CodeInvalid, "state %q: want open, receiving, closed or cancelled", f.State)
	}
	if f.From, err = dateArg("from", q.Get("from"), false); err != nil {
		return f, err
	}
	if f.To, err = dateArg("to", q.Get("to"), true); err != nil {
		return f, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return f, errorf(wire.CodeInvalid, "from %s is after to %s", q.Get("from"), q.Get("to"))
	}
	f.Limit, err = limitArg(q.Get("limit"))
	return f, err
}

// dateArg reads YYYY-MM-DD (UTC) or an RFC 3339 time; a date as the end
// of a range means the end of that day.
func dateArg(name, s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, errorf(wire.CodeInvalid, "%s %q: want a date YYYY-MM-DD or an RFC 3339 time", name, s)
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

func (h *Handler) listReturns(w http.ResponseWriter, r *http.Request) error {
	f, err := returnFilter(r, "order", "state", "flagged")
	if err != nil {
		return err
	}
	rs, err := h.store.Returns(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ReturnsResponse{Returns: nonNil(rs)})
}

func (h *Handler) getReturn(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryArgs(r); err != nil {
		return err
	}
	ret, units, err := h.store.Return(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ReturnResponse{Return: ret, Units: nonNil(units)})
}

func (h *Handler) listReturnUnits(w http.ResponseWriter, r *http.Request) error {
	f, err := returnFilter(r, "order")
	if err != nil {
		return err
	}
	us, err := h.store.ReturnUnits(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ReturnUnitsResponse{Units: nonNil(us)})
}

func (h *Handler) listWriteOffs(w http.ResponseWriter, r *http.Request) error {
	f, err := returnFilter(r)
	if err != nil {
		return err
	}
	ws, err := h.store.WriteOffs(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, WriteOffsResponse{WriteOffs: nonNil(ws)})
}

func (h *Handler) returnStats(w http.ResponseWriter, r *http.Request) error {
	f, err := returnFilter(r)
	if err != nil {
		return err
	}
	st, err := h.store.ReturnStats(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, st)
}
