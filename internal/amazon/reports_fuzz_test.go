package amazon_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/amazon"
)

// The model's sandbox examples (reports_2021-06-30.json) as seeds.
const (
	exCreateReport = `{"reportId": "ID323"}`
	exGetReport    = `{"reportId": "ReportId1", "reportType": "FEE_DISCOUNTS_REPORT", "dataStartTime": "2024-03-11T13:47:20.677Z", "dataEndTime": "2024-03-12T13:47:20.677Z", "createdTime": "2024-03-10T13:47:20.677Z", "processingStatus": "IN_PROGRESS", "processingStartTime": "2024-03-10T13:47:20.677Z", "processingEndTime": "2024-03-12T13:47:20.677Z"}`
	exGetDocument  = `{"reportDocumentId": "0356cf79-b8b0-4226-b4b9-0ee058ea5760", "url": "https://d34o8swod1owfl.cloudfront.net/Report_47700__GET_MERCHANT_LISTINGS_ALL_DATA_.txt"}`
	exErrors       = `{"errors": [{"code": "400", "message": "Invalid input", "details": "Invalid input"}]}`
)

func TestReportModelExamplesParse(t *testing.T) {
	if id, err := amazon.ParseCreateReport([]byte(exCreateReport)); err != nil || id != "ID323" {
		t.Fatalf("createReport example: %q, %v", id, err)
	}
	r, err := amazon.ParseReport([]byte(exGetReport))
	if err != nil || r.ProcessingStatus != amazon.ReportInProgress || r.DataStartTime == nil || r.CreatedTime.IsZero() {
		t.Fatalf("getReport example: %+v, %v", r, err)
	}
	d, err := amazon.ParseReportDocument([]byte(exGetDocument))
	if err != nil || d.CompressionAlgorithm != "" || !strings.HasPrefix(d.URL, "https://") {
		t.Fatalf("getReportDocument example: %+v, %v", d, err)
	}
	for _, bad := range []string{
		exErrors,
		`{"reportId": "1", "reportType": "X", "createdTime": "2024-03-10T13:47:20Z", "processingStatus": "DONE"}`,    // DONE without a document
		`{"reportId": "1", "reportType": "X", "createdTime": "2024-03-10T13:47:20Z", "processingStatus": "SHIPPED"}`, // not a status
		`{"reportId": "1", "reportType": "X", "processingStatus": "FATAL"}`,                                          // no createdTime
	} {
		if _, err := amazon.ParseReport([]byte(bad)); err == nil {
			t.Errorf("ParseReport accepted %s", bad)
		}
	}
	for _, bad := range []string{exErrors, `{"reportDocumentId": "d", "url": "ftp://x/y"}`, `{"reportDocumentId": "d", "url": "https://x/y", "compressionAlgorithm": "ZSTD"}`} {
		if _, err := amazon.ParseReportDocument([]byte(bad)); err == nil {
			t.Errorf("ParseReportDocument accepted %s", bad)
		}
	}
	if _, err := amazon.ParseCreateReport([]byte(exErrors)); err == nil {
		t.Error("ParseCreateReport accepted an error list")
	}
}

func FuzzParseCreateReport(f *testing.F) {
	for _, s := range []string{exCreateReport, exErrors, `{"reportId": ""}`, `{"reportId": 5}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if id, err := amazon.ParseCreateReport(b); err == nil && strings.TrimSpace(id) == "" {
			t.Fatalf("accepted an empty id from %q", b)
		}
	})
}

// FuzzParseReport: an accepted report has the model's required fields, a
// known status, a document when DONE, and survives a JSON round trip.
func FuzzParseReport(f *testing.F) {
	for _, s := range []string{exGetReport, exErrors,
		`{"reportId": "1", "reportType": "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE", "createdTime": "2026-11-02T09:00:00Z", "processingStatus": "DONE", "reportDocumentId": "amzn1.spdoc.1"}`,
		`{"reportId": "1", "reportType": "X", "createdTime": "2026-11-02T09:00:00+08:00", "processingStatus": "FATAL", "reportDocumentId": "e"}`,
		`{"reportId": "1", "reportType": "X", "createdTime": "not a time", "processingStatus": "CANCELLED"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := amazon.ParseReport(b)
		if err != nil {
			return
		}
		if strings.TrimSpace(r.ReportID) == "" || r.ReportType == "" || r.CreatedTime.IsZero() {
			t.Fatalf("accepted %+v", r)
		}
		switch r.ProcessingStatus {
		case amazon.ReportInQueue, amazon.ReportInProgress, amazon.ReportCancelled, amazon.ReportFatal:
		case amazon.ReportDone:
			if strings.TrimSpace(r.ReportDocumentID) == "" {
				t.Fatalf("accepted DONE without a document: %+v", r)
			}
		default:
			t.Fatalf("accepted status %q", r.ProcessingStatus)
		}
		again, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := amazon.ParseReport(again); err != nil {
			t.Fatalf("round trip: %v\n%s", err, again)
		}
	})
}

// FuzzParseReportDocument: an accepted document has an id, an absolute
// http(s) URL and no compression but GZIP.
func FuzzParseReportDocument(f *testing.F) {
	for _, s := range []string{exGetDocument, exErrors,
		`{"reportDocumentId": "d", "url": "https://s3.amazonaws.com/x?X-Amz-Signature=abc", "compressionAlgorithm": "GZIP"}`,
		`{"reportDocumentId": "d", "url": "/relative"}`, `{"reportDocumentId": "d", "url": "https://x", "compressionAlgorithm": "gzip"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := amazon.ParseReportDocument(b)
		if err != nil {
			return
		}
		u, perr := url.Parse(d.URL)
		if strings.TrimSpace(d.ReportDocumentID) == "" || perr != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") ||
			(d.CompressionAlgorithm != "" && d.CompressionAlgorithm != "GZIP") {
			t.Fatalf("accepted %+v", d)
		}
	})
}

// FuzzGunzip: any body either fails or gives at most MaxDocument bytes;
// a valid gzip of the input gives the input back.
func FuzzGunzip(f *testing.F) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte("Order ID\tAmazon RMA ID\n"))
	zw.Close()
	f.Add(b.Bytes())
	f.Add(b.Bytes()[:b.Len()/2])
	f.Add([]byte("not gzip"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if out, err := amazon.Gunzip(in); err == nil && len(out) > amazon.MaxDocument {
			t.Fatalf("gave %d bytes", len(out))
		}
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write(in)
		w.Close()
		out, err := amazon.Gunzip(z.Bytes())
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
