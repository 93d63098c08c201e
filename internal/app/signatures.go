package app

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/contribution-policy/contribution-policy/internal/clastore"
	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/pipeline"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// signatureDB is the App's SQL signature store: the same database as the
// queue (PostgreSQL, or the SQLite file), in its own tables, opened once on
// first use so a server without the CLA check never touches them.
type signatureDB struct {
	url  string
	once sync.Once
	db   *clastore.SQL
	err  error
}

func (d *signatureDB) open(ctx context.Context) (*clastore.SQL, error) {
	d.once.Do(func() {
		d.db, d.err = clastore.Open(context.WithoutCancel(ctx), d.url)
		if d.err != nil {
			d.err = fmt.Errorf("open the signature database: %w", d.err)
		}
	})
	return d.db, d.err
}

func (d *signatureDB) close() {
	if d.db != nil {
		d.db.Close()
	}
}

// claStore opens the store a repository's configuration names: `sql` is
// the App's database; `gitfile` is a branch of this repository, or of
// another repository the same installation covers, written with the
// installation's token (contents: write).
func (s *Server) claStore(inst *gh.Installation) pipeline.StoreOpener {
	return func(ctx context.Context, repo snapshot.Repository, c config.CLAStore) (pipeline.SignatureStore, error) {
		if c.Backend == config.StoreSQL {
			return s.signatures.open(ctx)
		}
		owner, name := repo.Owner, repo.Name
		if c.Repo != "" {
			o, n, ok := strings.Cut(c.Repo, "/")
			if !ok || !strings.EqualFold(o, repo.Owner) {
				return nil, fmt.Errorf("cla.store.repo %s is outside this installation (%s): use a repository of %s, or backend: sql", c.Repo, repo.Owner, repo.Owner)
			}
			owner, name = o, n
		}
		return &clastore.GitFile{Contents: inst.Client, Owner: owner, Repo: name, Branch: c.Branch, Dir: c.Path,
			CommitMessageExtra: func(clastore.Record) string { return fmt.Sprintf(" (%s)", repo.FullName()) }}, nil
	}
}
