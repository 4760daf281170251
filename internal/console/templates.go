package console

import (
	"fmt"
	"html/template"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/review"
)

// navItem is a header link to a page a part added (exceptions, sync log…);
// an Admin item is shown to admins only.
type navItem struct {
	Key, Path, Label string
	Admin            bool
}

// navItems are the extra pages' links, in the order registered.
var navItems []navItem

var funcs = template.FuncMap{
	"timeTag":     timeTag,
	"money":       money,
	"dashIf":      dashIf,
	"add":         func(a, b int) int { return a + b },
	"checkupText": checkupText,
	// reasonName is an exception reason's short name in the viewer's language.
	"reasonName": func(c central.ReasonCode, lang string) string { return review.Name(c, lang) },
	"hours":      func(d time.Duration) int { return int(d / time.Hour) },
	"navExtra":   func() []navItem { return navItems },
}

// pageNames are the templates/*.html files that are pages (each defines
// "content" and, for live pages, "live").
var pageNames = []string{"signin", "error", "today", "order", "stations"}

// extraPages are the page templates parts add (registered with their
// routes).
var extraPages []string

// addPage registers a page a part adds, from an init function in its own
// file: its template (templates/KEY.html), its header link (/KEY, label
// nav.KEY; adminOnly: shown to admins only) and its routes.
func addPage(key string, adminOnly bool, routes func(h *Handler)) {
	extraRoutes = append(extraRoutes, routes)
	extraPages = append(extraPages, key)
	navItems = append(navItems, navItem{Key: key, Path: "/" + key, Label: "nav." + key, Admin: adminOnly})
}

func (h *Handler) parse() error {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return fmt.Errorf("console: parse layout: %w", err)
	}
	h.pages = map[string]*template.Template{}
	for _, name := range append(pageNames, extraPages...) {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("console: parse %s: %w", name, err)
		}
		h.pages[name] = t
	}
	return nil
}
