package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/wire"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		err  error
		code string
	}{
		{nil, ""},
		{central.Conflict("taken"), wire.CodeConflict},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), wire.CodeUnavailable},
		{driver.ErrBadConn, wire.CodeUnavailable},
		{sql.ErrConnDone, wire.CodeUnavailable},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, wire.CodeUnavailable},
		{errors.New("syntax error"), wire.CodeInternal},
	}
	for _, tt := range tests {
		if got := central.ErrorCode(wrap(tt.err, "do")); got != tt.code {
			t.Errorf("wrap(%v) code %q, want %q", tt.err, got, tt.code)
		}
	}
}

func TestRebind(t *testing.T) {
	db := &DB{d: Dialect{Dollar: true}}
	if got, want := db.q("a = ? AND b IN (?, ?)"), "a = $1 AND b IN ($2, $3)"; got != want {
		t.Errorf("q = %q, want %q", got, want)
	}
	db.d.Dollar = false
	if got := db.q("a = ?"); got != "a = ?" {
		t.Errorf("q = %q", got)
	}
}
