package console

import (
	"html/template"
	"net/http"
	"regexp"
	"time"

	"github.com/packdesk/packdesk/internal/checkup"
)

// checkupStamp is how the checkup writes a time (UTC, for the CLI).
var checkupStamp = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\dZ`)

// checkupText is a checkup text (a summary, a cell) as HTML with each of
// its times a <time> element, which the page shows in the viewer's
// language and time zone like every other time in the console.
func checkupText(s string) template.HTML {
	return template.HTML(checkupStamp.ReplaceAllStringFunc(template.HTMLEscapeString(s), func(m string) string {
		t, err := time.Parse("2006-01-02 15:04Z", m)
		if err != nil {
			return m
		}
		return string(timeTag(t))
	}))
}

func init() {
	addPage("checkup", false, func(h *Handler) {
		h.mux.HandleFunc("GET /checkup", h.user(h.checkup))
	})
}

type checkupData struct {
	Report checkup.Report
	Admin  bool
}

// checkup shows the morning checkup (the same checks as packdeskctl
// server checkup, checkup.Build) in the viewer's language, each section
// coloured by its level: a supervisor's is of their warehouse (another
// warehouse is refused), an admin's of all or of ?warehouse=.
func (h *Handler) checkup(w http.ResponseWriter, r *http.Request, v *viewer) {
	wh, err := v.warehouseArg(r.URL.Query())
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	rep, err := checkup.Build(r.Context(), h.store, checkup.Options{Now: h.opts.Now(), Lang: v.L.Code, Warehouse: wh,
		Sellers: h.opts.Sellers, Deadlines: h.opts.Deadlines})
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	d := checkupData{Report: rep, Admin: v.User.Scope() == ""}
	// Not live: the checkup reads the day's sync log and the whole pool,
	// too much to run again on every scan; reloading runs it again.
	h.render(w, r, http.StatusOK, "checkup", page{V: v, Title: v.L.T("nav.checkup"), Nav: "checkup", Body: d})
}
