package queue

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"syscall"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver (pure Go)
)

// openSQLite opens (creating) the SQLite file. One process owns it: an
// exclusive lock on "<file>.lock" is held while it is open, which is also
// what lets a restart take back jobs its crashed predecessor left running.
func openSQLite(ctx context.Context, q *Queue) (engine, error) {
	path := q.opts.SQLitePath
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create the database directory: %w", err)
		}
	}
	lock, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return nil, fmt.Errorf("%s is in use by another process (SQLite serves one process; use PostgreSQL for replicas): %w", path, err)
	}
	v := url.Values{}
	v.Add("_pragma", "journal_mode(WAL)")
	// Everything but the storing of deliveries can be redone (jobs rerun,
	// evaluations are idempotent), so it commits with NORMAL: in WAL mode
	// that survives a crash of the process, and a later FULL commit makes
	// it durable too. Deliveries are stored with q.opts.SQLiteSynchronous.
	v.Add("_pragma", "synchronous(NORMAL)")
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", "foreign_keys(ON)")
	v.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+v.Encode())
	if err != nil {
		lock.Close()
		return nil, err
	}
	// One connection: SQLite has one writer at a time, and queueing for
	// the connection in Go is cheaper and fairer than SQLite's busy waits.
	db.SetMaxOpenConns(1)
	// Reads that need no lock go to read-only connections: in WAL mode
	// they do not wait for the writer.
	rv := url.Values{}
	rv.Set("mode", "ro")
	rv.Add("_pragma", "busy_timeout(10000)")
	rdb, err := sql.Open("sqlite", "file:"+path+"?"+rv.Encode())
	if err != nil {
		db.Close()
		lock.Close()
		return nil, err
	}
	rdb.SetMaxOpenConns(4)
	closeAll := func() { rdb.Close(); db.Close(); lock.Close() }
	if err := migrateSQLite(ctx, db); err != nil {
		closeAll()
		return nil, err
	}
	// We hold the lock, so nothing else runs these jobs: whatever a
	// crashed predecessor left running is ours to run again now.
	if _, err := db.ExecContext(ctx, `UPDATE river_job SET state = 'available' WHERE state = 'running'`); err != nil {
		closeAll()
		return nil, fmt.Errorf("take back running jobs: %w", err)
	}
	b := &backend[*sql.Tx]{
		q:     q,
		pool:  sqlExec{q: db},
		reads: sqlExec{q: rdb},
		begin: func(ctx context.Context) (*sql.Tx, error) {
			return db.BeginTx(ctx, nil)
		},
		commit:   func(_ context.Context, tx *sql.Tx) error { return tx.Commit() },
		rollback: func(_ context.Context, tx *sql.Tx) error { return tx.Rollback() },
		wrap:     func(tx *sql.Tx) execer { return sqlExec{q: tx} },
		complete: func(ctx context.Context, tx *sql.Tx, job *river.Job[EvaluateArgs]) error {
			_, err := river.JobCompleteTx[*riversqlite.Driver](ctx, tx, job)
			return err
		},
		closeFn: closeAll,
	}
	b.durableTx = func(ctx context.Context, fn func(tx *sql.Tx, x execer) error) error {
		return durableSQLite(ctx, db, q.opts.SQLiteSynchronous, fn)
	}
	cfg := q.riverConfig(b.workers(), true)
	b.client, err = river.NewClient(riversqlite.New(db), cfg)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("river: %w", err)
	}
	return b, nil
}

func migrateSQLite(ctx context.Context, db *sql.DB) error {
	m, err := rivermigrate.New(riversqlite.New(db), nil)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate River's tables: %w", err)
	}
	for _, s := range schema {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}

// durableSQLite runs fn in a transaction committed with the given
// synchronous level (FULL: fsync before the commit returns), on the pool's
// one connection, and puts NORMAL back.
func durableSQLite(ctx context.Context, db *sql.DB, level string, fn func(tx *sql.Tx, x execer) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if level != "NORMAL" {
		if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = "+level); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), "PRAGMA synchronous = NORMAL") //nolint:errcheck
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx, sqlExec{q: tx}); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
