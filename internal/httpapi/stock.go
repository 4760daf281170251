package httpapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/stockfile"
	"github.com/packdesk/packdesk/internal/wire"
)

// The stock part's routes: stock rows, the ledger, reservations, the
// stock import (CSV), adjustments, routes between warehouses, the FBA
// reconciliation and replenishment suggestions.

// StockResponse answers GET /api/v1/admin/stock.
type StockResponse struct {
	Stock []central.StockLevel `json:"stock"`
}

// StockMovesResponse answers GET /api/v1/admin/stock/moves.
type StockMovesResponse struct {
	Moves []central.StockMoveRecord `json:"moves"`
}

// ReservationsResponse answers GET /api/v1/admin/stock/reservations.
type ReservationsResponse struct {
	Reservations []central.Reservation `json:"reservations"`
}

// StockRoutesResponse answers GET /api/v1/admin/stock/routes.
type StockRoutesResponse struct {
	Routes []central.StockRoute `json:"routes"`
}

// SetStockRoutesRequest is the body of PUT /api/v1/admin/stock/routes/{warehouse}.
type SetStockRoutesRequest struct {
	From []string `json:"from"`
}

// StockDiffResponse answers POST /api/v1/admin/stock/diff.
type StockDiffResponse struct {
	Warehouse   string                    `json:"warehouse"`
	Items       int                       `json:"items"` // SKUs in Amazon's figures
	Differences []central.StockDifference `json:"differences"`
}

// ReplenishmentResponse answers GET /api/v1/admin/stock/replenishment.
type ReplenishmentResponse struct {
	Suggestions []central.Replenishment `json:"suggestions"`
}

func init() {
	registerRoutes(func(h *Handler) {
		h.handle("GET /api/v1/admin/stock", h.admin(h.listStock))
		h.handle("POST /api/v1/admin/stock/import", h.admin(h.importStock))
		h.handle("POST /api/v1/admin/stock/adjust", h.admin(h.adjustStock))
		h.handle("GET /api/v1/admin/stock/moves", h.admin(h.listStockMoves))
		h.handle("GET /api/v1/admin/stock/reservations", h.admin(h.listReservations))
		h.handle("GET /api/v1/admin/stock/routes", h.admin(h.listStockRoutes))
		h.handle("PUT /api/v1/admin/stock/routes/{warehouse}", h.admin(h.setStockRoutes))
		h.handle("POST /api/v1/admin/stock/diff", h.admin(h.stockDiff))
		h.handle("GET /api/v1/admin/stock/replenishment", h.admin(h.replenishment))
	})
}

func stockFilter(r *http.Request, allowed ...string) (central.StockFilter, error) {
	q, err := queryArgs(r, allowed...)
	if err != nil {
		return central.StockFilter{}, err
	}
	f := central.StockFilter{Warehouse: q.Get("warehouse"), SKU: q.Get("sku"), Order: q.Get("order")}
	f.Limit, err = limitArg(q.Get("limit"))
	return f, err
}

func (h *Handler) listStock(w http.ResponseWriter, r *http.Request) error {
	f, err := stockFilter(r, "warehouse", "sku")
	if err != nil {
		return err
	}
	ls, err := h.store.Stock(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, StockResponse{Stock: nonNil(ls)})
}

