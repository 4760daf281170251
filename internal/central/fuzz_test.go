package central_test

import (
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

// FuzzParseCursor: a cursor comes from clients. Any string is either
// refused with CodeInvalid or read as a cursor that prints back the same
// way it reads.
func FuzzParseCursor(f *testing.F) {
	for _, s := range []string{"", "0.0", "12.7", "9223372036854775807.1", "1.", ".1", "-1.2", "1.2.3", "x", "１.２", "01.02"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := central.ParseCursor(s)
		if err != nil {
			if central.ErrorCode(err) != wire.CodeInvalid {
				t.Fatalf("ParseCursor(%q): code %q", s, central.ErrorCode(err))
			}
			return
		}
		if c.Shared < 0 || c.Station < 0 {
			t.Fatalf("ParseCursor(%q) = %+v: negative", s, c)
		}
		again, err := central.ParseCursor(c.String())
		if err != nil || again != c {
			t.Fatalf("ParseCursor(%q) = %+v; its String %q reads as %+v, %v", s, c, c.String(), again, err)
		}
	})
}
