package ghfake

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// GitHub surface the affiliation check reads: Query.search (pull requests),
// Repository.label, PullRequest.timelineItems (labelled and unlabelled
// events, with their actor) and User.organization (membership as far as the
// token can see). Label events are recorded by the REST label handlers with
// the token's account; LabelAs and UnlabelAs act as a person in the web UI.
// This file's init runs after graphql_resolvers.go's (files initialise in
// name order).

type labelEvent struct {
	id    int64
	label string // key into repo labels
	name  string // the label's name at the time
	actor string
	added bool
	at    time.Time
}

type gLabelEvent struct {
	r *repoState
	p *pullState
	e labelEvent
}

func (f *Fake) labelEventLocked(p *pullState, k, actor string, added bool) {
	name := k
	for _, r := range f.repos {
		if r.pulls[p.Number] == p {
			if l := r.labels[k]; l != nil {
				name = l.Name
			}
		}
	}
	p.labelEvents = append(p.labelEvents, labelEvent{id: f.nextID("event"), label: k, name: name, actor: actor, added: added, at: f.now()})
}

// LabelAs adds a label to a pull request as login would in the web UI (a
// person's label, with its timeline event).
func (f *Fake) LabelAs(owner, repo string, number int, login, label string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.mustRepo(owner, repo)
	p := r.pulls[number]
	if p == nil {
		panic(fmt.Sprintf("ghfake: %s/%s#%d not seeded", owner, repo, number))
	}
	f.ensureUser(login)
	k := f.ensureLabelLocked(r, label, "ededed", "")
	for _, x := range p.labels {
		if x == k {
			return
		}
	}
	p.labels = addLabelKey(p.labels, k)
	f.labelEventLocked(p, k, login, true)
}

// UnlabelAs removes a label from a pull request as login would in the web
// UI.
func (f *Fake) UnlabelAs(owner, repo string, number int, login, label string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.mustRepo(owner, repo)
	p := r.pulls[number]
	if p == nil {
		panic(fmt.Sprintf("ghfake: %s/%s#%d not seeded", owner, repo, number))
	}
	k := key(label)
	for i, x := range p.labels {
		if x == k {
			p.labels = append(p.labels[:i:i], p.labels[i+1:]...)
			f.labelEventLocked(p, k, login, false)
			return
		}
	}
}

func init() {
	r := gqlResolvers
	r["Repository.label"] = field(func(x *gqlExec, v *repoState, a map[string]any) (any, error) {
		l := v.labels[key(str(a, "name"))]
		if l == nil {
			return nil, nil
		}
		return &gLabel{r: v, l: l}, nil
	})
	r["PullRequest.timelineItems"] = field(func(x *gqlExec, v *gPull, a map[string]any) (any, error) {
		want := map[string]bool{}
		if list, ok := a["itemTypes"].([]any); ok {
			for _, t := range list {
				if s, ok := t.(string); ok {
					want[s] = true
				}
			}
		}
		var items []any
		for _, e := range v.p.labelEvents {
			typ := "LabeledEvent"
			if !e.added {
				typ = "UnlabeledEvent"
			}
			if len(want) > 0 && !want[map[bool]string{true: "LABELED_EVENT", false: "UNLABELED_EVENT"}[e.added]] {
				continue
			}
			items = append(items, gqlObj{typ: typ, v: &gLabelEvent{r: v.r, p: v.p, e: e}})
		}
		return x.paginate("timelineItems", items, a)
	})
	for _, t := range []string{"LabeledEvent", "UnlabeledEvent"} {
		r[t+".id"] = value(func(v *gLabelEvent) any { return nodeID("LE", fmt.Sprint(v.e.id)) })
		r[t+".createdAt"] = value(func(v *gLabelEvent) any { return gqlTime(v.e.at) })
		r[t+".actor"] = field(func(x *gqlExec, v *gLabelEvent, _ map[string]any) (any, error) { return x.actor(v.e.actor), nil })
		r[t+".label"] = value(func(v *gLabelEvent) any {
			l := v.r.labels[v.e.label]
			if l == nil {
				l = &Label{Name: v.e.name}
			}
			return &gLabel{r: v.r, l: l}
		})
		r[t+".labelable"] = value(func(v *gLabelEvent) any { return gqlObj{typ: "PullRequest", v: &gPull{r: v.r, p: v.p}} })
	}
	r["Query.search"] = func(x *gqlExec, _ any, a map[string]any) (any, error) {
		if str(a, "type") != "ISSUE" {
			return nil, &gqlError{typ: "INVALID", msg: "ghfake: only ISSUE searches are implemented"}
		}
		var terms []searchTerm
		sortBy := "created-desc"
		for _, t := range parseSearch(str(a, "query")) {
			if t.qual == "sort" {
				sortBy = strings.ToLower(t.val)
				continue
			}
			terms = append(terms, t)
		}
		var hits []*gPull
		for _, r := range x.f.repos {
			if r.Private && !x.tok.canAccess(r.fullName()) {
				continue
			}
			for _, p := range r.pulls {
				if x.f.matchPull(r, p, terms) {
					hits = append(hits, &gPull{r: r, p: p})
				}
			}
		}
		asc := strings.HasSuffix(sortBy, "-asc")
		sort.Slice(hits, func(i, j int) bool {
			a, b := hits[i].p, hits[j].p
			if a.CreatedAt.Equal(b.CreatedAt) {
				if asc {
					return a.id < b.id
				}
				return a.id > b.id
			}
			if asc {
				return a.CreatedAt.Before(b.CreatedAt)
			}
			return a.CreatedAt.After(b.CreatedAt)
		})
		total := len(hits)
		if len(hits) > 1000 { // like REST, the first 1,000 results only
			hits = hits[:1000]
		}
		items := make([]any, len(hits))
		for i, h := range hits {
			items[i] = gqlObj{typ: "PullRequest", v: h}
		}
		conn, err := x.paginate("search", items, a)
		if conn != nil {
			conn.total = total
		}
		return conn, err
	}
	r["SearchResultItemConnection.issueCount"] = value(func(c *connection) any { return c.total })
	for _, n := range []string{"codeCount", "discussionCount", "repositoryCount", "userCount", "wikiCount"} {
		r["SearchResultItemConnection."+n] = value(func(*connection) any { return 0 })
	}
	r["SearchResultItemEdge.node"] = value(func(e *edge) any { return e.node })
	r["SearchResultItemEdge.cursor"] = value(func(e *edge) any { return e.cursor })
	r["User.organization"] = field(func(x *gqlExec, u *User, a map[string]any) (any, error) {
		org := x.f.users[key(str(a, "login"))]
		if org == nil || org.Type != "Organization" {
			return nil, nil
		}
		public, ok := x.f.members[key(org.Login)][key(u.Login)]
		if !ok || (!public && !x.tok.CanSeePrivateMembers) {
			return nil, nil
		}
		return org, nil
	})
}
