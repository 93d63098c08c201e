package ghfake

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// JSON builders, one per schema of GitHub's description. They fill every
// required field with realistic values built from the fake's own URLs.

type obj = map[string]any

func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func tsOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nodeID makes a GitHub-style global node id ("PR_kwDO…"); decodeNodeID
// reverses it.
func nodeID(kind, k string) string {
	return kind + "_kwDO" + base64.RawURLEncoding.EncodeToString([]byte(k))
}

func decodeNodeID(id string) (kind, k string, ok bool) {
	kind, rest, found := strings.Cut(id, "_kwDO")
	if !found {
		return "", "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return "", "", false
	}
	return kind, string(b), true
}

func pe(s string) string { return url.PathEscape(s) }

func (f *Fake) userNodeID(u *User) string {
	switch u.Type {
	case "Organization":
		return nodeID("O", fmt.Sprint(u.ID))
	case "Bot":
		return nodeID("BOT", fmt.Sprint(u.ID))
	}
	return nodeID("U", fmt.Sprint(u.ID))
}

// simpleUser builds simple-user for login (created if unseeded).
func (f *Fake) simpleUser(login string) obj {
	u := f.ensureUser(login)
	api := f.api + "/users/" + pe(u.Login)
	o := obj{
		"login": u.Login, "id": u.ID, "node_id": f.userNodeID(u),
		"avatar_url":          fmt.Sprintf("%s/avatars/u/%d?v=4", f.web, u.ID),
		"gravatar_id":         "",
		"url":                 api,
		"html_url":            f.web + "/" + pe(u.Login),
		"followers_url":       api + "/followers",
		"following_url":       api + "/following{/other_user}",
		"gists_url":           api + "/gists{/gist_id}",
		"starred_url":         api + "/starred{/owner}{/repo}",
		"subscriptions_url":   api + "/subscriptions",
		"organizations_url":   api + "/orgs",
		"repos_url":           api + "/repos",
		"events_url":          api + "/events{/privacy}",
		"received_events_url": api + "/received_events",
		"type":                u.Type,
		"user_view_type":      "public",
		"site_admin":          false,
	}
	if u.Type == "Bot" {
		o["html_url"] = f.web + "/apps/" + pe(strings.TrimSuffix(u.Login, "[bot]"))
	}
	return o
}

func (f *Fake) userOrNil(login string) any {
	if login == "" {
		return nil
	}
	return f.simpleUser(login)
}

// publicUser builds public-user for GET /users/{username}.
func (f *Fake) publicUser(u *User) obj {
	o := f.simpleUser(u.Login)
	o["name"] = strOrNil(u.Name)
	o["company"] = strOrNil(u.Company)
	o["blog"] = ""
	o["location"] = nil
	o["email"] = strOrNil(u.Email)
	o["hireable"] = nil
	o["bio"] = nil
	o["twitter_username"] = nil
	o["public_repos"] = 0
	o["public_gists"] = 0
	o["followers"] = 0
	o["following"] = 0
	o["created_at"] = ts(f.epoch.Add(-365 * 24 * time.Hour))
	o["updated_at"] = ts(f.epoch)
	return o
}

func (f *Fake) orgSimple(u *User) obj {
	api := f.api + "/orgs/" + pe(u.Login)
	return obj{
		"login": u.Login, "id": u.ID, "node_id": f.userNodeID(u),
		"url": api, "repos_url": api + "/repos", "events_url": api + "/events", "hooks_url": api + "/hooks",
		"issues_url": api + "/issues", "members_url": api + "/members{/member}",
		"public_members_url": api + "/public_members{/member}",
		"avatar_url":         fmt.Sprintf("%s/avatars/u/%d?v=4", f.web, u.ID),
		"description":        nil,
	}
}

func (f *Fake) repoAPI(r *repoState) string {
	return f.api + "/repos/" + pe(r.Owner) + "/" + pe(r.Name)
}
func (f *Fake) repoWeb(r *repoState) string { return f.web + "/" + pe(r.Owner) + "/" + pe(r.Name) }

