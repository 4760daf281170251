package httpapi

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/importfile"
	"github.com/packdesk/packdesk/internal/wire"
)

func (h *Handler) addStation(w http.ResponseWriter, r *http.Request) error {
	var req AddStationRequest
	if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
		return err
	}
	if strings.TrimSpace(req.Name) == "" || strings.TrimSpace(req.Warehouse) == "" {
		return errorf(wire.CodeInvalid, "a station needs a name and a warehouse")
	}
	st, token, err := h.store.CreateStation(r.Context(), req.Name, req.Warehouse)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, AddStationResponse{Station: st, Token: token})
}

func (h *Handler) listStations(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryArgs(r); err != nil {
		return err
	}
	sts, err := h.store.Stations(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, StationsResponse{Stations: nonNil(sts)})
}

func (h *Handler) revokeStation(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	if err := h.store.RevokeStation(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// importOrders reads the body as Amazon's unshipped-orders report (the
// parser packdeskctl replay uses) into ?warehouse=W. A file error is
// CodeInvalid naming its line and column; nothing is imported then.
func (h *Handler) importOrders(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "warehouse")
	if err != nil {
		return err
	}
	wh := strings.TrimSpace(q.Get("warehouse"))
	if wh == "" {
		return errorf(wire.CodeInvalid, "say which warehouse the orders are for: ?warehouse=W")
	}
	rep, err := importfile.ReadAmazonOrdersReport(http.MaxBytesReader(w, r.Body, h.opts.MaxImport))
	if err != nil {
		return importError(err, h.opts.MaxImport)
	}
	res, err := h.store.ImportOrders(r.Context(), wh, rep.Orders)
	if err != nil {
		return err
	}
	for _, e := range rep.Skipped {
		res.Skipped = append(res.Skipped, strings.TrimPrefix(e.Error(), "importfile: "))
	}
	return writeJSON(w, http.StatusOK, res)
}

// importSKUs reads the body as the SKU master CSV.
func (h *Handler) importSKUs(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryArgs(r); err != nil {
		return err
	}
	skus, err := importfile.ReadSKUs(http.MaxBytesReader(w, r.Body, h.opts.MaxImport))
	if err != nil {
		return importError(err, h.opts.MaxImport)
	}
	if err := h.store.PutSKUs(r.Context(), skus); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ImportSKUsResponse{Imported: len(skus)})
}

// importError maps an import file's error: CodeTooLarge past limit,
// CodeInvalid for a bad file (its message names the line).
func importError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	var fe *importfile.Error
	switch {
	case errors.As(err, &mbe):
		return errorf(wire.CodeTooLarge, "the file is larger than %d bytes: split it", limit)
	case errors.As(err, &fe):
		return errorf(wire.CodeInvalid, "%s", strings.TrimPrefix(fe.Error(), "importfile: "))
	}
	return errorf(wire.CodeInvalid, "read the file: %v", err)
}

func (h *Handler) addPackers(w http.ResponseWriter, r *http.Request) error {
	var req AddPackersRequest
	if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
		return err
	}
	if strings.TrimSpace(req.Warehouse) == "" {
		return errorf(wire.CodeInvalid, "say which warehouse the packers work in: \"warehouse\"")
	}
	if len(req.Packers) == 0 {
		return errorf(wire.CodeInvalid, "no packers in \"packers\"")
	}
	for i, p := range req.Packers {
		if strings.TrimSpace(p.Badge) == "" {
			return errorf(wire.CodeInvalid, "packer %d has no badge", i)
		}
	}
	if err := h.store.PutPackers(r.Context(), req.Warehouse, req.Packers); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) listPackers(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "warehouse")
	if err != nil {
		return err
	}
	wh := q.Get("warehouse")
	if wh == "" {
		return errorf(wire.CodeInvalid, "say which warehouse: ?warehouse=W")
	}
	ps, err := h.store.Packers(r.Context(), wh)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, PackersResponse{Packers: nonNil(ps)})
}

// listOrders answers GET /api/v1/admin/orders?state=S[,S…]&warehouse=W&limit=N.
func (h *Handler) listOrders(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "state", "warehouse", "id", "limit")
	if err != nil {
		return err
	}
	f := central.OrderFilter{Warehouse: q.Get("warehouse")}
	for id := range strings.SplitSeq(q.Get("id"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			f.IDs = append(f.IDs, id)
		}
	}
	for _, v := range q["state"] {
		for s := range strings.SplitSeq(v, ",") {
			st := central.State(strings.TrimSpace(s))
			if !st.Valid() {
				return errorf(wire.CodeInvalid, "unknown state %q: use %s", s, stateList())
			}
			f.States = append(f.States, st)
		}
	}
	if f.Limit, err = limitArg(q.Get("limit")); err != nil {
		return err
	}
	os, err := h.store.Orders(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, OrdersResponse{Orders: nonNil(os)})
}

func (h *Handler) cancelOrder(w http.ResponseWriter, r *http.Request) error {
	var req CancelOrderRequest
	if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
		return err
	}
	if err := h.store.CancelOrder(r.Context(), r.PathValue("id"), req.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) listTasks(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "warehouse", "station")
	if err != nil {
		return err
	}
	ts, err := h.store.Tasks(r.Context(), central.TaskFilter{Warehouse: q.Get("warehouse"), Station: q.Get("station")})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, TasksResponse{Tasks: nonNil(ts)})
}

func (h *Handler) revokeTask(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	if err := h.store.RevokeTask(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) listRejections(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "warehouse", "station", "limit")
	if err != nil {
		return err
	}
	f := central.RejectionFilter{Warehouse: q.Get("warehouse"), Station: q.Get("station")}
	if f.Limit, err = limitArg(q.Get("limit")); err != nil {
		return err
	}
	rs, err := h.store.Rejections(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, RejectionsResponse{Rejections: nonNil(rs)})
}

// listAudit lists the audit log, newest first.
func (h *Handler) listAudit(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "warehouse", "kind", "subject", "limit")
	if err != nil {
		return err
	}
	f := central.AuditFilter{Warehouse: q.Get("warehouse"), Kind: q.Get("kind"), Subject: q.Get("subject")}
	if f.Limit, err = limitArg(q.Get("limit")); err != nil {
		return err
	}
	es, err := h.store.Audit(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, AuditResponse{Entries: nonNil(es)})
}

// noBody refuses a body on a route that takes none (a client sending one
// expects it to mean something).
func noBody(r *http.Request) error {
	n, _ := io.CopyN(io.Discard, r.Body, 1)
	if n > 0 {
		return errorf(wire.CodeInvalid, "this route takes no body")
	}
	return nil
}

func limitArg(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, errorf(wire.CodeInvalid, "limit %q: want a whole number ≥ 1", s)
	}
	return n, nil
}

func stateList() string {
	var b strings.Builder
	for i, s := range central.States {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(s))
	}
	return b.String()
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
