// Package checkup is the morning checkup (每日早间巡检): one report of
// what needs a person's look, built from what the server's parts record —
// Amazon calls that failed and their request ids (the order sync log),
// shipment confirmations pending or refused, orders near their ship-by
// time, the exception pool by reason and age, the last FBA stock
// comparisons, and stations offline or with printer faults. Each section
// has a level (ok, warn, red, or not_done when this build has no source
// for it); the report is red when any section is. A report is built in
// one language (English or Simplified Chinese, messages.go) and for all
// warehouses or one. packdeskctl server checkup prints it as a table
// (exit 1 when red) or JSON, GET /api/v1/admin/checkup serves it, and the
// console's /checkup page shows it.
package checkup

import (
	"context"
	"fmt"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

// Level is how a section (or the report) stands.
type Level string

// Levels, from good to bad; not_done: this build cannot check it.
const (
	LevelOK      Level = "ok"
	LevelWarn    Level = "warn"
	LevelRed     Level = "red"
	LevelNotDone Level = "not_done"
)

// Report is the checkup.
type Report struct {
	At        time.Time `json:"at"`
	Since     time.Time `json:"since"`               // "since yesterday": what the sections looked back to
	Lang      string    `json:"lang"`                // the language of its texts: en or zh
	Warehouse string    `json:"warehouse,omitempty"` // the one warehouse it covers ("" all)
	Level     Level     `json:"level"`               // red when any section is red, else warn when any is, else ok
	Sections  []Section `json:"sections"`
}

// Section is one part of the checkup: its level, a line saying what it
// found, and the rows behind it (Columns name the cells of each row).
// Title, Summary, Columns and the words in Rows are in the report's
// language; ID and Level are for tools.
type Section struct {
	ID      string     `json:"id"`
	Title   string     `json:"title"`
	Level   Level      `json:"level"`
	Summary string     `json:"summary"`
	Columns []string   `json:"columns,omitempty"`
	Rows    [][]string `json:"rows,omitempty"`
	// More counts rows left out (Options.MaxRows).
	More int `json:"more,omitempty"`
}

// Red reports whether anything in the report is red.
func (r Report) Red() bool { return r.Level == LevelRed }

// Options tune the checkup; zero fields take the defaults.
type Options struct {
	Now   time.Time // when the checkup runs (required)
	Since time.Time // look back to (default: 24 h before Now)
	// Deadlines are the deadline watch's windows (central defaults).
	Deadlines central.DeadlineWatch
	// StationOffline: a station not seen for this long is offline
	// (DefaultStationOffline).
	StationOffline time.Duration
	// ExceptionOld: an exception older than this is red (DefaultExceptionOld).
	ExceptionOld time.Duration
	// MaxRows bounds the rows of each section (DefaultMaxRows).
	MaxRows int
	// StockStale: a warehouse's last FBA comparison older than this is a
	// warning (DefaultStockStale).
	StockStale time.Duration
	// Lang is the report's language: en (default) or zh (any zh-… code).
	Lang string
	// Warehouse limits the report to one warehouse ("" all).
	Warehouse string
	// Sellers maps each Amazon seller to its warehouse, so the sync
	// sections can be filtered by warehouse (a seller not in it shows only
	// in a report of all warehouses).
	Sellers map[string]string
}

// Defaults of Options.
const (
	DefaultStationOffline = 30 * time.Minute
	DefaultExceptionOld   = 24 * time.Hour
	DefaultMaxRows        = 50
	DefaultStockStale     = 24 * time.Hour
)

func (o Options) withDefaults() Options {
	if o.Since.IsZero() {
		o.Since = o.Now.Add(-24 * time.Hour)
	}
	o.Deadlines = o.Deadlines.WithDefaults()
	if o.StationOffline <= 0 {
		o.StationOffline = DefaultStationOffline
	}
	if o.ExceptionOld <= 0 {
		o.ExceptionOld = DefaultExceptionOld
	}
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	if o.StockStale <= 0 {
		o.StockStale = DefaultStockStale
	}
	o.Lang = Lang(o.Lang)
	return o
}

// t is message key in the report's language (messages.go).
func (o Options) t(key string, pairs ...any) string { return Message(o.Lang, key, pairs...) }

// in reports whether warehouse wh is in the report.
func (o Options) in(wh string) bool { return o.Warehouse == "" || wh == o.Warehouse }

// sellerIn reports whether seller's calls are in the report.
func (o Options) sellerIn(seller string) bool {
	return o.Warehouse == "" || o.Sellers[seller] == o.Warehouse
}

// A source builds one section from the store; its title is the message
// "checkup.title.ID".
type source struct {
	id    string
	build func(ctx context.Context, s central.Store, o Options, sec *Section) error
}

// sources are the sections, in the order the report shows them.
var sources = []source{
	{"orders", failedOrders},
	{"sync", syncSection},
	{"confirmations", confirmations},
	{"ship_by", shipBy},
	{"exceptions", exceptions},
	{"stock", stockSection},
	{"stations", stations},
}

// SectionIDs are the sections' ids in report order.
func SectionIDs() []string {
	ids := make([]string, len(sources))
	for i, s := range sources {
		ids[i] = s.id
	}
	return ids
}

// Build runs the checkup against s. A section whose source fails is red
// and says why, so one part's failure does not hide the others. Errors:
// none today (kept for sources that cannot run at all).
func Build(ctx context.Context, s central.Store, o Options) (Report, error) {
	o = o.withDefaults()
	r := Report{At: o.Now, Since: o.Since, Lang: o.Lang, Warehouse: o.Warehouse, Level: LevelOK}
	for _, src := range sources {
		title := o.t("checkup.title." + src.id)
		sec := Section{ID: src.id, Title: title, Level: LevelOK}
		if err := src.build(ctx, s, o, &sec); err != nil {
			sec = Section{ID: src.id, Title: title, Level: LevelRed, Summary: o.t("checkup.failed", "err", central.ErrorMessage(err))}
		}
		for i, c := range sec.Columns {
			sec.Columns[i] = o.t("checkup.col." + c)
		}
		if len(sec.Rows) > o.MaxRows {
			sec.More, sec.Rows = len(sec.Rows)-o.MaxRows, sec.Rows[:o.MaxRows]
		}
		r.Sections = append(r.Sections, sec)
		r.Level = worse(r.Level, sec.Level)
	}
	return r, nil
}

// worse returns the worse of a report's level and a section's (not_done
// does not make a report worse: it says so in its section).
func worse(a, b Level) Level {
	rank := map[Level]int{LevelOK: 0, LevelNotDone: 0, LevelWarn: 1, LevelRed: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// age says how long ago t was, for people.
func (o Options) age(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := o.Now.Sub(t)
	if d < 0 {
		return o.t("checkup.in", "d", o.span(-d))
	}
	return o.span(d)
}

// span is a length of time in the report's language: minutes under an
// hour, hours under two days, else days ("45m", "2.0h", "1.5d"; "45 分钟",
// "2.0 小时", "1.5 天").
func (o Options) span(d time.Duration) string {
	zh := Lang(o.Lang) == Chinese
	switch {
	case d < time.Hour && zh:
		return fmt.Sprintf("%d 分钟", int(d.Round(time.Minute).Minutes()))
	case d < time.Hour:
		return shortDuration(d.Round(time.Minute))
	case d < 48*time.Hour && zh:
		return fmt.Sprintf("%.1f 小时", d.Hours())
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1fh", d.Hours())
	case zh:
		return fmt.Sprintf("%.1f 天", d.Hours()/24)
	}
	return fmt.Sprintf("%.1fd", d.Hours()/24)
}

// word is the message prefix+code in the report's language, or code
// itself when there is none (a state added later still shows).
func (o Options) word(prefix, code string) string {
	if m := o.t(prefix + code); m != prefix+code {
		return m
	}
	return code
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}
