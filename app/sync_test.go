package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/internal/station"
)

func TestStatusBarShowsSync(t *testing.T) {
	f := newFake()
	u, _ := newTestUI(t, f, app.Options{})
	f.update(func(v *station.View) {
		v.Status.Server = station.ServerStatus{State: station.ServerOffline,
			Error: &station.Message{Key: station.KeyServerError, Args: map[string]any{"detail": "cannot reach the server at http://srv"}}}
		v.Status.PendingEvents = 12
	})
	if got := u.StatusText(); !strings.Contains(got, "Server offline: cannot reach the server at http://srv") || !strings.Contains(got, "Unsent events: 12") {
		t.Errorf("offline status bar %q", got)
	}
	f.update(func(v *station.View) {
		v.Status.Server = station.ServerStatus{State: station.ServerOnline, Rejections: 3,
			Error: &station.Message{Key: station.KeyServerError, Args: map[string]any{"detail": "x"}}}
	})
	if got := u.StatusText(); !strings.Contains(got, "Server: online · 3 events refused: F11 to see them, ask a supervisor") {
		t.Errorf("status bar with rejections %q", got)
	}
	f.update(func(v *station.View) {
		v.Status.Server = station.ServerStatus{State: station.ServerOnline, Rejections: 1, RevokedStarted: []string{"111-0000001-0000001"}}
	})
	if got := u.StatusText(); !strings.Contains(got, "Taken back by the server while started here: 111-0000001-0000001: ask a supervisor") {
		t.Errorf("status bar with a revoked started order %q", got)
	}
	f.update(func(v *station.View) { v.Status.Server = station.ServerStatus{State: station.ServerOnline} })
	if got := u.StatusText(); !strings.Contains(got, "Server: online") || strings.Contains(got, "refused") {
		t.Errorf("online status bar %q", got)
	}
}

func TestSettingsTestConnection(t *testing.T) {
	f := newFake()
	var gotURL, gotToken string
	fail := false
	u, _ := newTestUI(t, f, app.Options{TestConnection: func(_ context.Context, url, token string) (string, string, error) {
		gotURL, gotToken = url, token
		if fail {
			return "", "", errors.New("test connection: the server at http://srv answered 401 unauthorized: unknown or revoked token")
		}
		return "Bench 1", "SZ1", nil
	}})
	u.PressKey(fyne.KeyF10)
	u.SettingsServerURL().SetText(" http://srv ")
	u.SettingsToken().SetText("pds_abc")
	u.SettingsTestConnection()
	if got := u.SettingsConnResult(); got != "Connected as station Bench 1 of warehouse SZ1." || gotURL != "http://srv" || gotToken != "pds_abc" {
		t.Errorf("result %q for %q %q", got, gotURL, gotToken)
	}
	fail = true
	u.SettingsTestConnection()
	if got := u.SettingsConnResult(); !strings.Contains(got, "Connection failed:") || !strings.Contains(got, "unknown or revoked token") {
		t.Errorf("failure shows %q", got)
	}
}

// "Detect language" asks the printer at the address typed (saved or not)
// and fills the language and the address with what answered; a printer
// that answers neither is said so, and the fields stay as they were.
func TestSettingsDetectPrinter(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		f := newFake()
		var asked string
		fail := false
		u, _ := newTestUI(t, f, app.Options{Lang: lang, DetectPrinter: func(_ context.Context, addr string) (string, string, error) {
			asked = addr
			if fail {
				return "", "", errors.New("printer: tcp://10.0.0.9:9100 answered neither a ZPL (~HS) nor a TSPL (ESC !?) status query")
			}
			return "tspl", addr + "?lang=tspl", nil
		}})
		u.PressKey(fyne.KeyF10)
		u.SettingsPrinterAddr().SetText("")
		u.SettingsDetectPrinter()
		if _, _, res := u.SettingsPrinter(); asked != "" || res == "" {
			t.Errorf("%s: no address: asked %q, result %q", lang, asked, res)
		}
		u.SettingsPrinterAddr().SetText(" tcp://10.0.0.9:9100 ")
		u.SettingsDetectPrinter()
		addr, sel, res := u.SettingsPrinter()
		if asked != "tcp://10.0.0.9:9100" || addr != "tcp://10.0.0.9:9100?lang=tspl" || sel != "tspl" || !strings.Contains(res, "TSPL") {
			t.Errorf("%s: asked %q; fields %q %q; result %q", lang, asked, addr, sel, res)
		}
		fail = true
		u.SettingsPrinterAddr().SetText("tcp://10.0.0.9:9100")
		u.SettingsDetectPrinter()
		addr, sel, res = u.SettingsPrinter()
		if addr != "tcp://10.0.0.9:9100" || sel != "tspl" || !strings.Contains(res, "answered neither") {
			t.Errorf("%s: failure: fields %q %q; result %q", lang, addr, sel, res)
		}
	}
}
