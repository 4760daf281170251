package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
)

var _ central.AmazonReportStore = (*DB)(nil)

// AmazonReportPoll implements central.AmazonReportStore.
func (db *DB) AmazonReportPoll(ctx context.Context, seller, reportType string) (central.AmazonReportPoll, error) {
	p := central.AmazonReportPoll{Seller: seller, ReportType: reportType}
	err := db.read(ctx, "read the amazon report position", func(tx *sql.Tx) error {
		var body string
		err := tx.QueryRowContext(ctx, db.q("SELECT body FROM amazon_report_polls WHERE seller = ? AND report_type = ?"), seller, reportType).Scan(&body)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(body), &p)
	})
	return p, err
}

// SaveAmazonReportPoll implements central.AmazonReportStore.
func (db *DB) SaveAmazonReportPoll(ctx context.Context, p central.AmazonReportPoll) error {
	if strings.TrimSpace(p.Seller) == "" || strings.TrimSpace(p.ReportType) == "" {
		return central.Invalid("a report position needs a seller and a report type")
	}
	body, err := json.Marshal(p)
	if err != nil {
		return central.Internal(err, "encode the amazon report position")
	}
	return db.write(ctx, "save the amazon report position", func(t *tx) error {
		_, err := t.ExecContext(ctx, t.db.q(`INSERT INTO amazon_report_polls (seller, report_type, body) VALUES (?, ?, ?)
			ON CONFLICT (seller, report_type) DO UPDATE SET body = excluded.body`), p.Seller, p.ReportType, string(body))
		return err
	})
}

// AmazonRateBuckets implements central.AmazonReportStore.
func (db *DB) AmazonRateBuckets(ctx context.Context, seller string) ([]central.AmazonRateBucket, error) {
	q, args := "SELECT seller, operation, utokens, at FROM amazon_rate", []any{}
	if seller != "" {
		q, args = q+" WHERE seller = ?", append(args, seller)
	}
	var out []central.AmazonRateBucket
	err := db.read(ctx, "list the amazon rate buckets", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(q+" ORDER BY seller, operation"), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var b central.AmazonRateBucket
			var ut, at int64
			if err := rows.Scan(&b.Seller, &b.Operation, &ut, &at); err != nil {
				return err
			}
			if at == 0 { // made by a reservation that never committed a state
				continue
			}
			b.Tokens, b.At = float64(ut)/utoken, fromNanos(at)
			out = append(out, b)
		}
		return rows.Err()
	})
	return out, err
}

// PruneAmazonCalls implements central.AmazonReportStore.
func (db *DB) PruneAmazonCalls(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.write(ctx, "prune the amazon sync log", func(t *tx) error {
		res, err := t.ExecContext(ctx, t.db.q("DELETE FROM amazon_calls WHERE at < ?"), nanos(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
