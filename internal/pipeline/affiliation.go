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

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/clastore"
	"github.com/contribution-policy/contribution-policy/internal/command"
	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/reconcile"
	"github.com/contribution-policy/contribution-policy/internal/render"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// The affiliation step (affiliation.md §7, §3.4, §5.3) reads only what can
// change its verdict, cheapest first:
//
//   - the author's stored /affiliation override (rank 1; the CLA store);
//   - the configured data files (cached by blob id, see affiliation_data.go);
//   - the author's public organisations, only when the configuration maps
//     organisations and nothing at ranks 1–6 decided;
//   - the author's profile, only when nothing at all was found;
//   - one GraphQL query, only when needed, for: whether the wanted label
//     exists in the repository (to create it with a colour), who set the
//     pull request's affiliation labels (so labels people set are never
//     removed), the search for the author's earlier pull requests (the
//     first-timer test, only on the event that may first show guidance and
//     only when author_association cannot tell) and the author's membership
//     of the owning organisation.
//
// Who set a label is read from the pull request's timeline (LabeledEvent
// and UnlabeledEvent with their actor) rather than recorded by the bot in
// its comment: a returning contributor's label comes with no comment at all,
// and the timeline also shows a person removing the bot's label, which the
// bot then respects.

// AffiliationGitHub is what the affiliation step reads besides the data
// files; *gh.Client implements it.
type AffiliationGitHub interface {
	UserCompany(ctx context.Context, login string) (string, error)
	UserOrgs(ctx context.Context, login string) ([]string, error)
	AffiliationState(ctx context.Context, q gh.AffiliationQuery) (*gh.AffiliationState, error)
	Permission(ctx context.Context, owner, repo, login string) (string, error)
}

// OverrideStore keeps /affiliation overrides; the CLA store backends
// implement it (an override is a record of theirs, see clastore).
type OverrideStore interface {
	Lookup(ctx context.Context, githubIDs []int64, agreements []string) ([]clastore.Record, error)
	SetOverride(ctx context.Context, r clastore.Record) (clastore.Record, bool, error)
}

// AffiliationCommand is what a triggering /affiliation comment did.
type AffiliationCommand struct {
	Command command.AffiliationCmd
	// By is the commenter: the pull request's author or a maintainer.
	By      string
	Record  clastore.Record
	Created bool
	// Refused says why nothing was recorded ("" when it was).
	Refused string
	Err     error
}

// MayConcernAffiliation is a cheap test, for front ends to make before any
// API call, of whether a new comment holds an /affiliation command.
func MayConcernAffiliation(body string) bool {
	_, ok := command.ParseAffiliation(body)
	return ok
}

// affRun carries the affiliation step's findings to the report.
type affRun struct {
	eng *policy.Affiliation
	// err: something the verdict depends on could not be read (data,
	// overrides, label owners): the affiliation labels are left as they
	// are this run, so a transient failure never flips them.
	err      error
	state    *gh.AffiliationState
	timeline bool
	asked    string // the label whose existence was asked
}