// importStock reads the body as a stock count CSV (stockfile.ReadStock);
// ?ref= names it in the ledger and the audit log. A bad file or row is
// CodeInvalid naming its line; nothing is imported then.
func (h *Handler) importStock(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "ref")
	if err != nil {
		return err
	}
	counts, err := stockfile.ReadStock(http.MaxBytesReader(w, r.Body, h.opts.MaxImport))
	if err != nil {
		return stockFileError(err, h.opts.MaxImport)
	}
	res, err := h.store.ImportStock(r.Context(), counts, q.Get("ref"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

func stockFileError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	var fe *stockfile.Error
	switch {
	case errors.As(err, &mbe):
		return errorf(wire.CodeTooLarge, "the file is larger than %d bytes: split it", limit)
	case errors.As(err, &fe):
		return errorf(wire.CodeInvalid, "%s", fe.Error())
	}
	return errorf(wire.CodeInvalid, "read the file: %v", err)
}

func (h *Handler) adjustStock(w http.ResponseWriter, r *http.Request) error {
	var m central.StockMove
	if err := decodeBody(w, r, &m, h.opts.MaxBody); err != nil {
		return err
	}
	l, err := h.store.AdjustStock(r.Context(), m)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

func (h *Handler) listStockMoves(w http.ResponseWriter, r *http.Request) error {
	f, err := stockFilter(r, "warehouse", "sku", "order", "limit")
	if err != nil {
		return err
	}
	ms, err := h.store.StockMoves(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, StockMovesResponse{Moves: nonNil(ms)})
}

func (h *Handler) listReservations(w http.ResponseWriter, r *http.Request) error {
	f, err := stockFilter(r, "warehouse", "sku", "order")
	if err != nil {
		return err
	}
	rs, err := h.store.Reservations(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ReservationsResponse{Reservations: nonNil(rs)})
}

func (h *Handler) listStockRoutes(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryArgs(r); err != nil {
		return err
	}
	rs, err := h.store.StockRoutes(r.Context())
	if err != nil {
		return err
	}
	for i := range rs {
		rs[i].From = nonNil(rs[i].From)
	}
	return writeJSON(w, http.StatusOK, StockRoutesResponse{Routes: nonNil(rs)})
}

func (h *Handler) setStockRoutes(w http.ResponseWriter, r *http.Request) error {
	var req SetStockRoutesRequest
	if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
		return err
	}
	if err := h.store.SetStockRoutes(r.Context(), r.PathValue("warehouse"), req.From); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// stockDiff compares Amazon's FBA figures with the local stock of
// ?warehouse= (the warehouse standing for the FBA stock): from the body
// (an FBA inventory report file, stockfile.ReadFBAInventory), or, with
// ?seller= (and ?marketplace=, default the seller's first) and no body,
// from the SP-API (getInventorySummaries). The result is kept as the
// warehouse's last comparison with that seller (SaveStockDiff).
func (h *Handler) stockDiff(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "warehouse", "seller", "marketplace")
	if err != nil {
		return err
	}
	wh := strings.TrimSpace(q.Get("warehouse"))
	if wh == "" {
		return errorf(wire.CodeInvalid, "say which local warehouse stands for the FBA stock: ?warehouse=W")
	}
	var items []central.FBAItem
	if seller := q.Get("seller"); seller != "" {
		if err := noBody(r); err != nil {
			return errorf(wire.CodeInvalid, "send either an FBA inventory report or ?seller=, not both")
		}
		if h.opts.FBA == nil {
			return errorf(wire.CodeInvalid, "this server has no Amazon connector (start it with --amazon): send the FBA inventory report instead")
		}
		if items, err = h.opts.FBA(r.Context(), seller, q.Get("marketplace")); err != nil {
			return central.Wrap(wire.CodeUnavailable, err, "fetch the FBA inventory from Amazon: "+err.Error()+" (see packdeskctl server synclog)")
		}
	} else if q.Get("marketplace") != "" {
		return errorf(wire.CodeInvalid, "?marketplace= goes with ?seller=")
	} else if items, err = stockfile.ReadFBAInventory(http.MaxBytesReader(w, r.Body, h.opts.MaxImport)); err != nil {
		return stockFileError(err, h.opts.MaxImport)
	}
	local, err := h.store.Stock(r.Context(), central.StockFilter{Warehouse: wh})
	if err != nil {
		return err
	}
	// Kept as the warehouse's last comparison for the morning checkup.
	run := central.StockDiffRun{Warehouse: wh, Seller: q.Get("seller"), Source: central.StockDiffReport, At: h.opts.Now(),
		Items: len(items), Differences: nonNil(central.DiffFBA(local, items))}
	if run.Seller != "" {
		run.Source = central.StockDiffSPAPI
	}
	if err := h.store.SaveStockDiff(r.Context(), run); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, StockDiffResponse{Warehouse: wh, Items: run.Items, Differences: run.Differences})
}

