package clastore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/policy/cla"
)

// SQL keeps records in a database: SQLite (embedded, one file; the App's
// default) or PostgreSQL (several App replicas). One schema serves both,
// created and upgraded by versioned migrations. Signatures are never
// deleted; a revocation is a row of its own. A unique index on the active
// signatures' key makes appending idempotent under any concurrency.
type SQL struct {
	db      *sql.DB
	dialect dialect
	Now     func() time.Time
}

var _ Store = (*SQL)(nil)

// errNoSQLDrivers is what a build without the SQL drivers (-tags noapp, the
// Action's image) says when asked for a database.
var errNoSQLDrivers = errors.New("this build has no SQL database support (built with -tags noapp, like the Action's image): use a full build of contribution-policy for --database and the App")

type dialect int

const (
	sqlite dialect = iota
	postgres
)

// Open opens (creating and migrating) a store: a PostgreSQL URL
// ("postgres://…", "postgresql://…"), or a SQLite file path (or
// "sqlite:PATH"; ":memory:" for a private in-memory database).
func Open(ctx context.Context, url string) (*SQL, error) {
	if !sqlDrivers {
		return nil, errNoSQLDrivers
	}
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return OpenPostgres(ctx, url)
	default:
		return OpenSQLite(ctx, strings.TrimPrefix(url, "sqlite:"))
	}
}

// OpenSQLite opens a SQLite database file in WAL mode.
func OpenSQLite(ctx context.Context, path string) (*SQL, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	if path == ":memory:" {
		db.SetMaxOpenConns(1) // every connection would be a database of its own
	} else {
		db.SetMaxOpenConns(4)
	}
	return open(ctx, db, sqlite)
}

// OpenPostgres connects to PostgreSQL.
func OpenPostgres(ctx context.Context, dsn string) (*SQL, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	db.SetMaxOpenConns(20)
	return open(ctx, db, postgres)
}

func open(ctx context.Context, db *sql.DB, d dialect) (*SQL, error) {
	s := &SQL{db: db, dialect: d}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *SQL) Close() error { return s.db.Close() }

// DB is the underlying database (the App keeps its own tables next to
// these).
func (s *SQL) DB() *sql.DB { return s.db }

// migration is one schema version, applied once, in order.
type migration struct {
	version int
	name    string
	stmts   []string
}

// migrations are append-only: never edit a released one, add the next.
var migrations = []migration{
	{1, "signatures and revocations", []string{
		`CREATE TABLE cla_signatures (
			id                TEXT PRIMARY KEY,
			agreement_id      TEXT NOT NULL,
			agreement_version TEXT NOT NULL,
			agreement_major   TEXT NOT NULL,
			signer_github_id  BIGINT NOT NULL,
			signer_login      TEXT NOT NULL DEFAULT '',
			document_sha256   TEXT NOT NULL DEFAULT '',
			method            TEXT NOT NULL DEFAULT '',
			evidence          TEXT NOT NULL DEFAULT '',
			signed_at         TEXT NOT NULL,
			recorded_at       TEXT NOT NULL,
			recorded_by       TEXT NOT NULL DEFAULT '',
			revoked_at        TEXT
		)`,
		// One active signature per signer, agreement and major version:
		// what makes appending idempotent, whoever races.
		`CREATE UNIQUE INDEX cla_signatures_active ON cla_signatures (agreement_id, agreement_major, signer_github_id) WHERE revoked_at IS NULL`,
		`CREATE INDEX cla_signatures_signer ON cla_signatures (signer_github_id, agreement_id)`,
		`CREATE TABLE cla_revocations (
			signature_id TEXT PRIMARY KEY REFERENCES cla_signatures (id),
			revoked_at   TEXT NOT NULL,
			revoked_by   BIGINT NOT NULL DEFAULT 0,
			reason       TEXT NOT NULL DEFAULT '',
			recorded_at  TEXT NOT NULL
		)`,
	}},
	{2, "affiliation overrides", []string{
		// Affiliation overrides are records of the reserved agreement
		// AffiliationAgreement; the value is kept as JSON ('' otherwise).
		`ALTER TABLE cla_signatures ADD COLUMN affiliation TEXT NOT NULL DEFAULT ''`,
	}},
}

// LatestMigration is the schema version Open migrates to.
func LatestMigration() int { return migrations[len(migrations)-1].version }