// affiliationFacts fills the snapshot's affiliation facts and returns the
// engine to evaluate with.
func (p *Pipeline) affiliationFacts(ctx context.Context, cfg *config.Config, s *snapshot.Snapshot, t Target, cur reconcile.Current, out *Outcome, log *slog.Logger) *affRun {
	run := &affRun{}
	af := &snapshot.AffiliationFacts{Action: t.Action, GuidanceShown: guidanceShown(cur.Comments, p.BotLogin)}
	s.Affiliation = af
	author := s.PullRequest.Author
	ag, _ := p.GitHub.(AffiliationGitHub)
	fail := func(what string, err error) {
		log.Warn("affiliation: "+what, "err", err)
		if run.err == nil {
			run.err = fmt.Errorf("%s: %w", what, err)
		}
	}
	r := affiliation.Result{Kind: affiliation.KindUnknown, Rank: affiliation.RankNone}
	if cfg.Affiliation.Enabled {
		eng, err := p.affiliationEngine(ctx, cfg, t.Owner, t.Repo, t.BaseSHA, log)
		if err != nil {
			fail("could not load the affiliation data", err)
			// The configuration's own maps still answer the outputs.
			eng, _ = buildEngine(cfg, p.AffiliationSources)
		}
		run.eng = eng
		if !author.IsBot() && author.ID > 0 {
			if err := p.affiliationOverrides(ctx, cfg, s, t, ag, out, log); err != nil {
				fail("could not read the /affiliation overrides", err)
			}
		}
		if eng != nil {
			r = policy.ResolveAffiliation(cfg, s, eng)
			if ag != nil && !author.IsBot() && author.Login != "" {
				if policy.NeedsOrgs(cfg, r) {
					orgs, err := ag.UserOrgs(ctx, author.Login)
					if err != nil {
						fail("could not read the author's organisations", err)
					} else {
						af.Orgs = orgs
						r = policy.ResolveAffiliation(cfg, s, eng)
					}
				}
				if policy.NeedsProfile(cfg, r) {
					company, err := ag.UserCompany(ctx, author.Login)
					if err != nil {
						fail("could not read the author's profile", err)
					} else {
						af.ProfileCompany = company
						r = policy.ResolveAffiliation(cfg, s, eng)
					}
				}
			}
		}
	}

	q := gh.AffiliationQuery{Owner: t.Owner, Repo: t.Repo, Number: t.Number}
	if cfg.Affiliation.Enabled && run.err == nil && run.eng != nil && run.eng.Labeler != nil {
		want, _ := run.eng.Labeler.Label(r)
		if want != "" && !containsFold(cur.Labels, want) {
			q.Timeline = true // was it removed by a person?
			if cfg.Labels.CreateMissing {
				q.Label = want
			}
		}
		for _, l := range cur.Labels {
			if run.eng.Labeler.Managed(l) && !strings.EqualFold(l, want) {
				q.Timeline = true // who set it?
			}
		}
	}
	if policy.NeedsPriorPRs(cfg, s, r) {
		q.Search = priorPRsQuery(cfg, s)
		if s.Repository.OwnerType == "Organization" {
			q.Member = author.Login
		}
	}
	if q.Label == "" && !q.Timeline && q.Search == "" {
		return run
	}
	if ag == nil {
		fail("cannot read the affiliation state", errors.New("this front end's GitHub client cannot read it"))
		return run
	}
	st, err := ag.AffiliationState(ctx, q)
	if err != nil {
		if q.Label != "" || q.Timeline {
			fail("could not read who set the labels", err)
		} else {
			log.Warn("affiliation: the first-timer search failed; no guidance this time", "err", err)
		}
		return run
	}
	run.state, run.timeline, run.asked = st, q.Timeline, q.Label
	if st.Searched {
		found := make([]snapshot.PRRef, 0, len(st.SearchHits))
		merged := 0
		cur := affiliation.PRRef{Repo: s.Repository.FullName(), Number: s.PullRequest.Number, CreatedAt: s.PullRequest.CreatedAt}
		for _, h := range st.SearchHits {
			found = append(found, snapshot.PRRef{Repo: h.Repo, Number: h.Number, CreatedAt: h.CreatedAt})
			ref := affiliation.PRRef{Repo: h.Repo, Number: h.Number, CreatedAt: h.CreatedAt}
			if h.Merged && affiliation.PriorPRs(1, []affiliation.PRRef{ref}, cur) == 1 {
				merged++
			}
		}
		af.PriorPRs = &snapshot.PriorPRs{Total: st.SearchTotal, Found: found}
		if st.SearchTotal <= len(st.SearchHits) {
			af.PriorMergedPRs = &merged
		}
	}
	if q.Member != "" && st.Member {
		af.Trusted = true
	}
	return run
}

