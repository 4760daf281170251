package label_test

import (
	"os"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/label"
)

// TestDocsListEveryField: docs/LABELS.md, the documented way to change a
// template, names every template and every field with its default.
func TestDocsListEveryField(t *testing.T) {
	b, err := os.ReadFile("../../docs/LABELS.md")
	if err != nil {
		t.Fatalf("read docs/LABELS.md: %v", err)
	}
	doc := string(b)
	for _, tp := range label.Templates() {
		row := ""
		for _, line := range strings.Split(doc, "\n") {
			if strings.HasPrefix(line, "| `"+tp.Name+"` |") {
				row = line
			}
		}
		if row == "" {
			t.Errorf("docs/LABELS.md has no row for template %s (regenerate it from packdeskctl label templates)", tp.Name)
			continue
		}
		for _, f := range tp.Fields {
			if want := "`" + f.Name + "` " + f.Doc + " (\"" + f.Default + "\")"; !strings.Contains(row, want) {
				t.Errorf("docs/LABELS.md template %s: field %s is not documented as %q", tp.Name, f.Name, want)
			}
		}
	}
}
