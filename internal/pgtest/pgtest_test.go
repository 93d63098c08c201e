package pgtest

import (
	"context"
	"database/sql"
	"os"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func TestDSN(t *testing.T) {
	a, b := DSN(t), DSN(t)
	if a == b {
		t.Fatal("each call must return a fresh database")
	}
	for _, dsn := range []string{a, b} {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRowContext(context.Background(), "SELECT 40 + 2").Scan(&n); err != nil || n != 42 {
			t.Fatalf("query: %d %v", n, err)
		}
		if _, err := db.Exec("CREATE TABLE x (id int)"); err != nil {
			t.Fatalf("a fresh database must be writable: %v", err)
		}
		db.Close()
	}
}

// A package without pgtest.Main gets a cluster per test, stopped after it.
func TestOwnCluster(t *testing.T) {
	if _, err := Binaries(); err != nil && os.Getenv(EnvRequire) != "1" {
		t.Skip(err)
	}
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", s.DSN)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s.Stop()
	db, _ = sql.Open("pgx", s.DSN)
	defer db.Close()
	if err := db.Ping(); err == nil {
		t.Error("the cluster still answers after Stop")
	}
}
