package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/clastore"
	"github.com/contribution-policy/contribution-policy/internal/command"
	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/policy/cla"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
	"github.com/contribution-policy/contribution-policy/internal/trailer"
)

// SignatureStore is what the pipeline needs of a CLA signature store; the
// clastore backends implement it.
type SignatureStore interface {
	Lookup(ctx context.Context, githubIDs []int64, agreements []string) ([]clastore.Record, error)
	Append(ctx context.Context, r clastore.Record) (clastore.Record, bool, error)
}

// StoreOpener opens the signature store a configuration names for a
// repository: the Action opens the gitfile store with its token (or the
// cla-token for another repository), the App its database.
type StoreOpener func(ctx context.Context, repo snapshot.Repository, cfg config.CLAStore) (SignatureStore, error)

// CLAGitHub is what the CLA facts need from GitHub besides GitHub; *gh.Client
// implements it. Memberships should be read with a token that can see
// private members.
type CLAGitHub interface {
	CoAuthors(ctx context.Context, owner, repo string, shas []string) (map[string][]snapshot.Identity, error)
	OrgMembership(ctx context.Context, org, login string) (member, visible bool, err error)
	TeamMembership(ctx context.Context, org, team, login string, id int64) (member, visible bool, err error)
	GetFile(ctx context.Context, owner, repo, ref, path string) (*gh.File, error)
}

// Comment is the pull request comment that triggered a run: it may sign
// the CLA or acknowledge a corporate agreement (cla.md §6.9). The front end
// passes only new comments by people (never bots).
type Comment struct {
	ID         int64
	URL        string
	Body       string
	AuthorID   int64
	Author     string // login
	AuthorType string // "User", "Bot"
	CreatedAt  time.Time
	RepoID     int64
	DeliveryID string
}

// Signing reports what a triggering comment did to the signature store.
type Signing struct {
	// Kind is "sign" or "ack".
	Kind string
	// Record is the signature recorded, or the one already there.
	Record  clastore.Record
	Created bool
	// Refused says why the comment did not sign ("" when it did).
	Refused string
	// Err is the store's error when recording failed: the check then
	// reports error, never "signed".
	Err error
}

// claFacts fills the snapshot's CLA facts (cla.md §6.2, §6.9): resolved
// co-authors, the signature a triggering comment gives, the signatures of
// the pull request's identities, and the memberships that can change the
// verdict. Store and API failures become snapshot facts (the CLA check then
// reports error) rather than failing the run, so the DCO verdict is still
// reported.
func (p *Pipeline) claFacts(ctx context.Context, cfg *config.Config, s *snapshot.Snapshot, t Target, pc *gh.PullContext, out *Outcome, log *slog.Logger) {
	s.CLA = &snapshot.CLAFacts{}
	fail := func(code string, err error) {
		log.Warn("CLA facts unavailable", "code", code, "err", err)
		if s.CLA.Unavailable == nil {
			s.CLA.Unavailable = &snapshot.CLAUnavailable{Code: code, Message: err.Error()}
		}
	}
	ghc, ok := p.GitHub.(CLAGitHub)
	if !ok {
		fail("api_error", errors.New("this front end's GitHub client cannot read what the CLA check needs"))
		return
	}
	if err := p.corporateFile(ctx, cfg, ghc, t, pc); err != nil {
		fail("config_invalid", err)
		return
	}
	if cfg.CLA.Identities.Coauthors != config.CoauthorsIgnore {
		if err := resolveCoauthors(ctx, ghc, s); err != nil {
			fail("api_error", err)
			return
		}
	}
	if p.CLAStore == nil {
		fail("api_error", errors.New("no CLA signature store is configured for this front end"))
		return
	}
	store, err := p.CLAStore(ctx, s.Repository, cfg.CLA.Store)
	if err != nil {
		fail("config_invalid", err)
		return
	}
	var recorded []clastore.Record
	if t.Comment != nil {
		sg := p.sign(ctx, cfg, s, t, store)
		out.Signing = sg
		if sg != nil && sg.Err != nil {
			fail(storeErrorCode(sg.Err), fmt.Errorf("record the signature of @%s: %w", t.Comment.Author, sg.Err))
			return
		}
		if sg != nil && sg.Refused == "" && sg.Record.ID != "" {
			recorded = append(recorded, sg.Record)
		}
	}
	q := cla.SignatureQueries(cfg.CLA, s)
	if len(q.GitHubIDs) > 0 {
		recs, err := store.Lookup(ctx, q.GitHubIDs, q.Agreements)
		if err != nil {
			fail(storeErrorCode(err), fmt.Errorf("read signatures: %w", err))
			return
		}
		// A store read right after a write may not show it yet (GitHub's
		// replicas): what this run recorded counts regardless.
		for _, r := range recorded {
			if !containsRecord(recs, r.ID) {
				recs = append(recs, r)
			}
		}
		s.CLA.Signatures = clastore.Snapshot(clastore.Fold(recs))
	}
	for _, mq := range cla.MembershipQueries(cfg.CLA, s) {
		var member, visible bool
		var err error
		if mq.Team == "" {
			member, visible, err = ghc.OrgMembership(ctx, mq.Org, mq.Login)
		} else {
			member, visible, err = ghc.TeamMembership(ctx, mq.Org, mq.Team, mq.Login, mq.GitHubID)
		}
		if err != nil {
			fail("api_error", err)
			return
		}
		s.CLA.Memberships = append(s.CLA.Memberships, snapshot.Membership{Org: mq.Org, Team: mq.Team, GitHubID: mq.GitHubID, Login: mq.Login, Member: member, Visible: visible})
	}
}

