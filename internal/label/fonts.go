package label

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// CJKFontPaths are the places searched, in order, for a font with Chinese
// glyphs when no path is configured (Settings / PACKDESK_CJK_FONT).
// Debian/Ubuntu: apt-get install fonts-noto-cjk (or fonts-wqy-zenhei).
var CJKFontPaths = []string{
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/System/Library/Fonts/PingFang.ttc",
	"/System/Library/Fonts/STHeiti Light.ttc",
	`C:\Windows\Fonts\msyh.ttc`,
	`C:\Windows\Fonts\simsun.ttc`,
}

// ErrNoCJKFont is returned (wrapped) when text needs a CJK font and none is
// configured or found.
var ErrNoCJKFont = errors.New("label: no font with Chinese glyphs found; install fonts-noto-cjk or set the CJK font path in settings (PACKDESK_CJK_FONT)")

// Fonts holds the fonts text is drawn with: the embedded Go fonts for Latin
// text and a CJK font loaded on first use. It is safe for concurrent use.
type Fonts struct {
	regular, bold *sfnt.Font
	cjkPath       string

	mu      sync.Mutex
	cjkDone bool
	cjk     *sfnt.Font
	cjkErr  error
	faces   map[faceKey]font.Face
	glyphs  map[glyphKey]bool
	buf     sfnt.Buffer
}

type glyphKey struct {
	f *sfnt.Font
	r rune
}

type faceKey struct {
	f    *sfnt.Font
	size int
}

// NewFonts returns fonts using cjkPath for Chinese text; an empty path means
// $PACKDESK_CJK_FONT, then the first of CJKFontPaths that exists. The CJK
// font is only opened when text needs it.
func NewFonts(cjkPath string) *Fonts {
	r, err := opentype.Parse(goregular.TTF)
	if err != nil {
		panic("label: embedded Go Regular font: " + err.Error())
	}
	b, err := opentype.Parse(gobold.TTF)
	if err != nil {
		panic("label: embedded Go Bold font: " + err.Error())
	}
	return &Fonts{regular: r, bold: b, cjkPath: cjkPath, faces: map[faceKey]font.Face{}, glyphs: map[glyphKey]bool{}}
}

var (
	defaultMu    sync.Mutex
	defaultFonts *Fonts
)

// DefaultFonts returns the process-wide Fonts: those given to
// SetDefaultFonts, else NewFonts("") (CJK font looked up automatically).
func DefaultFonts() *Fonts {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	if defaultFonts == nil {
		defaultFonts = NewFonts("")
	}
	return defaultFonts
}

// SetDefaultFonts replaces the process-wide Fonts, e.g. with
// NewFonts(settings.CJKFontPath) at start-up.
func SetDefaultFonts(f *Fonts) {
	defaultMu.Lock()
	defaultFonts = f
	defaultMu.Unlock()
}

// CJKFont returns the path of the CJK font in use, loading it if needed; it
// returns ErrNoCJKFont (wrapped) when none is found, or a parse error.
func (f *Fonts) CJKFont() (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.loadCJK(); err != nil {
		return "", err
	}
	return f.cjkPath, nil
}

func (f *Fonts) loadCJK() error {
	if f.cjkDone {
		return f.cjkErr
	}
	f.cjkDone = true
	paths := []string{f.cjkPath}
	if f.cjkPath == "" {
		paths = append([]string{os.Getenv("PACKDESK_CJK_FONT")}, CJKFontPaths...)
	}
	for _, p := range paths {
		if p == "" {
			continue
		}
		fnt, err := openCJK(p)
		if errors.Is(err, errUnreadable) && f.cjkPath == "" {
			continue
		}
		if err != nil {
			f.cjkErr = err
			return f.cjkErr
		}
		f.cjk, f.cjkPath = fnt, p
		return nil
	}
	f.cjkErr = ErrNoCJKFont
	return f.cjkErr
}

