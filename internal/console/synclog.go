package console

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

func init() {
	addPage("synclog", false, func(h *Handler) {
		h.mux.HandleFunc("GET /synclog", h.user(h.syncLog))
	})
}

// SyncLogPage is how many calls one page of the sync log lists;
// SyncLogPages how far back the pages go (the store lists the newest
// first, so page n reads n·SyncLogPage calls).
const (
	SyncLogPage  = 100
	SyncLogPages = 50
)

// syncOperations are the operations the Amazon connector records, offered
// in the filter (any other name can be typed).
var syncOperations = []string{"searchOrders", "getOrder", "confirmShipment", "getInventorySummaries", "lwaToken"}

type syncLogData struct {
	Calls      []central.AmazonCall
	Seller     string
	Operation  string
	ErrorsOnly bool
	Warehouse  string
	Sellers    []string // the sellers the viewer may filter by
	Operations []string
	Page       int
	Prev, Next string // links to the neighbouring pages ("" none)
	Admin      bool
}

// syncLog lists the order sync log (订单同步日志), newest first: one line
// per call to Amazon with its operation, time, HTTP status, request id,
// rate-limit state and error, filtered by seller, operation and errors
// only, SyncLogPage a page. A supervisor sees the calls of their
// warehouse's sellers only; another warehouse's seller is refused.
func (h *Handler) syncLog(w http.ResponseWriter, r *http.Request, v *viewer) {
	d, err := h.syncLogData(r, v)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, http.StatusOK, "synclog", page{V: v, Title: v.L.T("nav.synclog"), Nav: "synclog", Live: true, Body: d})
}

func (h *Handler) syncLogData(r *http.Request, v *viewer) (syncLogData, error) {
	q := r.URL.Query()
	d := syncLogData{Seller: strings.TrimSpace(q.Get("seller")), Operation: strings.TrimSpace(q.Get("operation")),
		ErrorsOnly: q.Get("errors") == "1", Operations: syncOperations, Page: 1, Admin: v.User.Role == central.RoleAdmin}
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > SyncLogPages {
			return d, &failure{http.StatusBadRequest, v.L.T("sl.bad_page", "max", SyncLogPages)}
		}
		d.Page = n
	}
	wh, err := v.warehouseArg(q)
	if err != nil {
		return d, err
	}
	d.Warehouse = wh
	for s, swh := range h.opts.Sellers {
		if wh == "" || swh == wh {
			d.Sellers = append(d.Sellers, s)
		}
	}
	slices.Sort(d.Sellers)
	// The sellers whose calls to read: the one asked for (if the viewer
	// may see it), else all of the warehouse's, else (an admin with no
	// warehouse) every call.
	sellers := d.Sellers
	switch {
	case d.Seller != "":
		if wh != "" && !slices.Contains(d.Sellers, d.Seller) {
			return d, &failure{http.StatusForbidden, v.L.T("sl.other_seller", "seller", d.Seller, "wh", wh)}
		}
		sellers = []string{d.Seller}
	case wh == "":
		sellers = []string{""}
	}
	want := d.Page*SyncLogPage + 1
	var calls []central.AmazonCall
	for _, s := range sellers {
		cs, err := h.store.AmazonSyncLog(r.Context(), central.SyncLogFilter{Seller: s, Operation: d.Operation, ErrorsOnly: d.ErrorsOnly, Limit: want})
		if err != nil {
			return d, err
		}
		calls = append(calls, cs...)
	}
	slices.SortStableFunc(calls, func(a, b central.AmazonCall) int {
		return cmp.Or(b.At.Compare(a.At), cmp.Compare(b.ID, a.ID))
	})
	from := (d.Page - 1) * SyncLogPage
	if from < len(calls) {
		d.Calls = calls[from:min(len(calls), from+SyncLogPage)]
	}
	link := func(p int) string {
		l := url.Values{}
		for _, k := range []string{"seller", "operation", "errors", "warehouse"} {
			if x := q.Get(k); x != "" {
				l.Set(k, x)
			}
		}
		l.Set("page", strconv.Itoa(p))
		return "/synclog?" + l.Encode()
	}
	if d.Page > 1 {
		d.Prev = link(d.Page - 1)
	}
	if len(calls) > from+SyncLogPage && d.Page < SyncLogPages {
		d.Next = link(d.Page + 1)
	}
	return d, nil
}
