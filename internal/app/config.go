package app

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the server's configuration, read from the environment (every
// variable is documented in docs/app.md). Secrets may be given inline or,
// with the _FILE suffix, as a path (Kubernetes secrets mounted as files).
type Config struct {
	AppID      int64
	PrivateKey []byte
	// WebhookSecrets are the current secret first, then the previous one
	// during a rotation.
	WebhookSecrets [][]byte
	Slug           string
	APIURL         string
	GraphQLURL     string
	ServerURL      string

	Listen      string
	DatabaseURL string
	// AffiliationIndex is a prebuilt affiliation index
	// (`contribution-policy affiliation index`) every repository resolves
	// against, beneath its own configured data.
	AffiliationIndex  string
	SQLitePath        string
	SQLiteSynchronous string
	Workers           int
	JobTimeout        time.Duration
	RescueAfter       time.Duration
	Debounce          time.Duration
	ReconcileInterval time.Duration
	ShutdownTimeout   time.Duration
	Redeliver         bool
	CommitStatuses    bool
	// WriteInterval spaces an installation's writes (GitHub asks for 1 s;
	// 0 turns spacing off, for tests and GHES without secondary limits).
	WriteInterval time.Duration
	// DefaultsFile is a configuration file (the contribution-policy.yml
	// format) used instead of the built-in defaults for repositories and
	// organisations without one.
	DefaultsFile string
	PolicyPath   string
	LogLevel     slog.Level
	ReplicaID    string
}

// LoadConfig reads the configuration; getenv and readFile are injected for
// tests.
func LoadConfig(getenv func(string) string, readFile func(string) ([]byte, error)) (Config, error) {
	if readFile == nil {
		readFile = os.ReadFile
	}
	var errs []error
	c := Config{
		Slug:              getenv("GITHUB_APP_SLUG"),
		APIURL:            or(getenv("GITHUB_API_URL"), "https://api.github.com/"),
		GraphQLURL:        getenv("GITHUB_GRAPHQL_URL"),
		ServerURL:         or(getenv("GITHUB_SERVER_URL"), "https://github.com/"),
		Listen:            or(getenv("CP_LISTEN"), ":8080"),
		DatabaseURL:       getenv("DATABASE_URL"),
		SQLitePath:        or(getenv("CP_SQLITE_PATH"), "contribution-policy.db"),
		SQLiteSynchronous: strings.ToUpper(or(getenv("CP_SQLITE_SYNCHRONOUS"), "FULL")),
		DefaultsFile:      getenv("CP_DEFAULT_CONFIG"),
		AffiliationIndex:  getenv("CP_AFFILIATION_INDEX"),
		PolicyPath:        getenv("CP_CONFIG_PATH"),
		ReplicaID:         getenv("CP_REPLICA_ID"),
	}
	if c.ReplicaID == "" {
		c.ReplicaID, _ = os.Hostname()
	}
	secret := func(name string) []byte {
		if f := getenv(name + "_FILE"); f != "" {
			b, err := readFile(f)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s_FILE: %w", name, err))
			}
			return []byte(strings.TrimRight(string(b), "\r\n"))
		}
		return []byte(getenv(name))
	}
	if v := getenv("GITHUB_APP_ID"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			errs = append(errs, fmt.Errorf("GITHUB_APP_ID: %q is not an App id", v))
		}
		c.AppID = id
	} else {
		errs = append(errs, errors.New("GITHUB_APP_ID is required"))
	}
	if c.PrivateKey = secret("GITHUB_APP_PRIVATE_KEY"); len(c.PrivateKey) == 0 {
		errs = append(errs, errors.New("GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_FILE) is required"))
	}
	if s := secret("GITHUB_WEBHOOK_SECRET"); len(s) > 0 {
		c.WebhookSecrets = append(c.WebhookSecrets, s)
	} else {
		errs = append(errs, errors.New("GITHUB_WEBHOOK_SECRET (or GITHUB_WEBHOOK_SECRET_FILE) is required: the server refuses unsigned webhooks and will not start without a secret"))
	}
	if s := secret("GITHUB_WEBHOOK_SECRET_PREVIOUS"); len(s) > 0 {
		c.WebhookSecrets = append(c.WebhookSecrets, s)
	}
	num := func(name string, def int) int {
		v := getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a positive number", name, v))
		}
		return n
	}
	dur := func(name string, def time.Duration) time.Duration {
		v := getenv(name)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not a duration (e.g. 90s, 5m)", name, v))
		}
		return d
	}
	flag := func(name string, def bool) bool {
		v := getenv(name)
		if v == "" {
			return def
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not true or false", name, v))
		}
		return b
	}
	c.Workers = num("CP_WORKERS", 10)
	c.JobTimeout = dur("CP_JOB_TIMEOUT", 2*time.Minute)
	c.RescueAfter = dur("CP_RESCUE_AFTER", 0)
	c.Debounce = dur("CP_DEBOUNCE", 0)
	c.ReconcileInterval = dur("CP_RECONCILE_INTERVAL", 5*time.Minute)
	c.ShutdownTimeout = dur("CP_SHUTDOWN_TIMEOUT", 25*time.Second)
	c.Redeliver = flag("CP_REDELIVER", true)
	c.WriteInterval = dur("CP_WRITE_INTERVAL", time.Second)
	c.CommitStatuses = flag("CP_COMMIT_STATUSES", false)
	if c.ReconcileInterval > 10*time.Minute {
		errs = append(errs, errors.New("CP_RECONCILE_INTERVAL: at most 10m, so a lost webhook is repaired within 15 minutes"))
	}
	if c.SQLiteSynchronous != "FULL" && c.SQLiteSynchronous != "NORMAL" {
		errs = append(errs, fmt.Errorf("CP_SQLITE_SYNCHRONOUS: %q is not FULL or NORMAL", c.SQLiteSynchronous))
	}
	switch strings.ToLower(getenv("CP_LOG_LEVEL")) {
	case "", "info":
		c.LogLevel = slog.LevelInfo
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "warn":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		errs = append(errs, fmt.Errorf("CP_LOG_LEVEL: %q is not debug, info, warn or error", getenv("CP_LOG_LEVEL")))
	}
	return c, errors.Join(errs...)
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
