package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/assets"
	"github.com/packdesk/packdesk/internal/station"
)

// A scan whose commit fails: the station shows it (View.Error and a red
// View.Last) and marks the error Shown; the screen is red with the reason
// and the buzzer sounds once, not twice.
func TestFailedCommitShownOnceWithTheBuzzer(t *testing.T) {
	f := newFake()
	snd := &recorder{}
	u, c := newTestUI(t, f, app.Options{Sound: func(context.Context) (app.Sounder, error) { return snd, nil }})
	msg := station.Message{Key: station.KeyErrCommit, Args: map[string]any{"detail": "disk full"}}
	f.err = &station.Error{Message: msg, Err: errors.New("disk full"), Shown: true}
	f.onErr = func(v *station.View) {
		v.Error = &msg
		v.Last = &station.DecisionView{Severity: station.SeverityReject, Message: msg, At: time.Now()}
	}
	scan(c, "4006381333931")
	title, text, bg := u.Banner()
	if title != "STOP" || bg != app.SeverityColour(string(station.SeverityReject)) || !strings.Contains(text, "NOT recorded") {
		t.Fatalf("banner %q %q %v, want red STOP saying the scan was not recorded", title, text, bg)
	}
	snd.mu.Lock()
	played := append([]string(nil), snd.played...)
	snd.mu.Unlock()
	buzz := 0
	for _, p := range played {
		if p == assets.SoundReject {
			buzz++
		}
	}
	if buzz != 1 {
		t.Fatalf("sounds %q: want the reject buzzer exactly once", played)
	}
}
