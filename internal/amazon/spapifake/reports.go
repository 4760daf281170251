package spapifake

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
)

// DocumentPath is where the fake serves report documents: its stand-in
// for the presigned S3 URLs Amazon hands out (no token; the URL expires
// 5 minutes after getReportDocument made it).
const DocumentPath = "/report-documents/"

// ReturnRow is one row of the FBM returns report the fake makes: the
// report of a window holds the rows whose ReturnDate falls in it.
type ReturnRow struct {
	OrderID, RMA, SKU, ASIN, Title string
	Quantity                       int
	Reason                         string // e.g. DEFECTIVE
	Tracking, Carrier              string
	OrderDate, ReturnDate          time.Time
	Amount, Currency               string // Order Amount ("25.98") and its currency; "" for none
	OrderQuantity                  int
}

// ReportFault is what happens to the next report the fake makes.
type ReportFault int

// Report faults.
const (
	ReportFatalWithDocument ReportFault = iota + 1 // FATAL with an error document
	ReportFatalNoDocument                          // FATAL without one
	ReportCancelledByAmazon                        // CANCELLED although it has data
	DocumentExpiredOnce                            // the first download of its document gets S3's 403 AccessDenied
	DocumentCorrupt                                // its document is not valid gzip (every download)
	DocumentCorruptOnce                            // the first download is cut off (a corrupt gzip), later ones are fine
	DocumentPlain                                  // its document is not compressed (no compressionAlgorithm)
	DocumentBadFile                                // its document is not a returns report
)

type fakeReport struct {
	amazon.Report
	checks int // getReport calls so far
	fault  ReportFault
}

type fakeDocument struct {
	body      []byte // what is served (gzipped unless plain)
	plain     bool
	corrupt   int // downloads left that get a cut-off body (-1: all)
	expire403 int // downloads left that get 403
	urls      map[string]time.Time
}

// ReportChecks is how many getReport calls see a report IN_QUEUE or
// IN_PROGRESS before it is final (2 unless SetReportChecks).
func (f *Fake) SetReportChecks(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reportChecks = max(n, 0)
}

// AddReturns adds rows to the returns the fake's reports are made from.
func (f *Fake) AddReturns(rows ...ReturnRow) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.returns = append(f.returns, rows...)
}

// InjectReport queues faults for the next reports created, one each.
func (f *Fake) InjectReport(faults ...ReportFault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reportFaults = append(f.reportFaults, faults...)
}

// ReportRequests returns the createReport bodies the fake accepted, in order.
func (f *Fake) ReportRequests() []amazon.CreateReportSpec {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reportSpecs)
}

// createReport accepts a report request (202 with its id).
func (f *Fake) createReport(w http.ResponseWriter, r *http.Request, reqID, limit string) {
	var spec amazon.CreateReportSpec
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&spec); err != nil {
		writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "Invalid input", err.Error())
		return
	}
	now := f.opt.Now().UTC()
	switch {
	case spec.ReportType != amazon.ReturnsReportType:
		writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "The fake makes only "+amazon.ReturnsReportType)
		return
	case len(spec.MarketplaceIDs) < 1 || len(spec.MarketplaceIDs) > 25:
		writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "marketplaceIds must hold 1 to 25 ids")
		return
	case spec.DataStartTime != nil && spec.DataStartTime.After(now), spec.DataEndTime != nil && spec.DataEndTime.After(now):
		writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "dataStartTime and dataEndTime must not be in the future")
		return
	case spec.DataStartTime != nil && spec.DataEndTime != nil && spec.DataEndTime.Before(*spec.DataStartTime):
		writeErrors(w, reqID, limit, http.StatusBadRequest, "InvalidInput", "dataEndTime is before dataStartTime")
		return
	}
	f.reportSpecs = append(f.reportSpecs, spec)
	id := strconv.Itoa(50000000000 + len(f.reportSpecs))
	rep := &fakeReport{Report: amazon.Report{ReportID: id, ReportType: spec.ReportType, MarketplaceIDs: spec.MarketplaceIDs,
		DataStartTime: spec.DataStartTime, DataEndTime: spec.DataEndTime, CreatedTime: now, ProcessingStatus: amazon.ReportInQueue}}
	if len(f.reportFaults) > 0 {
		rep.fault, f.reportFaults = f.reportFaults[0], f.reportFaults[1:]
	}
	f.reports[id] = rep
	writeJSON(w, reqID, limit, http.StatusAccepted, map[string]string{"reportId": id})
}

// getReport answers with the report, moving it on: IN_QUEUE, then
// IN_PROGRESS, then final after ReportChecks calls.
func (f *Fake) getReport(w http.ResponseWriter, id, reqID, limit string) {
	rep, ok := f.reports[id]
	if !ok {
		writeErrors(w, reqID, limit, http.StatusNotFound, "NotFound", "Report not found: "+id)
		return
	}
	rep.checks++
	now := f.opt.Now().UTC()
	switch {
	case rep.ProcessingStatus != amazon.ReportInQueue && rep.ProcessingStatus != amazon.ReportInProgress:
	case rep.checks <= f.reportChecks/2:
	case rep.checks <= f.reportChecks:
		rep.ProcessingStatus = amazon.ReportInProgress
		rep.ProcessingStartTime = &now
	default:
		f.finish(rep, now)
	}
	writeJSON(w, reqID, limit, http.StatusOK, rep.Report)
}

