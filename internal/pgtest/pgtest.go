// Package pgtest runs tests against a real PostgreSQL server: a throwaway
// cluster on loopback, started from the PostgreSQL binaries installed on the
// machine (it installs nothing itself; CI installs the postgresql package,
// see .ci/run).
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) } // optional: one cluster per package
//	func TestX(t *testing.T) { dsn := pgtest.DSN(t) ... }     // a fresh database
//
// Without PostgreSQL binaries a test calling DSN is skipped, unless
// CP_POSTGRES=1, which makes any failure to start a test failure: CI sets
// it so a broken installation can never pass as "skipped".
//
// PostgreSQL refuses to run as root; as root the cluster runs as the
// "postgres" user the Debian package creates (runuser), in a directory that
// user owns.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// EnvRequire is the variable that makes PostgreSQL tests mandatory.
const EnvRequire = "CP_POSTGRES"

// Server is a running throwaway cluster.
type Server struct {
	dir, bin string
	port     int
	asUser   string // "" = the current user
	// DSN connects to its "postgres" database as the superuser.
	DSN string
}

var (
	sharedMu  sync.Mutex
	shared    *Server
	sharedErr error
	inMain    bool
)

// Main runs the package's tests with one cluster shared by every DSN call,
// started on first use and stopped at the end. Use it from TestMain.
func Main(m *testing.M) int {
	sharedMu.Lock()
	inMain = true
	sharedMu.Unlock()
	code := m.Run()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared != nil {
		shared.Stop()
		shared = nil
	}
	return code
}

// DSN returns the address of a fresh, empty database for the test: in the
// package's shared cluster when TestMain uses Main, else in a cluster of the
// test's own, stopped when the test ends.
func DSN(t testing.TB) string {
	t.Helper()
	sharedMu.Lock()
	useShared := inMain
	if useShared && shared == nil && sharedErr == nil {
		shared, sharedErr = Start()
	}
	srv, err := shared, sharedErr
	sharedMu.Unlock()
	if !useShared {
		srv, err = Start()
		if err == nil {
			t.Cleanup(srv.Stop)
		}
	}
	if err != nil {
		unavailable(t, err)
	}
	dsn, err := srv.CreateDatabase(context.Background())
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return dsn
}

// unavailable skips the test, or fails it when PostgreSQL is required.
func unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv(EnvRequire) == "1" {
		t.Fatalf("pgtest: %s=1 but PostgreSQL cannot be started: %v", EnvRequire, err)
	}
	t.Skipf("pgtest: PostgreSQL not available (%v); set %s=1 to require it", err, EnvRequire)
}

// ErrNotInstalled means no PostgreSQL binaries were found.
var ErrNotInstalled = errors.New("no PostgreSQL binaries (initdb, pg_ctl) found; install the postgresql package")

// Binaries finds the directory holding initdb and pg_ctl: $CP_PG_BIN, the
// newest /usr/lib/postgresql/*/bin, or the PATH.
func Binaries() (string, error) {
	if d := os.Getenv("CP_PG_BIN"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		d := filepath.Dir(p)
		if isExecutable(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	return "", ErrNotInstalled
}

func versionOf(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// Start initialises and starts a cluster on a free loopback port.
func Start() (*Server, error) {
	bin, err := Binaries()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin}
	if os.Geteuid() == 0 {
		s.asUser = "postgres"
	}
	s.dir, err = os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	if s.asUser != "" {
		u, err := user.Lookup(s.asUser)
		if err != nil {
			os.RemoveAll(s.dir)
			return nil, fmt.Errorf("running as root needs the %q user the postgresql package creates: %w", s.asUser, err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(s.dir, uid, gid); err != nil {
			os.RemoveAll(s.dir)
			return nil, err
		}
	}
	data := filepath.Join(s.dir, "data")
	if out, err := s.run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"); err != nil {
		os.RemoveAll(s.dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	// A port taken between choosing and starting makes pg_ctl fail; try a
	// few.
	for attempt := 0; ; attempt++ {
		s.port, err = freePort()
		if err != nil {
			os.RemoveAll(s.dir)
			return nil, err
		}
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", s.port, s.dir)
		out, err := s.run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(s.dir, "log"), "-w", "-t", "60", "start")
		if err == nil {
			break
		}
		if attempt == 2 {
			log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
			os.RemoveAll(s.dir)
			return nil, fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
		}
	}
	s.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
	return s, nil
}

func (s *Server) run(prog string, args ...string) ([]byte, error) {
	path := filepath.Join(s.bin, prog)
	var cmd *exec.Cmd
	if s.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", s.asUser, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = s.dir
	return cmd.CombinedOutput()
}

// Stop stops the cluster at once and deletes its files.
func (s *Server) Stop() {
	if s == nil || s.dir == "" {
		return
	}
	_, _ = s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(s.dir)
	s.dir = ""
}

// CreateDatabase creates an empty database and returns its DSN.
func (s *Server) CreateDatabase(ctx context.Context) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	name := "t_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", s.DSN)
	if err != nil {
		return "", err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database: %w", err)
	}
	return strings.Replace(s.DSN, "/postgres?", "/"+name+"?", 1), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
