package desktop_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/packdesk/packdesk/internal/desktop"
	"github.com/packdesk/packdesk/internal/label"
)

// The label font chosen in settings is the one labels use after the next
// start: a path that is no font is refused by name, not replaced by a
// system font.
func TestLabelFontFromSettings(t *testing.T) {
	t.Cleanup(func() { label.SetDefaultFonts(label.NewFonts("")) })
	dir := t.TempDir()
	bogus := filepath.Join(dir, "not-a-font.ttc")
	if err := os.WriteFile(bogus, []byte("this is not a font"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := desktop.NewMain()
	m.DemoDir, m.App, m.Sync, m.Lang, m.NoDemoServer = dir, test.NewApp(), true, "en", true
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	set := m.Settings
	set.LabelFont = bogus
	if err := m.Station.SaveSettings(context.Background(), set); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	start(t, dir)
	path, err := label.DefaultFonts().CJKFont()
	if err == nil || !strings.Contains(err.Error(), bogus) {
		t.Fatalf("label font after restart: %q, %v; want an error naming %s", path, err, bogus)
	}
}
