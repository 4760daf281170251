package httpapi

import (
	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
)

// Bodies of the admin routes (the sync routes use internal/wire). The
// OpenAPI document (docs/openapi.yaml) describes each; a test compares
// their JSON names with it.

// AddStationRequest is the body of POST /api/v1/admin/stations.
type AddStationRequest struct {
	Name      string `json:"name"`
	Warehouse string `json:"warehouse"`
}

// AddStationResponse carries the new station and its token, shown this
// once: the server keeps only its hash.
type AddStationResponse struct {
	Station central.Station `json:"station"`
	Token   string          `json:"token"`
}

// StationsResponse answers GET /api/v1/admin/stations.
type StationsResponse struct {
	Stations []central.Station `json:"stations"`
}

// ImportSKUsResponse answers POST /api/v1/admin/skus/import.
type ImportSKUsResponse struct {
	Imported int `json:"imported"`
}

// AddPackersRequest is the body of POST /api/v1/admin/packers: packers
// added to (or replaced in) a warehouse.
type AddPackersRequest struct {
	Warehouse string        `json:"warehouse"`
	Packers   []pack.Packer `json:"packers"`
}

// PackersResponse answers GET /api/v1/admin/packers.
type PackersResponse struct {
	Packers []pack.Packer `json:"packers"`
}

// OrdersResponse answers GET /api/v1/admin/orders.
type OrdersResponse struct {
	Orders []central.Order `json:"orders"`
}

// CancelOrderRequest is the body of POST /api/v1/admin/orders/{id}/cancel.
type CancelOrderRequest struct {
	Reason string `json:"reason"`
}

// TasksResponse answers GET /api/v1/admin/tasks.
type TasksResponse struct {
	Tasks []central.Task `json:"tasks"`
}

// RejectionsResponse answers GET /api/v1/admin/rejections.
type RejectionsResponse struct {
	Rejections []central.Rejection `json:"rejections"`
}

// AuditResponse answers GET /api/v1/admin/audit.
type AuditResponse struct {
	Entries []central.AuditEntry `json:"entries"`
}

// Health answers /healthz and /readyz.
type Health struct {
	Status string `json:"status"`          // "ok" or "unavailable"
	Error  string `json:"error,omitempty"` // why not ready
}
