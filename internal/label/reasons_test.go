package label_test

import (
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/label"
	"github.com/packdesk/packdesk/internal/pack"
)

// The default command sheet prints every exception and override reason the
// engine accepts, and only those: each printed command parses to a command
// the engine knows with a valid reason.
func TestCommandSheetReasonsAreTheEngines(t *testing.T) {
	var exc, ovr []string
	for _, c := range label.DefaultCommands(nil) {
		cmd, ok := pack.ParseCommand(c.Data)
		if !ok || cmd.Kind == pack.CommandUnknown {
			t.Errorf("printed command %q does not parse as a known command", c.Data)
		}
		switch cmd.Kind {
		case pack.CommandException:
			exc = append(exc, cmd.Arg)
		case pack.CommandOverride:
			ovr = append(ovr, cmd.Arg)
		}
	}
	if got, want := strings.Join(exc, ","), strings.Join(pack.ExceptionReasons, ","); got != want {
		t.Errorf("exception reasons on the sheet %s, engine %s", got, want)
	}
	if got, want := strings.Join(ovr, ","), strings.Join(pack.OverrideReasons, ","); got != want {
		t.Errorf("override reasons on the sheet %s, engine %s", got, want)
	}
	if _, err := label.Build("command-sheet", label.Fields{"reasons": "damaged,TORN"}, 203); err == nil || !strings.Contains(err.Error(), `"TORN"`) {
		t.Errorf("a reason the engine refuses on the sheet: error %v, want one naming TORN", err)
	}
	if _, err := label.Build("command-sheet", label.Fields{"reasons": "damaged, wrong-address"}, 203); err != nil {
		t.Errorf("valid reasons in lower case: %v", err)
	}
}

// The returns commands on the sheet are every grade and disposition the
// engine knows, each parsing to its command.
func TestCommandSheetHasTheReturnsCommands(t *testing.T) {
	var grades, disps []string
	modes := 0
	for _, c := range label.DefaultCommands(nil) {
		cmd, _ := pack.ParseCommand(c.Data)
		switch cmd.Kind {
		case pack.CommandGrade:
			grades = append(grades, cmd.Arg)
		case pack.CommandDispose:
			disps = append(disps, strings.ToLower(cmd.Arg))
		case pack.CommandMode:
			modes++
		}
	}
	var wantG, wantD []string
	for _, g := range pack.Grades {
		wantG = append(wantG, string(g))
	}
	for _, d := range pack.Dispositions {
		wantD = append(wantD, string(d))
	}
	if strings.Join(grades, ",") != strings.Join(wantG, ",") || strings.Join(disps, ",") != strings.Join(wantD, ",") || modes != 2 {
		t.Errorf("sheet grades %v, dispositions %v, modes %d; engine %v, %v, 2", grades, disps, modes, wantG, wantD)
	}
}