// priorPRsQuery is the search for the author's earlier pull requests in
// scope (§3.4), newest first.
func priorPRsQuery(cfg *config.Config, s *snapshot.Snapshot) string {
	scope := "repo:" + s.Repository.FullName()
	if cfg.Guidance.Scope == config.ScopeOrg {
		if s.Repository.OwnerType == "Organization" {
			scope = "org:" + s.Repository.Owner
		} else {
			scope = "user:" + s.Repository.Owner
		}
	}
	q := fmt.Sprintf("is:pr author:%s %s", s.PullRequest.Author.Login, scope)
	if at := s.PullRequest.CreatedAt; !at.IsZero() {
		q += " created:<" + at.UTC().Format(time.RFC3339)
	}
	return q + " sort:created-desc"
}

// guidanceShown reports whether the bot's policy comment already carries
// the guidance section.
func guidanceShown(comments []reconcile.Comment, bot string) bool {
	for _, c := range comments {
		if strings.EqualFold(c.Author, bot) && strings.Contains(c.Body, render.Marker) && strings.Contains(c.Body, render.GuidanceMarker) {
			return true
		}
	}
	return false
}

// affiliationOverrides records a triggering /affiliation command and reads
// the author's active override.
func (p *Pipeline) affiliationOverrides(ctx context.Context, cfg *config.Config, s *snapshot.Snapshot, t Target, ag AffiliationGitHub, out *Outcome, log *slog.Logger) error {
	if p.CLAStore == nil {
		return errors.New("no store is configured for this front end")
	}
	st, err := p.CLAStore(ctx, s.Repository, cfg.CLA.Store)
	if err != nil {
		return err
	}
	store, ok := st.(OverrideStore)
	if !ok {
		return errors.New("the store cannot keep /affiliation overrides")
	}
	author := s.PullRequest.Author
	var recorded *clastore.Record
	if t.Comment != nil {
		if cmd, ok := command.ParseAffiliation(t.Comment.Body); ok {
			ac := p.recordOverride(ctx, s, t, ag, store, cmd)
			out.AffiliationCommand = ac
			switch {
			case ac.Err != nil:
				log.Warn("affiliation: the /affiliation command could not be recorded", "err", ac.Err)
			case ac.Refused != "":
				log.Info("affiliation: /affiliation command refused", "by", ac.By, "reason", ac.Refused)
			default:
				rec := ac.Record
				recorded = &rec
			}
		}
	}
	recs, err := store.Lookup(ctx, []int64{author.ID}, []string{clastore.AffiliationAgreement})
	if err != nil {
		return err
	}
	if recorded != nil {
		// A store read right after a write may not show it yet.
		recs = append(recs, *recorded)
	}
	if o, ok := clastore.ActiveOverride(recs, author.ID); ok {
		s.Affiliation.Overrides = append(s.Affiliation.Overrides, snapshot.AffiliationOverride{
			Company: o.Affiliation.Company, None: o.Affiliation.None, By: o.RecordedBy, At: o.SignedAt})
	}
	return nil
}

// recordOverride stores an /affiliation command about the pull request's
// author. Trust: the author may always speak for themselves (matched by
// account id); anyone else needs write access to the repository, read from
// GraphQL's Repository.collaborators (author_association is not enough:
// MEMBER says nothing about this repository and COLLABORATOR may be
// read-only). Bots never.
func (p *Pipeline) recordOverride(ctx context.Context, s *snapshot.Snapshot, t Target, ag AffiliationGitHub, store OverrideStore, cmd command.AffiliationCmd) *AffiliationCommand {
	c := t.Comment
	ac := &AffiliationCommand{Command: cmd, By: c.Author}
	author := s.PullRequest.Author
	switch {
	case c.AuthorID <= 0 || c.AuthorType == "Bot":
		ac.Refused = "commands from bots are ignored"
		return ac
	case author.ID <= 0:
		ac.Refused = "the pull request's author is not known"
		return ac
	case c.AuthorID != author.ID:
		if ag == nil {
			ac.Refused = "cannot check the commenter's permission"
			return ac
		}
		perm, err := ag.Permission(ctx, t.Owner, t.Repo, c.Author)
		if err != nil {
			ac.Refused = "could not check @" + c.Author + "'s permission: " + err.Error()
			return ac
		}
		if !gh.IsMaintainer(perm) {
			ac.Refused = "only the pull request's author or a maintainer (write access) may set the author's affiliation"
			return ac
		}
	}
	if p.DryRun {
		ac.Refused = "dry run: the override was not recorded"
		return ac
	}
	at := c.CreatedAt
	if at.IsZero() {
		at = p.now()
	}
	rec := clastore.NewOverride(author.ID, author.Login, clastore.AffiliationOverride{Company: cmd.Company, None: cmd.None}, c.Author, at)
	sum := sha256.Sum256([]byte(c.Body))
	line := ""
	if lines := command.PlainLines(c.Body); cmd.Line-1 < len(lines) {
		line = lines[cmd.Line-1]
	}
	rec.RecordedAt = p.now()
	rec.Evidence = &clastore.Evidence{Repo: s.Repository.FullName(), RepoID: c.RepoID, PR: s.PullRequest.Number, CommentID: c.ID,
		CommentURL: c.URL, CommentBodySHA256: hex.EncodeToString(sum[:]), SignedText: line, HeadSHA: t.HeadSHA, DeliveryID: c.DeliveryID}
	got, created, err := store.SetOverride(ctx, rec)
	if err != nil {
		ac.Err = err
		return ac
	}
	ac.Record, ac.Created = got, created
	return ac
}

