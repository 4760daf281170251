package station_test

import (
	"context"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/station"
)

// How many orders the station keeps claimed is a setting: the next N, or
// a shift's worth to pack offline; out of range is refused with the range,
// unset is the default.
func TestClaimOrdersSetting(t *testing.T) {
	ctx := context.Background()
	j := journaltest.MustOpen(t)
	s, err := station.New(ctx, station.Config{Journal: j, StationID: "T1"})
	if err != nil {
		t.Fatal(err)
	}
	set, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if set.ClaimOrders != 0 || station.EffectiveSettings(set).ClaimOrders != station.DefaultClaimOrders {
		t.Fatalf("unset claim: %d, effective %d", set.ClaimOrders, station.EffectiveSettings(set).ClaimOrders)
	}
	for _, bad := range []int{-1, station.MaxClaimOrders + 1} {
		set.ClaimOrders = bad
		if err := s.SaveSettings(ctx, set); err == nil || !strings.Contains(err.Error(), "from 1 to 1000") {
			t.Errorf("claim %d saved: %v", bad, err)
		}
	}
	set.ClaimOrders = 400 // a shift's worth
	if err := s.SaveSettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	got, err := station.LoadSettings(ctx, j)
	if err != nil || got.ClaimOrders != 400 || station.EffectiveSettings(got).ClaimOrders != 400 {
		t.Fatalf("loaded claim %d, %v", got.ClaimOrders, err)
	}
	if err := j.SetSetting(ctx, "claim_orders", "lots"); err != nil {
		t.Fatal(err)
	}
	if _, err := station.LoadSettings(ctx, j); err == nil || !strings.Contains(err.Error(), "set it again in settings") {
		t.Errorf("a damaged stored claim loads: %v", err)
	}
}
