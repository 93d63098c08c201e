package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/localrepo"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/render"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

func runDCO(ctx context.Context, env Env, args []string) (int, error) {
	fset := newFlags("dco", env, "dco [--config FILE] [RANGE]")
	cfgPath := fset.String("config", "", "configuration file (default: .github/contribution-policy.yml, then .github/dco.yml, in the repository)")
	format := fset.String("format", "text", "output format: text or json")
	if err := fset.Parse(args); err != nil {
		return ExitError, err
	}
	if fset.NArg() > 1 {
		return ExitError, usageError("at most one RANGE, got %d arguments", fset.NArg())
	}
	repo := localrepo.Repo{Dir: env.Dir}
	rangeSpec := fset.Arg(0)
	if rangeSpec == "" {
		var err error
		if rangeSpec, err = repo.DefaultRange(ctx); err != nil {
			return ExitError, err
		}
	}
	commits, err := repo.Commits(ctx, rangeSpec)
	if err != nil {
		return ExitError, err
	}
	cfg, err := localConfig(env.Dir, *cfgPath)
	if err != nil {
		return ExitError, err
	}
	// Locally there are no GitHub accounts: no bot or member exemptions
	// apply, which errs on the strict side before a push.
	snap := &snapshot.Snapshot{
		Repository: snapshot.Repository{Owner: "local", Name: filepath.Base(absDir(env.Dir)), OwnerType: "User"},
		Commits:    commits,
	}
	cfg.DCO.Enabled = true
	d := policy.Evaluate(cfg, snap)
	if *format == "json" {
		err = render.WriteJSON(env.Stdout, d)
	} else {
		err = render.WriteText(env.Stdout, d, "local commits "+rangeSpec)
	}
	if err != nil {
		return ExitError, err
	}
	return exitCode(d.Result), nil
}

// localConfig reads the configuration from the working tree.
func localConfig(dir, explicit string) (*config.Config, error) {
	read := func(rel string) (*config.File, error) {
		p := rel
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, rel)
		}
		data, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) && explicit == "" {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read config: %w", err)
		}
		return &config.File{Source: config.Source{Path: rel}, Data: data}, nil
	}
	var files config.Files
	var err error
	if explicit != "" {
		files.Policy, err = read(explicit)
	} else if files.Policy, err = read(config.PolicyPath); err == nil {
		files.DCO, err = read(config.DCOPath)
	}
	if err != nil {
		return nil, err
	}
	cfg, _, err := config.Resolve(files)
	return cfg, err
}

func absDir(dir string) string {
	if dir == "" {
		dir = "."
	}
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return dir
}
