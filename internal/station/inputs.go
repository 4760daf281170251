package station

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
)

// Reprint reprints the open order's label, logged ("reprint" event): the
// same as scanning PDCMD:REPRINT. Errors as for Scan.
func (s *Station) Reprint(ctx context.Context) (Outcome, error) {
	return s.Scan(ctx, "PDCMD:REPRINT", SourceKeyboard)
}

// LabelFailed reports that the label did not come out right: the same as
// scanning PDCMD:LABEL-FAILED. Errors as for Scan.
func (s *Station) LabelFailed(ctx context.Context) (Outcome, error) {
	return s.Scan(ctx, "PDCMD:LABEL-FAILED", SourceKeyboard)
}

// RaiseException sends the open order to the exception pool with reason
// (one of pack.ExceptionReasons): the same as scanning
// PDCMD:EXCEPTION:<reason>. The order is committed with status exception;
// a reason not in the list is refused by the engine (command_rejected,
// exception_reason_unknown), like the barcode. Errors as for Scan; an
// empty reason is refused.
func (s *Station) RaiseException(ctx context.Context, reason string) (Outcome, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Outcome{}, errors.New("station: an exception needs a reason code: choose one of " + strings.Join(pack.ExceptionReasons, ", "))
	}
	return s.Scan(ctx, "PDCMD:EXCEPTION:"+reason, SourceKeyboard)
}

// Login logs a packer in by badge id: the same as scanning PDBADGE:<badge>.
// Errors as for Scan.
func (s *Station) Login(ctx context.Context, badge string) (Outcome, error) {
	return s.Scan(ctx, "PDBADGE:"+badge, SourceKeyboard)
}

// Logout logs the packer out: the same as scanning PDCMD:LOGOUT. With an
// order open it only asks (logout_choice, View.Step StepLogout): answer
// with LogoutChoice. Errors as for Scan.
func (s *Station) Logout(ctx context.Context) (Outcome, error) {
	return s.Scan(ctx, "PDCMD:LOGOUT", SourceKeyboard)
}

// LogoutChoice logs the packer out with the open order handed over to the
// next packer (handOver) or put back (it stays ready): the same as
// scanning PDCMD:LOGOUT:HANDOVER or PDCMD:LOGOUT:PUTBACK. Both are
// audited. Errors as for Scan.
func (s *Station) LogoutChoice(ctx context.Context, handOver bool) (Outcome, error) {
	if handOver {
		return s.Scan(ctx, "PDCMD:LOGOUT:"+pack.LogoutHandover, SourceKeyboard)
	}
	return s.Scan(ctx, "PDCMD:LOGOUT:"+pack.LogoutPutBack, SourceKeyboard)
}

// Weigh feeds a scale reading. Every reading updates the status bar; a
// stable reading during the weigh step is judged by the engine and
// committed (weight_ok or weight_mismatch; a repeated mismatch with the
// same grams is not recorded again). weight_ok prints the label. Errors as
// for Scan; a reading that is not judged returns a zero Outcome and nil.
func (s *Station) Weigh(ctx context.Context, grams int, stable bool) (Outcome, error) {
	s.update(func(v *View) {
		v.Status.Scale.Connected, v.Status.Scale.Stable, v.Status.Scale.Grams, v.Status.Scale.Error = true, stable, grams, nil
		if v.Weigh != nil {
			w := *v.Weigh
			w.Stable, w.Grams, w.Error = stable, grams, nil
			v.Weigh = &w
		}
	})
	if !stable {
		return Outcome{}, nil
	}
	if err := s.acquire(ctx); err != nil {
		return Outcome{}, err
	}
	defer s.release()
	cur := s.current()
	if cur.Open == nil || cur.Open.Step != pack.StepWeigh || len(cur.Alerts) > 0 ||
		cur.Open.WeightGrams == grams && cur.Open.WeightGrams != 0 {
		return Outcome{}, nil
	}
	now := s.now()
	p := &step{scan: fmt.Sprintf("%dg", grams), source: "scale", kind: "weigh", next: cur.clone()}
	p.d, p.next.State = s.engine.Weigh(cur.State, grams, now)
	s.afterDecision(p, cur, now)
	return s.finish(ctx, p, cur, now)
}

// SetScaleError shows a scale fault in the status bar and the weigh panel
// (View.Weigh.Error); nil clears it. Subscribers are notified.
func (s *Station) SetScaleError(m *Message) {
	s.update(func(v *View) {
		v.Status.Scale.Error = m
		v.Status.Scale.Connected = m == nil
		if v.Weigh != nil {
			w := *v.Weigh
			w.Error = m
			v.Weigh = &w
		}
	})
}

// Setting keys in the journal's settings bucket.
const (
	setServerURL = "server_url"
	setToken     = "station_token"
	setLanguage  = "language"
	setVolume    = "volume"
	setDevices   = "devices" // JSON of scanner, printer, scale settings
	setLabelFont = "label_font"
	setJobDays   = "printed_job_days"
	setClaim     = "claim_orders"
	setShipFrom  = journal.SettingShipFrom  // JSON of pack.Address
	setStation   = journal.SettingStationID // written by SetStationID only
)

type devices struct {
	Scanner ScannerSettings `json:"scanner"`
	Printer PrinterSettings `json:"printer"`
	Scale   ScaleSettings   `json:"scale"`
}

// Settings returns the stored settings; unset values are zero.
// Errors: journal read failures; damaged device settings.
func (s *Station) Settings(ctx context.Context) (Settings, error) {
	return LoadSettings(ctx, s.cfg.Journal)
}

// SettingsReader is the part of the journal LoadSettings needs.
type SettingsReader interface {
	Setting(key string) (string, bool, error)
}

