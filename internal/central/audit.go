package central

import (
	"context"
	"encoding/json"
	"time"
)

// AuditEntry is one line of the append-only audit log: who did what to
// which subject, when, with the subject before and after (JSON, "" when
// there was none). Every supervisor action, stock adjustment and return
// decision writes one in the same transaction as the change itself.
type AuditEntry struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`     // "admin:NAME", "user:NAME", "station:ID" or "system"
	Warehouse string    `json:"warehouse"` // "" for shared subjects (SKUs, sellers)
	// Kind and Subject name what changed: ("order", "113-…"), ("stock",
	// "SKU@LOCATION"), ("return", RMA), ("rules", "review")…
	Kind    string          `json:"kind"`
	Subject string          `json:"subject"`
	Action  string          `json:"action"` // e.g. "release", "cancel", "edit_address", "adjust"
	Detail  string          `json:"detail,omitempty"`
	Before  json.RawMessage `json:"before,omitempty"`
	After   json.RawMessage `json:"after,omitempty"`
}

// AuditFilter selects audit entries, newest first; zero fields select all.
type AuditFilter struct {
	Warehouse string
	Kind      string
	Subject   string
	Limit     int // ≤ 0: no limit
}

// AuditStore reads the audit log (the stores write it inside the
// transactions that make the changes).
type AuditStore interface {
	// Audit lists entries, newest first.
	Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

type actorKey struct{}

// WithActor returns ctx carrying who acts ("admin:NAME", "user:NAME",
// "station:ID"); the stores record it in the audit log.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// Actor returns who acts in ctx, "system" when nobody was set (jobs).
func Actor(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}
