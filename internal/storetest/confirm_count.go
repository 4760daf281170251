package storetest

import (
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

func init() {
	register("CountConfirmations", testCountConfirmations)
}

// testCountConfirmations: CountConfirmations counts what Confirmations
// lists, for each filter.
func testCountConfirmations(t *testing.T, e *Env) {
	e.amazonPacked(t, "C1", "C2")
	start := e.Clock.Now()
	e.Clock.Add(time.Hour)
	a, g, _ := e.leased(t, "F1")
	e.packAll(t, a, g, 1, "F1")
	for _, c := range []struct {
		f    central.ConfirmationFilter
		want int
	}{
		{central.ConfirmationFilter{}, 3},
		{central.ConfirmationFilter{States: []central.ConfirmState{central.ConfirmPending}}, 2},
		{central.ConfirmationFilter{States: []central.ConfirmState{central.ConfirmNotSent, central.ConfirmPending}, Since: start.Add(time.Minute)}, 1},
		{central.ConfirmationFilter{Warehouse: "W1", OrderID: "C2"}, 1},
		{central.ConfirmationFilter{Warehouse: "W2"}, 0},
		{central.ConfirmationFilter{Limit: 1}, 3},
	} {
		n, err := e.S.CountConfirmations(e.Ctx, c.f)
		if err != nil {
			t.Fatalf("CountConfirmations(%+v): %v", c.f, err)
		}
		c.f.Limit = 0
		cs, err := e.S.Confirmations(e.Ctx, c.f)
		if err != nil {
			t.Fatal(err)
		}
		if n != c.want || n != len(cs) {
			t.Errorf("CountConfirmations(%+v) = %d, want %d (Confirmations lists %d)", c.f, n, c.want, len(cs))
		}
	}
}