// finish makes the report final (mu held): its document, or FATAL, or
// CANCELLED when there is nothing to report.
func (f *Fake) finish(rep *fakeReport, now time.Time) {
	if rep.ProcessingStartTime == nil {
		rep.ProcessingStartTime = &now
	}
	rep.ProcessingEndTime = &now
	switch rep.fault {
	case ReportFatalNoDocument:
		rep.ProcessingStatus = amazon.ReportFatal
		return
	case ReportFatalWithDocument:
		rep.ProcessingStatus = amazon.ReportFatal
		rep.ReportDocumentID = f.putDocument([]byte(`{"errorDetails":"The report could not be generated: an internal error occurred. Request the report again."}`), rep.fault)
		return
	case ReportCancelledByAmazon:
		rep.ProcessingStatus = amazon.ReportCancelled
		return
	}
	var rows []ReturnRow
	for _, row := range f.returns {
		if rep.DataStartTime != nil && row.ReturnDate.Before(*rep.DataStartTime) || rep.DataEndTime != nil && !row.ReturnDate.Before(*rep.DataEndTime) {
			continue
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		rep.ProcessingStatus = amazon.ReportCancelled // Amazon cancels a report with no data
		return
	}
	body := ReturnsReport(rows)
	if rep.fault == DocumentBadFile {
		body = []byte("this is not a returns report\n")
	}
	rep.ProcessingStatus = amazon.ReportDone
	rep.ReportDocumentID = f.putDocument(body, rep.fault)
}

// putDocument stores a document (mu held) and returns its id.
func (f *Fake) putDocument(text []byte, fault ReportFault) string {
	id := fmt.Sprintf("amzn1.spdoc.1.4.na.%08d-fake", len(f.documents)+1)
	d := &fakeDocument{body: text, plain: fault == DocumentPlain, urls: map[string]time.Time{}}
	if !d.plain {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write(text)
		_ = zw.Close()
		d.body = b.Bytes()
	}
	switch fault {
	case DocumentCorrupt:
		d.corrupt = -1
	case DocumentCorruptOnce:
		d.corrupt = 1
	case DocumentExpiredOnce:
		d.expire403 = 1
	}
	f.documents[id] = d
	return id
}

// getReportDocument answers with a fresh presigned URL on the fake.
func (f *Fake) getReportDocument(w http.ResponseWriter, r *http.Request, id, reqID, limit string) {
	d, ok := f.documents[id]
	if !ok {
		writeErrors(w, reqID, limit, http.StatusNotFound, "NotFound", "Report document not found: "+id)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	sig := f.nextID("sig")
	d.urls[sig] = f.opt.Now().Add(5 * time.Minute)
	doc := amazon.ReportDocument{ReportDocumentID: id,
		URL: scheme + "://" + r.Host + DocumentPath + id + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300&X-Amz-Signature=" + sig}
	if !d.plain {
		doc.CompressionAlgorithm = "GZIP"
	}
	writeJSON(w, reqID, limit, http.StatusOK, doc)
}

// download serves a document as S3 would: 403 AccessDenied (XML) for an
// unknown or expired signature.
func (f *Fake) download(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests[amazon.OpDownloadDocument]++
	reqID := strings.ToUpper(f.nextID("s3"))
	w.Header().Set("x-amz-request-id", reqID)
	id := strings.TrimPrefix(r.URL.Path, DocumentPath)
	d, ok := f.documents[id]
	if !ok {
		s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", reqID)
		return
	}
	exp, ok := d.urls[r.URL.Query().Get("X-Amz-Signature")]
	if !ok || d.expire403 > 0 || !f.opt.Now().Before(exp) {
		if d.expire403 > 0 {
			d.expire403--
		}
		s3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired", reqID)
		return
	}
	body := d.body
	if d.corrupt != 0 {
		if d.corrupt > 0 {
			d.corrupt--
		}
		body = slices.Concat(body[:len(body)/2], []byte("\x00garbage"))
	}
	if d.plain {
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	} else {
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func s3Error(w http.ResponseWriter, status int, code, msg, reqID string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId></Error>", code, msg, reqID)
}

// returnsHeader is the FBM returns report's header as Amazon writes it.
var returnsHeader = []string{"Order ID", "Order date", "Return request date", "Return request status", "Amazon RMA ID",
	"Seller RMA ID", "Label type", "Label cost", "Currency code", "Return carrier", "Tracking ID", "Label to be paid by",
	"A-to-z claim", "Is prime", "ASIN", "Merchant SKU", "Item Name", "Return quantity", "Return reason", "In policy",
	"Return type", "Resolution", "Invoice number", "Return delivery date", "Order Amount", "Order quantity",
	"SafeT action reason", "SafeT claim id", "SafeT claim state", "SafeT claim creation time",
	"SafeT claim reimbursement amount", "Refunded Amount", "Category"}

// ReturnsReport writes rows as Amazon's tab-separated FBM returns report.
func ReturnsReport(rows []ReturnRow) []byte {
	var b bytes.Buffer
	b.WriteString(strings.Join(returnsHeader, "\t") + "\r\n")
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02T15:04:05-07:00")
	}
	for _, r := range rows {
		oq := ""
		if r.OrderQuantity > 0 {
			oq = strconv.Itoa(r.OrderQuantity)
		}
		f := []string{r.OrderID, date(r.OrderDate), date(r.ReturnDate), "Approved", r.RMA, "", "AmazonUnPaidLabel", "0.00",
			r.Currency, r.Carrier, r.Tracking, "Customer", "N", "N", r.ASIN, r.SKU, r.Title, strconv.Itoa(r.Quantity), r.Reason,
			"Y", "C-Returns", "StandardRefund", "", "", r.Amount, oq, "", "", "", "", "", r.Amount, ""}
		for i, v := range f {
			if strings.ContainsAny(v, "\t\"\r\n") {
				f[i] = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			}
		}
		b.WriteString(strings.Join(f, "\t") + "\r\n")
	}
	return b.Bytes()
}
