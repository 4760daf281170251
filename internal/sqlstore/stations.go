package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

const stationCols = "id, name, warehouse, created, revoked, last_seen, applied"

func scanStation(row interface{ Scan(...any) error }) (central.Station, error) {
	var s central.Station
	var created, seen, applied int64
	var revoked int
	err := row.Scan(&s.ID, &s.Name, &s.Warehouse, &created, &revoked, &seen, &applied)
	s.Created, s.LastSeen, s.Revoked, s.Applied = fromNanos(created), fromNanos(seen), revoked != 0, uint64(applied)
	return s, err
}

// CreateStation implements central.Store.
func (db *DB) CreateStation(ctx context.Context, name, warehouse string) (central.Station, string, error) {
	name, warehouse = strings.TrimSpace(name), strings.TrimSpace(warehouse)
	if name == "" || warehouse == "" {
		return central.Station{}, "", central.Invalid("a station needs a name and a warehouse")
	}
	st := central.Station{ID: central.NewID("st_"), Name: name, Warehouse: warehouse, Created: db.opt.Now().UTC()}
	token := central.NewToken(central.StationTokenPrefix)
	err := db.write(ctx, "add station", func(t *tx) error {
		_, err := t.ExecContext(ctx, db.q("INSERT INTO stations ("+stationCols+", token_hash) VALUES (?, ?, ?, ?, 0, 0, 0, ?)"),
			st.ID, st.Name, st.Warehouse, nanos(st.Created), central.HashToken(token))
		if err != nil && db.d.Unique(err) {
			return central.Conflict("warehouse %s already has a station named %s", warehouse, name)
		}
		return err
	})
	if err != nil {
		return central.Station{}, "", err
	}
	return st, token, nil
}

// Stations implements central.Store.
func (db *DB) Stations(ctx context.Context) ([]central.Station, error) {
	var out []central.Station
	err := db.read(ctx, "list stations", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+stationCols+" FROM stations ORDER BY warehouse, name")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s, err := scanStation(rows)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	return out, err
}

// RevokeStation implements central.Store.
func (db *DB) RevokeStation(ctx context.Context, id string) error {
	return db.write(ctx, "revoke station", func(t *tx) error {
		res, err := t.ExecContext(ctx, db.q("UPDATE stations SET revoked = 1 WHERE id = ?"), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return central.NotFound("no station %s", id)
		}
		return nil
	})
}

// AuthStation implements central.Store.
func (db *DB) AuthStation(ctx context.Context, token string) (central.Station, error) {
	var st central.Station
	err := db.read(ctx, "check station token", func(tx *sql.Tx) error {
		var err error
		st, err = scanStation(tx.QueryRowContext(ctx, db.q("SELECT "+stationCols+" FROM stations WHERE token_hash = ?"), central.HashToken(token)))
		if errors.Is(err, sql.ErrNoRows) {
			return central.Unauthorized("unknown station token")
		}
		if err == nil && st.Revoked {
			return central.Unauthorized("station %s (%s) was revoked: ask for a new token", st.Name, st.Warehouse)
		}
		return err
	})
	return st, err
}

// CreateAdminToken implements central.Store.
func (db *DB) CreateAdminToken(ctx context.Context, name string) (string, error) {
	token := central.NewToken(central.AdminTokenPrefix)
	err := db.write(ctx, "add admin token", func(t *tx) error {
		_, err := t.ExecContext(ctx, db.q("INSERT INTO admin_tokens (token_hash, name, created) VALUES (?, ?, ?)"),
			central.HashToken(token), name, nanos(db.opt.Now()))
		return err
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// AuthAdmin implements central.Store.
func (db *DB) AuthAdmin(ctx context.Context, token string) (string, error) {
	var name string
	return name, db.read(ctx, "check admin token", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q("SELECT name FROM admin_tokens WHERE token_hash = ?"), central.HashToken(token)).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return central.Unauthorized("unknown admin token")
		}
		return err
	})
}
