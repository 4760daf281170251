package amazon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/returnsfile"
)

// ReturnsStore is what a ReturnsReporter needs of the store.
type ReturnsStore interface {
	AmazonReportPoll(ctx context.Context, seller, reportType string) (central.AmazonReportPoll, error)
	SaveAmazonReportPoll(ctx context.Context, p central.AmazonReportPoll) error
	ImportReturns(ctx context.Context, warehouse string, reqs []central.ReturnRequest) (central.ReturnImportResult, error)
}

var _ ReturnsStore = (central.Store)(nil)

// ReturnsReporter brings a seller's FBM returns into the store through
// the Reports API: createReport for GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE
// over the window [covered until, now − Lag), getReport until the report
// is DONE, getReportDocument, the download (gunzipped), the returns file
// reader, and the store's ImportReturns, the same path as a report file
// imported by hand. The window is fixed when the report is requested and
// kept with it in the store, so a report still processing is followed on
// the next run, and the next window starts where this one ended: windows
// neither overlap nor leave gaps. A window is only counted covered once
// its returns are imported (or Amazon said there were none).
type ReturnsReporter struct {
	Client *Client
	Store  ReturnsStore
	// FirstLookback is how far back a seller's first report looks (30
	// days when 0); Lag how far behind now a window ends (1 h when 0:
	// Amazon's report data for the last hour may not be complete);
	// MinWindow the shortest window worth a report (1 h when 0); MaxWindow
	// the longest (30 days when 0: a longer gap is caught up one window
	// per run).
	FirstLookback, Lag, MinWindow, MaxWindow time.Duration
	// Checks is how many times one run asks getReport before leaving the
	// report for the next run (5 when 0), CheckEvery the pause between
	// (30 s when 0).
	Checks     int
	CheckEvery time.Duration
	// MaxFailures is how many failed tries to fetch or read one report's
	// document make the connector give the report up and request its
	// window again (3 when 0); MaxPending how long a report may stay queued
	// or in progress before it is given up the same way (24 h when 0).
	MaxFailures int
	MaxPending  time.Duration
}

// ReturnsResult says what one run did.
type ReturnsResult struct {
	Seller   string       `json:"seller"`
	ReportID string       `json:"report_id,omitempty"`
	Status   ReportStatus `json:"status,omitempty"`
	Start    time.Time    `json:"start,omitzero"`
	End      time.Time    `json:"end,omitzero"`
	Covered  bool         `json:"covered"` // the window is imported (or had no returns)
	Waiting  bool         `json:"waiting"` // the report is still being made: the next run follows it
	// Requested is when the report was requested (a job follows a new one
	// more often than its period).
	Requested time.Time                  `json:"requested,omitzero"`
	Import    central.ReturnImportResult `json:"import"`
	NextSlot  time.Duration              `json:"next_slot,omitzero"` // rate limited: when the next call may go
}

// ReportError is a report Amazon could not make (FATAL), with what its
// error document said.
type ReportError struct {
	Seller, ReportID string
	Detail           string // the error document's text, or why it could not be read
}

