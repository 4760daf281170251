package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/packdesk/packdesk/internal/carrier"
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

// Carrier labels and waves (打单分拣): the label purchase queue, waves of
// ready orders with their pick list and pick slips as PDF.

// LabelsResponse answers GET /api/v1/admin/labels.
type LabelsResponse struct {
	Labels []central.LabelPurchase `json:"labels"`
}

// WavesResponse answers GET /api/v1/admin/waves.
type WavesResponse struct {
	Waves []central.Wave `json:"waves"`
}

func init() {
	registerRoutes(func(h *Handler) {
		h.handle("GET /api/v1/admin/labels", h.admin(h.listLabels))
		h.handle("POST /api/v1/admin/waves", h.admin(h.createWave))
		h.handle("GET /api/v1/admin/waves", h.admin(h.listWaves))
		h.handle("GET /api/v1/admin/waves/{id}", h.admin(h.getWave))
		h.handle("GET /api/v1/admin/waves/{id}/picklist", h.admin(h.wavePDF(false)))
		h.handle("GET /api/v1/admin/waves/{id}/slips", h.admin(h.wavePDF(true)))
	})
}

// labelFilter reads a label list's query (warehouse, state, order,
// limit); the caller checks the state. CodeInvalid for another argument
// or a limit that is not a whole number ≥ 0.
func labelFilter(r *http.Request) (central.LabelFilter, error) {
	q, err := queryArgs(r, "warehouse", "state", "order", "limit")
	if err != nil {
		return central.LabelFilter{}, err
	}
	f := central.LabelFilter{Warehouse: q.Get("warehouse"), State: q.Get("state"), OrderID: q.Get("order")}
	if s := q.Get("limit"); s != "" {
		if f.Limit, err = strconv.Atoi(s); err != nil || f.Limit < 0 {
			return f, errorf(wire.CodeInvalid, "limit %q is not a whole number ≥ 0", s)
		}
	}
	return f, nil
}

// labelQuery is f as a label list's query (labelFilter's inverse).
func labelQuery(f central.LabelFilter) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"warehouse": f.Warehouse, "state": f.State, "order": f.OrderID} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	return q
}

func (h *Handler) listLabels(w http.ResponseWriter, r *http.Request) error {
	f, err := labelFilter(r)
	if err != nil {
		return err
	}
	switch f.State {
	case "", central.LabelPending, central.LabelBought, central.LabelFailed, central.LabelVoid:
	default:
		return errorf(wire.CodeInvalid, "state %q: use pending, bought, failed or void", f.State)
	}
	ls, err := h.store.LabelPurchases(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, LabelsResponse{Labels: nonNil(ls)})
}

func (h *Handler) createWave(w http.ResponseWriter, r *http.Request) error {
	var req central.WaveRequest
	if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
		return err
	}
	wv, err := h.store.CreateWave(r.Context(), req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, wv)
}

func (h *Handler) listWaves(w http.ResponseWriter, r *http.Request) error {
	q, err := queryArgs(r, "warehouse")
	if err != nil {
		return err
	}
	ws, err := h.store.Waves(r.Context(), q.Get("warehouse"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, WavesResponse{Waves: nonNil(ws)})
}

func (h *Handler) getWave(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryArgs(r); err != nil {
		return err
	}
	wv, err := h.store.Wave(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, wv)
}

// wavePDF answers a wave's pick list (slips false) or pick slips as PDF.
func (h *Handler) wavePDF(slips bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := queryArgs(r); err != nil {
			return err
		}
		wv, err := h.store.Wave(r.Context(), r.PathValue("id"))
		if err != nil {
			return err
		}
		var b bytes.Buffer
		name := "picklist"
		if slips {
			name = "slips"
			err = carrier.PickSlips(r.Context(), &b, wv, 203)
		} else {
			err = carrier.PickList(&b, wv)
		}
		if err != nil {
			return central.Internal(err, "draw the wave's "+name)
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", wv.ID+"-"+name+".pdf"))
		w.WriteHeader(http.StatusOK)
		if _, err := w.Write(b.Bytes()); err != nil {
			return errWritten{err}
		}
		return nil
	}
}

// LabelPurchases lists the label purchases (f's zero fields: all).
func (c *Client) LabelPurchases(ctx context.Context, f central.LabelFilter) ([]central.LabelPurchase, error) {
	var out LabelsResponse
	err := c.do(ctx, "GET", "/api/v1/admin/labels", labelQuery(f), nil, &out)
	return out.Labels, err
}

// CreateWave makes a wave of ready orders.
func (c *Client) CreateWave(ctx context.Context, req central.WaveRequest) (central.Wave, error) {
	var out central.Wave
	err := c.do(ctx, "POST", "/api/v1/admin/waves", nil, req, &out)
	return out, err
}

// Waves lists a warehouse's waves ("" all).
func (c *Client) Waves(ctx context.Context, warehouse string) ([]central.Wave, error) {
	q := url.Values{}
	if warehouse != "" {
		q.Set("warehouse", warehouse)
	}
	var out WavesResponse
	err := c.do(ctx, "GET", "/api/v1/admin/waves", q, nil, &out)
	return out.Waves, err
}

// Wave reads a wave with its orders.
func (c *Client) Wave(ctx context.Context, id string) (central.Wave, error) {
	var out central.Wave
	err := c.do(ctx, "GET", "/api/v1/admin/waves/"+url.PathEscape(id), nil, nil, &out)
	return out, err
}

// WavePDF copies a wave's pick list (slips false) or pick slips PDF to w.
func (c *Client) WavePDF(ctx context.Context, id string, slips bool, w io.Writer) error {
	path := "/api/v1/admin/waves/" + url.PathEscape(id) + "/picklist"
	if slips {
		path = "/api/v1/admin/waves/" + url.PathEscape(id) + "/slips"
	}
	return c.do(ctx, "GET", path, nil, nil, w)
}
