package label

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"strconv"
)

// Bitmap is a 1-bit image: Bits holds Stride bytes per row, most significant
// bit first, and a set bit means a black (printed) dot. Padding bits at the
// end of a row are 0.
type Bitmap struct {
	W, H   int
	Stride int
	Bits   []byte
}

// NewBitmap returns an all-white bitmap of w×h dots.
func NewBitmap(w, h int) *Bitmap {
	s := (w + 7) / 8
	return &Bitmap{W: w, H: h, Stride: s, Bits: make([]byte, s*h)}
}

// Black reports whether the dot at (x, y) is black; outside the bitmap is white.
func (b *Bitmap) Black(x, y int) bool {
	if x < 0 || y < 0 || x >= b.W || y >= b.H {
		return false
	}
	return b.Bits[y*b.Stride+x/8]&(0x80>>(x%8)) != 0
}

// Set makes the dot at (x, y) black (v true) or white.
func (b *Bitmap) Set(x, y int, v bool) {
	if x < 0 || y < 0 || x >= b.W || y >= b.H {
		return
	}
	i, m := y*b.Stride+x/8, byte(0x80>>(x%8))
	if v {
		b.Bits[i] |= m
	} else {
		b.Bits[i] &^= m
	}
}

// Image returns the bitmap as a black-on-white grayscale image.
func (b *Bitmap) Image() *image.Gray {
	g := image.NewGray(image.Rect(0, 0, b.W, b.H))
	for i := range g.Pix {
		g.Pix[i] = 0xff
	}
	for y := 0; y < b.H; y++ {
		row := b.Bits[y*b.Stride : (y+1)*b.Stride]
		for x := 0; x < b.W; x++ {
			if row[x>>3]&(0x80>>(x&7)) != 0 {
				g.Pix[y*g.Stride+x] = 0
			}
		}
	}
	return g
}

// Threshold converts img to a Bitmap: a pixel is black when its luminance is
// below 50% and it is at least half opaque (transparent areas stay white).
// The bitmap starts at img.Bounds().Min.
func Threshold(img image.Image) *Bitmap {
	r := img.Bounds()
	b := NewBitmap(r.Dx(), r.Dy())
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < b.H; y++ {
			src := m.Pix[(y+r.Min.Y-m.Rect.Min.Y)*m.Stride+(r.Min.X-m.Rect.Min.X):]
			dst := b.Bits[y*b.Stride:]
			for x := 0; x < b.W; x++ {
				if src[x] < 0x80 {
					dst[x>>3] |= 0x80 >> (x & 7)
				}
			}
		}
	case *image.RGBA:
		for y := 0; y < b.H; y++ {
			src := m.Pix[(y+r.Min.Y-m.Rect.Min.Y)*m.Stride+(r.Min.X-m.Rect.Min.X)*4:]
			dst := b.Bits[y*b.Stride:]
			for x := 0; x < b.W; x++ {
				p := src[x*4 : x*4+4]
				// premultiplied: a transparent pixel is 0,0,0,0 and must stay white.
				if p[3] >= 0x80 && lum8(p[0], p[1], p[2], p[3]) < 0x80 {
					dst[x>>3] |= 0x80 >> (x & 7)
				}
			}
		}
	case *image.NRGBA:
		for y := 0; y < b.H; y++ {
			src := m.Pix[(y+r.Min.Y-m.Rect.Min.Y)*m.Stride+(r.Min.X-m.Rect.Min.X)*4:]
			dst := b.Bits[y*b.Stride:]
			for x := 0; x < b.W; x++ {
				p := src[x*4 : x*4+4]
				if p[3] >= 0x80 && lum8(p[0], p[1], p[2], 0xff) < 0x80 {
					dst[x>>3] |= 0x80 >> (x & 7)
				}
			}
		}
	case *image.Paletted:
		black := make([]bool, 256)
		for i, c := range m.Palette {
			black[i] = isBlack(c)
		}
		for y := 0; y < b.H; y++ {
			src := m.Pix[(y+r.Min.Y-m.Rect.Min.Y)*m.Stride+(r.Min.X-m.Rect.Min.X):]
			dst := b.Bits[y*b.Stride:]
			for x := 0; x < b.W; x++ {
				if black[src[x]] {
					dst[x>>3] |= 0x80 >> (x & 7)
				}
			}
		}
	default:
		for y := 0; y < b.H; y++ {
			for x := 0; x < b.W; x++ {
				if isBlack(img.At(x+r.Min.X, y+r.Min.Y)) {
					b.Bits[y*b.Stride+x>>3] |= 0x80 >> (x & 7)
				}
			}
		}
	}
	return b
}