func (e *ReportError) Error() string {
	msg := fmt.Sprintf("amazon %s: report %s ended FATAL: Amazon could not make it; the window is requested again on the next run", e.Seller, e.ReportID)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

func (r *ReturnsReporter) now() time.Time { return r.Client.opt.Now().UTC() }

// Run runs one step of the seller's returns report: it requests the next
// window's report when none is pending, follows the pending one, and
// imports it once DONE. Being rate limited or waiting for Amazon is not
// an error (Waiting, NextSlot). Errors: the store's; Amazon's (*Error)
// for a call that failed after its retries; *ReportError for a FATAL
// report; the returns file reader's (*returnsfile.Error) for a document
// that does not read. Every error is also kept in the report position's
// LastError.
func (r *ReturnsReporter) Run(ctx context.Context, seller string) (ReturnsResult, error) {
	res := ReturnsResult{Seller: seller}
	s, err := r.Client.seller(seller)
	if err != nil {
		return res, err
	}
	pos, err := r.Store.AmazonReportPoll(ctx, seller, ReturnsReportType)
	if err != nil {
		return res, fmt.Errorf("amazon: %s: read the returns report position: %w", seller, err)
	}
	pos.Seller, pos.ReportType = seller, ReturnsReportType
	now := r.now()
	pos.LastAttempt = now
	res, err = r.step(ctx, s, &pos, res)
	if err != nil {
		pos.LastError, pos.LastErrorAt = err.Error(), now
	}
	if serr := r.Store.SaveAmazonReportPoll(ctx, pos); serr != nil {
		return res, errors.Join(err, fmt.Errorf("amazon: %s: save the returns report position: %w", seller, serr))
	}
	return res, err
}

func (r *ReturnsReporter) step(ctx context.Context, s *sellerConn, pos *central.AmazonReportPoll, res ReturnsResult) (ReturnsResult, error) {
	now := r.now()
	wctx := WithMaxWait(ctx, or(r.CheckEvery, 30*time.Second))
	if pos.Pending == nil {
		if pos.Since.IsZero() {
			pos.Since = now.Add(-or(r.FirstLookback, 30*24*time.Hour)).Truncate(time.Second)
		}
		start := pos.CoveredUntil
		if start.IsZero() {
			start = pos.Since
		}
		end := now.Add(-or(r.Lag, time.Hour)).Truncate(time.Second)
		if maxEnd := start.Add(or(r.MaxWindow, 30*24*time.Hour)); end.After(maxEnd) {
			end = maxEnd
		}
		res.Start, res.End = start, end
		if end.Sub(start) < or(r.MinWindow, time.Hour) {
			return res, nil // not due yet
		}
		id, _, err := r.Client.CreateReport(wctx, s.ID, CreateReportSpec{ReportType: ReturnsReportType,
			DataStartTime: &start, DataEndTime: &end, MarketplaceIDs: s.Marketplaces})
		if limited(err, &res) {
			return res, nil
		}
		if err != nil {
			return res, err
		}
		pos.Pending = &central.PendingReport{ReportID: id, Start: start, End: end, Requested: now}
	}
	p := pos.Pending
	res.ReportID, res.Start, res.End, res.Requested = p.ReportID, p.Start, p.End, p.Requested
	if p.DocumentID == "" {
		rep, err := r.follow(ctx, wctx, s, p, &res)
		if err == nil && res.Waiting && now.Sub(p.Requested) > or(r.MaxPending, 24*time.Hour) {
			pos.Pending = nil
			return res, fmt.Errorf("amazon: %s: report %s is still %s %s after it was requested: gave it up, its window is requested again on the next run",
				s.ID, p.ReportID, p.Status, now.Sub(p.Requested).Round(time.Minute))
		}
		var ae *Error
		if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
			pos.Pending = nil
			return res, fmt.Errorf("%w (report %s is gone: its window is requested again on the next run)", err, p.ReportID)
		}
		if err != nil || res.Waiting || res.NextSlot > 0 {
			return res, err
		}
		switch rep.ProcessingStatus {
		case ReportCancelled: // no returns in the window (or cancelled by someone): covered
			r.covered(pos, central.ReturnImportResult{})
			res.Covered = true
			return res, nil
		case ReportFatal:
			pos.Pending = nil // the window is requested again next run
			return res, &ReportError{Seller: s.ID, ReportID: rep.ReportID, Detail: r.errorDocument(wctx, s, rep.ReportDocumentID)}
		}
		p.DocumentID = rep.ReportDocumentID
	}
	body, err := r.document(wctx, s, p.DocumentID, &res)
	if err == nil && res.NextSlot > 0 {
		return res, nil
	}
	var reqs []central.ReturnRequest
	var skipped []string
	if err == nil {
		reqs, skipped, err = readReturns(body)
	}
	if err != nil {
		var ae *Error
		if errors.As(err, &ae) && ae.Retryable() {
			return res, err // Amazon's or the network's trouble: the same report next run
		}
		p.Failures++
		if p.Failures >= or(r.MaxFailures, 3) {
			pos.Pending = nil
			err = fmt.Errorf("%w (gave report %s up after %d tries: its window is requested again on the next run)", err, p.ReportID, p.Failures)
		}
		return res, err
	}
	imp := central.ReturnImportResult{}
	if len(reqs) > 0 {
		actx := central.WithActor(ctx, "amazon:"+s.ID)
		if imp, err = r.Store.ImportReturns(actx, s.Warehouse, reqs); err != nil {
			return res, fmt.Errorf("amazon: %s: import %d returns of report %s: %w", s.ID, len(reqs), p.ReportID, err)
		}
	}
	imp.Skipped = append(imp.Skipped, skipped...)
	r.covered(pos, imp)
	res.Covered, res.Import = true, imp
	return res, nil
}

