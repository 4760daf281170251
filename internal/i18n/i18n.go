// Package i18n translates the station's user-visible text. Messages are
// go-i18n templates keyed by dotted names ("verdict.wrong_item",
// "ui.settings.title"); their arguments are go-i18n TemplateData
// ({{.order}}). English and Simplified Chinese are embedded; the language
// comes from the system locale and can be switched at run time.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.json
var locales embed.FS

// Languages. The station's settings store these codes.
const (
	English = "en"
	Chinese = "zh" // Simplified Chinese (zh-Hans)
)

// Languages lists the supported language codes in display order.
func Languages() []string { return []string{English, Chinese} }

var files = map[string]string{English: "locales/en.json", Chinese: "locales/zh-Hans.json"}
var tags = map[string]language.Tag{English: language.English, Chinese: language.SimplifiedChinese}

var (
	loadOnce sync.Once
	bundle   *i18n.Bundle
	loadErr  error
)

func load() (*i18n.Bundle, error) {
	loadOnce.Do(func() {
		b := i18n.NewBundle(language.English)
		b.RegisterUnmarshalFunc("json", json.Unmarshal)
		for _, code := range Languages() {
			data, err := locales.ReadFile(files[code])
			if err != nil {
				loadErr = fmt.Errorf("i18n: read %s: %w", files[code], err)
				return
			}
			// The file name carries the language tag go-i18n needs.
			if _, err := b.ParseMessageFileBytes(data, tags[code].String()+".json"); err != nil {
				loadErr = fmt.Errorf("i18n: parse %s: %w (fix the JSON in internal/i18n/locales)", files[code], err)
				return
			}
		}
		bundle = b
	})
	return bundle, loadErr
}

// Keys returns the message keys of language code, sorted.
// Errors: an unknown language; an embedded file that does not parse.
func Keys(code string) ([]string, error) {
	m, err := Messages(code)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// Messages returns the raw templates of language code by key.
// Errors: an unknown language; an embedded file that does not parse.
func Messages(code string) (map[string]string, error) {
	f, ok := files[code]
	if !ok {
		return nil, fmt.Errorf("i18n: unknown language %q: use one of %s", code, strings.Join(Languages(), ", "))
	}
	data, err := locales.ReadFile(f)
	if err != nil {
		return nil, fmt.Errorf("i18n: read %s: %w", f, err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("i18n: parse %s: %w (fix the JSON in internal/i18n/locales)", f, err)
	}
	return m, nil
}

// Match maps a locale name ("zh_CN.UTF-8", "zh-Hans", "en-US", "C") or a
// language code to a supported language code, English when nothing fits.
func Match(locale string) string {
	l := strings.ToLower(strings.TrimSpace(locale))
	if i := strings.IndexAny(l, ".@"); i >= 0 {
		l = l[:i]
	}
	switch {
	case l == "zh" || strings.HasPrefix(l, "zh-") || strings.HasPrefix(l, "zh_"):
		return Chinese
	default:
		return English
	}
}

// Detect chooses the language from the environment the way POSIX does:
// LC_ALL, then LC_MESSAGES, then LANG; English when none is set. getenv is
// os.Getenv in main.
func Detect(getenv func(string) string) string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" {
			return Match(s)
		}
	}
	return English
}

// Translator renders messages in one language. It is safe for concurrent
// use.
type Translator struct {
	code string
	loc  *i18n.Localizer
	fmt  formats
}

// New returns a translator for language code (anything Match accepts).
// Errors: the embedded translation files do not parse (a build defect).
func New(code string) (*Translator, error) {
	b, err := load()
	if err != nil {
		return nil, err
	}
	code = Match(code)
	return &Translator{code: code, loc: i18n.NewLocalizer(b, tags[code].String()), fmt: formatsFor(code)}, nil
}

// MustNew is New for callers that embed known-good files (tests, main).
func MustNew(code string) *Translator {
	t, err := New(code)
	if err != nil {
		panic(err)
	}
	return t
}

// Lang returns the translator's language code.
func (t *Translator) Lang() string { return t.code }

// T translates key with args (nil for none). A missing key or a template
// error never panics: the key itself is shown, so the gap is visible and the
// translation test catches it.
func (t *Translator) T(key string, args map[string]any) string {
	s, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: args})
	if err != nil || s == "" {
		return key
	}
	return s
}

// S translates key without arguments.
func (t *Translator) S(key string) string { return t.T(key, nil) }

// Has reports whether key is translated in this language.
func (t *Translator) Has(key string) bool {
	_, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: key})
	return err == nil
}
