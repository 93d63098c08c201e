package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/clastore"
	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/pipeline"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

const claUsage = `Usage:
  contribution-policy cla export [STORE] [--output FILE]
  contribution-policy cla import [STORE] --from lite|csv|jsonl [--agreement ID --version V] FILE
  contribution-policy cla verify [STORE]

STORE is one of:
  --repo OWNER/REPO [--branch cla-signatures] [--path signatures]   the Action's files (token: GITHUB_TOKEN)
  --database URL                                                     the App's database: a SQLite file or postgres://… (default $DATABASE_URL)

import reads CLA Assistant Lite's signatures file (--from lite), a CLA
Assistant CSV export (--from csv) or this tool's own export (--from jsonl);
the first two need --agreement and --version, the agreement the imported
signatures count for. Importing is idempotent: a signature already there is
skipped.
`

// runCLA is the cla subcommand: move signatures in and out of a store and
// check it.
func runCLA(ctx context.Context, env Env, args []string) (int, error) {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(env.Stderr, claUsage)
		if len(args) == 0 {
			return ExitError, usageError("cla needs export, import or verify")
		}
		return ExitOK, nil
	}
	sub, rest := args[0], args[1:]
	fs := newFlags("cla "+sub, env, "cla "+sub+" [flags]")
	fs.Usage = func() { fmt.Fprint(env.Stderr, claUsage) }
	so := storeFlags(fs)
	var (
		output    *string
		from      *string
		agreement *string
		ver       *string
	)
	switch sub {
	case "export":
		output = fs.String("output", "", "write to FILE instead of standard output")
	case "import":
		from = fs.String("from", "", "lite, csv or jsonl")
		agreement = fs.String("agreement", "", "the agreement id the imported signatures are for (lite, csv)")
		ver = fs.String("version", "", "the agreement version they signed (lite, csv)")
	case "verify":
	default:
		fmt.Fprint(env.Stderr, claUsage)
		return ExitError, usageError("unknown cla command %q", sub)
	}
	if err := fs.Parse(rest); err != nil {
		return ExitError, err
	}
	if sub != "import" && fs.NArg() > 0 {
		return ExitError, usageError("unexpected argument %q", fs.Arg(0))
	}
	store, closeStore, err := so.open(ctx, env)
	if err != nil {
		return ExitError, err
	}
	defer closeStore()
	switch sub {
	case "export":
		return claExport(ctx, env, store, *output)
	case "import":
		if fs.NArg() != 1 {
			return ExitError, usageError("import needs one FILE")
		}
		return claImport(ctx, env, store, *from, *agreement, *ver, fs.Arg(0))
	default:
		n, problems, err := clastore.VerifyStore(ctx, store)
		if err != nil {
			return ExitError, err
		}
		for _, p := range problems {
			fmt.Fprintln(env.Stdout, p)
		}
		if len(problems) > 0 {
			fmt.Fprintf(env.Stderr, "%d record(s), %d problem(s)\n", n, len(problems))
			return ExitFail, nil
		}
		fmt.Fprintf(env.Stderr, "%d record(s), no problems\n", n)
		return ExitOK, nil
	}
}

type storeOptions struct {
	repo, branch, path, database, apiURL *string
}

func storeFlags(fs *flag.FlagSet) storeOptions {
	return storeOptions{
		repo:     fs.String("repo", "", "the repository holding the signature files (OWNER/REPO)"),
		branch:   fs.String("branch", "cla-signatures", "with --repo: the signature branch"),
		path:     fs.String("path", "signatures", "with --repo: the signature folder"),
		database: fs.String("database", "", "the App's database: a SQLite file or a postgres:// URL (default $DATABASE_URL)"),
		apiURL:   fs.String("api-url", "", "GitHub REST API URL (default $GITHUB_API_URL or https://api.github.com/)"),
	}
}

