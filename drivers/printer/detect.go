package printer

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Detection is what Detect found: the language that answered and the
// status it answered with.
type Detection struct {
	Language Language
	Status   Status
	// Addr is the address with ?lang= set to the language found.
	Addr string
}

// Detect asks the printer at addr (an address in the AddrHelp syntax,
// ?lang= optional and ignored) which language it speaks: a ZPL status
// query (~HS) first, then TSPL's (ESC !?), each on its own connection
// and within the address's status timeout. The first that gets a status
// reply wins.
//
// Errors: the address's parse errors; ErrStatusUnsupported for a CUPS
// queue (it cannot carry an answer); a connect error (host not found,
// nothing listening, device missing) at once, without the second probe;
// ErrNoAnswer (wrapped) when neither language got an answer.
func Detect(ctx context.Context, addr string) (Detection, error) {
	c, err := parseAddr(addr)
	if err != nil {
		return Detection{}, err
	}
	if c.Scheme == "cups" {
		return Detection{}, fmt.Errorf("%w: %s is a CUPS queue: it cannot tell which language the printer speaks; give ?lang=zpl or ?lang=tspl", ErrStatusUnsupported, addr)
	}
	var tried []string
	for _, lang := range []Language{ZPL{}, withDPMM(TSPL{}, c.Lang)} {
		d := New(c.Transport(), lang, c.Opts)
		s, err := d.Status(ctx)
		_ = d.Close()
		if err == nil {
			return Detection{Language: lang, Status: s, Addr: withLang(addr, lang.Name())}, nil
		}
		if ctx.Err() != nil {
			return Detection{}, fmt.Errorf("printer: detecting the language of %s: %w", c.Transport(), ctx.Err())
		}
		if !errors.Is(err, ErrNoAnswer) && !errors.Is(err, ErrBadReply) {
			return Detection{}, err // cannot reach it: asking in another language will not help
		}
		tried = append(tried, fmt.Sprintf("%s: %v", lang.Name(), err))
	}
	return Detection{}, fmt.Errorf("%w: %s answered neither a ZPL (~HS) nor a TSPL (ESC !?) status query (%v): check that it is on and not paused in a menu, or give ?lang=zpl or ?lang=tspl",
		ErrNoAnswer, c.Transport(), tried)
}

// withDPMM keeps the dpmm the address gave for TSPL.
func withDPMM(t TSPL, given Language) Language {
	if g, ok := given.(TSPL); ok {
		t.DotsPerMM = g.DotsPerMM
	}
	return t
}

var langParam = regexp.MustCompile(`([?&])lang=[^&]*`)

// withLang returns addr with lang=name, replacing any lang it has.
func withLang(addr, name string) string {
	if langParam.MatchString(addr) {
		return langParam.ReplaceAllString(addr, "${1}lang="+name)
	}
	sep := "?"
	if strings.Contains(addr, "?") {
		sep = "&"
	}
	return addr + sep + "lang=" + name
}

// zplCommand and tsplCommand recognise a job's language from its text.
var (
	zplCommand  = regexp.MustCompile(`\^XA|\^XZ|\^FO|\^FD|~JA|\^GFA`)
	tsplCommand = regexp.MustCompile(`(?im)^\s*(SIZE|GAP|CLS|PRINT|DIRECTION|DENSITY|SPEED|BITMAP|TEXT|BARCODE|QRCODE|BAR|BOX|REFERENCE|CODEPAGE)\b`)
)

// SniffLanguage says which printer language a job is written in: "zpl",
// "tspl", or "" when it cannot tell (neither, or both).
func SniffLanguage(job []byte) string {
	z, t := zplCommand.Match(job), tsplCommand.Match(job)
	switch {
	case z && !t:
		return "zpl"
	case t && !z:
		return "tspl"
	}
	return ""
}
