package console

import (
	"fmt"
	"html/template"
	"strconv"
	"time"
)

// Dates and numbers: the page carries the instant (RFC 3339) and a
// plain fallback; static/console.js rewrites them with the browser's
// Intl in the viewer's language and time zone.

// timeTag is a <time> element for t ("—" for the zero time).
func timeTag(t time.Time) template.HTML {
	if t.IsZero() {
		return "—"
	}
	return template.HTML(fmt.Sprintf(`<time datetime="%s">%s</time>`, t.UTC().Format(time.RFC3339), t.UTC().Format("2006-01-02 15:04 UTC")))
}

// money is a <data> element the script formats as the currency.
func money(amount float64, currency string) template.HTML {
	v := strconv.FormatFloat(amount, 'f', 2, 64)
	return template.HTML(fmt.Sprintf(`<data value="%s" data-currency="%s">%s %s</data>`, v, template.HTMLEscapeString(currency), template.HTMLEscapeString(currency), v))
}

// Dur writes d roughly (days and hours, hours and minutes, minutes, or
// seconds) in the language.
func (l lang) Dur(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d >= 24*time.Hour:
		return l.T("dur.d", "d", int(d/(24*time.Hour)), "h", int(d%(24*time.Hour)/time.Hour))
	case d >= time.Hour:
		return l.T("dur.hm", "h", int(d/time.Hour), "m", fmt.Sprintf("%02d", int(d%time.Hour/time.Minute)))
	case d >= time.Minute:
		return l.T("dur.m", "m", int(d/time.Minute))
	}
	return l.T("dur.s", "s", int(d/time.Second))
}

// Left says how long until ship-by, or how late.
func (l lang) Left(shipBy, now time.Time) string {
	if shipBy.IsZero() {
		return "—"
	}
	if shipBy.Before(now) {
		return l.T("left.late", "d", l.Dur(now.Sub(shipBy)))
	}
	return l.T("left.in", "d", l.Dur(shipBy.Sub(now)))
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}
