package syncsim_test

import (
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/syncsim"
)

func TestCheckNamesWhatDoesNotAddUp(t *testing.T) {
	good := syncsim.Summary{Orders: 3, Packed: 2, Cancelled: 1, Events: 10, Held: 10,
		Rejections: map[string]int{"order_cancelled": 2}, StationRejections: 2}
	if err := good.Check(); err != nil {
		t.Fatalf("consistent summary: %v", err)
	}
	for _, tc := range []struct {
		mod  func(*syncsim.Summary)
		want string
	}{
		{func(s *syncsim.Summary) { s.Held = 9 }, "the server holds 9"},
		{func(s *syncsim.Summary) { s.Pending = 1 }, "1 still pending"},
		{func(s *syncsim.Summary) { s.PackedTwice = 1 }, "1 orders packed twice"},
		{func(s *syncsim.Summary) { s.PackedMismatch = 1 }, "not on the server"},
		{func(s *syncsim.Summary) { s.StationRejections = 1 }, "the stations kept 1 rejections"},
		{func(s *syncsim.Summary) { s.Unfinished = 1 }, "1 orders neither packed"},
	} {
		s := good
		tc.mod(&s)
		err := s.Check()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Check() = %v, want %q", err, tc.want)
		}
		var b strings.Builder
		s.Write(&b)
		if !strings.Contains(b.String(), "CHECK FAILED") {
			t.Errorf("Write does not say the check failed:\n%s", b.String())
		}
	}
}
