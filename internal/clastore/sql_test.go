package clastore

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func sqliteStore(t *testing.T) *SQL {
	t.Helper()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "cla.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func postgresStore(t *testing.T) *SQL {
	t.Helper()
	s, err := Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSQLiteContract(t *testing.T)   { contract(t, sqliteStore(t)) }
func TestPostgresContract(t *testing.T) { contract(t, postgresStore(t)) }

func TestSQLiteInMemory(t *testing.T) {
	s, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	contract(t, s)
}

func TestSQLiteConcurrentSigners(t *testing.T)   { concurrent100(t, sqliteStore(t)) }
func TestPostgresConcurrentSigners(t *testing.T) { concurrent100(t, postgresStore(t)) }

// Several processes (here: connection pools) sharing one database, each
// migrating at start and signing at once.
func TestSharedDatabase(t *testing.T) {
	for name, url := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "shared.db") },
		"postgres": func(t *testing.T) string { return pgtest.DSN(t) },
	} {
		t.Run(name, func(t *testing.T) {
			u := url(t)
			stores := make([]*SQL, 4)
			var wg sync.WaitGroup
			for i := range stores {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					s, err := Open(ctx, u)
					if err != nil {
						t.Error(err)
						return
					}
					stores[i] = s
				}(i)
			}
			wg.Wait()
			if t.Failed() {
				return
			}
			defer func() {
				for _, s := range stores {
					s.Close()
				}
			}()
			for i := 0; i < 25; i++ {
				for _, s := range stores {
					wg.Add(1)
					go func(s *SQL, i int) {
						defer wg.Done()
						if _, _, err := s.Append(ctx, sig(int64(100+i), "1")); err != nil {
							t.Error(err)
						}
					}(s, i)
				}
			}
			wg.Wait()
			all, err := stores[0].All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			assertExactly(t, all, 25)
			var version int
			if err := stores[0].DB().QueryRow(`SELECT MAX(version) FROM cla_migrations`).Scan(&version); err != nil || version != LatestMigration() {
				t.Errorf("schema version %d %v", version, err)
			}
			var n int
			if err := stores[0].DB().QueryRow(`SELECT COUNT(*) FROM cla_migrations`).Scan(&n); err != nil || n != len(migrations) {
				t.Errorf("%d migration rows (applied more than once?) %v", n, err)
			}
		})
	}
}
