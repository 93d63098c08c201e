package cla

import (
	"strconv"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
	"github.com/contribution-policy/contribution-policy/internal/trailer"
)

// GitHub's web-flow account commits web edits and merges on people's behalf
// (cla.md §6.2 step 3): it is never a contributor.
const (
	webFlowID    = 19864447
	webFlowEmail = "noreply@github.com"
	noreplyHost  = "@users.noreply.github.com"
)

// Required builds the set of identities the pull request needs covered
// (cla.md §6.2): every commit author (never the committer in their place),
// co-authors unless ignored, committers when required, the PR author when
// required; deduplicated by account id, unresolved emails by address,
// never by name. Order is first appearance.
func Required(cfg config.CLA, s *snapshot.Snapshot) []Identity {
	b := builder{index: map[string]int{}}
	for i := range s.Commits {
		c := &s.Commits[i]
		author := b.add(resolveGit(c.Author), RoleCommitAuthor, c.SHA)
		if author >= 0 {
			b.ids[author].attributed = append(b.ids[author].attributed, i)
		}
		if cfg.Identities.Coauthors != config.CoauthorsIgnore {
			for _, co := range coauthors(c) {
				if author >= 0 && b.same(author, co) {
					continue
				}
				b.add(co, RoleCoauthor, c.SHA)
			}
		}
		if cfg.Identities.Committers == config.CommittersRequire {
			cm := resolveGit(c.Committer)
			if author < 0 || !b.same(author, cm) {
				if j := b.add(cm, RoleCommitter, c.SHA); j >= 0 {
					b.ids[j].attributed = append(b.ids[j].attributed, i)
				}
			}
		}
	}
	if cfg.Identities.PRAuthor {
		if a := s.PullRequest.Author; a.Login != "" || a.ID != 0 {
			b.add(Identity{GitHubID: a.ID, Login: a.Login, Type: a.Type}, RolePRAuthor, "")
		}
	}
	return b.linkEmails()
}

// linkEmails folds an unresolved email into the account GitHub linked the
// same email to on another commit of the pull request (a co-author trailer
// naming a commit author's own address).
func (b *builder) linkEmails() []Identity {
	owner := map[string]int{}
	for i, id := range b.ids {
		for _, e := range id.TrustedEmails {
			owner[strings.ToLower(e)] = i
		}
	}
	if len(owner) == 0 {
		return b.ids
	}
	merged := make([]bool, len(b.ids))
	for i, id := range b.ids {
		j, ok := owner[strings.ToLower(strings.TrimSpace(id.Email))]
		if !ok || !id.Unresolved || j == i {
			continue
		}
		x := &b.ids[j]
		for _, r := range id.Roles {
			if !hasRole(x.Roles, r) {
				x.Roles = append(x.Roles, r)
			}
		}
		for _, c := range id.Commits {
			if !containsFold(x.Commits, c) {
				x.Commits = append(x.Commits, c)
			}
		}
		x.attributed = append(x.attributed, id.attributed...)
		merged[i] = true
	}
	out := b.ids[:0]
	for i, id := range b.ids {
		if !merged[i] {
			out = append(out, id)
		}
	}
	return out
}

type builder struct {
	ids   []Identity
	index map[string]int
}

// add merges id into the set under role and returns its index, or -1 when
// the identity is GitHub's web-flow (ignored) or has nothing to key on.
func (b *builder) add(id Identity, role Role, sha string) int {
	if isWebFlow(id) {
		return -1
	}
	k := key(id)
	if k == "" {
		return -1
	}
	i, ok := b.index[k]
	if !ok {
		i = len(b.ids)
		b.index[k] = i
		b.ids = append(b.ids, id)
		b.ids[i].Roles, b.ids[i].Commits, b.ids[i].TrustedEmails = nil, nil, nil
	}
	x := &b.ids[i]
	if x.Type == "" {
		x.Type = id.Type
	}
	if !hasRole(x.Roles, role) {
		x.Roles = append(x.Roles, role)
	}
	if sha != "" && (len(x.Commits) == 0 || x.Commits[len(x.Commits)-1] != sha) {
		x.Commits = append(x.Commits, sha)
	}
	for _, e := range id.TrustedEmails {
		if !containsFold(x.TrustedEmails, e) {
			x.TrustedEmails = append(x.TrustedEmails, e)
		}
	}
	return i
}