// lum8 is the luminance of a premultiplied pixel, un-premultiplied against alpha a.
func lum8(r, g, b, a uint8) int {
	l := (299*int(r) + 587*int(g) + 114*int(b)) / 1000
	if a != 0xff && a != 0 {
		l = l * 0xff / int(a)
	}
	return l
}

func isBlack(c color.Color) bool {
	r, g, b, a := c.RGBA()
	if a < 0x8000 {
		return false
	}
	l := (299*r + 587*g + 114*b) / 1000 // premultiplied, 16-bit
	l = l * 0xffff / a
	return l < 0x8000
}

var hexDigits = []byte("0123456789ABCDEF")

// ZPLGraphic thresholds img to 1 bit (black = 1) and returns a complete ZPL
// ^GF field body, "^GFA,total,total,bytesPerRow,HEX", uncompressed ASCII hex.
// Put it between ^FOx,y and ^FS. It never fails; an empty image gives a
// 1×1 white graphic so the field stays valid.
func ZPLGraphic(img image.Image) []byte {
	b := Threshold(img)
	if b.W == 0 || b.H == 0 {
		b = NewBitmap(1, 1)
	}
	return zplGraphicBitmap(b)
}

func zplGraphicBitmap(b *Bitmap) []byte {
	total := len(b.Bits)
	var out bytes.Buffer
	out.Grow(total*2 + 32)
	out.WriteString("^GFA,")
	out.WriteString(strconv.Itoa(total))
	out.WriteByte(',')
	out.WriteString(strconv.Itoa(total))
	out.WriteByte(',')
	out.WriteString(strconv.Itoa(b.Stride))
	out.WriteByte(',')
	buf := out.AvailableBuffer()[:0]
	for _, v := range b.Bits {
		buf = append(buf, hexDigits[v>>4], hexDigits[v&15])
	}
	out.Write(buf)
	return out.Bytes()
}

// TSPLBitmap thresholds img and returns the TSPL command
// "BITMAP x,y,widthBytes,height,0,<binary>\r\n" (mode 0 = OVERWRITE).
//
// Bit sense: TSPL inverts the usual convention. In TSC's TSPL/TSPL2 BITMAP
// data a 0 bit prints a black dot and a 1 bit leaves the paper white (TSC's
// own examples fill the background with 0xFF), and Xprinter, Gprinter and
// HPRT clones follow TSC. So black pixels are written as 0 and the padding
// bits at the end of each row as 1 (white). DecodeTSPLBitmap undoes this.
// An empty image gives a 1×1 white bitmap.
func TSPLBitmap(x, y int, img image.Image) []byte {
	b := Threshold(img)
	if b.W == 0 || b.H == 0 {
		b = NewBitmap(1, 1)
	}
	return tsplBitmap(x, y, b)
}

func tsplBitmap(x, y int, b *Bitmap) []byte {
	head := fmt.Sprintf("BITMAP %d,%d,%d,%d,0,", x, y, b.Stride, b.H)
	out := make([]byte, 0, len(head)+len(b.Bits)+2)
	out = append(out, head...)
	pad := byte(0)
	if r := b.W % 8; r != 0 {
		pad = 0xff >> r
	}
	for row := 0; row < b.H; row++ {
		line := b.Bits[row*b.Stride : (row+1)*b.Stride]
		for i, v := range line {
			v = ^v
			if i == len(line)-1 {
				v |= pad
			}
			out = append(out, v)
		}
	}
	return append(out, '\r', '\n')
}

