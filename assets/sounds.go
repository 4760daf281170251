// Package assets holds the station's embedded resources: the icon and the
// verdict sounds. It is pure Go (no cgo) so non-GUI tools can use it.
package assets

import (
	_ "embed"
	"encoding/binary"
	"math"
	"sync"
)

// Icon is the application icon (PNG, 256×256), also named in FyneApp.toml.
//
//go:embed icon.png
var Icon []byte

// Sound names, one per kind of verdict the packer must tell apart by ear.
const (
	SoundAccepted  = "accepted"        // short high blip
	SoundComplete  = "complete"        // rising three-note chime
	SoundWrongItem = "wrong_item"      // low double buzz
	SoundOverScan  = "over_scan"       // low triple stutter
	SoundUnknown   = "unknown_barcode" // falling two-tone
	SoundIntercept = "intercept"       // long alternating siren
	SoundReject    = "reject"          // one long low buzz: other rejections
	SoundWarn      = "warn"            // two mid beeps: warnings
)

// SoundNames lists every sound.
func SoundNames() []string {
	return []string{SoundAccepted, SoundComplete, SoundWrongItem, SoundOverScan, SoundUnknown, SoundIntercept, SoundReject, SoundWarn}
}

// SampleRate, Channels and 16-bit little-endian samples: the format of Sound.
const (
	SampleRate = 44100
	Channels   = 2
)

// tone is one note: frequency in Hz (0 = silence), duration in ms, square
// wave (harsh, for errors) or sine.
type tone struct {
	hz, ms float64
	square bool
}

var scores = map[string][]tone{
	SoundAccepted:  {{1760, 70, false}},
	SoundComplete:  {{1047, 90, false}, {1319, 90, false}, {1568, 180, false}},
	SoundWrongItem: {{180, 220, true}, {0, 70, false}, {180, 220, true}},
	SoundOverScan:  {{260, 90, true}, {0, 50, false}, {260, 90, true}, {0, 50, false}, {260, 90, true}},
	SoundUnknown:   {{660, 160, true}, {330, 260, true}},
	SoundIntercept: {{880, 180, true}, {440, 180, true}, {880, 180, true}, {440, 180, true}, {880, 180, true}, {440, 180, true}},
	SoundReject:    {{150, 550, true}},
	SoundWarn:      {{700, 120, false}, {0, 80, false}, {700, 120, false}},
}

var (
	pcmOnce sync.Once
	pcm     map[string][]byte
)

// Sound returns the PCM data (SampleRate Hz, Channels channels, signed
// 16-bit little-endian) of sound name, synthesised once on first use; nil
// for an unknown name.
func Sound(name string) []byte {
	pcmOnce.Do(func() {
		pcm = make(map[string][]byte, len(scores))
		for n, s := range scores {
			pcm[n] = synth(s)
		}
	})
	return pcm[name]
}

func synth(notes []tone) []byte {
	var out []byte
	for _, n := range notes {
		frames := int(n.ms * SampleRate / 1000)
		fade := SampleRate / 200 // 5 ms attack/release: no clicks
		for i := 0; i < frames; i++ {
			v := 0.0
			if n.hz > 0 {
				ph := 2 * math.Pi * n.hz * float64(i) / SampleRate
				if n.square {
					v = 0.35 * math.Copysign(1, math.Sin(ph))
				} else {
					v = 0.6 * math.Sin(ph)
				}
				if i < fade {
					v *= float64(i) / float64(fade)
				} else if frames-i < fade {
					v *= float64(frames-i) / float64(fade)
				}
			}
			s := int16(v * math.MaxInt16)
			for c := 0; c < Channels; c++ {
				out = binary.LittleEndian.AppendUint16(out, uint16(s))
			}
		}
	}
	return out
}
