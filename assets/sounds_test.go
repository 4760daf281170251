package assets_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/packdesk/packdesk/assets"
)

// Every verdict sound must be real audio in the documented format, and no
// two may be the same: the packer tells verdicts apart by ear.
func TestSoundsDistinctAndWellFormed(t *testing.T) {
	seen := map[string]string{}
	for _, name := range assets.SoundNames() {
		pcm := assets.Sound(name)
		if len(pcm) == 0 {
			t.Fatalf("sound %q is empty", name)
		}
		if frame := 2 * assets.Channels; len(pcm)%frame != 0 {
			t.Errorf("sound %q: %d bytes is not a whole number of %d-byte frames", name, len(pcm), frame)
		}
		ms := len(pcm) * 1000 / (2 * assets.Channels * assets.SampleRate)
		if ms < 50 || ms > 1500 {
			t.Errorf("sound %q lasts %d ms; want 50–1500 ms", name, ms)
		}
		var peak int16
		for i := 0; i+1 < len(pcm); i += 2 {
			if v := int16(binary.LittleEndian.Uint16(pcm[i:])); v > peak {
				peak = v
			}
		}
		if peak < 1000 {
			t.Errorf("sound %q is nearly silent (peak %d)", name, peak)
		}
		for other, data := range seen {
			if bytes.Equal([]byte(data), pcm) {
				t.Errorf("sounds %q and %q are identical", name, other)
			}
		}
		seen[name] = string(pcm)
	}
	if len(seen) < 6 {
		t.Errorf("only %d sounds; the issue asks for distinct accepted, complete, wrong item, over-scan, unknown and intercept sounds", len(seen))
	}
	if assets.Sound("no-such-sound") != nil {
		t.Error("an unknown sound name returned audio")
	}
}
