package queue

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// migrationLock serialises migrations of replicas starting together.
const migrationLock = 0x63706d67 // "cpmg"

func openPostgres(ctx context.Context, q *Queue) (engine, error) {
	pc, err := pgxpool.ParseConfig(q.opts.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if !strings.Contains(q.opts.DatabaseURL, "pool_max_conns") {
		// pgx's default (4 on 2 cores) is shared by River's listener and
		// producer, every worker and the delivery batchers: too few, and
		// acknowledgements wait behind evaluations.
		pc.MaxConns = int32(q.opts.Workers + 12)
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	if err := migratePostgres(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	b := &backend[pgx.Tx]{
		q:         q,
		pool:      pgPoolExec(pool),
		begin:     func(ctx context.Context) (pgx.Tx, error) { return pool.Begin(ctx) },
		commit:    func(ctx context.Context, tx pgx.Tx) error { return tx.Commit(ctx) },
		rollback:  func(ctx context.Context, tx pgx.Tx) error { return tx.Rollback(ctx) },
		wrap:      func(tx pgx.Tx) execer { return pgTxExec(tx) },
		forUpdate: " FOR UPDATE",
		complete: func(ctx context.Context, tx pgx.Tx, job *river.Job[EvaluateArgs]) error {
			_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
			return err
		},
		closeFn: pool.Close,
	}
	b.client, err = river.NewClient(riverpgxv5.New(pool), q.riverConfig(b.workers(), false))
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("river: %w", err)
	}
	return b, nil
}

func migratePostgres(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("lock for migration: %w", err)
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLock) //nolint:errcheck
	m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate River's tables: %w", err)
	}
	for _, s := range schema {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}
