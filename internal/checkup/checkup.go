// Package checkup is the morning checkup (每日早间巡检): one report of
// what needs a person's look, built from what the server's parts record —
// Amazon calls that failed and their request ids (the order sync log),
// shipment confirmations pending or refused, orders near their ship-by
// time, the exception pool by reason and age, stock differences, and
// stations offline or with printer faults. Each section has a level (ok,
// warn, red, or not_done when this build has no source for it); the
// report is red when any section is. packdeskctl server checkup prints it
// as a table (exit 1 when red) or JSON, GET /api/v1/admin/checkup serves it.
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
	At       time.Time `json:"at"`
	Since    time.Time `json:"since"` // "since yesterday": what the sections looked back to
	Level    Level     `json:"level"` // red when any section is red, else warn when any is, else ok
	Sections []Section `json:"sections"`
}

// Section is one part of the checkup: its level, a line saying what it
// found, and the rows behind it (Columns name the cells of each row).
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
}

// Defaults of Options.
const (
	DefaultStationOffline = 30 * time.Minute
	DefaultExceptionOld   = 24 * time.Hour
	DefaultMaxRows        = 50
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
	return o
}

// A source builds one section from the store.
type source struct {
	id, title string
	build     func(ctx context.Context, s central.Store, o Options, sec *Section) error
}

// sources are the sections, in the order the report shows them.
var sources = []source{
	{"sync", "Orders that failed to sync, and Amazon API errors", syncSection},
	{"confirmations", "Shipment confirmations pending or refused", confirmations},
	{"ship_by", "Orders near or past their ship-by time", shipBy},
	{"exceptions", "Exception pool by reason and age", exceptions},
	{"stock", "Stock differences (FBA vs local)", notDone("the stock part compares stock with an FBA report on request (packdeskctl server stock diff FILE) and keeps no result for the checkup to read")},
	{"stations", "Stations offline or with printer faults", stations},
}

func notDone(why string) func(context.Context, central.Store, Options, *Section) error {
	return func(_ context.Context, _ central.Store, _ Options, sec *Section) error {
		sec.Level, sec.Summary = LevelNotDone, "not checked: "+why
		return nil
	}
}

// Build runs the checkup against s. A section whose source fails is red
// and says why, so one part's failure does not hide the others. Errors:
// none today (kept for sources that cannot run at all).
func Build(ctx context.Context, s central.Store, o Options) (Report, error) {
	o = o.withDefaults()
	r := Report{At: o.Now, Since: o.Since, Level: LevelOK}
	for _, src := range sources {
		sec := Section{ID: src.id, Title: src.title, Level: LevelOK}
		if err := src.build(ctx, s, o, &sec); err != nil {
			sec = Section{ID: src.id, Title: src.title, Level: LevelRed, Summary: "could not check: " + central.ErrorMessage(err)}
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
func age(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < 0:
		return "in " + (-d).Round(time.Minute).String()
	case d < time.Hour:
		return d.Round(time.Minute).String()
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1fh", d.Hours())
	}
	return fmt.Sprintf("%.1fd", d.Hours()/24)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}