// migrate applies the missing migrations, each in a transaction; replicas
// starting together are serialised (SQLite: the write lock a transaction
// takes; PostgreSQL: an advisory lock).
func (s *SQL) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS cla_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		// Two PostgreSQL replicas creating it at once: one wins, the other
		// sees a duplicate; the table exists either way.
		if !isUniqueViolation(err) {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck
	if s.dialect == postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7021990331)`); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
	}
	current := 0
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM cla_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		for _, stmt := range m.stmts {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("migrate to version %d (%s): %w", m.version, m.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO cla_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
			m.version, m.name, formatTime(s.now())); err != nil {
			return fmt.Errorf("migrate to version %d: %w", m.version, err)
		}
	}
	return tx.Commit()
}

// rebind turns ? placeholders into PostgreSQL's $n.
func (s *SQL) rebind(q string) string {
	if s.dialect != postgres {
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

func (s *SQL) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// timeLayout is fixed-width so that text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

const columns = `id, agreement_id, agreement_version, signer_github_id, signer_login, document_sha256, method, evidence, signed_at, recorded_at, recorded_by, affiliation`

// Append inserts r unless its key is already active (or its id exists);
// the unique index decides, so concurrent appends of the same key write
// one row.
func (s *SQL) Append(ctx context.Context, r Record) (Record, bool, error) {
	r = complete(r, s.now())
	if r.Op != OpSign {
		return Record{}, false, fmt.Errorf("append: %q records are written by Revoke", r.Op)
	}
	if err := r.Validate(); err != nil {
		return Record{}, false, err
	}
	for attempt := 0; attempt < 3; attempt++ {
		created, err := s.insert(ctx, s.db, r)
		if err != nil {
			return Record{}, false, err
		}
		if created {
			return r, true, nil
		}
		got, err := s.active(ctx, r.Key())
		if err == nil {
			return got, false, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return Record{}, false, err
		}
		// The id exists (a replay of this very record) or the active
		// signature was revoked in between: look again.
		if got, err := s.byID(ctx, r.ID); err == nil {
			return got, false, nil
		}
	}
	return Record{}, false, fmt.Errorf("append %s: %w", r.ID, ErrContention)
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// insert writes r; false when a unique constraint (id, or the active key)
// already holds it.
func (s *SQL) insert(ctx context.Context, db execer, r Record) (bool, error) {
	ev := ""
	if r.Evidence != nil {
		b, err := json.Marshal(r.Evidence)
		if err != nil {
			return false, err
		}
		ev = string(b)
	}
	aff := ""
	if r.Affiliation != nil {
		b, err := json.Marshal(r.Affiliation)
		if err != nil {
			return false, err
		}
		aff = string(b)
	}
	res, err := db.ExecContext(ctx, s.rebind(`INSERT INTO cla_signatures (`+columns+`, agreement_major)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
		r.ID, r.AgreementID, r.AgreementVersion, r.Signer.GitHubID, r.Signer.Login, r.DocumentSHA256, r.Method, ev,
		formatTime(r.SignedAt), formatTime(r.RecordedAt), r.RecordedBy, aff, cla.Major(r.AgreementVersion))
	if err != nil {
		return false, fmt.Errorf("record signature %s: %w", r.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	return n == 1, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *SQL) active(ctx context.Context, k Key) (Record, error) {
	rs, err := s.query(ctx, s.db, `WHERE agreement_id = ? AND agreement_major = ? AND signer_github_id = ? AND revoked_at IS NULL`, k.AgreementID, k.Major, k.GitHubID)
	if err != nil {
		return Record{}, err
	}
	if len(rs) == 0 {
		return Record{}, sql.ErrNoRows
	}
	return rs[0], nil
}

func (s *SQL) byID(ctx context.Context, id string) (Record, error) {
	rs, err := s.query(ctx, s.db, `WHERE id = ?`, id)
	if err != nil {
		return Record{}, err
	}
	if len(rs) == 0 {
		return Record{}, sql.ErrNoRows
	}
	return rs[0], nil
}

// query reads signature rows (not revocations) matching where.
func (s *SQL) query(ctx context.Context, db querier, where string, args ...any) ([]Record, error) {
	rows, err := db.QueryContext(ctx, s.rebind(`SELECT `+columns+` FROM cla_signatures `+where+` ORDER BY recorded_at, id`), args...)
	if err != nil {
		return nil, fmt.Errorf("read signatures: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var ev, signed, recorded, aff string
		if err := rows.Scan(&r.ID, &r.AgreementID, &r.AgreementVersion, &r.Signer.GitHubID, &r.Signer.Login, &r.DocumentSHA256,
			&r.Method, &ev, &signed, &recorded, &r.RecordedBy, &aff); err != nil {
			return nil, fmt.Errorf("read signatures: %w", err)
		}
		r.Schema = SchemaVersion
		if r.SignedAt, err = parseTime(signed); err != nil {
			return nil, fmt.Errorf("signature %s: signed_at: %w", r.ID, err)
		}
		if r.RecordedAt, err = parseTime(recorded); err != nil {
			return nil, fmt.Errorf("signature %s: recorded_at: %w", r.ID, err)
		}
		if aff != "" {
			r.Affiliation = &AffiliationOverride{}
			if err := json.Unmarshal([]byte(aff), r.Affiliation); err != nil {
				return nil, fmt.Errorf("record %s: affiliation: %w", r.ID, err)
			}
		}
		if ev != "" {
			r.Evidence = &Evidence{}
			if err := json.Unmarshal([]byte(ev), r.Evidence); err != nil {
				return nil, fmt.Errorf("signature %s: evidence: %w", r.ID, err)
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// revocations reads revocation rows of the given signatures (nil: all).
func (s *SQL) revocations(ctx context.Context, sigs []Record) ([]Record, error) {
	byID := map[string]Record{}
	for _, r := range sigs {
		byID[r.ID] = r
	}
	rows, err := s.db.QueryContext(ctx, `SELECT signature_id, revoked_at, revoked_by, reason, recorded_at FROM cla_revocations ORDER BY recorded_at, signature_id`)
	if err != nil {
		return nil, fmt.Errorf("read revocations: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var id, at, recorded, reason string
		var by int64
		if err := rows.Scan(&id, &at, &by, &reason, &recorded); err != nil {
			return nil, fmt.Errorf("read revocations: %w", err)
		}
		sig, ok := byID[id]
		if !ok {
			continue
		}
		t, err := parseTime(at)
		if err != nil {
			return nil, fmt.Errorf("revocation of %s: %w", id, err)
		}
		rt, err := parseTime(recorded)
		if err != nil {
			return nil, fmt.Errorf("revocation of %s: %w", id, err)
		}
		out = append(out, Record{Schema: SchemaVersion, ID: id, Op: OpRevoke, AgreementID: sig.AgreementID, AgreementVersion: sig.AgreementVersion,
			Signer: sig.Signer, RecordedAt: rt, RevokedAt: &t, RevokedBy: by, RevocationReason: reason})
	}
	return out, rows.Err()
}

// Lookup returns the records of these signers for these agreements.
func (s *SQL) Lookup(ctx context.Context, ids []int64, agreements []string) ([]Record, error) {
	if len(ids) == 0 || len(agreements) == 0 {
		return nil, nil
	}
	where := `WHERE signer_github_id IN (` + placeholders(len(ids)) + `) AND agreement_id IN (` + placeholders(len(agreements)) + `)`
	args := make([]any, 0, len(ids)+len(agreements))
	for _, id := range ids {
		args = append(args, id)
	}
	for _, a := range agreements {
		args = append(args, a)
	}
	sigs, err := s.query(ctx, s.db, where, args...)
	if err != nil {
		return nil, err
	}
	return s.withRevocations(ctx, sigs)
}

func (s *SQL) withRevocations(ctx context.Context, sigs []Record) ([]Record, error) {
	if len(sigs) == 0 {
		return sigs, nil
	}
	rv, err := s.revocations(ctx, sigs)
	if err != nil {
		return nil, err
	}
	return append(sigs, rv...), nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Revoke records a revocation of the active signature id (a row of its own;
// the signature row is kept and only marked, so that its key may be signed
// again).
func (s *SQL) Revoke(ctx context.Context, id string, by int64, reason string, at time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("revoke %s: %w", id, err)
	}
	defer tx.Rollback() //nolint:errcheck
	ok, err := s.revoke(ctx, tx, id, at, by, reason, s.now())
	if err != nil {
		return fmt.Errorf("revoke %s: %w", id, err)
	}
	if !ok {
		return fmt.Errorf("revoke %s: %w (or already revoked)", id, ErrNotFound)
	}
	return tx.Commit()
}

// revoke marks signature id revoked at `at` and records why, in tx; false
// when there is no such signature or it is already revoked (nothing done).
func (s *SQL) revoke(ctx context.Context, tx *sql.Tx, id string, at time.Time, by int64, reason string, recorded time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, s.rebind(`UPDATE cla_signatures SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`), formatTime(at), id)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO cla_revocations (signature_id, revoked_at, revoked_by, reason, recorded_at) VALUES (?, ?, ?, ?, ?)`),
		id, formatTime(at), by, reason, formatTime(recorded)); err != nil {
		return false, err
	}
	return true, nil
}

// All returns every signature, then every revocation.
func (s *SQL) All(ctx context.Context) ([]Record, error) {
	sigs, err := s.query(ctx, s.db, ``)
	if err != nil {
		return nil, err
	}
	return s.withRevocations(ctx, sigs)
}

// Import appends records idempotently in one transaction: signatures whose
// key is active (or whose id exists) are skipped, revocations of unknown or
// already revoked signatures too.
func (s *SQL) Import(ctx context.Context, rs []Record) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck
	added := 0
	for _, r := range rs {
		r = complete(r, s.now())
		if err := r.Validate(); err != nil {
			return 0, err
		}
		switch r.Op {
		case OpSign:
			ok, err := s.insert(ctx, tx, r)
			if err != nil {
				return 0, err
			}
			if ok {
				added++
			}
		case OpRevoke:
			ok, err := s.revoke(ctx, tx, r.ID, *r.RevokedAt, r.RevokedBy, r.RevocationReason, r.RecordedAt)
			if err != nil {
				return 0, fmt.Errorf("import revocation of %s: %w", r.ID, err)
			}
			if ok {
				added++
			}
		}
	}
	return added, tx.Commit()
}

func isUniqueViolation(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "duplicate key") || strings.Contains(msg, "unique constraint") || strings.Contains(msg, "already exists")
}
