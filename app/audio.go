package app

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"

	"github.com/packdesk/packdesk/assets"
	"github.com/packdesk/packdesk/internal/station"
)

// soundStartTimeout bounds the audio device's start-up.
const soundStartTimeout = 3 * time.Second

// soundFor picks the sound of a verdict: the mistakes a packer makes most
// each have their own, the rest sound by severity.
func soundFor(verdict string, sev station.Severity) string {
	switch verdict {
	case "wrong_item", "return_not_on_order", "return_serial_mismatch": // a possible swap sounds like a wrong item
		return assets.SoundWrongItem
	case "over_scan", "return_more_than_shipped", "return_already_received":
		return assets.SoundOverScan
	case "unknown_barcode", "invalid_scan":
		return assets.SoundUnknown
	case "intercept_pending":
		return assets.SoundIntercept
	}
	switch sev {
	case station.SeverityOK:
		return assets.SoundAccepted
	case station.SeverityDone:
		return assets.SoundComplete
	case station.SeverityWarn:
		return assets.SoundWarn
	}
	return assets.SoundReject
}

// startSound opens the audio device off the UI thread; without one the
// station runs silent with a warning in the status bar.
func (u *UI) startSound() {
	ctx, cancel := context.WithTimeout(u.ctx, soundStartTimeout)
	defer cancel()
	s, err := u.opts.Sound(ctx)
	if err != nil {
		fyne.LogError("sound", err) // the whole English detail, for support
		u.st.SetAudio(audioProblem(err))
		return
	}
	u.st.SetAudio(nil)
	if set, err := u.st.Settings(ctx); err == nil && set.Volume > 0 {
		s.SetVolume(set.Volume)
	}
	u.soundMu.Lock()
	u.sound = s
	u.soundMu.Unlock()
}

// audioProblem is the status bar's message for a sound start-up error:
// what happened and what to do, in the UI's language; the English detail
// only for an error of no known kind.
func audioProblem(err error) *station.Message {
	switch {
	case errors.Is(err, ErrNoAudioDevice):
		return &station.Message{Key: "status.audio_no_device"}
	case errors.Is(err, ErrAudioTimeout), errors.Is(err, context.DeadlineExceeded):
		return &station.Message{Key: "status.audio_timeout"}
	case errors.Is(err, ErrAudioFailed):
		return &station.Message{Key: "status.audio_failed"}
	}
	return &station.Message{Key: station.KeyStatusAudioUnavailable, Args: map[string]any{"detail": err.Error()}}
}

func (u *UI) play(name string) {
	u.soundMu.Lock()
	s := u.sound
	u.soundMu.Unlock()
	if s != nil {
		s.Play(name)
	}
}

// playFor sounds a verdict the screen has not sounded yet, and a new
// intercept alert.
func (u *UI) playFor(v station.View) {
	if len(v.Alerts) > u.alerts {
		u.play(assets.SoundIntercept)
	}
	u.alerts = len(v.Alerts)
	if v.Last == nil {
		return
	}
	d := *v.Last
	if d.At.Equal(u.lastSeen.At) && d.Verdict == u.lastSeen.Verdict && d.Scan == u.lastSeen.Scan {
		return
	}
	first := u.lastSeen.At.IsZero() && u.lastSeen.Verdict == ""
	u.lastSeen = d
	if first && u.view.Rev == v.Rev && d.At.Before(time.Now().Add(-time.Minute)) {
		return // restored from the journal at start-up: not a new verdict
	}
	u.play(soundFor(d.Verdict, d.Severity))
}

func iconResource() fyne.Resource { return fyne.NewStaticResource("icon.png", assets.Icon) }
