package ghfake

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Resolvers for the GraphQL fields the project queries. Add one here when a
// query needs a new field: the executor reports a missing resolver as a
// violation.

type (
	gPull struct {
		r *repoState
		p *pullState
	}
	gComment struct {
		r *repoState
		c *commentState
	}
	gLabel struct {
		r *repoState
		l *Label
	}
	gCommit struct {
		r *repoState
		c *commitState
	}
	gBlob struct {
		r       *repoState
		content string
	}
	gTree struct {
		r     *repoState
		path  string // "" = root
		files map[string]string
	}
	gTreeEntry struct {
		r       *repoState
		name    string
		path    string
		dir     bool
		content string
		files   map[string]string
	}
	gStatus struct {
		r      *repoState
		c      *commitState
		latest []*Status
	}
	gStatusCtx struct {
		r *repoState
		c *commitState
		s *Status
	}
	gGitActor struct {
		p     GitPerson
		login string
	}
	gPRCommit struct {
		r *repoState
		p *pullState
		c *commitState
	}
	gRef struct {
		r    *repoState
		name string
	}
	gMinimize struct {
		c        *gComment
		clientID any
	}
)

func gqlTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func gitTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.RFC3339)
}

func str(args map[string]any, name string) string {
	s, _ := args[name].(string)
	return s
}

// actor wraps an account for the Actor interface. GraphQL names a bot
// without the "[bot]" suffix that REST shows.
func (x *gqlExec) actor(login string) any {
	if login == "" {
		return nil
	}
	u := x.f.ensureUser(login)
	return gqlObj{typ: u.Type, v: u}
}

func graphLogin(u *User) string {
	if u.Type == "Bot" {
		return strings.TrimSuffix(u.Login, "[bot]")
	}
	return u.Login
}

type fn = resolver

func field[T any](get func(x *gqlExec, v T, args map[string]any) (any, error)) fn {
	return func(x *gqlExec, parent any, args map[string]any) (any, error) {
		return get(x, parent.(T), args)
	}
}

func value[T any](get func(v T) any) fn {
	return func(_ *gqlExec, parent any, _ map[string]any) (any, error) { return get(parent.(T)), nil }
}

var gqlResolvers map[string]resolver

