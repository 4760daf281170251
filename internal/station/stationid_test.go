package station_test

import (
	"context"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// The station id comes from settings: a station without one does not
// start (the message says how to set it), SetStationID validates and
// refuses to rename a journal, and LoadSettings returns it.
func TestStationIDIsASetting(t *testing.T) {
	ctx := context.Background()
	j := journaltest.MustOpen(t)
	_, err := station.New(ctx, station.Config{Journal: j, Engine: pack.Engine{RequireLogin: true}})
	if err == nil || !strings.Contains(err.Error(), "no station id") || !strings.Contains(err.Error(), "-station") {
		t.Fatalf("New without a station id: %v; want a refusal that says how to set one", err)
	}
	for _, bad := range []string{"", "BENCH 1", "站点1", strings.Repeat("A", station.MaxStationIDLen+1), "A/B"} {
		if err := station.SetStationID(ctx, j, bad, false); err == nil || !strings.Contains(err.Error(), "station id") {
			t.Errorf("SetStationID(%q) = %v, want a refusal", bad, err)
		}
	}
	if set, err := station.LoadSettings(ctx, j); err != nil || set.StationID != "" {
		t.Fatalf("after refusals: %q %v", set.StationID, err)
	}
	if err := station.SetStationID(ctx, j, "BENCH-01", false); err != nil {
		t.Fatal(err)
	}
	if err := station.SetStationID(ctx, j, "BENCH-01", false); err != nil {
		t.Errorf("the same id again: %v", err)
	}
	if err := station.SetStationID(ctx, j, "BENCH-02", false); err == nil || !strings.Contains(err.Error(), "belongs to station BENCH-01") {
		t.Errorf("renaming: %v", err)
	}
	set, err := station.LoadSettings(ctx, j)
	if err != nil || set.StationID != "BENCH-01" {
		t.Fatalf("LoadSettings: %q %v", set.StationID, err)
	}
	// SaveSettings does not touch it, even with another value.
	st, err := station.New(ctx, station.Config{Journal: j, StationID: set.StationID})
	if err != nil {
		t.Fatal(err)
	}
	set.StationID = ""
	if err := st.SaveSettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	if id, _, _ := j.Setting(journal.SettingStationID); id != "BENCH-01" {
		t.Errorf("after SaveSettings: station id %q", id)
	}
	if err := station.SetStationID(ctx, j, "BENCH-02", true); err != nil {
		t.Fatal(err)
	}
	if set, _ := station.LoadSettings(ctx, j); set.StationID != "BENCH-02" {
		t.Errorf("after replace: %q", set.StationID)
	}
}
