package app_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/app"
)

// encode returns img as PNG bytes.
func encode(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// stripes is a w×h label-like image: black columns of width bar every
// 2*bar pixels on white, paletted as label PNGs are.
func stripes(w, h, bar int) *image.Paletted {
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.Black})
	for y := range h {
		for x := range w {
			if (x/bar)%2 == 1 {
				img.SetColorIndex(x, y, 1)
			}
		}
	}
	return img
}

func TestPreviewImage(t *testing.T) {
	label := encode(t, stripes(812, 1218, 2))
	gray := image.NewGray(image.Rect(0, 0, 40, 20))
	for i := range gray.Pix {
		gray.Pix[i] = 0x80
	}
	tests := []struct {
		name       string
		data       []byte
		maxW, maxH int
		wantW      int
		wantH      int
		wantErr    string
	}{
		{"4x6 label into the preview box", label, 300, 380, 253, 380, ""},
		{"width-bound", label, 100, 1000, 100, 150, ""},
		{"never enlarged", encode(t, gray), 300, 380, 40, 20, ""},
		{"not a PNG", []byte("^XA^FDhello^FS^XZ"), 300, 380, 0, 0, "label file is damaged"},
		{"bad size", label, 0, 380, 0, 0, "must be positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := app.PreviewImage(tc.data, tc.maxW, tc.maxH)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "app: ") {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got.X != tc.wantW || got.Y != tc.wantH {
				t.Errorf("size = %v, want %dx%d", got, tc.wantW, tc.wantH)
			}
		})
	}
}

// TestPreviewImageAverages checks the box filter: half-black fine stripes
// become mid grey (not all white or all black, as point sampling gives),
// and a uniform grey stays the same grey.
func TestPreviewImageAverages(t *testing.T) {
	tests := []struct {
		name   string
		img    image.Image
		lo, hi uint8
	}{
		{"1-pixel bars", stripes(400, 40, 1), 0x70, 0x90},
		{"uniform grey", &image.Gray{Pix: bytes.Repeat([]byte{0x40}, 400*40), Stride: 400, Rect: image.Rect(0, 0, 400, 40)}, 0x3f, 0x41},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := app.PreviewImage(encode(t, tc.img), 100, 100)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < len(img.Pix); i += 4 {
				if r, a := img.Pix[i], img.Pix[i+3]; r < tc.lo || r > tc.hi || a != 0xff {
					t.Fatalf("pixel %d = %d alpha %d, want %#x..%#x opaque", i/4, r, a, tc.lo, tc.hi)
				}
			}
		})
	}
}
