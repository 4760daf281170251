package app

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
)

// previewImage decodes a label PNG and shrinks it to fit within maxW×maxH
// pixels, keeping its aspect ratio (it never enlarges). Labels arrive at
// printer resolution (a 4×6 in label at 203 dpi is 812×1218): handing that
// to canvas.Image keeps the full decoded image and makes Fyne rescale it
// with CatmullRom on every refresh, whose scratch buffer is ~20 MB
// (scripts/memory.sh measured it as the largest allocator while packing).
// A box filter, done once per label, keeps thin barcode bars visible as
// grey instead of dropping them. Errors: the bytes are not a PNG; a bad
// size.
func previewImage(data []byte, maxW, maxH int) (*image.RGBA, error) {
	if maxW <= 0 || maxH <= 0 {
		return nil, fmt.Errorf("app: label preview size %dx%d: both sides must be positive", maxW, maxH)
	}
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("app: label preview: %w: the label file is damaged, reprint it", err)
	}
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	if sw == 0 || sh == 0 {
		return nil, fmt.Errorf("app: label preview: the label image is empty (%dx%d): reprint it", sw, sh)
	}
	dw, dh := sw, sh
	if dw > maxW {
		dw, dh = maxW, max(1, sh*maxW/sw)
	}
	if dh > maxH {
		dw, dh = max(1, sw*maxH/sh), maxH
	}
	return boxShrink(src, dw, dh), nil
}

// boxShrink averages the source pixels under each destination pixel
// (premultiplied RGBA, so transparent areas stay right). dw ≤ source
// width and dh ≤ source height.
func boxShrink(src image.Image, dw, dh int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	px := pixelReader(src)
	for y := range dh {
		y0, y1 := b.Min.Y+y*sh/dh, b.Min.Y+(y+1)*sh/dh
		for x := range dw {
			x0, x1 := b.Min.X+x*sw/dw, b.Min.X+(x+1)*sw/dw
			var r, g, bl, a, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					pr, pg, pb, pa := px(sx, sy)
					r, g, bl, a, n = r+uint64(pr), g+uint64(pg), bl+uint64(pb), a+uint64(pa), n+1
				}
			}
			i := dst.PixOffset(x, y)
			dst.Pix[i+0] = uint8(r / n >> 8)
			dst.Pix[i+1] = uint8(g / n >> 8)
			dst.Pix[i+2] = uint8(bl / n >> 8)
			dst.Pix[i+3] = uint8(a / n >> 8)
		}
	}
	return dst
}

// pixelReader returns a 16-bit premultiplied pixel getter, with fast paths
// for the paletted and grey images labels are encoded as.
func pixelReader(src image.Image) func(x, y int) (r, g, b, a uint32) {
	switch s := src.(type) {
	case *image.Paletted:
		pal := make([][4]uint32, len(s.Palette))
		for i, c := range s.Palette {
			r, g, b, a := c.RGBA()
			pal[i] = [4]uint32{r, g, b, a}
		}
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			i := s.Pix[s.PixOffset(x, y)]
			if int(i) >= len(pal) {
				return 0, 0, 0, 0xffff // out of palette: PNG decoders allow it; show black
			}
			c := pal[i]
			return c[0], c[1], c[2], c[3]
		}
	case *image.Gray:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			v := uint32(s.Pix[s.PixOffset(x, y)]) * 0x101
			return v, v, v, 0xffff
		}
	}
	return func(x, y int) (uint32, uint32, uint32, uint32) { return src.At(x, y).RGBA() }
}
