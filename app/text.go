package app

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/packdesk/packdesk/internal/i18n"
	"github.com/packdesk/packdesk/internal/station"
)

// shownRunes is the most of one message argument (a scan, an error
// detail) that banners, list rows and the status bar show; longer ones are
// cut with an ellipsis, so a 300-character unknown scan cannot push the
// order lines, the scan entry and the status bar off the window. The
// recent-scans detail shows them whole.
const shownRunes = 60

// clip cuts s to n runes, the last of them an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// short translates m for a banner, a list row or the status bar: string
// arguments longer than shownRunes are clipped and print-job kinds are
// named in the UI's language.
func short(tr *i18n.Translator, m station.Message) string {
	return tr.T(m.Key, displayArgs(tr, m.Args, shownRunes))
}

// full translates m with every argument whole (job kinds still named).
func full(tr *i18n.Translator, m station.Message) string {
	return tr.T(m.Key, displayArgs(tr, m.Args, 0))
}

// displayArgs copies args for display: "kind" (a print-job kind) gets its
// name; with n > 0, strings longer than n runes are clipped.
func displayArgs(tr *i18n.Translator, args map[string]any, n int) map[string]any {
	if len(args) == 0 {
		return args
	}
	out := make(map[string]any, len(args))
	for k, v := range args {
		if s, ok := v.(string); ok {
			if k == "kind" {
				s = jobKindName(tr, s)
			}
			if n > 0 {
				s = clip(s, n)
			}
			v = s
		}
		out[k] = v
	}
	return out
}

// jobKindName names a print job's kind (station.jobKind: the label kind,
// then "-<attempt>" from the second attempt on; FNSKU jobs are
// "fnsku-<SKU>-<batch>") in the UI's language. An unknown kind is shown
// as it is.
func jobKindName(tr *i18n.Translator, kind string) string {
	base, n := kind, ""
	if i := strings.LastIndexByte(kind, '-'); i > 0 {
		if _, err := strconv.Atoi(kind[i+1:]); err == nil {
			base, n = kind[:i], kind[i+1:]
		}
	}
	switch {
	case base == station.KindShipping && n == "":
		return tr.S("ui.job.shipping")
	case base == station.KindShipping:
		return tr.T("ui.job.shipping_n", map[string]any{"n": n})
	case base == station.KindFBACarton && n == "":
		return tr.S("ui.job.fba_carton")
	case base == station.KindFBACarton:
		return tr.T("ui.job.fba_carton_n", map[string]any{"n": n})
	case strings.HasPrefix(base, station.KindRestock+"-") && n != "":
		return tr.T("ui.job.restock", map[string]any{"sku": strings.TrimPrefix(base, station.KindRestock+"-"), "unit": n})
	case strings.HasPrefix(base, station.KindFNSKU+"-") && n != "":
		return tr.T("ui.job.fnsku", map[string]any{"sku": strings.TrimPrefix(base, station.KindFNSKU+"-"), "n": n})
	}
	return kind
}
