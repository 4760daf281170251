package amazon

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// MaxDocument bounds a report document, compressed and uncompressed: a
// larger one is an error, never a silent cut.
const MaxDocument = 256 << 20

// DownloadReportDocument downloads a report document from its presigned
// URL and gunzips it when compressionAlgorithm is GZIP. The URL is not
// SP-API: no access token and no rate limit, but every attempt is a line
// of the sync log (operation downloadReportDocument, the URL's path
// without its signed query, S3's request id). 5xx and network failures
// are retried with the client's bounded backoff. Errors: *Error with
// Status 403 (or 400) for a URL that expired or was refused (ask
// GetReportDocument for a fresh one), Status 404 for a document that is
// gone, Message saying a body is not gzip, or larger than MaxDocument.
func (c *Client) DownloadReportDocument(ctx context.Context, seller string, doc ReportDocument) ([]byte, Call, error) {
	s, err := c.seller(seller)
	if err != nil {
		return nil, Call{}, err
	}
	u, err := url.Parse(doc.URL)
	if err != nil || u.Host == "" {
		return nil, Call{}, &Error{Seller: seller, Operation: OpDownloadDocument, Message: "document " + doc.ReportDocumentID + " has no usable URL"}
	}
	var last Call
	for attempt := 1; ; attempt++ {
		call := Call{Seller: s.ID, Operation: OpDownloadDocument, Method: http.MethodGet, Path: u.Path, Attempt: attempt,
			Detail: "document " + doc.ReportDocumentID}
		body, err := c.download(ctx, s, doc, &call)
		if err != nil {
			call.Error = err.Error()
		} else {
			call.Detail += fmt.Sprintf(" (%d bytes)", len(body))
		}
		c.record(ctx, call)
		last = call
		if err == nil {
			return body, call, nil
		}
		var ae *Error
		if !errors.As(err, &ae) || !(ae.Status >= 500 || ae.Status == 0 && ae.Transport) {
			return nil, call, err
		}
		if attempt >= c.opt.MaxAttempts {
			ae.Attempts = attempt
			return nil, last, ae
		}
		if err := c.opt.Sleep(ctx, c.backoff(attempt)); err != nil {
			return nil, last, fmt.Errorf("amazon: %s %s: back off after %w", s.ID, OpDownloadDocument, ae)
		}
	}
}

func (c *Client) download(ctx context.Context, s *sellerConn, doc ReportDocument, call *Call) ([]byte, error) {
	fail := func(e *Error) ([]byte, error) {
		e.Seller, e.Operation, e.Status, e.RequestID = s.ID, OpDownloadDocument, call.Status, call.RequestID
		return nil, e
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, doc.URL, nil)
	if err != nil {
		return fail(&Error{Message: "build the download request", Err: scrubURLError(err)})
	}
	hr.Header.Set("User-Agent", "packdesk-server (Language=Go)")
	call.At = c.opt.Now().UTC()
	start := time.Now()
	resp, err := c.opt.HTTP.Do(hr)
	call.DurationMS = time.Since(start).Milliseconds()
	if err != nil {
		return fail(&Error{Transport: true, Message: "no answer from the document URL", Err: scrubURLError(err)})
	}
	defer resp.Body.Close()
	call.Status = resp.StatusCode
	call.RequestID = resp.Header.Get("x-amz-request-id")
	if call.RequestID == "" {
		call.RequestID = resp.Header.Get("x-amzn-RequestId")
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxDocument+1))
	if err != nil {
		return fail(&Error{Transport: true, Message: "read the document", Err: err})
	}
	switch {
	case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusBadRequest:
		return fail(&Error{Message: "the document URL was refused (presigned URLs expire after 5 minutes): " + clip(string(bytes.TrimSpace(raw)), 200)})
	case resp.StatusCode/100 != 2:
		return fail(&Error{Message: http.StatusText(resp.StatusCode) + ": " + clip(string(bytes.TrimSpace(raw)), 200)})
	case len(raw) > MaxDocument:
		return fail(&Error{Message: fmt.Sprintf("the document is larger than %d bytes: request a shorter date range", MaxDocument)})
	}
	out := raw
	if doc.CompressionAlgorithm == "GZIP" {
		if out, err = Gunzip(raw); err != nil {
			return fail(&Error{Message: "the document is not valid gzip (corrupt or cut off)", Err: err})
		}
	}
	if out, err = ToUTF8(resp.Header.Get("Content-Type"), out); err != nil {
		return fail(&Error{Message: err.Error()})
	}
	return out, nil
}

// Gunzip decompresses a gzip body of at most MaxDocument bytes
// uncompressed. Errors: a body that is not gzip, is cut off or corrupt,
// or too large.
func Gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, MaxDocument+1))
	if err != nil {
		return nil, err
	}
	if len(out) > MaxDocument {
		return nil, fmt.Errorf("more than %d bytes uncompressed", MaxDocument)
	}
	return out, nil
}
