package station

import "github.com/packdesk/packdesk/internal/pack"

// DecodeSavedState exposes decodeSaved to the fuzz test: the engine state
// of a saved station state and its re-encoding.
func DecodeSavedState(raw []byte) (pack.State, []byte, error) {
	s, err := decodeSaved(raw)
	if err != nil {
		return pack.State{}, nil, err
	}
	return s.State, s.encode(), nil
}
