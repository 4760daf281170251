package storetest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/sqlstore"
)

// PoolCodesMigration checks migration 33 on an empty database db of
// dialect d: orders already in the exception pool get their pool codes
// from their bodies (central.PoolCodes: reasons each once, else the
// station's reason, else "unspecified"), other orders none.
func PoolCodesMigration(t *testing.T, db *sql.DB, d sqlstore.Dialect) {
	ctx := context.Background()
	noLock := func(context.Context, *sql.Conn) (func() error, error) { return func() error { return nil }, nil }
	all := sqlstore.Migrations(d)
	before := slices.DeleteFunc(slices.Clone(all), func(m sqlstore.Migration) bool { return m.Version == 33 })
	if len(before) == len(all) {
		t.Fatal("no migration 33")
	}
	if err := sqlstore.Migrate(ctx, db, d, noLock, before); err != nil {
		t.Fatalf("migrate without 33: %v", err)
	}
	r := func(code string) central.Reason { return central.Reason{Code: central.ReasonCode(code), Detail: "d"} }
	orders := []central.Order{
		{Order: pack.Order{ID: "E1"}, State: central.StateException, Reasons: []central.Reason{r("unknown_sku"), r("address_invalid"), r("unknown_sku")}},
		{Order: pack.Order{ID: "E2"}, State: central.StateException, ExceptionReason: "DAMAGED"},
		{Order: pack.Order{ID: "E3"}, State: central.StateException},
		{Order: pack.Order{ID: "R1"}, State: central.StateReady, Reasons: []central.Reason{r("unknown_sku")}},
	}
	marks := make([]string, 9)
	for i := range marks {
		marks[i] = "?"
		if d.Dollar {
			marks[i] = fmt.Sprintf("$%d", i+1)
		}
	}
	for _, o := range orders {
		o.Warehouse = "W1"
		body, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO orders (id, warehouse, state, station, epoch, lease_expires, ship_by, body, updated)
			VALUES (`+strings.Join(marks, ", ")+`)`, o.ID, o.Warehouse, string(o.State), "", 0, 0, 1, string(body), 1); err != nil {
			t.Fatalf("insert %s: %v", o.ID, err)
		}
	}
	if err := sqlstore.Migrate(ctx, db, d, noLock, all); err != nil {
		t.Fatalf("migrate 33: %v", err)
	}
	want := map[string]string{"E1": "address_invalid,unknown_sku", "E2": "station:DAMAGED", "E3": "unspecified", "R1": ""}
	for _, o := range orders {
		var key string
		if err := db.QueryRowContext(ctx, "SELECT pool_codes FROM orders WHERE id = '"+o.ID+"'").Scan(&key); err != nil {
			t.Fatal(err)
		}
		codes := strings.Split(key, "\x1f")
		slices.Sort(codes)
		if got := strings.Join(codes, ","); got != want[o.ID] {
			t.Errorf("%s: pool codes %q, want %q", o.ID, got, want[o.ID])
		} else if o.State == central.StateException && got != strings.Join(central.PoolCodes(o), ",") {
			t.Errorf("%s: pool codes %q, PoolCodes %v", o.ID, got, central.PoolCodes(o))
		}
	}
}
