package ghfake

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// GraphQL resolvers the CLA check needs: Commit.authors (the git author,
// then each Co-authored-by trailer, with the account GitHub links its email
// to), Organization.team and Team.members (team membership for corporate
// approval rules), and Mutation.createRef (creating the signature branch).
// This file's init runs after graphql_resolvers.go's (files initialise in
// name order), so it adds to the map that one builds.

type gTeam struct {
	org  *User
	slug string
}

func init() {
	r := gqlResolvers
	r["Commit.authors"] = field(func(x *gqlExec, c *gCommit, a map[string]any) (any, error) {
		items := []any{&gGitActor{p: c.c.Author, login: c.c.AuthorLogin}}
		for _, line := range strings.Split(c.c.Message, "\n") {
			k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "Co-authored-by") {
				continue
			}
			v = strings.TrimSpace(v)
			lt, gt := strings.LastIndexByte(v, '<'), strings.LastIndexByte(v, '>')
			if lt < 0 || gt < lt {
				continue // GitHub ignores a co-author without an <email>
			}
			p := GitPerson{Name: strings.TrimSpace(v[:lt]), Email: strings.TrimSpace(v[lt+1 : gt])}
			items = append(items, &gGitActor{p: p, login: x.f.loginForEmailLocked(p.Email)})
		}
		return x.paginate("authors", items, a)
	})

	r["Organization.team"] = field(func(x *gqlExec, o *User, a map[string]any) (any, error) {
		slug := strings.ToLower(str(a, "slug"))
		// Teams are visible to a token that can read the organisation's
		// members (members: read); others see none.
		if x.tok == nil || !x.tok.CanSeePrivateMembers {
			return nil, nil
		}
		if _, ok := x.f.teams[key(o.Login)+"/"+slug]; !ok {
			return nil, nil
		}
		return &gTeam{org: o, slug: slug}, nil
	})
	r["Team.slug"] = value(func(t *gTeam) any { return t.slug })
	r["Team.name"] = value(func(t *gTeam) any { return t.slug })
	r["Team.members"] = field(func(x *gqlExec, t *gTeam, a map[string]any) (any, error) {
		q := strings.ToLower(str(a, "query"))
		var logins []string
		for login, ok := range x.f.teams[key(t.org.Login)+"/"+t.slug] {
			if ok && (q == "" || strings.Contains(login, q)) {
				logins = append(logins, login)
			}
		}
		sort.Strings(logins)
		items := make([]any, 0, len(logins))
		for _, l := range logins {
			items = append(items, x.f.users[l])
		}
		return x.paginate("members", items, a)
	})

	r["Mutation.createRef"] = func(x *gqlExec, _ any, a map[string]any) (any, error) {
		in, _ := a["input"].(map[string]any)
		repoID, _ := in["repositoryId"].(string)
		name, _ := in["name"].(string)
		oid, _ := in["oid"].(string)
		var repo *repoState
		for _, rs := range x.f.repos {
			if rs.nodeID == repoID {
				repo = rs
			}
		}
		if repo == nil || !x.tok.canAccess(repo.fullName()) {
			return nil, notFoundErr("Could not resolve to a node with the global id of '%s'", repoID)
		}
		if x.tok.ReadOnly || (x.tok.Permissions != nil && x.tok.Permissions["contents"] != "write") {
			return nil, &gqlError{typ: "FORBIDDEN", msg: "Resource not accessible by integration"}
		}
		branch, ok := strings.CutPrefix(name, "refs/heads/")
		if !ok || branch == "" {
			return nil, &gqlError{typ: "UNPROCESSABLE", msg: fmt.Sprintf("Reference name %q is not a fully qualified branch name", name)}
		}
		if _, exists := repo.branches[branch]; exists {
			return nil, &gqlError{typ: "UNPROCESSABLE", msg: "A ref named \"" + name + "\" already exists in the repository."}
		}
		if x.f.commits[strings.ToLower(oid)] == nil {
			return nil, &gqlError{typ: "UNPROCESSABLE", msg: "Object does not exist: " + oid}
		}
		x.f.setBranchLocked(repo, branch, strings.ToLower(oid))
		return &gRef{r: repo, name: branch}, nil
	}
	r["CreateRefPayload.ref"] = value(func(ref *gRef) any { return ref })
	r["CreateRefPayload.clientMutationId"] = value(func(*gRef) any { return nil })
}

// loginForEmailLocked is the account GitHub links email to: an account's
// public or verified emails, or a noreply address (ID+login or login).
func (f *Fake) loginForEmailLocked(email string) string {
	e := strings.ToLower(strings.TrimSpace(email))
	if local, ok := strings.CutSuffix(e, "@users.noreply.github.com"); ok {
		if id, login, found := strings.Cut(local, "+"); found {
			n, err := strconv.ParseInt(id, 10, 64)
			if u := f.users[login]; err == nil && u != nil && u.ID == n {
				return u.Login
			}
			return ""
		}
		if u := f.users[local]; u != nil {
			return u.Login
		}
		return ""
	}
	for _, u := range f.users {
		if strings.EqualFold(u.Email, e) {
			return u.Login
		}
		for _, x := range u.Emails {
			if strings.EqualFold(x, e) {
				return u.Login
			}
		}
	}
	return ""
}

// AddTeamMember makes login a member of the team org/slug (the team is
// created if needed).
func (f *Fake) AddTeamMember(org, slug, login string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if o, ok := f.users[key(org)]; !ok || o.Type != "Organization" {
		f.addUserLocked(User{Login: org, Type: "Organization"})
	}
	f.ensureUser(login)
	if f.teams == nil {
		f.teams = map[string]map[string]bool{}
	}
	k := key(org) + "/" + strings.ToLower(slug)
	if f.teams[k] == nil {
		f.teams[k] = map[string]bool{}
	}
	f.teams[k][key(login)] = true
}

// AddTeam creates an empty team org/slug.
func (f *Fake) AddTeam(org, slug string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.teams == nil {
		f.teams = map[string]map[string]bool{}
	}
	k := key(org) + "/" + strings.ToLower(slug)
	if f.teams[k] == nil {
		f.teams[k] = map[string]bool{}
	}
}
