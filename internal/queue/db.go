package queue

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// execer is the little SQL the queue runs itself, the same on SQLite
// (database/sql) and PostgreSQL (pgx). Queries are written with "?"
// placeholders; the PostgreSQL side numbers them.
type execer interface {
	Exec(ctx context.Context, q string, args ...any) (int64, error)
	// QueryInt64 scans the first column of the first row; ok is false when
	// there is no row.
	QueryInt64(ctx context.Context, q string, args ...any) (v int64, ok bool, err error)
	// QueryRows calls fn for every row.
	QueryRows(ctx context.Context, q string, args []any, fn func(scan func(...any) error) error) error
}

// ---- SQLite ----

type sqlQ interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

type sqlExec struct{ q sqlQ }

func (s sqlExec) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := s.q.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (s sqlExec) QueryInt64(ctx context.Context, q string, args ...any) (int64, bool, error) {
	var v sql.NullInt64
	err := s.q.QueryRowContext(ctx, q, args...).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return v.Int64, err == nil, err
}

func (s sqlExec) QueryRows(ctx context.Context, q string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ---- PostgreSQL ----

type pgQ interface {
	Exec(ctx context.Context, q string, args ...any) (pgconnTag, error)
}

type pgconnTag = interface{ RowsAffected() int64 }

type pgExec struct {
	exec  func(ctx context.Context, q string, args ...any) (int64, error)
	row   func(ctx context.Context, q string, args ...any) pgx.Row
	query func(ctx context.Context, q string, args ...any) (pgx.Rows, error)
}

func pgPoolExec(p *pgxpool.Pool) pgExec {
	return pgExec{
		exec: func(ctx context.Context, q string, args ...any) (int64, error) {
			t, err := p.Exec(ctx, q, args...)
			return t.RowsAffected(), err
		},
		row:   p.QueryRow,
		query: p.Query,
	}
}

func pgTxExec(tx pgx.Tx) pgExec {
	return pgExec{
		exec: func(ctx context.Context, q string, args ...any) (int64, error) {
			t, err := tx.Exec(ctx, q, args...)
			return t.RowsAffected(), err
		},
		row:   tx.QueryRow,
		query: tx.Query,
	}
}

func (p pgExec) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	return p.exec(ctx, numbered(q), args...)
}

func (p pgExec) QueryInt64(ctx context.Context, q string, args ...any) (int64, bool, error) {
	var v *int64
	err := p.row(ctx, numbered(q), args...).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil || v == nil {
		return 0, err == nil && v != nil, err
	}
	return *v, true, nil
}

func (p pgExec) QueryRows(ctx context.Context, q string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := p.query(ctx, numbered(q), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// numbered rewrites "?" placeholders as $1, $2, ... (no "?" appears in the
// queue's SQL otherwise).
func numbered(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
