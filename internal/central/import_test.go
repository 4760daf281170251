package central_test

import (
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func TestImportDecision(t *testing.T) {
	lines := []pack.Line{{ItemID: "1", SKU: "A", Quantity: 1}}
	in := pack.Order{ID: "O1", Lines: lines}
	changed := pack.Order{ID: "O1", Lines: []pack.Line{{ItemID: "1", SKU: "A", Quantity: 2}}}
	at := func(s central.State, station string) *central.Order {
		return &central.Order{Order: pack.Order{ID: "O1", Lines: lines, Epoch: 1}, Warehouse: "W1", State: s, Station: station}
	}
	tests := []struct {
		name     string
		existing *central.Order
		in       pack.Order
		outcome  central.ImportOutcome
		state    central.State
		change   wire.ChangeKind
	}{
		{"new", nil, in, central.ImportAdded, central.StateReady, ""},
		{"new on hold", nil, pack.Order{ID: "O1", Lines: lines, Status: pack.StatusOnHold}, central.ImportAdded, central.StateOnHold, ""},
		{"new packed refused", nil, pack.Order{ID: "O1", Lines: lines, Status: pack.StatusPacked}, central.ImportRefused, "", ""},
		{"no id", nil, pack.Order{Lines: lines}, central.ImportRefused, "", ""},
		{"no lines", nil, pack.Order{ID: "O1"}, central.ImportRefused, "", ""},
		{"same again", at(central.StateReady, ""), in, central.ImportUnchanged, central.StateReady, ""},
		{"details changed", at(central.StateReady, ""), changed, central.ImportUpdated, central.StateReady, ""},
		{"details changed at station", at(central.StateLeased, "st_a"), changed, central.ImportUpdated, central.StateLeased, wire.ChangeOrder},
		{"packed not changed", at(central.StatePacked, "st_a"), changed, central.ImportRefused, central.StatePacked, ""},
		{"cancelled in file", at(central.StateStarted, "st_a"), pack.Order{ID: "O1", Status: pack.StatusCancelled}, central.ImportUpdated, central.StateCancelled, wire.ChangeCancel},
		{"other warehouse", &central.Order{Order: in, Warehouse: "W2", State: central.StateReady}, in, central.ImportRefused, central.StateReady, ""},
		{"routed from this warehouse, same", &central.Order{Order: in, Warehouse: "W2", ImportedTo: "W1", RoutedFrom: "W1", State: central.StateReady}, in, central.ImportUnchanged, central.StateReady, ""},
		{"routed from this warehouse, changed", &central.Order{Order: in, Warehouse: "W2", ImportedTo: "W1", RoutedFrom: "W1", State: central.StateReady}, changed, central.ImportUpdated, central.StateReady, ""},
		{"moved from another warehouse", &central.Order{Order: in, Warehouse: "W2", ImportedTo: "W3", State: central.StateReady}, in, central.ImportRefused, central.StateReady, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, out, outcome, reason := central.ImportDecision(tt.existing, tt.in, "W1", t0)
			if outcome != tt.outcome {
				t.Fatalf("outcome %d (%s), want %d", outcome, reason, tt.outcome)
			}
			if (outcome == central.ImportRefused) != (reason != "") {
				t.Errorf("refusal reason %q with outcome %d", reason, outcome)
			}
			if tt.state != "" && o.State != tt.state {
				t.Errorf("state %s, want %s", o.State, tt.state)
			}
			var kind wire.ChangeKind
			if out != nil {
				kind = out.Change.Kind
			}
			if kind != tt.change {
				t.Errorf("change %q, want %q", kind, tt.change)
			}
			if outcome == central.ImportUpdated && tt.existing != nil && o.Epoch != tt.existing.Epoch {
				t.Errorf("import changed the epoch")
			}
		})
	}
}
