package journal_test

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// FuzzApplyPull feeds ApplyPull pull bodies as a server (or something
// pretending to be one) might send them. Whatever it gets, it must not
// panic; a refused pull changes nothing (orders, cursor, pushed mark); an
// accepted one leaves the status index and counts in step with the
// orders, stores the cursor, and never turns an order packed here back.
func FuzzApplyPull(f *testing.F) {
	seeds := []wire.PullResponse{
		{Cursor: "1", Changes: []wire.Change{grant("111-0000009-0000001", 2)}},
		{Cursor: "2", Applied: 1, Changes: []wire.Change{{Kind: wire.ChangeCancel, OrderID: "111-0000009-0000002"}, {Kind: wire.ChangeRevoke, OrderID: "111-0000009-0000003"}}},
		{Cursor: "3", Changes: []wire.Change{{Kind: wire.ChangeHold, OrderID: "111-0000009-0000003", Reason: "address"}, {Kind: wire.ChangeOrder, Order: pullOrder("111-0000009-0000002", pack.StatusReady)}}},
		{Cursor: "4", Changes: []wire.Change{{Kind: wire.ChangeSKU, SKU: &pack.SKU{SKU: "S", Barcodes: []pack.Alias{{Code: "4006381333931", Units: 6}}}}, {Kind: wire.ChangePacker, Packer: &pack.Packer{Badge: "B"}, Disabled: true}}},
		{Cursor: "5", Changes: []wire.Change{{Kind: "teleport"}}},
		{Cursor: "6", Changes: []wire.Change{{Kind: wire.ChangeReturn, Return: pullReturn("R-1", pack.ReturnOpen)}, {Kind: wire.ChangeReturn, Return: &pack.Return{ID: "R-2", Status: "lost"}}}},
	}
	for _, s := range seeds {
		b, _ := json.Marshal(s)
		f.Add(b)
	}
	f.Add([]byte(`{"cursor":"x","applied":99,"changes":[{"kind":"grant","order":{"id":""}}]}`))
	f.Add([]byte(`{"changes":[{"kind":"cancel","order_id":"111-0000009-0000001"},{"kind":"grant","order":{"id":"a\u0000b"},"lease":{"epoch":1}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var resp wire.PullResponse
		if json.Unmarshal(body, &resp) != nil {
			return
		}
		// NoSync: a fuzz target opens a journal per input; nothing here is
		// about durability.
		j, err := journal.Open(filepath.Join(t.TempDir(), "station.db"), journal.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		defer j.Close()
		if _, err := j.ApplyPull(ctx, wire.PullResponse{Cursor: "0", Changes: []wire.Change{
			grant("111-0000009-0000001", 1), grant("111-0000009-0000002", 1), grant("111-0000009-0000003", 1)}}); err != nil {
			t.Fatal(err)
		}
		packLocally(t, j, "111-0000009-0000001", pack.StatusPacked) // not pushed
		before, _ := j.Orders("", "", 0)
		beforeCounts, _ := j.OrderCounts()
		res, err := j.ApplyPull(ctx, resp)
		after, _ := j.Orders("", "", 0)
		cur, _ := j.SyncCursor()
		if err != nil {
			afterCounts, _ := j.OrderCounts()
			if !reflect.DeepEqual(before, after) || !reflect.DeepEqual(beforeCounts, afterCounts) || cur != "0" {
				t.Fatalf("a refused pull (%v) changed the journal", err)
			}
			if p, _ := j.Pushed(); p != 0 {
				t.Fatalf("a refused pull moved the pushed mark to %d", p)
			}
			return
		}
		if cur != resp.Cursor || res.Changes != len(resp.Changes) {
			t.Fatalf("cursor %q (want %q), %d changes counted of %d", cur, resp.Cursor, res.Changes, len(resp.Changes))
		}
		checkCounts(t, j)
		if o, ok, _ := j.Order("111-0000009-0000001"); ok && o.Status != pack.StatusPacked && o.Status != pack.StatusCancelled {
			t.Fatalf("an order packed here became %s through a pull", o.Status)
		}
	})
}
