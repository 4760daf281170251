package console

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/review"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() {
	addPage("settings", true, func(h *Handler) {
		h.mux.HandleFunc("GET /settings", h.user(h.admin(h.settings)))
		h.mux.HandleFunc("POST /settings/{which}", h.user(h.admin(h.settingsPost)))
	})
}

// Which rules files the settings page edits.
const (
	rulesReview   = "review"
	rulesChannels = "channels"
)

// admin admits admins only: the rules apply to every warehouse, so a
// supervisor (one warehouse) gets 403.
func (h *Handler) admin(fn func(w http.ResponseWriter, r *http.Request, v *viewer)) func(w http.ResponseWriter, r *http.Request, v *viewer) {
	return func(w http.ResponseWriter, r *http.Request, v *viewer) {
		if v.User.Role != central.RoleAdmin {
			h.fail(w, r, v, &failure{http.StatusForbidden, v.L.T("err.admin_only")})
			return
		}
		fn(w, r, v)
	}
}

// rulesForm is one rules file on the settings page: the one in effect
// and what the textarea holds (a draft after Check or a refused Save),
// with the outcome of the check.
type rulesForm struct {
	Which    string
	Version  int64
	Source   string
	Actor    string
	Updated  time.Time
	Text     string
	Draft    bool
	Check    *central.RulesCheck
	Saved    bool // just saved (the page after Save)
	HelpKey  string
	TitleKey string
}

type settingsData struct {
	Forms []*rulesForm
}

// settingsData reads both rules files in effect.
func (h *Handler) settingsData(r *http.Request) (settingsData, error) {
	rr, err := h.store.ReviewRules(r.Context())
	if err != nil {
		return settingsData{}, err
	}
	cr, err := h.store.ChannelRules(r.Context())
	if err != nil {
		return settingsData{}, err
	}
	return settingsData{Forms: []*rulesForm{
		{Which: rulesReview, Version: rr.Version, Source: rr.Source, Actor: rr.Actor, Updated: rr.Updated, Text: rr.Text,
			TitleKey: "set.review", HelpKey: "set.review_help"},
		{Which: rulesChannels, Version: cr.Version, Source: cr.Source, Actor: cr.Actor, Updated: cr.Updated, Text: cr.Text,
			TitleKey: "set.channels", HelpKey: "set.channels_help"},
	}}, nil
}

func (d settingsData) form(which string) *rulesForm {
	for _, f := range d.Forms {
		if f.Which == which {
			return f
		}
	}
	return nil
}

// settings shows the rules in effect; after a save (?saved=WHICH) it says
// so, with the channel rules' warnings.
func (h *Handler) settings(w http.ResponseWriter, r *http.Request, v *viewer) {
	d, err := h.settingsData(r)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	flash := ""
	if f := d.form(r.URL.Query().Get("saved")); f != nil {
		f.Saved = true
		flash = v.L.T("set.saved", "what", v.L.T(f.TitleKey), "v", strconv.FormatInt(f.Version, 10))
		if f.Which == rulesChannels && f.Version > 0 {
			c, err := h.store.CheckChannelRules(r.Context(), f.Text)
			if err != nil {
				h.fail(w, r, v, err)
				return
			}
			f.Check = &c
		}
	}
	h.render(w, r, http.StatusOK, "settings", page{V: v, Title: v.L.T("nav.settings"), Nav: "settings", Flash: flash, Body: d})
}

// settingsPost checks (do=check) or saves (do=save) the text of one rules
// file. A check saves nothing; a save checks first and saves nothing when
// the text is wrong (422, the problems by line); saved rules are audited
// with the viewer as actor.
func (h *Handler) settingsPost(w http.ResponseWriter, r *http.Request, v *viewer) {
	which, do := r.PathValue("which"), r.PostFormValue("do")
	if which != rulesReview && which != rulesChannels {
		h.fail(w, r, v, central.NotFound("settings %q", which))
		return
	}
	if do != "check" && do != "save" {
		h.fail(w, r, v, &failure{http.StatusBadRequest, v.L.T("set.bad_action")})
		return
	}
	// Browsers send a textarea's lines with CRLF: keep the file's LF.
	text := strings.ReplaceAll(r.PostFormValue("text"), "\r\n", "\n")
	var c central.RulesCheck
	if strings.TrimSpace(text) == "" {
		c = central.RulesCheck{Problems: []central.RuleProblem{{Message: v.L.T("set.empty")}}}
	} else if which == rulesReview {
		c = review.Check(text)
	} else {
		var err error
		if c, err = h.store.CheckChannelRules(r.Context(), text); err != nil {
			h.fail(w, r, v, err)
			return
		}
	}
	if do == "save" && c.Valid {
		var err error
		if which == rulesReview {
			_, err = h.store.PutReviewRules(v.ctx(r), text, "console")
		} else {
			_, err = h.store.PutChannelRules(v.ctx(r), text, "console")
		}
		// A refusal here (the rules or the carriers changed since the
		// check) is shown like the check's.
		if central.ErrorCode(err) == wire.CodeInvalid {
			c = central.RulesCheck{Problems: []central.RuleProblem{{Message: central.ErrorMessage(err)}}}
		} else if err != nil {
			h.fail(w, r, v, err)
			return
		} else {
			http.Redirect(w, r, "/settings?saved="+which, http.StatusSeeOther)
			return
		}
	}
	d, err := h.settingsData(r)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	f := d.form(which)
	f.Text, f.Draft, f.Check = text, true, &c
	status, msg := http.StatusOK, ""
	if do == "save" { // and not saved
		status, msg = http.StatusUnprocessableEntity, v.L.T("set.not_saved", "what", v.L.T(f.TitleKey))
	}
	h.render(w, r, status, "settings", page{V: v, Title: v.L.T("nav.settings"), Nav: "settings", Error: msg, Body: d})
}
