package amazon

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ReturnsReportType is the FBM returns report by return date (a flat
// file, the same columns as Seller Central's returns report).
const ReturnsReportType = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"

// ReportStatus is a report's processingStatus (reports_2021-06-30.json).
type ReportStatus string

// Processing statuses. CANCELLED also means "no data to return": Amazon
// cancels such a report by itself.
const (
	ReportInQueue    ReportStatus = "IN_QUEUE"
	ReportInProgress ReportStatus = "IN_PROGRESS"
	ReportDone       ReportStatus = "DONE"
	ReportCancelled  ReportStatus = "CANCELLED"
	ReportFatal      ReportStatus = "FATAL"
)

// CreateReportSpec is the model's CreateReportSpecification.
type CreateReportSpec struct {
	ReportType     string            `json:"reportType"`
	DataStartTime  *time.Time        `json:"dataStartTime,omitempty"`
	DataEndTime    *time.Time        `json:"dataEndTime,omitempty"`
	MarketplaceIDs []string          `json:"marketplaceIds"`
	ReportOptions  map[string]string `json:"reportOptions,omitempty"`
}

// Report is the model's Report (getReport's answer).
type Report struct {
	ReportID            string       `json:"reportId"`
	ReportType          string       `json:"reportType"`
	MarketplaceIDs      []string     `json:"marketplaceIds,omitempty"`
	DataStartTime       *time.Time   `json:"dataStartTime,omitempty"`
	DataEndTime         *time.Time   `json:"dataEndTime,omitempty"`
	ReportScheduleID    string       `json:"reportScheduleId,omitempty"`
	CreatedTime         time.Time    `json:"createdTime"`
	ProcessingStatus    ReportStatus `json:"processingStatus"`
	ProcessingStartTime *time.Time   `json:"processingStartTime,omitempty"`
	ProcessingEndTime   *time.Time   `json:"processingEndTime,omitempty"`
	ReportDocumentID    string       `json:"reportDocumentId,omitempty"`
}

// ReportDocument is the model's ReportDocument: where to download a
// report (URL, presigned, valid for 5 minutes) and how it is compressed.
type ReportDocument struct {
	ReportDocumentID     string `json:"reportDocumentId"`
	URL                  string `json:"url"`
	CompressionAlgorithm string `json:"compressionAlgorithm,omitempty"` // "GZIP" or ""
}

// ParseCreateReport reads a createReport answer (CreateReportResponse).
func ParseCreateReport(b []byte) (string, error) {
	var r struct {
		ReportID *string `json:"reportId"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return "", fmt.Errorf("createReport answer: %w", err)
	}
	if r.ReportID == nil || strings.TrimSpace(*r.ReportID) == "" {
		return "", fmt.Errorf("createReport answer has no reportId")
	}
	return *r.ReportID, nil
}

// ParseReport reads and checks a getReport answer: the model's required
// fields, a known processingStatus, and a reportDocumentId when DONE.
func ParseReport(b []byte) (Report, error) {
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return Report{}, fmt.Errorf("getReport answer: %w", err)
	}
	switch {
	case strings.TrimSpace(r.ReportID) == "":
		return Report{}, fmt.Errorf("getReport answer has no reportId")
	case r.ReportType == "":
		return Report{}, fmt.Errorf("getReport answer for report %s has no reportType", r.ReportID)
	case r.CreatedTime.IsZero():
		return Report{}, fmt.Errorf("getReport answer for report %s has no createdTime", r.ReportID)
	}
	switch r.ProcessingStatus {
	case ReportInQueue, ReportInProgress, ReportCancelled, ReportFatal:
	case ReportDone:
		if strings.TrimSpace(r.ReportDocumentID) == "" {
			return Report{}, fmt.Errorf("getReport answer: report %s is DONE without a reportDocumentId", r.ReportID)
		}
	default:
		return Report{}, fmt.Errorf("getReport answer: report %s has processingStatus %q", r.ReportID, clip(string(r.ProcessingStatus), 40))
	}
	return r, nil
}

// ParseReportDocument reads and checks a getReportDocument answer: an id,
// an absolute http(s) URL, and no compression but GZIP.
func ParseReportDocument(b []byte) (ReportDocument, error) {
	var d ReportDocument
	if err := json.Unmarshal(b, &d); err != nil {
		return ReportDocument{}, fmt.Errorf("getReportDocument answer: %w", err)
	}
	if strings.TrimSpace(d.ReportDocumentID) == "" {
		return ReportDocument{}, fmt.Errorf("getReportDocument answer has no reportDocumentId")
	}
	u, err := url.Parse(d.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ReportDocument{}, fmt.Errorf("getReportDocument answer for %s has no usable url", d.ReportDocumentID)
	}
	switch d.CompressionAlgorithm {
	case "", "GZIP":
	default:
		return ReportDocument{}, fmt.Errorf("getReportDocument answer for %s: compressionAlgorithm %q is not GZIP", d.ReportDocumentID, clip(d.CompressionAlgorithm, 40))
	}
	return d, nil
}

// CreateReport asks Amazon to make a report (POST
// /reports/2021-06-30/reports; rate 0.0167/s, burst 15) and returns its
// id. Marketplaces default to the seller's. Errors as SearchOrders.
func (c *Client) CreateReport(ctx context.Context, seller string, spec CreateReportSpec) (string, Call, error) {
	s, err := c.seller(seller)
	if err != nil {
		return "", Call{}, err
	}
	if len(spec.MarketplaceIDs) == 0 {
		spec.MarketplaceIDs = s.Marketplaces
	}
	if spec.ReportType == "" {
		return "", Call{}, &Error{Seller: seller, Operation: OpCreateReport, Message: "no report type"}
	}
	body, err := json.Marshal(spec)
	if err != nil {
		return "", Call{}, fmt.Errorf("amazon: encode createReport: %w", err)
	}
	detail := spec.ReportType
	if spec.DataStartTime != nil && spec.DataEndTime != nil {
		detail += fmt.Sprintf(" %s to %s", spec.DataStartTime.UTC().Format(time.RFC3339), spec.DataEndTime.UTC().Format(time.RFC3339))
	}
	var id string
	res, err := c.do(ctx, s, request{op: OpCreateReport, method: http.MethodPost, path: "/reports/2021-06-30/reports", body: body, detail: detail,
		parse: func(b []byte) (err error) { id, err = ParseCreateReport(b); return err }})
	if err != nil {
		return "", res.call, err
	}
	return id, res.call, nil
}

// GetReport reads a report's status (GET
// /reports/2021-06-30/reports/{reportId}; rate 2/s, burst 15). Errors as
// SearchOrders.
func (c *Client) GetReport(ctx context.Context, seller, reportID string) (Report, Call, error) {
	s, err := c.seller(seller)
	if err != nil {
		return Report{}, Call{}, err
	}
	var r Report
	res, err := c.do(ctx, s, request{op: OpGetReport, method: http.MethodGet, path: "/reports/2021-06-30/reports/" + url.PathEscape(reportID),
		detail: "report " + reportID,
		parse:  func(b []byte) (err error) { r, err = ParseReport(b); return err }})
	if err != nil {
		return Report{}, res.call, err
	}
	return r, res.call, nil
}

// GetReportDocument reads where a report document is (GET
// /reports/2021-06-30/documents/{reportDocumentId}; rate 0.0167/s, burst
// 15). Its URL expires after 5 minutes: ask again rather than keep it.
// Errors as SearchOrders.
func (c *Client) GetReportDocument(ctx context.Context, seller, documentID string) (ReportDocument, Call, error) {
	s, err := c.seller(seller)
	if err != nil {
		return ReportDocument{}, Call{}, err
	}
	var d ReportDocument
	res, err := c.do(ctx, s, request{op: OpGetReportDocument, method: http.MethodGet, path: "/reports/2021-06-30/documents/" + url.PathEscape(documentID),
		detail: "document " + documentID,
		parse:  func(b []byte) (err error) { d, err = ParseReportDocument(b); return err }})
	if err != nil {
		return ReportDocument{}, res.call, err
	}
	return d, res.call, nil
}
