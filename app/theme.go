package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Verdict colours: the banner's background by severity. Chosen for white
// text at high contrast, readable from a metre.
var (
	colourOK     = color.NRGBA{R: 0x1b, G: 0x7f, B: 0x2e, A: 0xff} // green: accepted
	colourDone   = color.NRGBA{R: 0x0d, G: 0x47, B: 0xa1, A: 0xff} // blue: complete, packed
	colourReject = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff} // red: rejection
	colourWarn   = color.NRGBA{R: 0xff, G: 0xa0, B: 0x00, A: 0xff} // amber: warning (dark text)
	colourIdle   = color.NRGBA{R: 0x45, G: 0x5a, B: 0x64, A: 0xff} // grey-blue: nothing yet
	textLight    = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	textDark     = color.NRGBA{R: 0x1a, G: 0x1a, B: 0x1a, A: 0xff}
)

// Text sizes of the station: a packer reads them from a metre away.
const (
	sizeBanner fyne.ThemeSizeName = "packdeskBanner"
	sizeOrder  fyne.ThemeSizeName = "packdeskOrder"
	sizeNext   fyne.ThemeSizeName = "packdeskNext"
	sizeLine   fyne.ThemeSizeName = "packdeskLine"
	textScale                     = 1.35 // body text relative to Fyne's default
	bannerPts                     = 46
	orderPts                      = 30
	nextPts                       = 26
	linePts                       = 24 // order lines: SKU and title
)

// stationTheme wraps a theme and only enlarges text; verdict colours are
// used directly by the banner.
type stationTheme struct{ fyne.Theme }

func newTheme(base fyne.Theme) fyne.Theme { return stationTheme{Theme: base} }

func (t stationTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case sizeBanner:
		return bannerPts
	case sizeOrder:
		return orderPts
	case sizeNext:
		return nextPts
	case sizeLine:
		return linePts
	case theme.SizeNameText, theme.SizeNameSubHeadingText, theme.SizeNameHeadingText, theme.SizeNameCaptionText:
		return t.Theme.Size(n) * textScale
	}
	return t.Theme.Size(n)
}

// Text colours for text on a verdict banner.
const (
	colorOnBannerLight fyne.ThemeColorName = "packdeskOnBannerLight"
	colorOnBannerDark  fyne.ThemeColorName = "packdeskOnBannerDark"
)

func (t stationTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case colorOnBannerLight:
		return textLight
	case colorOnBannerDark:
		return textDark
	}
	return t.Theme.Color(n, v)
}

// severityColours returns the banner background and its text colour.
func severityColours(sev string) (bg color.NRGBA, fg fyne.ThemeColorName) {
	switch sev {
	case "ok":
		return colourOK, colorOnBannerLight
	case "done":
		return colourDone, colorOnBannerLight
	case "reject":
		return colourReject, colorOnBannerLight
	case "warn":
		return colourWarn, colorOnBannerDark
	}
	return colourIdle, colorOnBannerLight
}
