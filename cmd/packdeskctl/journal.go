package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/packdesk/packdesk/internal/journal"
)

func init() {
	register(command{
		name:    "journal",
		summary: "info|check FILE: a station journal's contents (JSON) or its consistency; read-only",
		run:     runJournal,
	})
}

const journalUsage = `usage: packdeskctl journal info FILE
       packdeskctl journal check FILE

info   prints the journal's schema, orders by status, last event seq, the seq
       the server has acknowledged and the file size, as one JSON object.
check  runs bbolt's consistency check over the whole file in a child process
       (a damaged file can fault the checker; the child takes the fault) and
       prints {"file","ok","problems","action","details"} as JSON: problems
       say in words what is damaged, action what to do, details are the
       checker's own text for a bug report.
Both open the file read-only and never write to it. Stop the station first:
the station holds the file's lock while it runs.
Exit status: 0 consistent / shown, 1 problems found or the file cannot be
read, 2 usage error.
`

// journalChildCmd is the hidden subcommand the check child runs.
const journalChildCmd = "check-child"

// selfCommand builds the command that re-runs packdeskctl with args; tests
// replace it to re-run the test binary.
var selfCommand = func(ctx context.Context, args ...string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find the packdeskctl executable to run the check in: %w", err)
	}
	return exec.CommandContext(ctx, exe, args...), nil
}

func runJournal(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(stderr, journalUsage)
		return 0
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, "packdeskctl journal: missing subcommand (info or check)\n\n"+journalUsage)
		return 2
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "info", "check", journalChildCmd:
	default:
		fmt.Fprintf(stderr, "packdeskctl journal: unknown subcommand %q; use info or check\n\n%s", sub, journalUsage)
		return 2
	}
	if len(rest) != 1 || strings.HasPrefix(rest[0], "-") {
		fmt.Fprintf(stderr, "packdeskctl journal %s: expected exactly one FILE argument, got %q\n\n%s", sub, rest, journalUsage)
		return 2
	}
	file := rest[0]
	if abs, err := filepath.Abs(file); err == nil {
		file = abs // messages name the file wherever packdeskctl was started
	}
	switch sub {
	case "info":
		return journalInfo(file, stdout, stderr)
	case "check":
		return journalCheck(ctx, file, stdout, stderr)
	default:
		return journalCheckChild(file, stdout, stderr)
	}
}

// journalInfoOutput is what journal info prints.
type journalInfoOutput struct {
	File        string                    `json:"file"`
	SizeBytes   int64                     `json:"size_bytes"`
	Schema      uint64                    `json:"schema"`
	Migrations  []journal.MigrationRecord `json:"migrations"`
	Orders      map[string]int            `json:"orders"` // by status
	OrdersTotal int                       `json:"orders_total"`
	LastSeq     uint64                    `json:"last_seq"`
	PushedSeq   uint64                    `json:"pushed_seq"`
	Unpushed    uint64                    `json:"unpushed"`
}

func journalInfo(file string, stdout, stderr io.Writer) int {
	fi, err := os.Stat(file)
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl journal info: %v: check the path\n", err)
		return 1
	}
	j, err := journal.Open(file, journal.Options{ReadOnly: true})
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl journal info: %v\n", err)
		return 1
	}
	defer j.Close()
	out := journalInfoOutput{File: file, SizeBytes: fi.Size(), Orders: map[string]int{}}
	counts, err := j.OrderCounts()
	if err == nil {
		for st, n := range counts {
			out.Orders[string(st)] = n
			out.OrdersTotal += n
		}
		out.Schema, err = j.Schema()
	}
	if err == nil {
		out.Migrations, err = j.Migrations()
	}
	if err == nil {
		out.LastSeq, err = j.LastSeq()
	}
	if err == nil {
		out.PushedSeq, err = j.Pushed()
	}
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl journal info: %v\n", err)
		return 1
	}
	if out.LastSeq > out.PushedSeq {
		out.Unpushed = out.LastSeq - out.PushedSeq
	}
	return journalJSON(stdout, stderr, "journal info", out)
}

// journalCheckOutput is what journal check (and its child) prints.
type journalCheckOutput struct {
	File string `json:"file"`
	OK   bool   `json:"ok"`
	// Problems say in words what is damaged.
	Problems []string `json:"problems"`
	// Action says what to do when there are problems.
	Action string `json:"action,omitempty"`
	// Details are the checker's own words, for a bug report.
	Details []string `json:"details,omitempty"`
}