func (o storeOptions) open(ctx context.Context, env Env) (clastore.Store, func(), error) {
	db := *o.database
	if db == "" && *o.repo == "" {
		db = env.Getenv("DATABASE_URL")
	}
	switch {
	case db != "" && *o.repo != "":
		return nil, nil, usageError("give either --repo or --database, not both")
	case db != "":
		s, err := clastore.Open(ctx, db)
		if err != nil {
			return nil, nil, err
		}
		return s, func() { s.Close() }, nil
	case *o.repo != "":
		owner, name, ok := strings.Cut(*o.repo, "/")
		if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
			return nil, nil, usageError("--repo must be OWNER/REPO, got %q", *o.repo)
		}
		c, err := apiClient(env, *o.apiURL)
		if err != nil {
			return nil, nil, err
		}
		return &clastore.GitFile{Contents: c, Owner: owner, Repo: name, Branch: *o.branch, Dir: *o.path}, func() {}, nil
	}
	return nil, nil, usageError("name the store: --repo OWNER/REPO or --database URL")
}

func claExport(ctx context.Context, env Env, s clastore.Store, output string) (int, error) {
	all, err := s.All(ctx)
	if err != nil {
		return ExitError, err
	}
	w := env.Stdout
	if output != "" {
		f, err := os.Create(output)
		if err != nil {
			return ExitError, err
		}
		defer f.Close()
		w = f
	}
	if err := clastore.WriteJSONL(w, all); err != nil {
		return ExitError, err
	}
	fmt.Fprintf(env.Stderr, "exported %d record(s)\n", len(all))
	return ExitOK, nil
}

func claImport(ctx context.Context, env Env, s clastore.Store, from, agreement, ver, file string) (int, error) {
	switch from {
	case "lite", "csv":
		if agreement == "" || ver == "" {
			return ExitError, usageError("--from %s needs --agreement and --version: the agreement the imported signatures count for", from)
		}
	case "jsonl":
		if agreement != "" || ver != "" {
			return ExitError, usageError("--agreement and --version do not apply to --from jsonl (records carry their own)")
		}
	default:
		return ExitError, usageError("--from must be lite, csv or jsonl, got %q", from)
	}
	var r io.Reader = env.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return ExitError, err
		}
		defer f.Close()
		r = f
	}
	o := clastore.ImportOptions{AgreementID: agreement, Version: ver, Now: time.Now().UTC()}
	var (
		rs  []clastore.Record
		err error
	)
	switch from {
	case "lite":
		rs, err = clastore.ParseLite(r, o)
	case "csv":
		rs, err = clastore.ParseCLAAssistantCSV(r, o)
	default:
		rs, err = clastore.ParseJSONL(r)
	}
	if err != nil {
		return ExitError, fmt.Errorf("%s: %w", file, err)
	}
	n, err := s.Import(ctx, rs)
	if err != nil {
		return ExitError, err
	}
	fmt.Fprintf(env.Stdout, "imported %d of %d record(s) (%d already there)\n", n, len(rs), len(rs)-n)
	return ExitOK, nil
}

// claStoreOpener is how `check --repo` reads CLA signatures: the files the
// Action writes, through the same token, or the App's database when
// cla.store.backend is sql (DATABASE_URL).
func claStoreOpener(c *gh.Client, env Env) pipeline.StoreOpener {
	return func(ctx context.Context, repo snapshot.Repository, sc config.CLAStore) (pipeline.SignatureStore, error) {
		if sc.Backend == config.StoreSQL {
			url := env.Getenv("DATABASE_URL")
			if url == "" {
				return nil, fmt.Errorf("cla.store.backend is sql: set DATABASE_URL to the App's database to read its signatures")
			}
			return clastore.Open(ctx, url)
		}
		owner, name := repo.Owner, repo.Name
		if sc.Repo != "" {
			owner, name, _ = strings.Cut(sc.Repo, "/")
		}
		return &clastore.GitFile{Contents: c, Owner: owner, Repo: name, Branch: sc.Branch, Dir: sc.Path}, nil
	}
}
