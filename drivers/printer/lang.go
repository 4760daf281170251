package printer

import (
	"bytes"
	"fmt"
	"image"
	"strings"

	"github.com/packdesk/packdesk/internal/label"
)

// Language is a printer command language: how to ask for status, how to
// read the answer, and how to wrap a raster image as a complete job.
type Language interface {
	// Name is "zpl" or "tspl".
	Name() string
	// StatusQuery is the bytes that make the printer send its status.
	StatusQuery() []byte
	// ReplyComplete reports whether b holds a whole status reply (more
	// bytes are read until it does or the status timeout passes).
	ReplyComplete(b []byte) bool
	// ParseStatus parses a whole reply. Errors: ErrBadReply (wrapped with
	// what was wrong). The returned Status has Answered set.
	ParseStatus(b []byte) (Status, error)
	// RasterJob wraps img (1 dot per pixel) as a complete one-label job.
	RasterJob(img image.Image) []byte
}

// LanguageByName returns ZPL{} for "zpl" and TSPL{} for "tspl" (also
// "tspl2"). Errors: an error naming the accepted values.
func LanguageByName(name string) (Language, error) {
	switch strings.ToLower(name) {
	case "zpl", "zpl2":
		return ZPL{}, nil
	case "tspl", "tspl2":
		return TSPL{}, nil
	}
	return nil, fmt.Errorf("printer: unknown language %q: use lang=zpl (Zebra and clones) or lang=tspl (TSC, Xprinter, Gprinter, HPRT)", name)
}

// ZPL is Zebra's ZPL II. Status is the ~HS host status reply.
type ZPL struct{}

var _ Language = ZPL{}

// Name returns "zpl".
func (ZPL) Name() string { return "zpl" }

// StatusQuery returns "~HS".
func (ZPL) StatusQuery() []byte { return []byte("~HS") }

// ReplyComplete reports whether three ETX-terminated strings arrived.
func (ZPL) ReplyComplete(b []byte) bool { return bytes.Count(b, []byte{0x03}) >= 3 }

// ParseStatus parses the three ~HS strings:
//
//	STX aaa,b,c,dddd,eee,f,g,h,iii,j,k,l ETX CR LF   b paper out, c paused, f buffer full, k/l temperature
//	STX mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www ETX CR LF   o head up (open), p ribbon out
//	STX xxxx,y ETX CR LF
//
// Errors: ErrBadReply when a string or a flag field is missing or not 0/1.
func (ZPL) ParseStatus(b []byte) (Status, error) {
	var lines [][]byte
	for _, part := range bytes.Split(b, []byte{0x03}) {
		part = bytes.Trim(part, "\x02\r\n ")
		if i := bytes.LastIndexByte(part, 0x02); i >= 0 {
			part = part[i+1:] // noise before the STX
		}
		if len(part) > 0 {
			lines = append(lines, part)
		}
	}
	if len(lines) < 2 {
		return Status{}, fmt.Errorf("%w: ~HS reply has %d status strings, want 3", ErrBadReply, len(lines))
	}
	f1 := strings.Split(string(lines[0]), ",")
	f2 := strings.Split(string(lines[1]), ",")
	if len(f1) < 12 {
		return Status{}, fmt.Errorf("%w: ~HS string 1 has %d fields, want 12", ErrBadReply, len(f1))
	}
	if len(f2) < 11 {
		return Status{}, fmt.Errorf("%w: ~HS string 2 has %d fields, want 11", ErrBadReply, len(f2))
	}
	flag := func(f []string, line, i int, name string) (bool, error) {
		switch strings.TrimSpace(f[i]) {
		case "0":
			return false, nil
		case "1":
			return true, nil
		}
		return false, fmt.Errorf("%w: ~HS string %d field %d (%s) is %q, want 0 or 1", ErrBadReply, line, i+1, name, f[i])
	}
	s := Status{Language: "zpl", Answered: true}
	var under, over, corrupt bool
	var err error
	for _, x := range []struct {
		f    []string
		line int
		i    int
		name string
		dst  *bool
	}{
		{f1, 1, 1, "paper out", &s.PaperOut},
		{f1, 1, 2, "pause", &s.Paused},
		{f1, 1, 5, "buffer full", &s.BufferFull},
		{f1, 1, 9, "corrupt RAM", &corrupt},
		{f1, 1, 10, "under temperature", &under},
		{f1, 1, 11, "over temperature", &over},
		{f2, 2, 2, "head up", &s.HeadOpen},
		{f2, 2, 3, "ribbon out", &s.RibbonOut},
	} {
		if *x.dst, err = flag(x.f, x.line, x.i, x.name); err != nil {
			return Status{}, err
		}
	}
	s.TempOutOfRange = under || over
	if corrupt {
		s.Other = "corrupt RAM (configuration lost)"
	}
	return s, nil
}