// cjkCache holds each CJK font file parsed so far, by path: every Fonts
// on the same path (DefaultFonts, then SetDefaultFonts(NewFonts(path)),
// packdeskctl, tests) shares one parsed font and one copy of the file.
// Fonts are never unloaded: a station uses one or two.
var cjkCache = struct {
	sync.Mutex
	m map[string]*sfnt.Font
}{m: map[string]*sfnt.Font{}}

var errUnreadable = errors.New("unreadable")

// openCJK returns the parsed CJK font at path, reading it once per
// process. The file's bytes are mapped into memory where the system
// allows (mapFile), so the ~20 MB of a Noto CJK collection stay out of the
// Go heap and only the pages glyphs are read from become resident; the
// parser keeps the only reference to them. Errors: the file cannot be
// read (wrapping errUnreadable); it is not a font.
func openCJK(path string) (*sfnt.Font, error) {
	cjkCache.Lock()
	defer cjkCache.Unlock()
	if fnt, ok := cjkCache.m[path]; ok {
		return fnt, nil
	}
	data, release, err := mapFile(path)
	if err != nil {
		return nil, fmt.Errorf("label: read CJK font %s: %w (%w); fix the font path in settings", path, err, errUnreadable)
	}
	fnt, err := parseCJK(data)
	if err != nil {
		release()
		return nil, fmt.Errorf("label: CJK font %s: %w; use a TrueType/OpenType font or collection", path, err)
	}
	cjkCache.m[path] = fnt
	return fnt, nil
}

// parseCJK parses a font or collection, preferring the Simplified Chinese
// face of a collection (Noto CJK's first face is Japanese).
func parseCJK(data []byte) (*sfnt.Font, error) {
	c, err := opentype.ParseCollection(data)
	if err != nil {
		return nil, err
	}
	var first *sfnt.Font
	for i := 0; i < c.NumFonts(); i++ {
		fnt, err := c.Font(i)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = fnt
		}
		name, _ := fnt.Name(nil, sfnt.NameIDFamily)
		if strings.Contains(name, " SC") || strings.Contains(name, "Hei") || strings.Contains(name, "YaHei") {
			if !strings.Contains(name, "Mono") {
				return fnt, nil
			}
		}
	}
	if first == nil {
		return nil, errors.New("collection holds no fonts")
	}
	return first, nil
}

// hasGlyph reports whether fnt draws r; callers hold f.mu.
func (f *Fonts) hasGlyph(fnt *sfnt.Font, r rune) bool {
	k := glyphKey{fnt, r}
	if v, ok := f.glyphs[k]; ok {
		return v
	}
	g, err := fnt.GlyphIndex(&f.buf, r)
	v := err == nil && g != 0
	f.glyphs[k] = v
	return v
}

// run is a piece of text drawn with one font.
type run struct {
	text string
	f    *sfnt.Font
}

// runs splits s by the font each rune needs. Missing glyphs are an error
// naming them. Callers hold f.mu.
func (f *Fonts) runs(s string, bold bool) ([]run, error) {
	latin := f.regular
	if bold {
		latin = f.bold
	}
	var out []run
	var missing []rune
	for _, r := range s {
		use := latin
		if !f.hasGlyph(latin, r) && !unicode.IsSpace(r) {
			if err := f.loadCJK(); err != nil {
				return nil, fmt.Errorf("label: text %q needs a CJK font: %w", s, err)
			}
			if !f.hasGlyph(f.cjk, r) {
				if !slices.Contains(missing, r) {
					missing = append(missing, r)
				}
				continue
			}
			use = f.cjk
		}
		if n := len(out); n > 0 && out[n-1].f == use {
			out[n-1].text += string(r)
		} else {
			out = append(out, run{string(r), use})
		}
	}
	if len(missing) > 0 {
		var names []string
		for _, r := range missing {
			names = append(names, fmt.Sprintf("%q (U+%04X)", r, r))
		}
		return nil, fmt.Errorf("label: no font has a glyph for %s in %q; remove the characters or configure a font that has them", strings.Join(names, ", "), s)
	}
	return out, nil
}

