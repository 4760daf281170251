package label

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// Options change how a label is written. The zero value uses DefaultFonts,
// native printer text for ASCII and raster for everything else.
type Options struct {
	Fonts *Fonts
	// RasterText draws all text as bitmaps (exactly as the PNG preview)
	// instead of the printer's own fonts.
	RasterText bool
	// RasterAll sends the whole label as one bitmap: for printers whose
	// native barcode support is missing or doubtful.
	RasterAll bool
	// GapMM is the gap between labels for TSPL's GAP command (default 2 mm).
	GapMM float64
}

func (o Options) fonts() *Fonts {
	if o.Fonts != nil {
		return o.Fonts
	}
	return DefaultFonts()
}

// Bitmap renders the label to a 1-bit bitmap. It returns an error for an
// unsupported DPI, a bad barcode, or text with characters no font has.
func (l *Label) Bitmap(o Options) (*Bitmap, error) {
	if err := CheckDPI(l.DPI); err != nil {
		return nil, err
	}
	if l.Width <= 0 || l.Height <= 0 || l.Width > 20000 || l.Height > 40000 {
		return nil, fmt.Errorf("label: size %dx%d dots is not a label; check the size and DPI", l.Width, l.Height)
	}
	bm := NewBitmap(l.Width, l.Height)
	f := o.fonts()
	for i, e := range l.Elements {
		if err := drawElement(bm, e, f); err != nil {
			return nil, fmt.Errorf("%w (element %d)", err, i+1)
		}
	}
	return bm, nil
}

// Image renders the label as a black-and-white image (see Bitmap for errors).
func (l *Label) Image(o Options) (*image.Gray, error) {
	bm, err := l.Bitmap(o)
	if err != nil {
		return nil, err
	}
	return bm.Image(), nil
}

// PNG writes the label as a PNG preview (see Bitmap for errors; write
// errors are returned too).
func (l *Label) PNG(w io.Writer, o Options) error {
	bm, err := l.Bitmap(o)
	if err != nil {
		return err
	}
	img := bm.paletted() // 1-bit PNG: 8× less to filter and compress than gray
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(w, img); err != nil {
		return fmt.Errorf("label: write PNG: %w", err)
	}
	return nil
}

var bw = color.Palette{color.Gray{Y: 0xff}, color.Gray{Y: 0}}

func (b *Bitmap) paletted() *image.Paletted {
	p := image.NewPaletted(image.Rect(0, 0, b.W, b.H), bw)
	for y := 0; y < b.H; y++ {
		row := b.Bits[y*b.Stride : (y+1)*b.Stride]
		dst := p.Pix[y*p.Stride:]
		for i, v := range row {
			if v == 0 {
				continue
			}
			for k := 0; k < 8 && i*8+k < b.W; k++ {
				if v&(0x80>>k) != 0 {
					dst[i*8+k] = 1
				}
			}
		}
	}
	return p
}

func drawElement(bm *Bitmap, e Element, f *Fonts) error {
	switch e := e.(type) {
	case Text:
		return drawText(bm, e, f)
	case Barcode:
		return e.draw(bm)
	case Line:
		t := max(e.Thickness, 1)
		if e.Vertical {
			fillRect(bm, e.X, e.Y, t, e.Length)
		} else {
			fillRect(bm, e.X, e.Y, e.Length, t)
		}
	case Box:
		t := max(e.Thickness, 1)
		fillRect(bm, e.X, e.Y, e.W, t)
		fillRect(bm, e.X, e.Y+e.H-t, e.W, t)
		fillRect(bm, e.X, e.Y, t, e.H)
		fillRect(bm, e.X+e.W-t, e.Y, t, e.H)
	case Image:
		if e.Img == nil {
			return fmt.Errorf("label: image element has no image")
		}
		blit(bm, Threshold(e.Img), e.X, e.Y)
	default:
		return fmt.Errorf("label: unknown element %T", e)
	}
	return nil
}

// textBitmap renders t alone into a bitmap of its own size (for raster
// text inside ZPL/TSPL and for drawing).
func textBitmap(t Text, f *Fonts) (*Bitmap, string, error) {
	s := t.Value
	var err error
	if t.MaxWidth > 0 {
		if s, err = f.Fit(s, t.Height, t.Bold, t.MaxWidth); err != nil {
			return nil, "", err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	w, err := f.measure(s, t.Height, t.Bold)
	if err != nil {
		return nil, "", err
	}
	rs, _ := f.runs(s, t.Bold)
	latin := f.regular
	if t.Bold {
		latin = f.bold
	}
	m := f.face(latin, t.Height).Metrics()
	h := (m.Ascent + m.Descent).Ceil()
	if w <= 0 || h <= 0 {
		return NewBitmap(1, 1), s, nil
	}
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Dot: fixed.Point26_6{Y: m.Ascent}}
	for _, r := range rs {
		d.Face = f.face(r.f, t.Height)
		d.DrawString(r.text)
	}
	bm := NewBitmap(w, h)
	for y := 0; y < h; y++ {
		row := mask.Pix[y*mask.Stride:]
		for x := 0; x < w; x++ {
			if row[x] >= 0x80 {
				bm.Bits[y*bm.Stride+x>>3] |= 0x80 >> (x & 7)
			}
		}
	}
	return bm, s, nil
}

func drawText(bm *Bitmap, t Text, f *Fonts) error {
	if t.Value == "" {
		return nil
	}
	tb, _, err := textBitmap(t, f)
	if err != nil {
		return err
	}
	blit(bm, tb, t.X, t.Y)
	return nil
}

// blit ORs src into dst at x, y. Bits of src beyond src.W are zero (every
// Bitmap maker keeps them so), which lets whole bytes be ORed when src lies
// inside dst.
func blit(dst, src *Bitmap, x, y int) {
	if x >= 0 && y >= 0 && x+src.W <= dst.W && y+src.H <= dst.H {
		sh := uint(x & 7)
		for sy := 0; sy < src.H; sy++ {
			srow := src.Bits[sy*src.Stride : (sy+1)*src.Stride]
			drow := dst.Bits[(y+sy)*dst.Stride : (y+sy+1)*dst.Stride]
			o := x >> 3
			for i, v := range srow {
				if v == 0 {
					continue
				}
				drow[o+i] |= v >> sh
				if sh != 0 && o+i+1 < len(drow) {
					drow[o+i+1] |= v << (8 - sh)
				}
			}
		}
		return
	}
	for sy := 0; sy < src.H; sy++ {
		for sx := 0; sx < src.W; sx++ {
			if src.Bits[sy*src.Stride+sx>>3]&(0x80>>(sx&7)) != 0 {
				dst.Set(x+sx, y+sy, true)
			}
		}
	}
}