// RasterJob returns ^XA, a ^PW/^LL sized to the image, the image as a ^GFA
// field at 0,0, and ^XZ.
func (ZPL) RasterJob(img image.Image) []byte {
	r := img.Bounds()
	var b bytes.Buffer
	fmt.Fprintf(&b, "^XA^PW%d^LL%d^FO0,0", max(r.Dx(), 1), max(r.Dy(), 1))
	b.Write(label.ZPLGraphic(img))
	b.WriteString("^FS^XZ\n")
	return b.Bytes()
}

// TSPL is TSC's TSPL/TSPL2, also spoken by Xprinter, Gprinter and HPRT.
// Status is the one-byte reply to ESC !?.
type TSPL struct {
	// DotsPerMM converts raster size to the SIZE command; 0 means 8
	// (203 dpi). Use 12 for 300 dpi printers.
	DotsPerMM int
	// GapMM is the gap between labels for raster jobs; 0 means 2 mm.
	GapMM int
}

var _ Language = TSPL{}

// Name returns "tspl".
func (TSPL) Name() string { return "tspl" }

// StatusQuery returns ESC ! ?.
func (TSPL) StatusQuery() []byte { return []byte{0x1b, '!', '?'} }

// ReplyComplete reports whether the one status byte arrived.
func (TSPL) ReplyComplete(b []byte) bool { return len(b) >= 1 }

// ParseStatus parses the ESC !? status byte: bit 0 head open, 1 paper jam,
// 2 paper out, 3 ribbon out, 4 pause, 5 printing, 6 cover open, 7
// environment temperature out of range. Errors: ErrBadReply when the reply
// is not exactly one byte.
func (TSPL) ParseStatus(b []byte) (Status, error) {
	if len(b) != 1 {
		return Status{}, fmt.Errorf("%w: ESC !? reply is %d bytes (% x), want 1", ErrBadReply, len(b), trunc(b, 16))
	}
	v := b[0]
	return Status{
		Language:       "tspl",
		Answered:       true,
		HeadOpen:       v&0x01 != 0,
		PaperJam:       v&0x02 != 0,
		PaperOut:       v&0x04 != 0,
		RibbonOut:      v&0x08 != 0,
		Paused:         v&0x10 != 0,
		Printing:       v&0x20 != 0,
		CoverOpen:      v&0x40 != 0,
		TempOutOfRange: v&0x80 != 0,
	}, nil
}

// RasterJob returns SIZE/GAP/CLS, the image as a BITMAP at 0,0 and PRINT 1.
func (t TSPL) RasterJob(img image.Image) []byte {
	dpmm, gap := t.DotsPerMM, t.GapMM
	if dpmm <= 0 {
		dpmm = 8
	}
	if gap <= 0 {
		gap = 2
	}
	r := img.Bounds()
	w, h := (r.Dx()+dpmm-1)/dpmm, (r.Dy()+dpmm-1)/dpmm
	var b bytes.Buffer
	fmt.Fprintf(&b, "SIZE %d mm,%d mm\r\nGAP %d mm,0 mm\r\nCLS\r\n", max(w, 1), max(h, 1), gap)
	b.Write(label.TSPLBitmap(0, 0, img))
	b.WriteString("PRINT 1,1\r\n")
	return b.Bytes()
}

func trunc(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
