package ghfake

import (
	"sort"
	"strings"
)

// GraphQL resolvers the App's sweeps and its override check need:
// Repository.pullRequests (open pull requests of a repository) and
// Repository.collaborators (a person's permission). This file's init runs
// after graphql_resolvers.go's (files initialise in name order), so it adds
// to the map that one builds.

// gCollab is a collaborator edge's node and permission.
type gCollab struct {
	u    *User
	perm string
}

func init() {
	r := gqlResolvers
	r["Repository.pullRequests"] = field(func(x *gqlExec, v *repoState, a map[string]any) (any, error) {
		states := map[string]bool{}
		if list, ok := a["states"].([]any); ok {
			for _, s := range list {
				if str, ok := s.(string); ok {
					states[str] = true
				}
			}
		}
		var pulls []*pullState
		for _, p := range v.pulls {
			st := "OPEN"
			switch {
			case p.Merged:
				st = "MERGED"
			case p.State == "closed":
				st = "CLOSED"
			}
			if len(states) == 0 || states[st] {
				pulls = append(pulls, p)
			}
		}
		byUpdated := false
		desc := false
		if ob, ok := a["orderBy"].(map[string]any); ok {
			byUpdated = ob["field"] == "UPDATED_AT"
			desc = ob["direction"] == "DESC"
		}
		sort.Slice(pulls, func(i, j int) bool {
			ki, kj := pulls[i].CreatedAt, pulls[j].CreatedAt
			if byUpdated {
				ki, kj = pulls[i].updatedAt, pulls[j].updatedAt
			}
			if ki.Equal(kj) {
				if desc {
					return pulls[i].Number > pulls[j].Number
				}
				return pulls[i].Number < pulls[j].Number
			}
			if desc {
				return ki.After(kj)
			}
			return ki.Before(kj)
		})
		items := make([]any, len(pulls))
		for i, p := range pulls {
			items[i] = &gPull{r: v, p: p}
		}
		return x.paginate("pullRequests", items, a)
	})
	r["Repository.collaborators"] = field(func(x *gqlExec, v *repoState, a map[string]any) (any, error) {
		var items []any
		for _, login := range x.f.collaboratorsLocked(v) {
			if l := str(a, "login"); l != "" && !strings.EqualFold(l, login) {
				continue
			}
			items = append(items, &gCollab{u: x.f.ensureUser(login), perm: x.f.permissionLocked(v, login)})
		}
		return x.paginate("collaborators", items, a)
	})
	r["RepositoryCollaboratorEdge.permission"] = value(func(e *edge) any { return e.node.(*gCollab).perm })
	r["RepositoryCollaboratorEdge.node"] = value(func(e *edge) any { return e.node.(*gCollab).u })
	r["RepositoryCollaboratorEdge.cursor"] = value(func(e *edge) any { return e.cursor })
}

// SetPermission gives login a permission on a repository (ADMIN, MAINTAIN,
// WRITE, TRIAGE or READ; "" removes it), as GraphQL's
// Repository.collaborators reports it. The owner of a personal repository
// is ADMIN without being set.
func (f *Fake) SetPermission(owner, repo, login, perm string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.mustRepo(owner, repo)
	f.ensureUser(login)
	if f.perms == nil {
		f.perms = map[string]string{}
	}
	k := key(r.fullName() + "@" + login)
	if perm == "" {
		delete(f.perms, k)
		return
	}
	f.perms[k] = strings.ToUpper(perm)
}

func (f *Fake) permissionLocked(r *repoState, login string) string {
	if p := f.perms[key(r.fullName()+"@"+login)]; p != "" {
		return p
	}
	if strings.EqualFold(r.Owner, login) {
		return "ADMIN"
	}
	return ""
}

func (f *Fake) collaboratorsLocked(r *repoState) []string {
	seen := map[string]bool{}
	var out []string
	if u := f.users[key(r.Owner)]; u != nil && u.Type != "Organization" {
		out, seen[key(r.Owner)] = append(out, u.Login), true
	}
	prefix := key(r.fullName() + "@")
	var more []string
	for k := range f.perms {
		if login, ok := strings.CutPrefix(k, prefix); ok && !seen[login] {
			if u := f.users[login]; u != nil {
				more = append(more, u.Login)
			}
		}
	}
	sort.Strings(more)
	return append(out, more...)
}
