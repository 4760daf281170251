package label_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"

	"github.com/packdesk/packdesk/internal/label"
)

// checker returns a w×h image with a deterministic pseudo-random pattern and
// the expected black dots.
func pattern(w, h int, seed uint64) (*image.NRGBA, [][]bool) {
	r := rand.New(rand.NewPCG(seed, 7))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	want := make([][]bool, h)
	for y := 0; y < h; y++ {
		want[y] = make([]bool, w)
		for x := 0; x < w; x++ {
			black := r.IntN(2) == 0
			want[y][x] = black
			c := color.NRGBA{0xf0, 0xf0, 0xf0, 0xff}
			if black {
				c = color.NRGBA{0x10, 0x20, 0x10, 0xff}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img, want
}

func TestRasterRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		w, h int
	}{{"byte-aligned", 16, 4}, {"odd width", 13, 7}, {"one dot", 1, 1}, {"wide", 203, 9}} {
		t.Run(tc.name, func(t *testing.T) {
			img, want := pattern(tc.w, tc.h, uint64(tc.w*100+tc.h))
			// Go through PNG, as a carrier label would arrive.
			var buf bytes.Buffer
			if err := png.Encode(&buf, img); err != nil {
				t.Fatal(err)
			}
			dec, err := png.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			zb, err := label.DecodeZPLGraphic(label.ZPLGraphic(dec))
			if err != nil {
				t.Fatalf("decode ^GF: %v", err)
			}
			x, y, tb, err := label.DecodeTSPLBitmap(label.TSPLBitmap(5, 9, dec))
			if err != nil {
				t.Fatalf("decode BITMAP: %v", err)
			}
			if x != 5 || y != 9 {
				t.Errorf("BITMAP at %d,%d, want 5,9", x, y)
			}
			for _, b := range []*label.Bitmap{zb, tb} {
				if got, want := b.H, tc.h; got != want {
					t.Fatalf("height %d, want %d", got, want)
				}
				if got, want := b.Stride, (tc.w+7)/8; got != want {
					t.Fatalf("bytes per row %d, want %d", got, want)
				}
				for yy := 0; yy < tc.h; yy++ {
					for xx := 0; xx < b.W; xx++ {
						exp := xx < tc.w && want[yy][xx]
						if b.Black(xx, yy) != exp {
							t.Fatalf("dot %d,%d black=%v, want %v", xx, yy, b.Black(xx, yy), exp)
						}
					}
				}
			}
		})
	}
}

func TestTSPLBitSense(t *testing.T) {
	// One black dot at the left of an 8-dot row: wire byte 0b0111_1111.
	img := image.NewGray(image.Rect(0, 0, 8, 1))
	img.Pix = []byte{0, 255, 255, 255, 255, 255, 255, 255}
	got := label.TSPLBitmap(0, 0, img)
	want := []byte("BITMAP 0,0,1,1,0,\x7f\r\n")
	if !bytes.Equal(got, want) {
		t.Errorf("TSPLBitmap = %q, want %q", got, want)
	}
	if got, want := string(label.ZPLGraphic(img)), "^GFA,1,1,1,80"; got != want {
		t.Errorf("ZPLGraphic = %q, want %q", got, want)
	}
	// Padding of a 3-dot row is white (1 bits) in TSPL.
	img3 := image.NewGray(image.Rect(0, 0, 3, 1)) // all black
	if got, want := label.TSPLBitmap(0, 0, img3), []byte("BITMAP 0,0,1,1,0,\x1f\r\n"); !bytes.Equal(got, want) {
		t.Errorf("TSPLBitmap(3 black) = %q, want %q", got, want)
	}
}

func TestTransparentIsWhite(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 1)) // all transparent
	if got, want := string(label.ZPLGraphic(img)), "^GFA,1,1,1,00"; got != want {
		t.Errorf("ZPLGraphic(transparent) = %q, want %q", got, want)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, in := range []string{"", "^GFB,1,1,1,00", "^GFA,1,1,1", "^GFA,2,1,1,0000", "^GFA,2,2,1,00", "^GFA,1,1,1,ZZ", "^GFA,-1,-1,1,"} {
		if _, err := label.DecodeZPLGraphic([]byte(in)); err == nil {
			t.Errorf("DecodeZPLGraphic(%q) succeeded, want error", in)
		}
	}
	for _, in := range []string{"", "BITMAP 0,0,1,1,0,", "BITMAP 0,0,1,1,5,\x00", "BITMAP a,0,1,1,0,\x00", "BITMAP 0,0,0,0,0,", "BITMAP 0,0,2,1,0,\x00"} {
		if _, _, _, err := label.DecodeTSPLBitmap([]byte(in)); err == nil {
			t.Errorf("DecodeTSPLBitmap(%q) succeeded, want error", in)
		}
	}
}

func FuzzDecodeRaster(f *testing.F) {
	f.Add([]byte("^GFA,1,1,1,80"))
	f.Add([]byte("BITMAP 0,0,1,1,0,\x7f\r\n"))
	f.Add([]byte("^GFA,4,4,2,FFFF0000^FS"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if b, err := label.DecodeZPLGraphic(in); err == nil {
			if len(b.Bits) != b.Stride*b.H {
				t.Fatalf("bitmap size %d != %d*%d", len(b.Bits), b.Stride, b.H)
			}
			again, err := label.DecodeZPLGraphic(label.ZPLGraphic(b.Image()))
			if err != nil || !bytes.Equal(again.Bits, b.Bits) {
				t.Fatalf("re-encode differs: %v", err)
			}
		}
		if _, _, b, err := label.DecodeTSPLBitmap(in); err == nil {
			if len(b.Bits) != b.Stride*b.H {
				t.Fatalf("bitmap size %d != %d*%d", len(b.Bits), b.Stride, b.H)
			}
		}
	})
}