// LoadSettings reads the settings from a journal without a Station (for
// start-up wiring, before the devices are opened); unset values are zero,
// volume 80. Errors: journal read failures; damaged device settings.
func LoadSettings(ctx context.Context, j SettingsReader) (Settings, error) {
	if err := ctx.Err(); err != nil {
		return Settings{}, err
	}
	vals := map[string]string{}
	for _, k := range []string{setServerURL, setToken, setLanguage, setVolume, setDevices, setLabelFont, setJobDays, setStation, setShipFrom, setClaim} {
		v, _, err := j.Setting(k)
		if err != nil {
			return Settings{}, fmt.Errorf("station: read setting %s: %w", k, err)
		}
		vals[k] = v
	}
	set := Settings{ServerURL: vals[setServerURL], StationToken: Secret(vals[setToken]), Language: vals[setLanguage], Volume: 80,
		LabelFont: vals[setLabelFont], StationID: vals[setStation]}
	if v := vals[setJobDays]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return set, fmt.Errorf("station: the stored number of days to keep printed jobs %q is not a whole number of at least 1: set it again in settings", v)
		}
		set.PrintedJobDays = n
	}
	if v := vals[setClaim]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxClaimOrders {
			return set, fmt.Errorf("station: the stored number of orders to keep claimed %q is not a whole number from 1 to %d: set it again in settings", v, MaxClaimOrders)
		}
		set.ClaimOrders = n
	}
	if v := vals[setVolume]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return set, fmt.Errorf("station: the stored volume %q is not a number: set it again in settings", v)
		}
		set.Volume = n
	}
	if v := vals[setShipFrom]; v != "" {
		if err := json.Unmarshal([]byte(v), &set.ShipFrom); err != nil {
			return set, fmt.Errorf("station: the stored ship-from address is damaged (%v): enter it again in settings", err)
		}
	}
	if v := vals[setDevices]; v != "" {
		var d devices
		if err := json.Unmarshal([]byte(v), &d); err != nil {
			return set, fmt.Errorf("station: the stored device settings are damaged (%v): set them again in settings", err)
		}
		set.Scanner, set.Printer, set.Scale = d.Scanner, d.Printer, d.Scale
	}
	return set, nil
}

// SaveSettings stores set durably and updates the View's language. The
// token is never logged. set.StationID is not written (SetStationID
// does that). Errors: an invalid value (volume outside 0–100, a
// server URL that is not http(s)); a *Error with KeyErrSettings when the
// journal write fails (settings written before the failure stay).
func (s *Station) SaveSettings(ctx context.Context, set Settings) error {
	if set.Volume < 0 || set.Volume > 100 {
		return fmt.Errorf("station: volume %d is outside 0–100: choose a value in that range", set.Volume)
	}
	if u := set.ServerURL; u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return fmt.Errorf("station: server URL %q must start with http:// or https://", u)
	}
	if set.ShipFrom != (pack.Address{}) {
		if err := ValidShipFrom(set.ShipFrom); err != nil {
			return err
		}
	}
	if set.PrintedJobDays < 0 {
		return fmt.Errorf("station: keep printed jobs for %d days is negative: choose at least 1 day, or 0 for the default %d", set.PrintedJobDays, DefaultPrintedJobDays)
	}
	days := ""
	if set.PrintedJobDays > 0 {
		days = strconv.Itoa(set.PrintedJobDays)
	}
	if set.ClaimOrders < 0 || set.ClaimOrders > MaxClaimOrders {
		return fmt.Errorf("station: keep %d orders claimed: choose from 1 to %d (a shift's worth to pack offline), or 0 for the default %d", set.ClaimOrders, MaxClaimOrders, DefaultClaimOrders)
	}
	claim := ""
	if set.ClaimOrders > 0 {
		claim = strconv.Itoa(set.ClaimOrders)
	}
	d, _ := json.Marshal(devices{Scanner: set.Scanner, Printer: set.Printer, Scale: set.Scale})
	from := ""
	if set.ShipFrom != (pack.Address{}) {
		b, _ := json.Marshal(set.ShipFrom)
		from = string(b)
	}
	for _, kv := range [][2]string{
		{setServerURL, set.ServerURL}, {setToken, set.StationToken.Reveal()}, {setLanguage, set.Language},
		{setVolume, fmt.Sprint(set.Volume)}, {setDevices, string(d)}, {setLabelFont, set.LabelFont}, {setJobDays, days},
		{setShipFrom, from}, {setClaim, claim},
	} {
		if err := s.cfg.Journal.SetSetting(ctx, kv[0], kv[1]); err != nil {
			return opError(KeyErrSettings, fmt.Errorf("station: save setting %s: %w", kv[0], err))
		}
	}
	s.update(func(v *View) { v.Language = set.Language })
	return nil
}

// Run polls the printer status and the print queue counts every interval
// (0 = 2 s) until ctx is done, keeping the status bar current. It returns
// ctx's error.
func (s *Station) Run(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.pollPrinter(ctx, interval)
		_ = s.refreshCounts(ctx)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (s *Station) pollPrinter(ctx context.Context, timeout time.Duration) {
	if s.cfg.Printer == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	st, err := s.cfg.Printer.Status(ctx)
	state, detail := "ready", ""
	switch {
	case err != nil:
		state, detail = "offline", err.Error()
	case st.Ready():
	case st.PaperOut:
		state = "paper_out"
	case st.HeadOpen || st.CoverOpen:
		state = "head_open"
	case st.Paused:
		state = "paused"
	default:
		state, detail = "error", st.String()
	}
	s.update(func(v *View) { v.Status.Printer.State, v.Status.Printer.Detail = state, detail })
}
