package console

import (
	"html/template"
	"net/http"
	"strings"

	"golang.org/x/text/language"
)

// The console's languages: English and Simplified Chinese, every message
// in both (TestCatalogueComplete). The language comes from the "lang"
// cookie (set by the switch in the header), else the browser's
// Accept-Language, else English.
const (
	langEN = "en"
	langZH = "zh-Hans"
)

var langMatcher = language.NewMatcher([]language.Tag{language.English, language.SimplifiedChinese})

// chooseLang picks the viewer's language for r.
func chooseLang(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == langEN || c.Value == langZH) {
		return c.Value
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return langEN
	}
	_, i, conf := langMatcher.Match(tags...)
	if i == 1 && conf != language.No {
		return langZH
	}
	return langEN
}

// lang is one request's language: templates call its T.
type lang struct{ Code string }

// T returns the message key in the language with {name} replaced by the
// following pairs (name, value, name, value…). A missing key shows
// itself, so a gap is visible rather than blank.
func (l lang) T(key string, pairs ...any) string {
	m := catalogue[l.Code][key]
	if m == "" {
		m = catalogue[langEN][key]
	}
	if m == "" {
		return key
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		name, _ := pairs[i].(string)
		m = strings.ReplaceAll(m, "{"+name+"}", toString(pairs[i+1]))
	}
	return m
}

// Other is the language the switch offers.
func (l lang) Other() string {
	if l.Code == langZH {
		return langEN
	}
	return langZH
}

// HTML is the page's lang attribute.
func (l lang) HTML() string {
	if l.Code == langZH {
		return "zh-Hans"
	}
	return "en"
}

// TH is T for messages with markup among their arguments (a <time>
// element): the message and plain arguments are escaped, template.HTML
// arguments are kept.
func (l lang) TH(key string, pairs ...any) template.HTML {
	esc := make([]any, len(pairs))
	for i, p := range pairs {
		switch x := p.(type) {
		case template.HTML:
			esc[i] = string(x)
		default:
			esc[i] = template.HTMLEscapeString(toString(x))
		}
	}
	m := l.T(key)
	if m == key {
		return template.HTML(template.HTMLEscapeString(key))
	}
	out := template.HTMLEscapeString(m)
	for i := 0; i+1 < len(esc); i += 2 {
		name, _ := esc[i].(string)
		out = strings.ReplaceAll(out, "{"+template.HTMLEscapeString(name)+"}", esc[i+1].(string))
	}
	return template.HTML(out)
}
