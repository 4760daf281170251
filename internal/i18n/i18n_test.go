package i18n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/i18n"
)

// keyRE matches what a message key looks like in Go source.
var keyRE = regexp.MustCompile(`^(ui|alert|verdict|next|error|status|flag|server|printer|scale|scanner|sound|settings|exception|intercept|kind|step)\.[a-z0-9_.]+[a-z0-9_]$`)

// usedKeys collects the message keys the code can show: string literals that
// look like keys in app/ and internal/desktop/, the station's Key* constants, and one
// "verdict.<name>" per pack and station verdict, "flag.<name>" per order
// flag and "server.state.<name>" per server state.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	used := map[string]string{}
	walk := func(dir string, fn func(file string, f *ast.File)) int {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s (err %v): the key scan would check nothing", dir, err)
		}
		n := 0
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
			if err != nil {
				t.Fatalf("parse %s: %v", name, err)
			}
			fn(name, f)
			n++
		}
		return n
	}
	lit := func(e ast.Expr) (string, bool) {
		b, ok := e.(*ast.BasicLit)
		if !ok || b.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(b.Value)
		return s, err == nil
	}
	consts := func(file string, f *ast.File, fn func(name, typ, val string)) {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				typ := ""
				if id, ok := vs.Type.(*ast.Ident); ok {
					typ = id.Name
				}
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						if v, ok := lit(vs.Values[i]); ok {
							fn(n.Name, typ, v)
						}
					}
				}
			}
		}
	}
	literals := func(file string, f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			if e, ok := n.(ast.Expr); ok {
				if s, ok := lit(e); ok && keyRE.MatchString(s) {
					used[s] = file
				}
			}
			return true
		})
	}
	walk("../../app", literals)
	walk("../desktop", literals) // device status messages
	walk("../station", func(file string, f *ast.File) {
		consts(file, f, func(name, typ, val string) {
			switch {
			case strings.HasSuffix(name, "Prefix"): // KeyVerdictPrefix, KeyCausePrefix, …: not keys themselves
			case strings.HasPrefix(name, "Key"):
				used[val] = file + " " + name
			case strings.HasPrefix(name, "Verdict"):
				used["verdict."+val] = file + " " + name
			case typ == "Flag":
				used["flag."+val] = file + " " + name
			case typ == "ServerState":
				used["server.state."+val] = file + " " + name
			}
		})
	})
	walk("../pack", func(file string, f *ast.File) {
		consts(file, f, func(name, typ, val string) {
			switch {
			case typ == "Verdict":
				used["verdict."+val] = file + " " + name
			case typ == "Cause" && val != "":
				used["verdict.cause."+val] = file + " " + name // station.CauseKey
			case strings.HasPrefix(name, "Exception") && typ == "":
				// pack.ExceptionReasons: the F7 chooser shows station.ExceptionReasonKey
				used["exception.reason."+strings.ReplaceAll(strings.ToLower(val), "-", "_")] = file + " " + name
			}
		})
	})
	return used
}

func TestEveryUsedKeyIsTranslated(t *testing.T) {
	used := usedKeys(t)
	if len(used) < 50 {
		t.Fatalf("found only %d keys in app/, internal/station and internal/pack: the source scan is broken", len(used))
	}
	for _, code := range i18n.Languages() {
		m, err := i18n.Messages(code)
		if err != nil {
			t.Fatal(err)
		}
		var missing []string
		for k, where := range used {
			if strings.TrimSpace(m[k]) == "" {
				missing = append(missing, k+"  (used in "+where+")")
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("%s: %d keys used by the code have no translation in internal/i18n/locales:\n%s",
				code, len(missing), strings.Join(missing, "\n"))
		}
	}
}

var argRE = regexp.MustCompile(`\{\{\s*\.(\w+)`)

func TestLanguagesHaveTheSameKeysAndArguments(t *testing.T) {
	en, err := i18n.Messages(i18n.English)
	if err != nil {
		t.Fatal(err)
	}
	zh, err := i18n.Messages(i18n.Chinese)
	if err != nil {
		t.Fatal(err)
	}
	args := func(s string) string {
		var out []string
		for _, m := range argRE.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
		sort.Strings(out)
		return strings.Join(out, ",")
	}
	for k, v := range en {
		z, ok := zh[k]
		switch {
		case !ok || strings.TrimSpace(z) == "":
			t.Errorf("zh-Hans lacks key %q (en: %q)", k, v)
		case args(v) != args(z):
			t.Errorf("key %q: en uses arguments [%s], zh-Hans [%s]", k, args(v), args(z))
		}
	}
	for k := range zh {
		if _, ok := en[k]; !ok {
			t.Errorf("en lacks key %q that zh-Hans has", k)
		}
	}
}

func TestTemplatesRender(t *testing.T) {
	for _, code := range i18n.Languages() {
		tr := i18n.MustNew(code)
		keys, err := i18n.Keys(code)
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := i18n.Messages(code)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			args := map[string]any{}
			for _, m := range argRE.FindAllStringSubmatch(msgs[k], -1) {
				args[m[1]] = "X"
			}
			if got := tr.T(k, args); got == k || strings.Contains(got, "<no value>") {
				t.Errorf("%s: %q renders as %q", code, k, got)
			}
		}
	}
}

