package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"

	"github.com/packdesk/packdesk/assets"
)

// Sounder plays the verdict sounds. Play must not block.
type Sounder interface {
	Play(name string)
	SetVolume(percent int) // 0–100
}

// OtoSound plays the embedded sounds through the system's audio device.
type OtoSound struct {
	ctx *oto.Context

	mu     sync.Mutex
	cur    *oto.Player
	volume float64
}

var _ Sounder = (*OtoSound)(nil)

// Why the audio device cannot be used (errors.Is on StartSound's error):
// the status bar says it in the UI's language.
var (
	// ErrNoAudioDevice: there is no sound card, or the sound system
	// refused to open it.
	ErrNoAudioDevice = errors.New("sound: no audio device")
	// ErrAudioTimeout: the audio device did not answer in time.
	ErrAudioTimeout = errors.New("sound: the audio device did not answer in time")
	// ErrAudioFailed: the audio device opened, then failed (an ALSA or
	// PulseAudio error, e.g. under Xvfb with no sound card).
	ErrAudioFailed = errors.New("sound: audio device failed")
)

var (
	otoOnce sync.Once
	otoCtx  *oto.Context
	otoErr  error
	otoDone = make(chan struct{})
)

// StartSound opens the audio device, waiting at most until ctx ends (oto's
// start-up can block for a long time where there is no sound card, e.g.
// under Xvfb). Call it off the UI thread.
// Errors: ErrNoAudioDevice, ErrAudioTimeout, ErrAudioFailed (wrapping the
// sound system's error); the station then runs silent with a status-bar
// warning.
func StartSound(ctx context.Context) (*OtoSound, error) {
	// oto allows one context per process; a start that hangs keeps running
	// in the background and a later call sees its result.
	go otoOnce.Do(func() {
		defer close(otoDone)
		c, ready, err := oto.NewContext(&oto.NewContextOptions{
			SampleRate: assets.SampleRate, ChannelCount: assets.Channels,
			Format: oto.FormatSignedInt16LE, BufferSize: 40 * time.Millisecond,
		})
		if err != nil {
			otoErr = fmt.Errorf("%w: %w", ErrNoAudioDevice, err)
			return
		}
		<-ready
		otoCtx = c
	})
	select {
	case <-otoDone:
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: check the sound card and ALSA/PulseAudio, then restart", ErrAudioTimeout)
	}
	if otoErr != nil {
		return nil, otoErr
	}
	if err := otoCtx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrAudioFailed, err)
	}
	return &OtoSound{ctx: otoCtx, volume: 0.8}, nil
}

// Play starts sound name, cutting off the one still playing (a new verdict
// matters more than the end of the old one).
func (s *OtoSound) Play(name string) {
	pcm := assets.Sound(name)
	if pcm == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		s.cur.Pause() // dropped: oto v3.4 players need no Close
	}
	p := s.ctx.NewPlayer(bytes.NewReader(pcm))
	p.SetVolume(s.volume)
	p.Play()
	s.cur = p
}

// SetVolume sets the volume in percent (clamped to 0–100).
func (s *OtoSound) SetVolume(percent int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.volume = float64(max(0, min(100, percent))) / 100
}