func containsRecord(rs []clastore.Record, id string) bool {
	for _, r := range rs {
		if r.ID == id && r.Op == clastore.OpSign {
			return true
		}
	}
	return false
}

// corporateFile adds the corporate agreements of cla.corporate_file, read
// at the base commit (the context query already read the usual path).
func (p *Pipeline) corporateFile(ctx context.Context, cfg *config.Config, ghc CLAGitHub, t Target, pc *gh.PullContext) error {
	path := cfg.CLA.CorporateFile
	if path == "" {
		return nil
	}
	f := pc.CorporateFile
	if path != config.DefaultCorporateFile || f == nil {
		gf, err := ghc.GetFile(ctx, t.Owner, t.Repo, t.BaseSHA, path)
		switch {
		case gh.IsNotFound(err):
			return fmt.Errorf("cla.corporate_file names %s, which does not exist at the base commit %s", path, short(t.BaseSHA))
		case err != nil:
			return err
		}
		f = &config.File{Source: config.Source{Repo: t.Owner + "/" + t.Repo, Ref: t.BaseSHA, Path: path}, Data: gf.Content}
	}
	list, err := config.ParseCorporateFile(f.Data, f.Source, cfg.CLA.Agreements)
	if err != nil {
		return err
	}
	// Copy before appending: cfg.CLA.Corporate may share its array.
	cfg.CLA.Corporate = append(append([]config.CorporateAgreement(nil), cfg.CLA.Corporate...), list...)
	return nil
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// resolveCoauthors asks GitHub which accounts the Co-authored-by emails
// belong to, for the commits that have such trailers (one query per 50).
func resolveCoauthors(ctx context.Context, ghc CLAGitHub, s *snapshot.Snapshot) error {
	var shas []string
	for _, c := range s.Commits {
		if len(trailer.Values(c.Message, "Co-authored-by")) > 0 {
			shas = append(shas, c.SHA)
		}
	}
	if len(shas) == 0 {
		return nil
	}
	got, err := ghc.CoAuthors(ctx, s.Repository.Owner, s.Repository.Name, shas)
	if err != nil {
		return err
	}
	for i := range s.Commits {
		if ids, ok := got[s.Commits[i].SHA]; ok {
			s.Commits[i].CoAuthors = ids
		}
	}
	return nil
}

// sign handles a triggering comment: the sign phrase records the
// commenter's own signature, "/cla ack ID" their acknowledgement of a
// corporate agreement. Nobody can sign for someone else: the signer is the
// comment's author, by account id.
func (p *Pipeline) sign(ctx context.Context, cfg *config.Config, s *snapshot.Snapshot, t Target, store SignatureStore) *Signing {
	c := t.Comment
	if c.AuthorID <= 0 || c.AuthorType == "Bot" {
		return nil
	}
	icla := cla.IndividualAgreement(cfg.CLA)
	var rec clastore.Record
	sg := &Signing{}
	line := ""
	if found, ok := command.FindSignature(c.Body, cfg.CLA.SignPhrase); ok && icla != nil {
		sg.Kind = "sign"
		version := string(icla.Version)
		if found.Version != "" {
			if !cla.AcceptsVersion(icla, found.Version) {
				sg.Refused = fmt.Sprintf("the comment names version %s, but the current version is %s", found.Version, icla.Version)
				return sg
			}
			if strings.Contains(found.Version, ".") {
				version = found.Version
			}
		}
		line = strings.TrimSpace(command.PlainLines(c.Body)[found.Line-1])
		rec = clastore.Record{AgreementID: icla.ID, AgreementVersion: version, DocumentSHA256: icla.DocumentSHA256}
	} else if ack, ok := ackCommand(c.Body); ok {
		sg.Kind = "ack"
		corp := corporateByID(cfg.CLA.Corporate, ack)
		if corp == nil || !corp.RequireAck {
			sg.Refused = fmt.Sprintf("there is no corporate agreement %q that asks for an acknowledgement", ack)
			return sg
		}
		v := string(corp.Version)
		if v == "" {
			v = "1"
		}
		line = "/cla ack " + ack
		rec = clastore.Record{AgreementID: corp.ID, AgreementVersion: v}
	} else {
		return nil
	}
	if !cfg.CLA.AllowPresign && !required(cfg.CLA, s, c.AuthorID) {
		sg.Refused = "@" + c.Author + " is not a contributor to this pull request (cla.allow_presign is off)"
		return sg
	}
	if p.DryRun {
		sg.Refused = "dry run: the signature was not recorded"
		return sg
	}
	sum := sha256.Sum256([]byte(c.Body))
	rec.Signer = clastore.Signer{GitHubID: c.AuthorID, Login: c.Author}
	rec.Method = clastore.MethodComment
	rec.SignedAt = c.CreatedAt
	rec.RecordedAt = p.now()
	rec.Evidence = &clastore.Evidence{
		Repo: s.Repository.FullName(), RepoID: c.RepoID, PR: s.PullRequest.Number, CommentID: c.ID, CommentURL: c.URL,
		CommentBodySHA256: hex.EncodeToString(sum[:]), SignedText: line, HeadSHA: t.HeadSHA, DeliveryID: c.DeliveryID,
	}
	got, created, err := store.Append(ctx, rec)
	if err != nil {
		sg.Err = err
		return sg
	}
	sg.Record, sg.Created = got, created
	return sg
}

// MayConcernCLA is a cheap test, for front ends to make before any API
// call, of whether a new comment may sign the CLA or acknowledge a corporate
// agreement: a line its author typed contains "sign" (every sign phrase
// must, see the configuration's validation), or it holds a /cla ack
// command. Comments that fail it need no evaluation unless they hold
// another command.
func MayConcernCLA(body string) bool {
	if _, ok := ackCommand(body); ok {
		return true
	}
	for _, l := range command.PlainLines(body) {
		if strings.Contains(strings.ToLower(l), "sign") {
			return true
		}
	}
	return false
}

func ackCommand(body string) (string, bool) {
	for _, c := range command.Parse(body) {
		if c.Name == command.CLAAck && len(c.Args) > 0 {
			return strings.ToLower(c.Args[0]), true
		}
	}
	return "", false
}

func corporateByID(list []config.CorporateAgreement, id string) *config.CorporateAgreement {
	for i := range list {
		if list[i].ID == id {
			return &list[i]
		}
	}
	return nil
}

// required reports whether the account is one the pull request needs
// covered.
func required(cfg config.CLA, s *snapshot.Snapshot, id int64) bool {
	for _, x := range cla.Required(cfg, s) {
		if x.GitHubID == id {
			return true
		}
	}
	return false
}

// storeErrorCode maps a store error to the check's error code.
func storeErrorCode(err error) string {
	switch {
	case errors.Is(err, clastore.ErrForbidden):
		return "storage_forbidden"
	case errors.Is(err, clastore.ErrContention):
		return "storage_busy"
	}
	return "api_error"
}

func (p *Pipeline) now() time.Time {
	if p.Clock != nil {
		return p.Clock().UTC()
	}
	return time.Now().UTC()
}