// repository builds the full repository schema.
func (f *Fake) repository(r *repoState) obj {
	a, w := f.repoAPI(r), f.repoWeb(r)
	host := strings.TrimPrefix(f.web, "http://")
	vis := "public"
	if r.Private {
		vis = "private"
	}
	return obj{
		"id": r.ID, "node_id": r.nodeID, "name": r.Name, "full_name": r.fullName(),
		"license": nil, "forks": 0, "owner": f.simpleUser(r.Owner), "private": r.Private,
		"html_url": w, "description": nil, "fork": false, "url": a,
		"archive_url":       a + "/{archive_format}{/ref}",
		"assignees_url":     a + "/assignees{/user}",
		"blobs_url":         a + "/git/blobs{/sha}",
		"branches_url":      a + "/branches{/branch}",
		"collaborators_url": a + "/collaborators{/collaborator}",
		"comments_url":      a + "/comments{/number}",
		"commits_url":       a + "/commits{/sha}",
		"compare_url":       a + "/compare/{base}...{head}",
		"contents_url":      a + "/contents/{+path}",
		"contributors_url":  a + "/contributors",
		"deployments_url":   a + "/deployments",
		"downloads_url":     a + "/downloads",
		"events_url":        a + "/events",
		"forks_url":         a + "/forks",
		"git_commits_url":   a + "/git/commits{/sha}",
		"git_refs_url":      a + "/git/refs{/sha}",
		"git_tags_url":      a + "/git/tags{/sha}",
		"git_url":           "git://" + host + "/" + r.fullName() + ".git",
		"issue_comment_url": a + "/issues/comments{/number}",
		"issue_events_url":  a + "/issues/events{/number}",
		"issues_url":        a + "/issues{/number}",
		"keys_url":          a + "/keys{/key_id}",
		"labels_url":        a + "/labels{/name}",
		"languages_url":     a + "/languages",
		"merges_url":        a + "/merges",
		"milestones_url":    a + "/milestones{/number}",
		"notifications_url": a + "/notifications{?since,all,participating}",
		"pulls_url":         a + "/pulls{/number}",
		"releases_url":      a + "/releases{/id}",
		"ssh_url":           "git@" + host + ":" + r.fullName() + ".git",
		"stargazers_url":    a + "/stargazers",
		"statuses_url":      a + "/statuses/{sha}",
		"subscribers_url":   a + "/subscribers",
		"subscription_url":  a + "/subscription",
		"tags_url":          a + "/tags",
		"teams_url":         a + "/teams",
		"trees_url":         a + "/git/trees{/sha}",
		"clone_url":         w + ".git",
		"mirror_url":        nil,
		"hooks_url":         a + "/hooks",
		"svn_url":           w,
		"homepage":          nil,
		"language":          "Go",
		"forks_count":       0, "stargazers_count": 0, "watchers_count": 0, "size": 100,
		"default_branch": r.DefaultBranch, "open_issues_count": 0,
		"has_issues": true, "has_projects": true, "has_wiki": true, "has_pages": false,
		"has_downloads": true, "has_discussions": false, "archived": false, "disabled": false,
		"visibility": vis,
		"pushed_at":  ts(r.createdAt), "created_at": ts(r.createdAt), "updated_at": ts(r.createdAt),
		"open_issues": 0, "watchers": 0,
		"allow_forking": true, "is_template": false, "web_commit_signoff_required": false,
		"topics": []any{},
	}
}

func (f *Fake) label(r *repoState, l *Label) obj {
	return obj{
		"id": l.ID, "node_id": nodeID("LA", fmt.Sprint(l.ID)),
		"url":  f.repoAPI(r) + "/labels/" + pe(l.Name),
		"name": l.Name, "description": strOrNil(l.Description), "color": l.Color, "default": l.Default,
	}
}

func (f *Fake) issueLabels(r *repoState, p *pullState) []any {
	out := make([]any, 0, len(p.labels))
	for _, k := range p.labels {
		out = append(out, f.label(r, r.labels[k]))
	}
	return out
}

func gitPerson(p GitPerson) obj {
	return obj{"name": p.Name, "email": p.Email, "date": ts(p.Date)}
}