func TestMatchAndDetect(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"zh_CN.UTF-8", i18n.Chinese}, {"zh-Hans", i18n.Chinese}, {"zh", i18n.Chinese}, {"ZH_tw", i18n.Chinese},
		{"en_US.UTF-8", i18n.English}, {"C", i18n.English}, {"", i18n.English}, {"de_DE@euro", i18n.English},
	} {
		if got := i18n.Match(tc.in); got != tc.want {
			t.Errorf("Match(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	env := map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}
	if got := i18n.Detect(func(k string) string { return env[k] }); got != i18n.Chinese {
		t.Errorf("Detect with LC_MESSAGES=zh_CN = %q, want zh", got)
	}
	env["LC_ALL"] = "C.UTF-8"
	if got := i18n.Detect(func(k string) string { return env[k] }); got != i18n.English {
		t.Errorf("Detect with LC_ALL=C = %q, want en", got)
	}
	if got := i18n.Detect(os.Getenv); got != i18n.English && got != i18n.Chinese {
		t.Errorf("Detect(os.Getenv) = %q", got)
	}
}

func TestTranslateAndFormat(t *testing.T) {
	en, zh := i18n.MustNew("en_US"), i18n.MustNew("zh_CN")
	if en.Lang() != "en" || zh.Lang() != "zh" {
		t.Fatalf("Lang = %q, %q", en.Lang(), zh.Lang())
	}
	args := map[string]any{"order": "111-2222222-3333333"}
	if got := en.T("next.done", args); !strings.Contains(got, "111-2222222-3333333") {
		t.Errorf("en next.done = %q, want the order id in it", got)
	}
	if got := zh.T("next.done", args); !strings.Contains(got, "111-2222222-3333333") || got == en.T("next.done", args) {
		t.Errorf("zh next.done = %q, want a Chinese text with the order id", got)
	}
	if got := en.T("no.such.key", nil); got != "no.such.key" {
		t.Errorf("missing key renders %q, want the key", got)
	}
	tm := time.Date(2026, 1, 5, 14, 30, 0, 0, time.Local)
	for _, tc := range []struct{ got, want string }{
		{en.DateTime(tm), "Mon 5 Jan 14:30"},
		{zh.DateTime(tm), "1月5日 周一 14:30"},
		{en.DateTime(time.Time{}), "—"},
		{en.Clock(tm), "14:30:00"},
		{en.Int(0), "0"}, {en.Int(999), "999"}, {en.Int(1000), "1,000"}, {en.Int(-1234567), "-1,234,567"},
		{en.Float(1234.56, 1), "1,234.6"}, {en.Float(-0.5, 1), "-0.5"}, {en.Float(12, 0), "12"},
		{zh.Grams(12500), "12,500 g"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// verdictArgs are the arguments the station puts on every verdict message
// (station.decisionView); a verdict text using another one would show
// "<no value>" to the packer.
var verdictArgs = map[string]bool{"order": true, "sku": true, "units": true, "remaining": true, "scan": true,
	"detail": true, "expected": true, "serial": true, "lot": true, "tracking": true, "reason": true,
	"grams": true, "expected_grams": true, "lifted": true, "missing": true, "used_in": true, "fnsku": true,
	"return": true, "return_order": true, "unit": true, "grade": true, "disposition": true, "location": true}

func TestVerdictsUseOnlyVerdictArguments(t *testing.T) {
	for _, code := range i18n.Languages() {
		m, err := i18n.Messages(code)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range m {
			if !strings.HasPrefix(k, "verdict.") {
				continue
			}
			for _, a := range argRE.FindAllStringSubmatch(v, -1) {
				if !verdictArgs[a[1]] {
					t.Errorf("%s %s uses {{.%s}}, which verdict messages never carry", code, k, a[1])
				}
			}
		}
	}
}
