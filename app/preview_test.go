package app_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/internal/demo"
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

// Issue 13: the FNSKU label (50×25 mm) is shown whole in the label pane:
// the preview box takes the label's shape instead of a 4×6 in box whose
// middle it filled, mostly below the fold. A 4×6 in shipping label keeps
// the full box height.
func TestPreviewBoxTakesTheLabelsShape(t *testing.T) {
	st := realStation(t)
	a := test.NewApp()
	defer a.Quit()
	u, err := app.NewSync(a, app.Options{Station: st, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	c := u.Window().Canvas()
	scan(c, "PDBADGE:P100")
	scan(c, demo.OrderFBAPrep)
	scan(c, "6920000000012") // the notebook's FNSKU labels print
	v := st.View()
	if v.Label == nil || v.Label.Kind != "fnsku" {
		t.Fatalf("label shown %+v, want the FNSKU label", v.Label)
	}
	src, err := png.Decode(bytes.NewReader(v.Label.PNG))
	if err != nil {
		t.Fatal(err)
	}
	img := u.LabelImage()
	if img.Image == nil {
		t.Fatal("no preview image")
	}
	box, shown := img.MinSize(), img.Image.Bounds().Size()
	aspect := func(w, h float32) float32 { return w / h }
	want := aspect(float32(src.Bounds().Dx()), float32(src.Bounds().Dy()))
	for what, got := range map[string]float32{"box": aspect(box.Width, box.Height), "image": aspect(float32(shown.X), float32(shown.Y))} {
		if got < want*0.97 || got > want*1.03 {
			t.Errorf("%s shape %.2f (box %v, image %v), want the label's %.2f", what, got, box, shown, want)
		}
	}
	if box.Height > 200 || box.Width < 250 {
		t.Errorf("FNSKU preview box %v: want it as wide as the pane allows and no taller than the label needs", box)
	}
	if !u.LabelShown() {
		t.Error("label pane hidden")
	}
}

func TestPreviewBox(t *testing.T) {
	for _, tc := range []struct {
		w, h         int
		wantW, wantH float32
	}{
		{812, 1218, 253.3, 380}, // 4×6 in shipping label at 203 dpi: the full height
		{400, 200, 300, 150},    // 50×25 mm FNSKU label
		{1000, 100, 300, 30},
		{0, 0, 300, 380}, // no image: the default box
	} {
		got := app.PreviewBox(tc.w, tc.h)
		if d := got.Width - tc.wantW; d < -0.5 || d > 0.5 || got.Height != tc.wantH {
			t.Errorf("PreviewBox(%d, %d) = %v, want %gx%g", tc.w, tc.h, got, tc.wantW, tc.wantH)
		}
	}
}