func (f *Fake) verification(c *commitState) obj {
	if c.Verified {
		return obj{"verified": true, "reason": "valid",
			"signature":   "-----BEGIN PGP SIGNATURE-----\n\nghfake\n-----END PGP SIGNATURE-----\n",
			"payload":     fmt.Sprintf("tree %s\nauthor %s <%s>\n\n%s", c.tree.sha, c.Author.Name, c.Author.Email, c.Message),
			"verified_at": ts(c.Committer.Date)}
	}
	return obj{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil, "verified_at": nil}
}

func (f *Fake) parents(r *repoState, c *commitState) []any {
	out := make([]any, 0, len(c.Parents))
	for _, p := range c.Parents {
		out = append(out, obj{"sha": p, "url": f.repoAPI(r) + "/commits/" + p, "html_url": f.repoWeb(r) + "/commit/" + p})
	}
	return out
}

// commit builds the commit schema (PR commits, compare).
func (f *Fake) commit(r *repoState, c *commitState) obj {
	a := f.repoAPI(r)
	return obj{
		"url": a + "/commits/" + c.SHA, "sha": c.SHA, "node_id": nodeID("C", fmt.Sprintf("%d:%s", r.ID, c.SHA)),
		"html_url": f.repoWeb(r) + "/commit/" + c.SHA, "comments_url": a + "/commits/" + c.SHA + "/comments",
		"commit": obj{
			"url": a + "/git/commits/" + c.SHA, "author": gitPerson(c.Author), "committer": gitPerson(c.Committer),
			"message": c.Message, "comment_count": 0,
			"tree":         obj{"sha": c.tree.sha, "url": a + "/git/trees/" + c.tree.sha},
			"verification": f.verification(c),
		},
		"author": f.userOrNil(c.AuthorLogin), "committer": f.userOrNil(c.CommitterLogin),
		"parents": f.parents(r, c),
	}
}

func (f *Fake) pullHTML(r *repoState, n int) string {
	return fmt.Sprintf("%s/pull/%d", f.repoWeb(r), n)
}

// pullRequest builds the pull-request schema.
func (f *Fake) pullRequest(r *repoState, p *pullState) obj {
	a := f.repoAPI(r)
	self := fmt.Sprintf("%s/pulls/%d", a, p.Number)
	issue := fmt.Sprintf("%s/issues/%d", a, p.Number)
	html := f.pullHTML(r, p.Number)
	headRepo := r
	if p.HeadRepoFullName != "" {
		if hr := f.repos[key(p.HeadRepoFullName)]; hr != nil {
			headRepo = hr
		}
	}
	commits := f.pullCommits(p)
	adds, dels, changed := f.diffStats(f.mergeBase(p.BaseSHA, p.HeadSHA), p.HeadSHA)
	link := func(h string) obj { return obj{"href": h} }
	merged := p.Merged
	o := obj{
		"url": self, "id": p.id, "node_id": p.nodeID, "html_url": html,
		"diff_url": html + ".diff", "patch_url": html + ".patch", "issue_url": issue,
		"commits_url": self + "/commits", "review_comments_url": self + "/comments",
		"review_comment_url": a + "/pulls/comments{/number}", "comments_url": issue + "/comments",
		"statuses_url": a + "/statuses/" + p.HeadSHA,
		"number":       p.Number, "state": p.State, "locked": p.locked, "title": p.Title,
		"user": f.simpleUser(p.Author), "body": strOrNil(p.Body), "labels": f.issueLabels(r, p),
		"milestone": nil, "active_lock_reason": strOrNil(p.lockWhy),
		"created_at": ts(p.CreatedAt), "updated_at": ts(p.updatedAt),
		"closed_at": tsOrNil(p.closedAt), "merged_at": nil, "merge_commit_sha": nil,
		"assignee": nil, "assignees": []any{}, "requested_reviewers": []any{}, "requested_teams": []any{},
		"head": obj{"label": headRepo.Owner + ":" + p.HeadRef, "ref": p.HeadRef, "sha": p.HeadSHA,
			"repo": f.repository(headRepo), "user": f.simpleUser(headRepo.Owner)},
		"base": obj{"label": r.Owner + ":" + p.BaseRef, "ref": p.BaseRef, "sha": p.BaseSHA,
			"repo": f.repository(r), "user": f.simpleUser(r.Owner)},
		"_links": obj{"self": link(self), "html": link(html), "issue": link(issue), "comments": link(issue + "/comments"),
			"review_comments": link(self + "/comments"), "review_comment": link(a + "/pulls/comments{/number}"),
			"commits": link(self + "/commits"), "statuses": link(a + "/statuses/" + p.HeadSHA)},
		"author_association": p.AuthorAssociation, "auto_merge": nil, "draft": p.Draft,
		"merged": merged, "mergeable": nil, "rebaseable": nil, "mergeable_state": "unknown",
		"merged_by": nil, "comments": len(p.comments), "review_comments": 0,
		"maintainer_can_modify": p.mcm && p.HeadRepoFullName != "", "commits": len(commits),
		"additions": adds, "deletions": dels, "changed_files": changed,
	}
	if merged {
		o["merged_at"] = ts(p.MergedAt)
		o["merge_commit_sha"] = p.HeadSHA
		o["merged_by"] = f.simpleUser(r.Owner)
	}
	return o
}

