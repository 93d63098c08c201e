package action

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/contribution-policy/contribution-policy/internal/clastore"
	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/pipeline"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// mayConcernCLA is pipeline.MayConcernCLA: whether a comment may sign or
// acknowledge, decided before any API call.
func mayConcernCLA(body string) bool { return pipeline.MayConcernCLA(body) }

func (ce *commentEvent) pipelineComment() *pipeline.Comment {
	return &pipeline.Comment{ID: ce.CommentID, URL: ce.CommentURL, Body: ce.Body, AuthorID: ce.AuthorID,
		Author: ce.AuthorLogin, AuthorType: ce.AuthorType, CreatedAt: ce.CreatedAt, RepoID: ce.RepoID}
}

// claStore opens the Action's signature store: JSON Lines files on a
// branch (cla.store), written with the workflow's token in this repository,
// or with the cla-token input in another one.
func (r *runner) claStore(ghctx *githubactions.GitHubContext, client *gh.Client, claToken string, base http.RoundTripper) (pipeline.StoreOpener, error) {
	var claClient *gh.Client
	if claToken != "" {
		c, _, err := r.client(ghctx, claToken, base)
		if err != nil {
			return nil, err
		}
		claClient = c
	}
	return func(_ context.Context, repo snapshot.Repository, c config.CLAStore) (pipeline.SignatureStore, error) {
		if c.Backend == config.StoreSQL {
			return nil, fmt.Errorf("cla.store.backend is sql, which only the App has: the Action keeps signatures in a repository (backend: gitfile)")
		}
		owner, name := repo.Owner, repo.Name
		contents := client
		if c.Repo != "" && !strings.EqualFold(c.Repo, repo.FullName()) {
			owner, name, _ = strings.Cut(c.Repo, "/")
			if claClient == nil {
				return nil, fmt.Errorf("cla.store.repo is %s, another repository: pass a token that can write there as the %q input (a GitHub App installation token is best)", c.Repo, InputCLAToken)
			}
		}
		if claClient != nil {
			contents = claClient
		}
		return &clastore.GitFile{Contents: contents, Owner: owner, Repo: name, Branch: c.Branch, Dir: c.Path,
			CommitMessageExtra: func(clastore.Record) string { return fmt.Sprintf(" (%s)", repo.FullName()) }}, nil
	}, nil
}

// reportCLA sets the cla output and says what a signing comment did.
func (r *runner) reportCLA(out *pipeline.Outcome) {
	if c, ok := out.Decision.Check(policy.CheckCLA); ok {
		r.setOutput(OutputCLA, string(c.Conclusion))
	} else {
		r.setOutput(OutputCLA, "")
	}
	sg := out.Signing
	switch {
	case sg == nil:
	case sg.Err != nil:
		who := ""
		if c := out.Target.Comment; c != nil {
			who = " of @" + c.Author
		}
		r.a.WithFieldsMap(map[string]string{"title": "contribution-policy/cla"}).Errorf("the signature%s could not be recorded: %s", who, sg.Err)
	case sg.Refused != "":
		r.a.Noticef("the comment did not sign: %s", sg.Refused)
	case sg.Created:
		r.a.Noticef("recorded the %s of @%s (%s v%s, %s)", kindWord(sg.Kind), sg.Record.Signer.Login, sg.Record.AgreementID, sg.Record.AgreementVersion, sg.Record.ID)
	default:
		r.a.Noticef("@%s had already signed (%s)", sg.Record.Signer.Login, sg.Record.ID)
	}
}

func kindWord(k string) string {
	if k == "ack" {
		return "acknowledgement"
	}
	return "signature"
}

// OrgMembership and TeamMembership answer with the token that can see
// private members.
func (m memberClient) OrgMembership(ctx context.Context, org, login string) (bool, bool, error) {
	return m.members.OrgMembership(ctx, org, login)
}

func (m memberClient) TeamMembership(ctx context.Context, org, team, login string, id int64) (bool, bool, error) {
	return m.members.TeamMembership(ctx, org, team, login, id)
}
