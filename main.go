// Command packdesk is the packing station: it opens the station's journal,
// starts the printer, scanner and sound, and runs the Fyne GUI. With -demo
// it seeds demo orders and prints labels into the demo directory.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/packdesk/packdesk/app"
	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/drivers/scanner"
	"github.com/packdesk/packdesk/drivers/serialport"
	"github.com/packdesk/packdesk/internal/demo"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/printq"
	"github.com/packdesk/packdesk/internal/station"
)

func main() {
	demoDir := flag.String("demo", "", "demo mode: seed demo orders into `DIR` and print labels into DIR/labels")
	data := flag.String("data", "", "the station's journal `FILE` (default DIR/station.db with -demo, else ./packdesk.db)")
	lang := flag.String("lang", "", "user interface language: en or zh (default: settings, then the system locale)")
	flag.Parse()
	if err := run(*demoDir, *data, *lang); err != nil {
		fmt.Fprintln(os.Stderr, "packdesk:", err)
		os.Exit(1)
	}
}

func run(demoDir, data, lang string) error {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	labels := "labels"
	if data == "" {
		data = "packdesk.db"
		if demoDir != "" {
			data, labels = filepath.Join(demoDir, "station.db"), filepath.Join(demoDir, "labels")
		}
	}
	if err := os.MkdirAll(filepath.Dir(data), 0o755); err != nil {
		return fmt.Errorf("create the data directory: %w", err)
	}
	j, err := journal.Open(data, journal.Options{})
	if err != nil {
		return err
	}
	defer j.Close()
	if demoDir != "" {
		if err := demo.Seed(ctx, j, demoDir); err != nil {
			return err
		}
	}
	q, err := printq.Open(j.DB())
	if err != nil {
		return err
	}
	set := readSettings(ctx, j)
	lm, err := station.NewLabelMaker(station.LabelOptions{Language: set.Printer.Language, DPI: set.Printer.DPI})
	if err != nil {
		return err
	}
	var prn printer.Printer
	if set.Printer.Address != "" && demoDir == "" {
		if prn, err = printer.Open(set.Printer.Address); err != nil {
			return err
		}
	} else if prn, err = station.NewFilePrinter(labels, set.Printer.Language); err != nil {
		return err
	}
	st, err := station.New(ctx, station.Config{Journal: j, Engine: pack.Engine{RequireLogin: true},
		Queue: &station.QueueAdapter{Q: q, Language: set.Printer.Language}, Labels: lm, Printer: prn})
	if err != nil {
		return err
	}
	go func() { _ = q.Run(ctx, prn) }()
	go func() { _ = st.Run(ctx, 0) }()
	startSerialScanner(ctx, st, set.Scanner)

	a := fyneapp.NewWithID("com.packdesk.station")
	ui, err := app.New(a, app.Options{Station: st, Lang: lang, Devices: listDevices,
		Sound:     func(ctx context.Context) (app.Sounder, error) { return app.StartSound(ctx) },
		TestLabel: func(ctx context.Context) error { return prn.Send(ctx, testLabel(set.Printer.Language)) }})
	if err != nil {
		return err
	}
	go func() { <-ctx.Done(); a.Quit() }()
	ui.Window().ShowAndRun()
	return nil
}

// readSettings returns the stored settings with printer defaults filled in.
func readSettings(ctx context.Context, j *journal.Journal) station.Settings {
	probe, err := station.New(ctx, station.Config{Journal: j})
	var set station.Settings
	if err == nil {
		set, _ = probe.Settings(ctx)
	}
	if set.Printer.Language == "" {
		set.Printer.Language = "zpl"
	}
	return set
}

// startSerialScanner reads a serial scanner when the settings name one;
// the keyboard wedge needs nothing started.
func startSerialScanner(ctx context.Context, st *station.Station, s station.ScannerSettings) {
	if s.Kind != "serial" || (s.Port == "" && s.VIDPID == "") {
		return
	}
	id, err := serialport.ParseIdentity(s.Port)
	if s.VIDPID != "" {
		id, err = serialport.ParseIdentity("usb:" + s.VIDPID)
	}
	r, rerr := scanner.NewReader(scanner.Config{Device: id})
	if err != nil || rerr != nil {
		st.SetScanner(station.DeviceStatus{Configured: true, Name: s.Port, Error: &station.Message{
			Key: station.KeyStatusScannerError, Args: map[string]any{"detail": fmt.Sprint(err, rerr)}}})
		return
	}
	go func() { _ = r.Run(ctx) }()
	go func() {
		for ev := range r.Events() {
			st.SetScanner(station.DeviceStatus{Configured: true, Connected: ev.State == scanner.StateConnected, Name: ev.Path})
		}
	}()
	go func() {
		for sc := range r.Scans() {
			_, _ = st.Scan(ctx, string(sc.Data), sc.Source)
		}
	}()
}

// testLabel is a one-line label in the printer's language.
func testLabel(language string) []byte {
	if language == "tspl" {
		return []byte("SIZE 100 mm,50 mm\r\nCLS\r\nTEXT 40,40,\"4\",0,1,1,\"Packdesk test label\"\r\nPRINT 1\r\n")
	}
	return []byte("^XA^FO40,40^A0N,50,50^FDPackdesk test label^FS^XZ\n")
}

func listDevices() ([]string, error) {
	devs, err := serialport.List()
	out := make([]string, 0, len(devs))
	for _, d := range devs {
		out = append(out, d.Identity().String())
	}
	return out, err
}