// issueComment builds the issue-comment schema.
func (f *Fake) issueComment(r *repoState, c *commentState) obj {
	a := f.repoAPI(r)
	return obj{
		"id": c.ID, "node_id": c.NodeID, "url": fmt.Sprintf("%s/issues/comments/%d", a, c.ID),
		"body": c.Body, "html_url": fmt.Sprintf("%s#issuecomment-%d", f.pullHTML(r, c.number), c.ID),
		"user": f.simpleUser(c.User), "created_at": ts(c.CreatedAt), "updated_at": ts(c.UpdatedAt),
		"issue_url":          fmt.Sprintf("%s/issues/%d", a, c.number),
		"author_association": f.association(r, c.User),
		"reactions": obj{"url": fmt.Sprintf("%s/issues/comments/%d/reactions", a, c.ID), "total_count": 0,
			"+1": 0, "-1": 0, "laugh": 0, "confused": 0, "heart": 0, "hooray": 0, "eyes": 0, "rocket": 0},
	}
}

// association approximates author_association: owner, org member, or none.
func (f *Fake) association(r *repoState, login string) string {
	if strings.EqualFold(login, r.Owner) {
		return "OWNER"
	}
	if _, ok := f.members[key(r.Owner)][key(login)]; ok {
		return "MEMBER"
	}
	return "NONE"
}

func (f *Fake) status(r *repoState, s *Status) obj {
	return obj{
		"url": f.repoAPI(r) + "/statuses/" + fmt.Sprint(s.ID), "avatar_url": nil, "id": s.ID,
		"node_id": nodeID("SC", fmt.Sprint(s.ID)), "state": s.State, "description": strOrNil(s.Description),
		"target_url": strOrNil(s.TargetURL), "context": s.Context,
		"created_at": ts(s.CreatedAt), "updated_at": ts(s.UpdatedAt), "creator": f.simpleUser(s.Creator),
	}
}

// integration builds a GitHub App (nullable-integration).
func (f *Fake) integration(app *appState) obj {
	owner := "github"
	if app.id != actionsAppID {
		owner = "octo-apps"
	}
	t := ts(f.epoch.Add(-24 * time.Hour))
	return obj{
		"id": app.id, "slug": app.slug, "node_id": app.nodeID, "client_id": fmt.Sprintf("Iv1.%016x", app.id),
		"owner": f.simpleUser(owner), "name": app.slug, "description": "", "external_url": f.web + "/apps/" + app.slug,
		"html_url": f.web + "/apps/" + app.slug, "created_at": t, "updated_at": t,
		"permissions": obj{"checks": "write", "contents": "write", "issues": "write", "metadata": "read", "pull_requests": "write", "statuses": "write"},
		"events":      []any{"pull_request", "issue_comment", "check_run"},
	}
}