// damagedAction is what an operator does with a damaged journal.
const damagedAction = "stop the station, keep a copy of this file (its scans may not have reached the server yet), " +
	"then restore the journal from a backup or move it aside so the station starts a new one"

// addProblem records err in words, with its raw text as a detail.
func (o *journalCheckOutput) addProblem(err error) {
	var d *journal.DamageError
	switch {
	case errors.As(err, &d):
		o.Problems = append(o.Problems, fmt.Sprintf("%s is damaged or is not a Packdesk journal: %s", o.File, d.What))
		o.Details = append(o.Details, d.Detail)
	case errors.Is(err, journal.ErrCorrupt):
		o.Problems = append(o.Problems, err.Error())
	default:
		o.Problems = append(o.Problems, fmt.Sprintf("%s is damaged: %s", o.File, journal.Describe(err.Error())))
		o.Details = append(o.Details, err.Error())
	}
}

// journalCheckChild runs in the child process: bbolt's checker walks pages
// in its own goroutine, where a fault on a damaged file kills the process.
func journalCheckChild(file string, stdout, stderr io.Writer) int {
	out := journalCheckOutput{File: file, Problems: []string{}}
	j, err := journal.Open(file, journal.Options{ReadOnly: true})
	var d *journal.DamageError
	switch {
	case errors.As(err, &d):
		out.addProblem(err)
	case err != nil:
		out.Problems = append(out.Problems, err.Error()) // in use, newer schema: already in words
	default:
		for _, e := range j.Check() {
			out.addProblem(e)
		}
		_ = j.Close()
	}
	out.OK = len(out.Problems) == 0
	if d != nil || (err == nil && !out.OK) {
		out.Action = damagedAction
	}
	if code := journalJSON(stdout, stderr, "journal check", out); code != 0 || !out.OK {
		return 1
	}
	return 0
}

func journalCheck(ctx context.Context, file string, stdout, stderr io.Writer) int {
	if _, err := os.Stat(file); err != nil {
		fmt.Fprintf(stderr, "packdeskctl journal check: %v: check the path\n", err)
		return 1
	}
	cmd, err := selfCommand(ctx, "journal", journalChildCmd, file)
	if err != nil {
		fmt.Fprintf(stderr, "packdeskctl journal check: %v\n", err)
		return 1
	}
	var cout, cerr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &cout, &cerr
	runErr := cmd.Run()
	var res journalCheckOutput
	decErr := json.Unmarshal(cout.Bytes(), &res)
	var exitErr *exec.ExitError
	switch {
	case runErr != nil && ctx.Err() != nil:
		// Ctrl-C killed the child: that is no crash and says nothing about the file.
		fmt.Fprintf(stderr, "packdeskctl journal check: interrupted before the check finished (%v); %s was not changed: run the check again\n", ctx.Err(), file)
		return 1
	case runErr != nil && !errors.As(runErr, &exitErr):
		fmt.Fprintf(stderr, "packdeskctl journal check: start the check process: %v\n", runErr)
		return 1
	case decErr != nil || res.File != file || (runErr == nil) != res.OK:
		// The child died before reporting: on a damaged file that is a
		// fault in the checker (Go exits 2 on a fatal fault).
		res = journalCheckOutput{File: file, Problems: []string{fmt.Sprintf(
			"%s is damaged: the consistency check crashed on a page that points past the end of the file; the file was not changed", file)},
			Action:  damagedAction,
			Details: []string{fmt.Sprintf("checker exit: %v; output: %s", runErr, firstLines(cerr.String(), 3))}}
	}
	if res.Problems == nil {
		res.Problems = []string{}
	}
	code := journalJSON(stdout, stderr, "journal check", res)
	if code != 0 || !res.OK {
		for _, p := range res.Problems {
			fmt.Fprintln(stderr, p)
		}
		if res.Action != "" {
			fmt.Fprintln(stderr, "What to do: "+res.Action+".")
		}
		return 1
	}
	return 0
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[:n] // the first lines name the fault; the rest is goroutine dumps
	}
	return strings.Join(lines, " | ")
}

func journalJSON(stdout, stderr io.Writer, what string, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "packdeskctl %s: write result: %v\n", what, err)
		return 1
	}
	return 0
}