// affiliationLabels adds the affiliation label family to what the report
// wants: the wanted label (created with its colour when missing), the
// others removed — unless a person set them. A person's affiliation label is
// a correction: the bot then adds none of its own. A label of the bot's that
// a person removed is not put back.
func (p *Pipeline) affiliationLabels(out *Outcome, cur *reconcile.Current, want *reconcile.Desired) {
	run := out.aff
	if run == nil || run.err != nil || out.Decision == nil || out.Decision.Affiliation == nil {
		return
	}
	d := out.Decision.Affiliation
	if d.Prefix == "" {
		return
	}
	var events []gh.LabelEvent
	if run.state != nil && run.timeline {
		events = run.state.LabelEvents
	}
	keep, removedByPerson := labelOwners(cur.Labels, d.Prefix, d.Label, p.BotLogin, events)
	fam := reconcile.PrefixLabels{Prefix: d.Prefix, Want: d.Label, Keep: keep}
	for _, k := range keep {
		if !strings.EqualFold(k, d.Label) {
			fam.Want = "" // a person labelled the affiliation: theirs stands
		}
	}
	if removedByPerson {
		fam.Want = ""
	}
	if fam.Want != "" && run.state != nil && strings.EqualFold(run.asked, fam.Want) && !run.state.LabelExists {
		fam.Spec = &reconcile.Label{Color: d.Color, Description: d.Description}
		cur.MissingRepoLabels = append(cur.MissingRepoLabels, fam.Want)
	}
	want.Prefixed = append(want.Prefixed, fam)
}

// labelOwners reads the label timeline: keep lists the pull request's
// labels with the prefix that a person set (or whose setter is unknown:
// never removed on a guess); removedByPerson says whether want was last
// removed by someone other than the bot.
func labelOwners(labels []string, prefix, want, bot string, events []gh.LabelEvent) (keep []string, removedByPerson bool) {
	last := map[string]gh.LabelEvent{}
	for _, e := range events {
		last[strings.ToLower(e.Label)] = e
	}
	fam := reconcile.PrefixLabels{Prefix: prefix}
	for _, l := range labels {
		if !fam.HasPrefix(l) {
			continue
		}
		e, ok := last[strings.ToLower(l)]
		if ok && e.Added && strings.EqualFold(e.Actor, bot) {
			continue // the bot's own
		}
		keep = append(keep, l)
	}
	if want != "" && !containsFold(labels, want) {
		if e, ok := last[strings.ToLower(want)]; ok && !e.Added && !strings.EqualFold(e.Actor, bot) {
			removedByPerson = true
		}
	}
	return keep, removedByPerson
}

func containsFold(list []string, s string) bool {
	for _, l := range list {
		if strings.EqualFold(l, s) {
			return true
		}
	}
	return false
}
