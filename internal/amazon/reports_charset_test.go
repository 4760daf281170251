package amazon_test

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"

	"github.com/packdesk/packdesk/internal/amazon"
)

func TestToUTF8(t *testing.T) {
	sjis, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte("返品理由\t破損"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ct   string
		in   []byte
		want string
	}{
		{"text/plain;charset=Shift_JIS", sjis, "返品理由\t破損"},
		{"text/tab-separated-values; charset=windows-31j", sjis, "返品理由\t破損"},
		{"text/plain;charset=Cp1252", []byte("Caf\xe9 cr\xe8me"), "Café crème"},
		{"text/plain;charset=UTF-8", []byte("返品"), "返品"},
		{"text/plain", []byte("plain"), "plain"},
		{"", []byte("none"), "none"},
	} {
		got, err := amazon.ToUTF8(c.ct, c.in)
		if err != nil || !bytes.Equal(got, []byte(c.want)) {
			t.Errorf("%q: %q, %v; want %q", c.ct, got, err, c.want)
		}
	}
	if _, err := amazon.ToUTF8("text/plain;charset=x-klingon", []byte("x")); err == nil {
		t.Error("an unknown charset is read")
	}
}

// FuzzToUTF8: any bytes said to be in a charset Amazon uses come out as
// valid UTF-8 (or an error), never as bytes the returns reader refuses.
func FuzzToUTF8(f *testing.F) {
	f.Add([]byte{0x95, 0xd4, 0x95, 0x69})
	f.Add([]byte("caf\xe9"))
	f.Add([]byte{0x82})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, ct := range []string{"text/plain;charset=Shift_JIS", "text/plain;charset=Cp1252", "text/plain; charset=ISO-8859-1", "text/plain;charset=EUC-JP"} {
			out, err := amazon.ToUTF8(ct, b)
			if err == nil && !utf8.Valid(out) {
				t.Fatalf("%s: %q gave %q, not UTF-8", ct, b, out)
			}
		}
	})
}