func init() {
	r := map[string]resolver{}
	// Query and Mutation.
	r["Query.repository"] = func(x *gqlExec, _ any, a map[string]any) (any, error) {
		repo := x.f.repo(str(a, "owner"), str(a, "name"))
		if repo == nil || !x.tok.canAccess(repo.fullName()) {
			return nil, notFoundErr("Could not resolve to a Repository with the name '%s/%s'.", str(a, "owner"), str(a, "name"))
		}
		return repo, nil
	}
	r["Query.user"] = func(x *gqlExec, _ any, a map[string]any) (any, error) {
		u := x.f.users[key(str(a, "login"))]
		if u == nil || u.Type != "User" {
			return nil, notFoundErr("Could not resolve to a User with the login of '%s'.", str(a, "login"))
		}
		return u, nil
	}
	r["Query.organization"] = func(x *gqlExec, _ any, a map[string]any) (any, error) {
		u := x.f.users[key(str(a, "login"))]
		if u == nil || u.Type != "Organization" {
			return nil, notFoundErr("Could not resolve to an Organization with the login of '%s'.", str(a, "login"))
		}
		return u, nil
	}
	r["Query.viewer"] = func(x *gqlExec, _ any, _ map[string]any) (any, error) {
		return x.f.ensureUser(x.tok.Login), nil
	}
	r["Query.rateLimit"] = func(x *gqlExec, _ any, _ map[string]any) (any, error) {
		return x.f.bucketLocked(x.tok, "graphql"), nil
	}
	r["RateLimit.cost"] = value(func(*bucket) any { return 1 })
	r["RateLimit.limit"] = value(func(b *bucket) any { return b.limit })
	r["RateLimit.remaining"] = value(func(b *bucket) any { return b.remaining })
	r["RateLimit.used"] = value(func(b *bucket) any { return b.limit - b.remaining })
	r["RateLimit.nodeCount"] = value(func(*bucket) any { return 1 })
	r["RateLimit.resetAt"] = value(func(b *bucket) any { return gqlTime(b.reset) })
	r["Mutation.minimizeComment"] = minimize(true)
	r["Mutation.unminimizeComment"] = minimize(false)
	r["MinimizeCommentPayload.minimizedComment"] = value(func(m *gMinimize) any { return gqlObj{typ: "IssueComment", v: m.c} })
	r["MinimizeCommentPayload.clientMutationId"] = value(func(m *gMinimize) any { return m.clientID })
	r["UnminimizeCommentPayload.unminimizedComment"] = value(func(m *gMinimize) any { return gqlObj{typ: "IssueComment", v: m.c} })
	r["UnminimizeCommentPayload.clientMutationId"] = value(func(m *gMinimize) any { return m.clientID })

	// Repository and its refs.
	r["Repository.id"] = value(func(v *repoState) any { return v.nodeID })
	r["Repository.databaseId"] = value(func(v *repoState) any { return v.ID })
	r["Repository.name"] = value(func(v *repoState) any { return v.Name })
	r["Repository.nameWithOwner"] = value(func(v *repoState) any { return v.fullName() })
	r["Repository.isPrivate"] = value(func(v *repoState) any { return v.Private })
	r["Repository.isFork"] = value(func(*repoState) any { return false })
	r["Repository.isArchived"] = value(func(*repoState) any { return false })
	r["Repository.url"] = field(func(x *gqlExec, v *repoState, _ map[string]any) (any, error) { return x.f.repoWeb(v), nil })
	r["Repository.owner"] = field(func(x *gqlExec, v *repoState, _ map[string]any) (any, error) { return x.actor(v.Owner), nil })
	r["Repository.defaultBranchRef"] = value(func(v *repoState) any {
		if _, ok := v.branches[v.DefaultBranch]; !ok {
			return nil
		}
		return &gRef{r: v, name: v.DefaultBranch}
	})
	r["Repository.object"] = field(repoObject)
	r["Repository.pullRequest"] = field(func(x *gqlExec, v *repoState, a map[string]any) (any, error) {
		n, _ := intArg(a, "number")
		p := v.pulls[n]
		if p == nil {
			return nil, notFoundErr("Could not resolve to a PullRequest with the number of %d.", n)
		}
		return &gPull{r: v, p: p}, nil
	})
	r["Ref.name"] = value(func(v *gRef) any { return v.name })
	r["Ref.prefix"] = value(func(*gRef) any { return "refs/heads/" })
	r["Ref.target"] = field(func(x *gqlExec, v *gRef, _ map[string]any) (any, error) {
		return gqlObj{typ: "Commit", v: &gCommit{r: v.r, c: x.f.commits[v.r.branches[v.name]]}}, nil
	})

	// Accounts.
	for _, t := range []string{"User", "Bot", "Organization"} {
		r[t+".login"] = value(func(u *User) any { return graphLogin(u) })
		r[t+".databaseId"] = value(func(u *User) any { return u.ID })
		r[t+".id"] = field(func(x *gqlExec, u *User, _ map[string]any) (any, error) { return x.f.userNodeID(u), nil })
		r[t+".url"] = field(func(x *gqlExec, u *User, _ map[string]any) (any, error) {
			if u.Type == "Bot" {
				return x.f.web + "/apps/" + graphLogin(u), nil
			}
			return x.f.web + "/" + u.Login, nil
		})
		r[t+".avatarUrl"] = field(func(x *gqlExec, u *User, _ map[string]any) (any, error) {
			return fmt.Sprintf("%s/avatars/u/%d?v=4", x.f.web, u.ID), nil
		})
	}
	for _, t := range []string{"User", "Organization"} {
		r[t+".name"] = value(func(u *User) any { return strOrNil(u.Name) })
		r[t+".email"] = value(func(u *User) any { return u.Email })
	}
	r["User.company"] = value(func(u *User) any { return strOrNil(u.Company) })

	// Git objects.
	r["Blob.text"] = value(func(b *gBlob) any {
		if isBinary(b.content) {
			return nil
		}
		return b.content
	})
	r["Blob.oid"] = value(func(b *gBlob) any { return blobSHA(b.content) })
	r["Blob.abbreviatedOid"] = value(func(b *gBlob) any { return blobSHA(b.content)[:7] })
	r["Blob.id"] = value(func(b *gBlob) any { return nodeID("B", blobSHA(b.content)) })
	r["Blob.byteSize"] = value(func(b *gBlob) any { return len(b.content) })
	r["Blob.isTruncated"] = value(func(*gBlob) any { return false })
	r["Blob.isBinary"] = value(func(b *gBlob) any { return isBinary(b.content) })
	r["Tree.oid"] = value(func(t *gTree) any { return treeSHA(subtree(t.files, t.path)) })
	r["Tree.id"] = value(func(t *gTree) any { return nodeID("T", treeSHA(subtree(t.files, t.path))) })
	r["Tree.entries"] = value(func(t *gTree) any { return treeEntries(t) })
	r["TreeEntry.name"] = value(func(e *gTreeEntry) any { return e.name })
	r["TreeEntry.path"] = value(func(e *gTreeEntry) any { return e.path })
	r["TreeEntry.type"] = value(func(e *gTreeEntry) any { return map[bool]string{true: "tree", false: "blob"}[e.dir] })
	r["TreeEntry.oid"] = value(func(e *gTreeEntry) any {
		if e.dir {
			return treeSHA(subtree(e.files, e.path))
		}
		return blobSHA(e.content)
	})
	r["TreeEntry.object"] = value(func(e *gTreeEntry) any {
		if e.dir {
			return gqlObj{typ: "Tree", v: &gTree{r: e.r, path: e.path, files: e.files}}
		}
		return gqlObj{typ: "Blob", v: &gBlob{r: e.r, content: e.content}}
	})

	r["Commit.oid"] = value(func(c *gCommit) any { return c.c.SHA })
	r["Commit.abbreviatedOid"] = value(func(c *gCommit) any { return c.c.SHA[:7] })
	r["Commit.id"] = value(func(c *gCommit) any { return nodeID("C", fmt.Sprintf("%d:%s", c.r.ID, c.c.SHA)) })
	r["Commit.message"] = value(func(c *gCommit) any { return c.c.Message })
	r["Commit.messageHeadline"] = value(func(c *gCommit) any { h, _, _ := strings.Cut(c.c.Message, "\n"); return h })
	r["Commit.messageBody"] = value(func(c *gCommit) any {
		_, b, _ := strings.Cut(c.c.Message, "\n")
		return strings.TrimLeft(b, "\n")
	})
	r["Commit.committedDate"] = value(func(c *gCommit) any { return gitTime(c.c.Committer.Date) })
	r["Commit.authoredDate"] = value(func(c *gCommit) any { return gitTime(c.c.Author.Date) })
	r["Commit.url"] = field(func(x *gqlExec, c *gCommit, _ map[string]any) (any, error) {
		return x.f.repoWeb(c.r) + "/commit/" + c.c.SHA, nil
	})
	r["Commit.author"] = value(func(c *gCommit) any { return &gGitActor{p: c.c.Author, login: c.c.AuthorLogin} })
	r["Commit.committer"] = value(func(c *gCommit) any { return &gGitActor{p: c.c.Committer, login: c.c.CommitterLogin} })
	r["Commit.parents"] = field(func(x *gqlExec, c *gCommit, a map[string]any) (any, error) {
		items := make([]any, 0, len(c.c.Parents))
		for _, p := range c.c.Parents {
			if pc := x.f.commits[p]; pc != nil {
				items = append(items, &gCommit{r: c.r, c: pc})
			}
		}
		return x.paginate("parents", items, a)
	})
	r["Commit.status"] = value(func(c *gCommit) any {
		latest := latestStatuses(c.r.statuses[c.c.SHA])
		if len(latest) == 0 {
			return nil
		}
		return &gStatus{r: c.r, c: c.c, latest: latest}
	})
	r["Commit.signature"] = value(func(c *gCommit) any {
		if !c.c.Verified {
			return nil
		}
		return gqlObj{typ: "GpgSignature", v: c}
	})
	r["GpgSignature.isValid"] = value(func(*gCommit) any { return true })
	r["GpgSignature.state"] = value(func(*gCommit) any { return "VALID" })
	r["GpgSignature.wasSignedByGitHub"] = value(func(c *gCommit) any { return c.c.Committer.Email == "noreply@github.com" })
	r["GpgSignature.email"] = value(func(c *gCommit) any { return c.c.Committer.Email })
	r["GpgSignature.signature"] = value(func(*gCommit) any { return "-----BEGIN PGP SIGNATURE-----\n\nghfake\n-----END PGP SIGNATURE-----\n" })
	r["GpgSignature.payload"] = value(func(c *gCommit) any { return c.c.Message })
	r["GpgSignature.verifiedAt"] = value(func(c *gCommit) any { return gqlTime(c.c.Committer.Date) })
	r["GpgSignature.signer"] = field(func(x *gqlExec, c *gCommit, _ map[string]any) (any, error) {
		if c.c.CommitterLogin == "" {
			return nil, nil
		}
		return x.f.ensureUser(c.c.CommitterLogin), nil
	})
	r["GitActor.name"] = value(func(g *gGitActor) any { return g.p.Name })
	r["GitActor.email"] = value(func(g *gGitActor) any { return g.p.Email })
	r["GitActor.date"] = value(func(g *gGitActor) any { return gitTime(g.p.Date) })
	r["GitActor.user"] = field(func(x *gqlExec, g *gGitActor, _ map[string]any) (any, error) {
		if g.login == "" {
			return nil, nil
		}
		u := x.f.ensureUser(g.login)
		if u.Type != "User" { // GitActor.user is a User; bots do not resolve
			return nil, nil
		}
		return u, nil
	})

	// Statuses.
	r["Status.id"] = value(func(s *gStatus) any { return nodeID("S", s.c.SHA) })
	r["Status.state"] = value(func(s *gStatus) any { return combinedState(s.latest) })
	r["Status.contexts"] = value(func(s *gStatus) any {
		out := make([]any, len(s.latest))
		for i := range s.latest {
			out[i] = &gStatusCtx{r: s.r, c: s.c, s: s.latest[len(s.latest)-1-i]} // oldest first
		}
		return out
	})
	r["Status.context"] = field(func(x *gqlExec, s *gStatus, a map[string]any) (any, error) {
		for _, st := range s.latest {
			if strings.EqualFold(st.Context, str(a, "name")) {
				return &gStatusCtx{r: s.r, c: s.c, s: st}, nil
			}
		}
		return nil, nil
	})
	r["StatusContext.id"] = value(func(s *gStatusCtx) any { return nodeID("SC", fmt.Sprint(s.s.ID)) })
	r["StatusContext.context"] = value(func(s *gStatusCtx) any { return s.s.Context })
	r["StatusContext.state"] = value(func(s *gStatusCtx) any { return strings.ToUpper(s.s.State) })
	r["StatusContext.description"] = value(func(s *gStatusCtx) any { return strOrNil(s.s.Description) })
	r["StatusContext.targetUrl"] = value(func(s *gStatusCtx) any { return strOrNil(s.s.TargetURL) })
	r["StatusContext.createdAt"] = value(func(s *gStatusCtx) any { return gqlTime(s.s.CreatedAt) })
	r["StatusContext.creator"] = field(func(x *gqlExec, s *gStatusCtx, _ map[string]any) (any, error) { return x.actor(s.s.Creator), nil })

	// Pull requests.
	r["PullRequest.id"] = value(func(v *gPull) any { return v.p.nodeID })
	r["PullRequest.databaseId"] = value(func(v *gPull) any { return v.p.id })
	r["PullRequest.number"] = value(func(v *gPull) any { return v.p.Number })
	r["PullRequest.title"] = value(func(v *gPull) any { return v.p.Title })
	r["PullRequest.body"] = value(func(v *gPull) any { return v.p.Body })
	r["PullRequest.url"] = field(func(x *gqlExec, v *gPull, _ map[string]any) (any, error) { return x.f.pullHTML(v.r, v.p.Number), nil })
	r["PullRequest.createdAt"] = value(func(v *gPull) any { return gqlTime(v.p.CreatedAt) })
	r["PullRequest.updatedAt"] = value(func(v *gPull) any { return gqlTime(v.p.updatedAt) })
	r["PullRequest.closedAt"] = value(func(v *gPull) any { return gqlTime(v.p.closedAt) })
	r["PullRequest.mergedAt"] = value(func(v *gPull) any {
		if !v.p.Merged {
			return nil
		}
		return gqlTime(v.p.MergedAt)
	})
	r["PullRequest.state"] = value(func(v *gPull) any {
		switch {
		case v.p.Merged:
			return "MERGED"
		case v.p.State == "closed":
			return "CLOSED"
		}
		return "OPEN"
	})
	r["PullRequest.closed"] = value(func(v *gPull) any { return v.p.State == "closed" })
	r["PullRequest.merged"] = value(func(v *gPull) any { return v.p.Merged })
	r["PullRequest.isDraft"] = value(func(v *gPull) any { return v.p.Draft })
	r["PullRequest.locked"] = value(func(v *gPull) any { return v.p.locked })
	r["PullRequest.authorAssociation"] = value(func(v *gPull) any { return v.p.AuthorAssociation })
	r["PullRequest.headRefOid"] = value(func(v *gPull) any { return v.p.HeadSHA })
	r["PullRequest.baseRefOid"] = value(func(v *gPull) any { return v.p.BaseSHA })
	r["PullRequest.headRefName"] = value(func(v *gPull) any { return v.p.HeadRef })
	r["PullRequest.baseRefName"] = value(func(v *gPull) any { return v.p.BaseRef })
	r["PullRequest.isCrossRepository"] = value(func(v *gPull) any { return v.p.HeadRepoFullName != "" })
	r["PullRequest.repository"] = value(func(v *gPull) any { return v.r })
	r["PullRequest.baseRepository"] = value(func(v *gPull) any { return v.r })
	r["PullRequest.headRepository"] = field(func(x *gqlExec, v *gPull, _ map[string]any) (any, error) {
		if v.p.HeadRepoFullName == "" {
			return v.r, nil
		}
		if hr := x.f.repos[key(v.p.HeadRepoFullName)]; hr != nil {
			return hr, nil
		}
		return nil, nil
	})
	r["PullRequest.author"] = field(func(x *gqlExec, v *gPull, _ map[string]any) (any, error) { return x.actor(v.p.Author), nil })
	r["PullRequest.labels"] = field(func(x *gqlExec, v *gPull, a map[string]any) (any, error) {
		items := make([]any, len(v.p.labels))
		for i, k := range v.p.labels {
			items[i] = &gLabel{r: v.r, l: v.r.labels[k]}
		}
		return x.paginate("labels", items, a)
	})
	r["PullRequest.comments"] = field(func(x *gqlExec, v *gPull, a map[string]any) (any, error) {
		items := make([]any, len(v.p.comments))
		for i, c := range v.p.comments {
			items[i] = &gComment{r: v.r, c: c}
		}
		return x.paginate("comments", items, a)
	})
	r["PullRequest.commits"] = field(func(x *gqlExec, v *gPull, a map[string]any) (any, error) {
		all := x.f.pullCommits(v.p)
		total := len(all)
		if len(all) > maxPullCommits { // like REST, GitHub serves 250 commits at most
			all = all[:maxPullCommits]
		}
		items := make([]any, len(all))
		for i, c := range all {
			items[i] = &gPRCommit{r: v.r, p: v.p, c: c}
		}
		conn, err := x.paginate("commits", items, a)
		if conn != nil {
			conn.total = total
		}
		return conn, err
	})
	r["PullRequest.changedFiles"] = field(func(x *gqlExec, v *gPull, _ map[string]any) (any, error) {
		_, _, n := x.f.diffStats(x.f.mergeBase(v.p.BaseSHA, v.p.HeadSHA), v.p.HeadSHA)
		return n, nil
	})
	r["PullRequest.additions"] = field(func(x *gqlExec, v *gPull, _ map[string]any) (any, error) {
		n, _, _ := x.f.diffStats(x.f.mergeBase(v.p.BaseSHA, v.p.HeadSHA), v.p.HeadSHA)
		return n, nil
	})
	r["PullRequest.deletions"] = field(func(x *gqlExec, v *gPull, _ map[string]any) (any, error) {
		_, n, _ := x.f.diffStats(x.f.mergeBase(v.p.BaseSHA, v.p.HeadSHA), v.p.HeadSHA)
		return n, nil
	})
	r["PullRequestCommit.commit"] = value(func(v *gPRCommit) any { return &gCommit{r: v.r, c: v.c} })
	r["PullRequestCommit.id"] = value(func(v *gPRCommit) any { return nodeID("PURC", v.p.nodeID+":"+v.c.SHA) })
	r["PullRequestCommit.url"] = field(func(x *gqlExec, v *gPRCommit, _ map[string]any) (any, error) {
		return x.f.pullHTML(v.r, v.p.Number) + "/commits/" + v.c.SHA, nil
	})

	r["Label.id"] = value(func(v *gLabel) any { return nodeID("LA", fmt.Sprint(v.l.ID)) })
	r["Label.name"] = value(func(v *gLabel) any { return v.l.Name })
	r["Label.color"] = value(func(v *gLabel) any { return v.l.Color })
	r["Label.description"] = value(func(v *gLabel) any { return strOrNil(v.l.Description) })

	r["IssueComment.id"] = value(func(v *gComment) any { return v.c.NodeID })
	r["IssueComment.databaseId"] = value(func(v *gComment) any { return v.c.ID })
	r["IssueComment.url"] = field(func(x *gqlExec, v *gComment, _ map[string]any) (any, error) {
		return fmt.Sprintf("%s#issuecomment-%d", x.f.pullHTML(v.r, v.c.number), v.c.ID), nil
	})
	r["IssueComment.body"] = value(func(v *gComment) any { return v.c.Body })
	r["IssueComment.createdAt"] = value(func(v *gComment) any { return gqlTime(v.c.CreatedAt) })
	r["IssueComment.updatedAt"] = value(func(v *gComment) any { return gqlTime(v.c.UpdatedAt) })
	r["IssueComment.lastEditedAt"] = value(func(v *gComment) any {
		if v.c.UpdatedAt.Equal(v.c.CreatedAt) {
			return nil
		}
		return gqlTime(v.c.UpdatedAt)
	})
	r["IssueComment.isMinimized"] = value(func(v *gComment) any { return v.c.Minimized })
	r["IssueComment.minimizedReason"] = value(func(v *gComment) any { return strOrNil(v.c.MinimizedReason) })
	r["IssueComment.author"] = field(func(x *gqlExec, v *gComment, _ map[string]any) (any, error) { return x.actor(v.c.User), nil })
	r["IssueComment.authorAssociation"] = field(func(x *gqlExec, v *gComment, _ map[string]any) (any, error) {
		return x.f.association(v.r, v.c.User), nil
	})
	r["IssueComment.viewerDidAuthor"] = field(func(x *gqlExec, v *gComment, _ map[string]any) (any, error) {
		return x.tok != nil && strings.EqualFold(x.tok.Login, v.c.User), nil
	})
	gqlResolvers = r
}