func (f *Fake) checkRun(r *repoState, c *CheckRun) obj {
	a := f.repoAPI(r)
	var app any
	if ap := f.apps[c.AppID]; ap != nil {
		app = f.integration(ap)
	}
	var prs []any
	for _, p := range r.pulls {
		if p.HeadSHA == c.HeadSHA && p.HeadRepoFullName == "" {
			mini := func(ref, sha string) obj {
				return obj{"ref": ref, "sha": sha, "repo": obj{"id": r.ID, "url": a, "name": r.Name}}
			}
			prs = append(prs, obj{"id": p.id, "number": p.Number, "url": fmt.Sprintf("%s/pulls/%d", a, p.Number),
				"head": mini(p.HeadRef, p.HeadSHA), "base": mini(p.BaseRef, p.BaseSHA)})
		}
	}
	if prs == nil {
		prs = []any{}
	}
	html := fmt.Sprintf("%s/runs/%d", f.repoWeb(r), c.ID)
	return obj{
		"id": c.ID, "head_sha": c.HeadSHA, "node_id": nodeID("CR", fmt.Sprint(c.ID)),
		"external_id": c.ExternalID, "url": fmt.Sprintf("%s/check-runs/%d", a, c.ID), "html_url": html,
		"details_url": strOrNil(c.DetailsURL), "status": c.Status, "conclusion": strOrNil(c.Conclusion),
		"started_at": tsOrNil(c.StartedAt), "completed_at": tsOrNil(c.CompletedAt),
		"output": obj{"title": strOrNil(c.Output.Title), "summary": strOrNil(c.Output.Summary), "text": strOrNil(c.Output.Text),
			"annotations_count": c.Output.AnnotationsCount, "annotations_url": fmt.Sprintf("%s/check-runs/%d/annotations", a, c.ID)},
		"name": c.Name, "check_suite": obj{"id": 7000000000 + c.ID}, "app": app, "pull_requests": prs,
	}
}

func (f *Fake) installation(inst *installationState) obj {
	acct := f.users[key(inst.account)]
	sel := "all"
	if len(inst.repos) > 0 {
		sel = "selected"
	}
	app := f.apps[inst.appID]
	slug := ""
	if app != nil {
		slug = app.slug
	}
	return obj{
		"id": inst.id, "account": f.simpleUser(acct.Login), "repository_selection": sel,
		"access_tokens_url": fmt.Sprintf("%s/app/installations/%d/access_tokens", f.api, inst.id),
		"repositories_url":  f.api + "/installation/repositories",
		"html_url":          fmt.Sprintf("%s/organizations/%s/settings/installations/%d", f.web, pe(acct.Login), inst.id),
		"app_id":            inst.appID, "target_id": acct.ID, "target_type": acct.Type,
		"permissions": installationPermissions(),
		"events":      []any{"pull_request", "issue_comment", "check_run", "check_suite"},
		"created_at":  ts(inst.created), "updated_at": ts(inst.created),
		"single_file_name": nil, "app_slug": slug, "suspended_by": nil, "suspended_at": nil,
	}
}

func installationPermissions() obj {
	return obj{"checks": "write", "contents": "write", "issues": "write", "metadata": "read",
		"members": "read", "pull_requests": "write", "statuses": "write"}
}

func (f *Fake) contentFile(r *repoState, ref, path, content string) obj {
	a, w := f.repoAPI(r), f.repoWeb(r)
	sha := blobSHA(content)
	self := a + "/contents/" + escapePath(path) + "?ref=" + url.QueryEscape(ref)
	html := w + "/blob/" + escapePath(ref) + "/" + escapePath(path)
	git := a + "/git/blobs/" + sha
	return obj{
		"type": "file", "encoding": "base64", "size": len(content), "name": lastSegment(path), "path": path,
		"content": wrapBase64(base64.StdEncoding.EncodeToString([]byte(content))), "sha": sha,
		"url": self, "git_url": git, "html_url": html,
		"download_url": f.web + "/raw/" + pe(r.Owner) + "/" + pe(r.Name) + "/" + escapePath(ref) + "/" + escapePath(path),
		"_links":       obj{"self": self, "git": git, "html": html},
	}
}

// wrapBase64 breaks base64 into 60-character lines, as GitHub's contents API does.
func wrapBase64(s string) string {
	var b strings.Builder
	for len(s) > 60 {
		b.WriteString(s[:60])
		b.WriteByte('\n')
		s = s[60:]
	}
	b.WriteString(s)
	b.WriteByte('\n')
	return b.String()
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

func lastSegment(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[i+1:]
	}
	return p
}
