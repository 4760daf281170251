package console

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

// Cookies: the session token (HttpOnly; the store keeps its hash), the
// sign-in form's CSRF token before there is a session (double submit),
// and the chosen language.
const (
	sessionCookie = "pd_session"
	preCSRFCookie = "pd_signin"
	langCookie    = "pd_lang"
	csrfField     = "csrf"
	csrfHeader    = "X-CSRF-Token"
)

// dummyHash is compared against when the user is unknown, so a wrong name
// takes as long as a wrong password. It is made at the first sign-in, not
// at start: bcrypt at its default cost is about 1 s of CPU under -race, which
// every process importing the console (packdeskctl, the server, their tests'
// child processes) paid at start.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("not a password of anyone"), bcrypt.DefaultCost)
	return h
})

func (h *Handler) cookie(name, value string, maxAge time.Duration, httpOnly bool) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()), HttpOnly: httpOnly,
		Secure: h.opts.Secure, SameSite: http.SameSiteLaxMode}
}

// current returns the signed-in viewer of r, or nil.
func (h *Handler) current(r *http.Request) *viewer {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	s, u, err := h.store.Session(r.Context(), central.HashToken(c.Value))
	if err != nil {
		return nil
	}
	return &viewer{User: u, Session: s, L: lang{chooseLang(r)}}
}

// user admits signed-in viewers: others go to the sign-in page (an htmx
// request is told to go there). Every POST must carry the session's CSRF
// token (form field or header) and, when the browser sends one, an
// Origin of this server.
func (h *Handler) user(fn func(w http.ResponseWriter, r *http.Request, v *viewer)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := h.current(r)
		if v == nil {
			if r.Header.Get("HX-Request") == "true" {
				w.Header().Set("HX-Redirect", "/")
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, "not signed in", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost {
			token := r.Header.Get(csrfHeader)
			if token == "" {
				token = r.PostFormValue(csrfField)
			}
			if !sameOrigin(r) || token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(v.Session.CSRF)) != 1 {
				h.fail(w, r, v, &failure{http.StatusForbidden, v.L.T("err.csrf")})
				return
			}
		}
		fn(w, r, v)
	}
}

// sameOrigin reports whether r's Origin (when sent) is this server.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// signInData is the sign-in page's body.
type signInData struct {
	Name string
	Next string
}

// signInPage is /: the sign-in form, or Today when signed in.
func (h *Handler) signInPage(w http.ResponseWriter, r *http.Request) {
	if h.current(r) != nil {
		http.Redirect(w, r, "/today", http.StatusSeeOther)
		return
	}
	h.showSignIn(w, r, http.StatusOK, "", signInData{Next: safeNext(r.URL.Query().Get("next"))})
}

func (h *Handler) showSignIn(w http.ResponseWriter, r *http.Request, status int, msg string, d signInData) {
	token := central.NewToken("")
	http.SetCookie(w, h.cookie(preCSRFCookie, token, time.Hour, true))
	l := lang{chooseLang(r)}
	h.render(w, r, status, "signin", page{L: l, CSRF: token, Title: l.T("signin.title"), Error: msg, Body: d})
}

// signIn checks the form's CSRF token against its cookie, the user's
// lock-out and password (bcrypt), records the outcome (audited; the
// fifth failure in a row locks the account) and starts a session.
func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	l := lang{chooseLang(r)}
	name := strings.TrimSpace(r.PostFormValue("name"))
	d := signInData{Name: name, Next: safeNext(r.PostFormValue("next"))}
	c, err := r.Cookie(preCSRFCookie)
	form := r.PostFormValue(csrfField)
	if err != nil || form == "" || !sameOrigin(r) || subtle.ConstantTimeCompare([]byte(c.Value), []byte(form)) != 1 {
		h.showSignIn(w, r, http.StatusForbidden, l.T("signin.expired"), d)
		return
	}
	ctx := central.WithActor(r.Context(), "user:"+name)
	u, hash, err := h.store.UserCredentials(ctx, name)
	if err != nil && central.ErrorCode(err) != wire.CodeNotFound {
		h.showSignIn(w, r, http.StatusServiceUnavailable, l.T("err.server", "msg", central.ErrorMessage(err)), d)
		return
	}
	known := err == nil
	if !known {
		hash = dummyHash()
	}
	now := h.opts.Now()
	if known && u.Locked(now) {
		h.store.RecordSignIn(ctx, name, false) // audited as refused; the lock does not grow
		h.showSignIn(w, r, http.StatusTooManyRequests, l.T("signin.locked", "time", u.LockedUntil.Local().Format("15:04")), d)
		return
	}
	ok := bcrypt.CompareHashAndPassword(hash, []byte(r.PostFormValue("password"))) == nil && known && !u.Disabled
	if known {
		if u, err = h.store.RecordSignIn(ctx, name, ok); err != nil {
			h.showSignIn(w, r, http.StatusServiceUnavailable, l.T("err.server", "msg", central.ErrorMessage(err)), d)
			return
		}
	}
	if !ok {
		if u.Locked(now) {
			h.showSignIn(w, r, http.StatusTooManyRequests, l.T("signin.locked", "time", u.LockedUntil.Local().Format("15:04")), d)
			return
		}
		h.showSignIn(w, r, http.StatusUnauthorized, l.T("signin.bad"), d)
		return
	}
	token := central.NewToken("")
	s := central.Session{TokenHash: central.HashToken(token), User: u.Name, CSRF: central.NewToken(""), Expires: now.Add(h.opts.SessionTTL)}
	if err := h.store.CreateSession(ctx, s); err != nil {
		h.showSignIn(w, r, http.StatusServiceUnavailable, l.T("err.server", "msg", central.ErrorMessage(err)), d)
		return
	}
	http.SetCookie(w, h.cookie(sessionCookie, token, h.opts.SessionTTL, true))
	http.SetCookie(w, h.cookie(preCSRFCookie, "", -time.Second, true))
	next := d.Next
	if next == "" {
		next = "/today"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// safeNext keeps a redirect target only when it is a path on this server.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return ""
	}
	return next
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request, v *viewer) {
	if err := h.store.DeleteSession(v.ctx(r), v.Session.TokenHash); err != nil {
		h.fail(w, r, v, err)
		return
	}
	http.SetCookie(w, h.cookie(sessionCookie, "", -time.Second, true))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// switchLang sets the language cookie and goes back where the viewer was.
func (h *Handler) switchLang(w http.ResponseWriter, r *http.Request) {
	l := r.URL.Query().Get("l")
	if l != langEN && l != langZH {
		l = langEN
	}
	http.SetCookie(w, h.cookie(langCookie, l, 365*24*time.Hour, false))
	back := safeNext(r.URL.Query().Get("back"))
	if back == "" {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