// same reports whether other is the identity at index i: the same key, or
// an email GitHub links to that account.
func (b *builder) same(i int, other Identity) bool {
	if k := key(other); k != "" {
		if j, ok := b.index[k]; ok && j == i {
			return true
		}
	}
	return other.Email != "" && containsFold(b.ids[i].TrustedEmails, strings.TrimSpace(other.Email))
}

func hasRole(rs []Role, r Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// key identifies an identity: by account id; by login when only that is
// known; by email when unresolved. Never by name.
func key(id Identity) string {
	switch {
	case id.GitHubID > 0:
		return "id:" + strconv.FormatInt(id.GitHubID, 10)
	case !id.Unresolved && id.Login != "":
		return "login:" + strings.ToLower(id.Login)
	case id.Email != "":
		return "email:" + strings.ToLower(id.Email)
	case id.Name != "":
		// A Co-authored-by trailer without an address: only its text
		// identifies it, and it can never be covered.
		return "text:" + strings.ToLower(id.Name)
	}
	return ""
}

func isWebFlow(id Identity) bool {
	return id.GitHubID == webFlowID || strings.EqualFold(id.Login, "web-flow") ||
		(id.Unresolved && strings.EqualFold(id.Email, webFlowEmail))
}

// resolveGit resolves a commit's author or committer (cla.md §6.2 step 2):
// the account GitHub linked the email to; else an ID+login noreply address;
// else the email stays unresolved. The git name is never used to resolve.
func resolveGit(g snapshot.Identity) Identity {
	id := Identity{Name: g.Name, Email: g.Email}
	if g.Login != "" {
		id.GitHubID, id.Login, id.Type = g.ID, g.Login, g.Type
		if e := strings.ToLower(strings.TrimSpace(g.Email)); e != "" && !isNoreply(e) {
			// GitHub attributed the commit to the account by this email:
			// the account owns it (a verified email).
			id.TrustedEmails = []string{e}
		}
		return id
	}
	if gid, login, ok := ParseNoreply(g.Email); ok && gid > 0 {
		id.GitHubID, id.Login = gid, login
		return id
	}
	id.Unresolved = true
	return id
}

// coauthors returns the commit's Co-authored-by identities, resolved with
// what GitHub said (snapshot Commit.CoAuthors), else with an ID+login
// noreply address, else unresolved.
func coauthors(c *snapshot.Commit) []Identity {
	var out []Identity
	for _, t := range trailer.Values(c.Message, "Co-authored-by") {
		p, problem := trailer.ParsePerson(t.Value)
		if problem != trailer.OK && problem != trailer.BareEmail && problem != trailer.NoName {
			if v := strings.TrimSpace(t.Value); v != "" {
				out = append(out, Identity{Name: v, Unresolved: true})
			}
			continue
		}
		id := Identity{Name: p.Name, Email: p.Email}
		if g, ok := linkedCoauthor(c, p.Email); ok {
			id.GitHubID, id.Login, id.Type = g.ID, g.Login, g.Type
			if e := strings.ToLower(p.Email); !isNoreply(e) {
				id.TrustedEmails = []string{e}
			}
		} else if gid, login, ok := ParseNoreply(p.Email); ok && gid > 0 {
			id.GitHubID, id.Login = gid, login
		} else {
			id.Unresolved = true
		}
		out = append(out, id)
	}
	return out
}

func linkedCoauthor(c *snapshot.Commit, email string) (snapshot.Identity, bool) {
	for _, g := range c.CoAuthors {
		if g.Login != "" && strings.EqualFold(strings.TrimSpace(g.Email), strings.TrimSpace(email)) {
			return g, true
		}
	}
	return snapshot.Identity{}, false
}

// ParseNoreply reads GitHub's noreply addresses:
// "ID+login@users.noreply.github.com" gives both, the older
// "login@users.noreply.github.com" the login only (id 0).
func ParseNoreply(email string) (id int64, login string, ok bool) {
	e := strings.TrimSpace(email)
	if !hasSuffixFold(e, noreplyHost) {
		return 0, "", false
	}
	local := e[:len(e)-len(noreplyHost)]
	if local == "" {
		return 0, "", false
	}
	if digits, rest, found := strings.Cut(local, "+"); found {
		n, err := strconv.ParseInt(digits, 10, 64)
		if err != nil || n <= 0 || rest == "" {
			return 0, "", false
		}
		return n, rest, true
	}
	return 0, local, true
}

func isNoreply(email string) bool {
	return hasSuffixFold(email, noreplyHost) || strings.EqualFold(email, webFlowEmail)
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