func (f *Fonts) face(fnt *sfnt.Font, size int) font.Face {
	k := faceKey{fnt, size}
	if fc, ok := f.faces[k]; ok {
		return fc
	}
	fc, err := opentype.NewFace(fnt, &opentype.FaceOptions{Size: float64(size), DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("label: font face: " + err.Error()) // only fails for invalid sizes, which callers exclude
	}
	f.faces[k] = fc
	return fc
}

// Measure returns the advance width in dots of s at size dots; it returns an
// error when a character has no glyph in any font.
func (f *Fonts) Measure(s string, size int, bold bool) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.measure(s, size, bold)
}

func (f *Fonts) measure(s string, size int, bold bool) (int, error) {
	if size <= 0 {
		return 0, fmt.Errorf("label: text size %d dots must be positive", size)
	}
	adv, err := f.advances(s, size, bold)
	if err != nil {
		return 0, err
	}
	var w fixed.Int26_6
	for _, a := range adv {
		w += a
	}
	return w.Ceil(), nil
}

// advances returns the advance width of each rune of s. Callers hold f.mu.
func (f *Fonts) advances(s string, size int, bold bool) ([]fixed.Int26_6, error) {
	rs, err := f.runs(s, bold)
	if err != nil {
		return nil, err
	}
	out := make([]fixed.Int26_6, 0, len(s))
	for _, r := range rs {
		fc := f.face(r.f, size)
		for _, c := range r.text {
			a, ok := fc.GlyphAdvance(c)
			if !ok {
				a = 0
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// Fit returns s cut at the end with an ellipsis ("..." for ASCII text, "…"
// otherwise) so it is at most maxWidth dots wide; s itself when it fits.
func (f *Fonts) Fit(s string, size int, bold bool, maxWidth int) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fit(s, size, bold, maxWidth)
}

func (f *Fonts) fit(s string, size int, bold bool, maxWidth int) (string, error) {
	w, err := f.measure(s, size, bold)
	if err != nil || w <= maxWidth || maxWidth <= 0 {
		return s, err
	}
	ell := "…"
	if isASCII(s) {
		ell = "..."
	}
	rs := []rune(s)
	lo, hi := 0, len(rs) // largest n with rs[:n]+ell fitting
	for lo < hi {
		mid := (lo + hi + 1) / 2
		w, _ := f.measure(strings.TrimRight(string(rs[:mid]), " ")+ell, size, bold)
		if w <= maxWidth {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(rs[:lo]), " ") + ell, nil
}

// Wrap breaks s into at most maxLines lines of at most maxWidth dots, at
// spaces where it can (anywhere between CJK characters), and ends the last
// line with an ellipsis when text was left over.
func (f *Fonts) Wrap(s string, size int, bold bool, maxWidth, maxLines int) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.measure(s, size, bold); err != nil {
		return nil, err
	}
	var lines []string
	rest := []rune(strings.TrimSpace(s))
	for len(rest) > 0 && len(lines) < maxLines {
		if len(lines) == maxLines-1 {
			l, _ := f.fit(string(rest), size, bold, maxWidth)
			lines = append(lines, l)
			break
		}
		adv, err := f.advances(string(rest), size, bold)
		if err != nil {
			return nil, err
		}
		// longest prefix that fits
		n := 0
		var w fixed.Int26_6
		for n < len(rest) && (w+adv[n]).Ceil() <= maxWidth {
			w += adv[n]
			n++
		}
		if n == len(rest) {
			lines = append(lines, string(rest))
			break
		}
		cut := n
		for i := n; i > 0; i-- {
			if rest[i] == ' ' || rest[i-1] > 0x2E7F || rest[i] > 0x2E7F {
				cut = i
				break
			}
		}
		if cut == 0 {
			cut = max(n, 1)
		}
		lines = append(lines, strings.TrimSpace(string(rest[:cut])))
		rest = []rune(strings.TrimLeft(string(rest[cut:]), " "))
	}
	return lines, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