// repoObject resolves Repository.object(expression: "rev:path" | "rev", oid).
func repoObject(x *gqlExec, v *repoState, a map[string]any) (any, error) {
	if oid := str(a, "oid"); oid != "" {
		if c := x.f.commits[strings.ToLower(oid)]; c != nil {
			return gqlObj{typ: "Commit", v: &gCommit{r: v, c: c}}, nil
		}
		return nil, nil
	}
	rev, path, hasPath := strings.Cut(str(a, "expression"), ":")
	c := x.f.resolveRef(v, rev)
	if c == nil {
		return nil, nil
	}
	if !hasPath {
		return gqlObj{typ: "Commit", v: &gCommit{r: v, c: c}}, nil
	}
	path = strings.Trim(path, "/")
	if content, ok := c.tree.files[path]; ok {
		return gqlObj{typ: "Blob", v: &gBlob{r: v, content: content}}, nil
	}
	if path == "" || len(subtree(c.tree.files, path)) > 0 {
		return gqlObj{typ: "Tree", v: &gTree{r: v, path: path, files: c.tree.files}}, nil
	}
	return nil, nil
}

func minimize(on bool) resolver {
	return func(x *gqlExec, _ any, a map[string]any) (any, error) {
		in, _ := a["input"].(map[string]any)
		id, _ := in["subjectId"].(string)
		if x.tok.ReadOnly || (x.tok.Permissions != nil && x.tok.Permissions["issues"] != "write" && x.tok.Permissions["pull_requests"] != "write") {
			return nil, &gqlError{typ: "FORBIDDEN", msg: "Resource not accessible by integration"}
		}
		c := x.f.commentsByNode[id]
		if c == nil {
			return nil, notFoundErr("Could not resolve to a node with the global id of '%s'", id)
		}
		var repo *repoState
		for _, r := range x.f.repos {
			if r.comments[c.ID] == c {
				repo = r
			}
		}
		if on {
			cls, _ := in["classifier"].(string)
			// GitHub reports the reason lower-case and dashed ("off-topic").
			c.Minimized, c.MinimizedReason = true, strings.ReplaceAll(strings.ToLower(cls), "_", "-")
		} else {
			c.Minimized, c.MinimizedReason = false, ""
		}
		return &gMinimize{c: &gComment{r: repo, c: c}, clientID: in["clientMutationId"]}, nil
	}
}

func combinedState(latest []*Status) string {
	state := "SUCCESS"
	for _, s := range latest {
		switch s.State {
		case "error", "failure":
			return strings.ToUpper(s.State)
		case "pending":
			state = "PENDING"
		}
	}
	return state
}

func isBinary(s string) bool { return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) }

// subtree returns the files under dir ("" = all).
func subtree(files map[string]string, dir string) map[string]string {
	if dir == "" {
		return files
	}
	out := map[string]string{}
	for p, c := range files {
		if strings.HasPrefix(p, dir+"/") {
			out[p] = c
		}
	}
	return out
}

func treeEntries(t *gTree) any {
	prefix := ""
	if t.path != "" {
		prefix = t.path + "/"
	}
	dirs := map[string]bool{}
	var out []any
	var names []string
	files := map[string]string{}
	for p, c := range t.files {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		name, _, isDir := strings.Cut(p[len(prefix):], "/")
		if isDir {
			if !dirs[name] {
				dirs[name] = true
				names = append(names, name)
			}
		} else {
			files[name] = c
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, &gTreeEntry{r: t.r, name: n, path: prefix + n, dir: dirs[n], content: files[n], files: t.files})
	}
	if out == nil {
		out = []any{}
	}
	return out
}