// DecodeZPLGraphic parses a "^GFA,total,total,bytesPerRow,HEX" body as
// written by ZPLGraphic (uncompressed hex only; a trailing ^FS is allowed)
// and returns the bitmap; the width is bytesPerRow*8 because ^GF does not
// carry the exact width. It returns an error naming the bad part when the
// header is malformed, the hex is invalid, or the byte counts disagree.
func DecodeZPLGraphic(body []byte) (*Bitmap, error) {
	body = bytes.TrimSuffix(bytes.TrimSpace(body), []byte("^FS"))
	rest, ok := bytes.CutPrefix(body, []byte("^GFA,"))
	if !ok {
		return nil, fmt.Errorf("label: ^GF field must start with ^GFA, (ASCII hex); got %.12q", body)
	}
	parts := bytes.SplitN(rest, []byte(","), 4)
	if len(parts) != 4 {
		return nil, fmt.Errorf("label: ^GFA needs 4 parameters total,total,bytesPerRow,data; got %d", len(parts))
	}
	var n [3]int
	for i := 0; i < 3; i++ {
		v, err := strconv.Atoi(string(parts[i]))
		if err != nil || v <= 0 || v > 1<<26 {
			return nil, fmt.Errorf("label: ^GFA parameter %d is %q, want a positive number", i+1, parts[i])
		}
		n[i] = v
	}
	if n[0] != n[1] || n[0]%n[2] != 0 {
		return nil, fmt.Errorf("label: ^GFA byte counts disagree: total %d, graphic %d, bytes per row %d", n[0], n[1], n[2])
	}
	data := bytes.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, parts[3])
	if len(data) != 2*n[0] {
		return nil, fmt.Errorf("label: ^GFA declares %d bytes but carries %d hex digits (compressed ^GF data is not supported here)", n[0], len(data))
	}
	bits := make([]byte, n[0])
	if _, err := hex.Decode(bits, data); err != nil {
		return nil, fmt.Errorf("label: ^GFA data is not hex: %v", err)
	}
	return &Bitmap{W: n[2] * 8, H: n[0] / n[2], Stride: n[2], Bits: bits}, nil
}

// DecodeTSPLBitmap parses one "BITMAP x,y,widthBytes,height,mode,<binary>"
// command (trailing CR LF optional) and returns its position and bitmap with
// black = 1 (the inverse of the wire format, see TSPLBitmap). The width is
// widthBytes*8. It returns an error when the header is malformed, the mode is
// not 0..2, or the data length does not match.
func DecodeTSPLBitmap(cmd []byte) (x, y int, b *Bitmap, err error) {
	rest, ok := bytes.CutPrefix(cmd, []byte("BITMAP "))
	if !ok {
		return 0, 0, nil, fmt.Errorf("label: TSPL bitmap must start with \"BITMAP \"; got %.12q", cmd)
	}
	var n [5]int
	for i := 0; i < 5; i++ {
		j := bytes.IndexByte(rest, ',')
		if j < 0 {
			return 0, 0, nil, fmt.Errorf("label: TSPL BITMAP needs x,y,widthBytes,height,mode,data; parameter %d missing", i+1)
		}
		v, err := strconv.Atoi(string(bytes.TrimSpace(rest[:j])))
		if err != nil || v < 0 || v > 1<<20 {
			return 0, 0, nil, fmt.Errorf("label: TSPL BITMAP parameter %d is %q, want a number 0..1048576", i+1, rest[:j])
		}
		n[i], rest = v, rest[j+1:]
	}
	if n[4] > 2 {
		return 0, 0, nil, fmt.Errorf("label: TSPL BITMAP mode %d unknown, want 0 (overwrite), 1 (or) or 2 (xor)", n[4])
	}
	size := n[2] * n[3]
	if n[2] == 0 || n[3] == 0 {
		return 0, 0, nil, fmt.Errorf("label: TSPL BITMAP has zero size %dx%d", n[2], n[3])
	}
	if len(rest) == size+2 && rest[size] == '\r' && rest[size+1] == '\n' {
		rest = rest[:size]
	}
	if len(rest) != size {
		return 0, 0, nil, fmt.Errorf("label: TSPL BITMAP declares %d bytes (%dx%d) but carries %d", size, n[2], n[3], len(rest))
	}
	bits := make([]byte, size)
	for i, v := range rest {
		bits[i] = ^v
	}
	return n[0], n[1], &Bitmap{W: n[2] * 8, H: n[3], Stride: n[2], Bits: bits}, nil
}
