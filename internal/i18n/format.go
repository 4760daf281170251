package i18n

import (
	"strconv"
	"strings"
	"time"
)

type formats struct {
	dateTime string
	clock    string
	weekdays [7]string
	decimal  string
	group    string
}

func formatsFor(code string) formats {
	if code == Chinese {
		return formats{
			dateTime: "1月2日 %s 15:04", clock: "15:04:05",
			weekdays: [7]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"},
			decimal:  ".", group: ",",
		}
	}
	return formats{
		dateTime: "%s 2 Jan 15:04", clock: "15:04:05",
		weekdays: [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
		decimal:  ".", group: ",",
	}
}

// DateTime formats t as a short local date and time ("Mon 2 Jan 15:04",
// "1月2日 周一 15:04"); the zero time is "—".
func (t *Translator) DateTime(tm time.Time) string {
	if tm.IsZero() {
		return "—"
	}
	tm = tm.Local()
	layout := strings.Replace(t.fmt.dateTime, "%s", t.fmt.weekdays[tm.Weekday()], 1)
	return tm.Format(layout)
}

// Clock formats the time of day ("15:04:05"); the zero time is "—".
func (t *Translator) Clock(tm time.Time) string {
	if tm.IsZero() {
		return "—"
	}
	return tm.Local().Format(t.fmt.clock)
}

// Int formats n with digit grouping ("12,345").
func (t *Translator) Int(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(t.fmt.group)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Float formats x with prec decimals and digit grouping ("1,234.5").
func (t *Translator) Float(x float64, prec int) string {
	s := strconv.FormatFloat(x, 'f', prec, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.Atoi(whole)
	out := t.Int(n)
	if strings.HasPrefix(whole, "-") && n == 0 {
		out = "-" + out
	}
	if prec > 0 {
		out += t.fmt.decimal + frac
	}
	return out
}

// Grams formats a weight ("1,234 g").
func (t *Translator) Grams(g int) string { return t.Int(g) + " g" }