// replenishment lists suggestions as JSON, or as CSV with ?format=csv.
func (h *Handler) replenishment(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "warehouse", "format")
	if err != nil {
		return err
	}
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" {
		return errorf(wire.CodeInvalid, "format %q: use json or csv", format)
	}
	rs, err := h.store.StockReplenishment(r.Context(), q.Get("warehouse"))
	if err != nil {
		return err
	}
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="replenishment.csv"`)
		return stockfile.WriteReplenishment(w, rs)
	}
	for i := range rs {
		rs[i].Orders = nonNil(rs[i].Orders)
	}
	return writeJSON(w, http.StatusOK, ReplenishmentResponse{Suggestions: nonNil(rs)})
}

// Stock lists stock rows.
func (c *Client) Stock(ctx context.Context, f central.StockFilter) ([]central.StockLevel, error) {
	q := url.Values{}
	setNonEmpty(q, "warehouse", f.Warehouse)
	setNonEmpty(q, "sku", f.SKU)
	var out StockResponse
	err := c.do(ctx, "GET", "/api/v1/admin/stock", q, nil, &out)
	return out.Stock, err
}

// ImportStock sends a stock count CSV; ref names it in the ledger.
func (c *Client) ImportStock(ctx context.Context, csv io.Reader, ref string) (central.StockImportResult, error) {
	q := url.Values{}
	setNonEmpty(q, "ref", ref)
	var out central.StockImportResult
	err := c.do(ctx, "POST", "/api/v1/admin/stock/import", q, rawBody{csv, "text/csv"}, &out)
	return out, err
}

// AdjustStock moves stock by m.Delta and returns the row after.
func (c *Client) AdjustStock(ctx context.Context, m central.StockMove) (central.StockLevel, error) {
	var out central.StockLevel
	err := c.do(ctx, "POST", "/api/v1/admin/stock/adjust", nil, m, &out)
	return out, err
}

// StockMoves lists the ledger, newest first.
func (c *Client) StockMoves(ctx context.Context, f central.StockFilter) ([]central.StockMoveRecord, error) {
	q := url.Values{}
	setNonEmpty(q, "warehouse", f.Warehouse)
	setNonEmpty(q, "sku", f.SKU)
	setNonEmpty(q, "order", f.Order)
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	var out StockMovesResponse
	err := c.do(ctx, "GET", "/api/v1/admin/stock/moves", q, nil, &out)
	return out.Moves, err
}

// Reservations lists what orders hold.
func (c *Client) Reservations(ctx context.Context, f central.StockFilter) ([]central.Reservation, error) {
	q := url.Values{}
	setNonEmpty(q, "warehouse", f.Warehouse)
	setNonEmpty(q, "sku", f.SKU)
	setNonEmpty(q, "order", f.Order)
	var out ReservationsResponse
	err := c.do(ctx, "GET", "/api/v1/admin/stock/reservations", q, nil, &out)
	return out.Reservations, err
}

// StockRoutes lists every warehouse's routes.
func (c *Client) StockRoutes(ctx context.Context) ([]central.StockRoute, error) {
	var out StockRoutesResponse
	err := c.do(ctx, "GET", "/api/v1/admin/stock/routes", nil, nil, &out)
	return out.Routes, err
}

// SetStockRoutes replaces the routes of warehouse.
func (c *Client) SetStockRoutes(ctx context.Context, warehouse string, from []string) error {
	return c.do(ctx, "PUT", "/api/v1/admin/stock/routes/"+url.PathEscape(warehouse), nil, SetStockRoutesRequest{From: nonNil(from)}, nil)
}

// StockDiff sends an FBA inventory report and gets the differences with
// the local stock of warehouse.
func (c *Client) StockDiff(ctx context.Context, warehouse string, report io.Reader) (StockDiffResponse, error) {
	var out StockDiffResponse
	err := c.do(ctx, "POST", "/api/v1/admin/stock/diff", url.Values{"warehouse": {warehouse}}, rawBody{report, "text/tab-separated-values"}, &out)
	return out, err
}

// StockDiffAmazon gets the differences between the seller's FBA
// inventory in marketplace ("" the seller's first), fetched by the server
// through the SP-API, and the local stock of warehouse.
func (c *Client) StockDiffAmazon(ctx context.Context, warehouse, seller, marketplace string) (StockDiffResponse, error) {
	q := url.Values{"warehouse": {warehouse}, "seller": {seller}}
	setNonEmpty(q, "marketplace", marketplace)
	var out StockDiffResponse
	err := c.do(ctx, "POST", "/api/v1/admin/stock/diff", q, nil, &out)
	return out, err
}

// Replenishment lists the suggestions for warehouse ("" all).
func (c *Client) Replenishment(ctx context.Context, warehouse string) ([]central.Replenishment, error) {
	q := url.Values{}
	setNonEmpty(q, "warehouse", warehouse)
	var out ReplenishmentResponse
	err := c.do(ctx, "GET", "/api/v1/admin/stock/replenishment", q, nil, &out)
	return out.Suggestions, err
}