// covered moves the position past its pending window.
func (r *ReturnsReporter) covered(pos *central.AmazonReportPoll, imp central.ReturnImportResult) {
	pos.CoveredUntil, pos.Pending, pos.LastSuccess, pos.Imported = pos.Pending.End, nil, r.now(), imp
}

// follow asks getReport up to Checks times until the report is no longer
// queued or in progress.
func (r *ReturnsReporter) follow(ctx, wctx context.Context, s *sellerConn, p *central.PendingReport, res *ReturnsResult) (Report, error) {
	checks := r.Checks
	if checks <= 0 {
		checks = 5
	}
	for i := 0; ; i++ {
		rep, _, err := r.Client.GetReport(wctx, s.ID, p.ReportID)
		if limited(err, res) {
			return rep, nil
		}
		if err != nil {
			return rep, err
		}
		p.Status, res.Status = string(rep.ProcessingStatus), rep.ProcessingStatus
		if rep.ProcessingStatus != ReportInQueue && rep.ProcessingStatus != ReportInProgress {
			return rep, nil
		}
		if i+1 >= checks {
			res.Waiting = true
			return rep, nil
		}
		if err := r.Client.opt.Sleep(ctx, or(r.CheckEvery, 30*time.Second)); err != nil {
			return rep, fmt.Errorf("amazon: %s: wait for report %s: %w", s.ID, p.ReportID, err)
		}
	}
}

// document fetches the document's URL and downloads it; a URL refused
// (expired) is fetched afresh once.
func (r *ReturnsReporter) document(ctx context.Context, s *sellerConn, docID string, res *ReturnsResult) ([]byte, error) {
	for try := 1; ; try++ {
		doc, _, err := r.Client.GetReportDocument(ctx, s.ID, docID)
		if limited(err, res) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		body, _, err := r.Client.DownloadReportDocument(ctx, s.ID, doc)
		var ae *Error
		if try == 1 && errors.As(err, &ae) && (ae.Status == http.StatusForbidden || ae.Status == http.StatusBadRequest) {
			continue
		}
		return body, err
	}
}

// errorDocument reads a FATAL report's error document, if it has one.
func (r *ReturnsReporter) errorDocument(ctx context.Context, s *sellerConn, docID string) string {
	if docID == "" {
		return "Amazon gave no error document"
	}
	var res ReturnsResult
	body, err := r.document(ctx, s, docID, &res)
	switch {
	case err != nil:
		return "its error document could not be read: " + err.Error()
	case res.NextSlot > 0:
		return "its error document was not read (rate limited)"
	}
	return clip(strings.Join(strings.Fields(string(bytes.ToValidUTF8(body, nil))), " "), 500)
}

// readReturns reads a returns report document into requests, one per RMA.
func readReturns(body []byte) ([]central.ReturnRequest, []string, error) {
	rep, err := returnsfile.Read(bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("amazon: the returns report document: %w", err)
	}
	reqs, err := central.ReturnRequestsFromReport(rep, central.ReturnFromSPAPI)
	if err != nil {
		return nil, nil, fmt.Errorf("amazon: the returns report document: %w", err)
	}
	var skipped []string
	for _, s := range rep.Skipped {
		skipped = append(skipped, s.Error())
	}
	return reqs, skipped, nil
}

// limited reports whether err is only the rate limit's next slot being
// too far, and notes when it is.
func limited(err error, res *ReturnsResult) bool {
	var ae *Error
	if errors.As(err, &ae) && ae.RateLimited > 0 {
		res.NextSlot = ae.RateLimited
		return true
	}
	return false
}
