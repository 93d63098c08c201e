package ghfake

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Users, organizations, memberships, search and the rate limit.

func getUser(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	u := c.f.users[key(c.params["username"])]
	if u == nil {
		return notFound()
	}
	return jsonResp(200, c.f.publicUser(u))
}

func listUserOrgs(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	login := key(c.params["username"])
	if c.f.users[login] == nil {
		return notFound()
	}
	var orgs []*User
	for org, m := range c.f.members {
		if m[login] { // public memberships only
			orgs = append(orgs, c.f.users[org])
		}
	}
	sort.Slice(orgs, func(i, j int) bool { return orgs[i].ID < orgs[j].ID })
	return pageOf(c, orgs, func(u *User) any { return c.f.orgSimple(u) })
}

func (c *reqCtx) orgLocked() bool {
	u := c.f.users[key(c.params["org"])]
	return u != nil && u.Type == "Organization"
}

// checkMembership: a requester that cannot see concealed members is
// redirected to the public check, as GitHub does for non-members.
func checkMembership(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	if !c.orgLocked() {
		return notFound()
	}
	if !c.tok.CanSeePrivateMembers {
		resp := &response{status: 302}
		resp.setHeader("Location", fmt.Sprintf("%s/orgs/%s/public_members/%s", c.f.api, pe(c.params["org"]), pe(c.params["username"])))
		return resp
	}
	if _, ok := c.f.members[key(c.params["org"])][key(c.params["username"])]; ok {
		return &response{status: 204}
	}
	return &response{status: 404, body: obj{"message": "User does not exist or is not a member of the organization", "documentation_url": c.doc(), "status": "404"}}
}

func checkPublicMembership(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	if c.orgLocked() && c.f.members[key(c.params["org"])][key(c.params["username"])] {
		return &response{status: 204}
	}
	return &response{status: 404, body: obj{"message": "User is not a public member of the organization", "documentation_url": c.doc(), "status": "404"}}
}

func getRateLimit(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	res := obj{}
	for name := range rateLimits {
		b := c.f.bucketLocked(c.tok, name)
		res[name] = obj{"limit": b.limit, "remaining": b.remaining, "reset": b.reset.Unix(), "used": b.limit - b.remaining, "resource": name}
	}
	return jsonResp(200, obj{"resources": res, "rate": res["core"]})
}

// ---- search ----

type searchTerm struct {
	neg        bool
	qual, val  string // qual "" = free text
	cmp        string // for dates: "<", "<=", ">", ">=", "..", "="
	from, till time.Time
}

// parseSearch splits a query into qualifiers and words (quotes respected).
func parseSearch(q string) []searchTerm {
	var words []string
	var cur strings.Builder
	inQ := false
	for _, r := range q {
		switch {
		case r == '"':
			inQ = !inQ
		case (r == ' ' || r == '+') && !inQ:
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	var out []searchTerm
	for _, w := range words {
		t := searchTerm{}
		if strings.HasPrefix(w, "-") && strings.Contains(w, ":") {
			t.neg, w = true, w[1:]
		}
		if q, v, ok := strings.Cut(w, ":"); ok && v != "" {
			t.qual, t.val = strings.ToLower(q), v
		} else {
			t.val = w
		}
		switch t.qual {
		case "created", "updated", "closed", "merged":
			t.cmp, t.from, t.till = parseDateRange(t.val)
		}
		out = append(out, t)
	}
	return out
}

func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseDateRange handles <D, <=D, >D, >=D, A..B (either side may be *) and D.
func parseDateRange(v string) (string, time.Time, time.Time) {
	for _, op := range []string{"<=", ">=", "<", ">"} {
		if strings.HasPrefix(v, op) {
			t, _ := parseDate(v[len(op):])
			return op, t, t
		}
	}
	if a, b, ok := strings.Cut(v, ".."); ok {
		var from, till time.Time
		if a != "*" {
			from, _ = parseDate(a)
		}
		if b != "*" {
			till, _ = parseDate(b)
			if len(b) == len("2006-01-02") {
				till = till.Add(24*time.Hour - time.Nanosecond) // the whole end day
			}
		}
		return "..", from, till
	}
	t, _ := parseDate(v)
	if len(v) == len("2006-01-02") {
		return "..", t, t.Add(24*time.Hour - time.Nanosecond)
	}
	return "=", t, t
}

func (t searchTerm) matchDate(d time.Time) bool {
	if d.IsZero() {
		return false
	}
	switch t.cmp {
	case "<":
		return d.Before(t.from)
	case "<=":
		return !d.After(t.from)
	case ">":
		return d.After(t.from)
	case ">=":
		return !d.Before(t.from)
	case "..":
		return (t.from.IsZero() || !d.Before(t.from)) && (t.till.IsZero() || !d.After(t.till))
	}
	return d.Equal(t.from)
}

func (f *Fake) matchPull(r *repoState, p *pullState, terms []searchTerm) bool {
	for _, t := range terms {
		ok := true
		switch t.qual {
		case "":
			v := strings.ToLower(t.val)
			ok = strings.Contains(strings.ToLower(p.Title), v) || strings.Contains(strings.ToLower(p.Body), v)
		case "is", "type", "state":
			switch strings.ToLower(t.val) {
			case "pr", "pull-request":
				ok = true
			case "issue":
				ok = false
			case "open":
				ok = p.State == "open"
			case "closed":
				ok = p.State == "closed"
			case "merged":
				ok = p.Merged
			case "unmerged":
				ok = !p.Merged && p.State == "closed"
			case "draft":
				ok = p.Draft
			case "locked":
				ok = p.locked
			case "public":
				ok = !r.Private
			case "private":
				ok = r.Private
			}
		case "repo":
			ok = strings.EqualFold(t.val, r.fullName())
		case "org", "user", "owner":
			ok = strings.EqualFold(t.val, r.Owner)
		case "author":
			ok = strings.EqualFold(t.val, p.Author) || strings.EqualFold(t.val+"[bot]", p.Author) ||
				strings.EqualFold(strings.TrimPrefix(t.val, "app/")+"[bot]", p.Author)
		case "label":
			ok = false
			for _, l := range p.labels {
				ok = ok || l == key(t.val)
			}
		case "base":
			ok = p.BaseRef == t.val
		case "head":
			ok = p.HeadRef == t.val
		case "created":
			ok = t.matchDate(p.CreatedAt)
		case "updated":
			ok = t.matchDate(p.updatedAt)
		case "closed":
			ok = t.matchDate(p.closedAt)
		case "merged":
			ok = p.Merged && t.matchDate(p.MergedAt)
		default:
			ok = false // an unknown qualifier matches nothing on GitHub either
		}
		if ok == t.neg {
			return false
		}
	}
	return true
}

func searchIssues(c *reqCtx) *response {
	terms := parseSearch(c.q("q"))
	if len(terms) == 0 {
		return validationFailed(c.doc(), map[string]any{"resource": "Search", "field": "q", "code": "missing"})
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	type hit struct {
		r *repoState
		p *pullState
	}
	var hits []hit
	for _, r := range c.f.repos {
		if r.Private && !c.tok.canAccess(r.fullName()) {
			continue
		}
		for _, p := range r.pulls {
			if c.f.matchPull(r, p, terms) {
				hits = append(hits, hit{r, p})
			}
		}
	}
	sortBy, asc := c.q("sort"), c.q("order") == "asc"
	sortKey := func(p *pullState) int64 {
		switch sortBy {
		case "updated":
			return p.updatedAt.UnixNano()
		case "comments":
			return int64(len(p.comments))
		}
		return p.CreatedAt.UnixNano()
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i].p, hits[j].p
		ka, kb := sortKey(a), sortKey(b)
		if ka == kb {
			ka, kb = a.id, b.id
		}
		if asc {
			return ka < kb
		}
		return ka > kb
	})
	total := len(hits)
	if len(hits) > 1000 { // GitHub serves the first 1,000 results only
		hits = hits[:1000]
	}
	p := c.pager()
	lo, hi := p.bounds(len(hits))
	items := make([]any, 0, hi-lo)
	for _, h := range hits[lo:hi] {
		items = append(items, c.f.searchItem(h.r, h.p))
	}
	resp := jsonResp(200, obj{"total_count": total, "incomplete_results": false, "items": items, "search_type": "lexical"})
	c.link(resp, p, len(hits))
	return resp
}

func (f *Fake) searchItem(r *repoState, p *pullState) obj {
	a := f.repoAPI(r)
	issue := fmt.Sprintf("%s/issues/%d", a, p.Number)
	html := f.pullHTML(r, p.Number)
	return obj{
		"url": issue, "repository_url": a, "labels_url": issue + "/labels{/name}", "comments_url": issue + "/comments",
		"events_url": issue + "/events", "html_url": html, "id": p.id, "node_id": p.nodeID, "number": p.Number,
		"title": p.Title, "locked": p.locked, "active_lock_reason": strOrNil(p.lockWhy), "assignees": []any{},
		"user": f.simpleUser(p.Author), "labels": f.issueLabels(r, p), "state": p.State, "state_reason": nil,
		"assignee": nil, "milestone": nil, "comments": len(p.comments),
		"created_at": ts(p.CreatedAt), "updated_at": ts(p.updatedAt), "closed_at": tsOrNil(p.closedAt),
		"pull_request": obj{"merged_at": mergedAt(p), "diff_url": html + ".diff", "html_url": html,
			"patch_url": html + ".patch", "url": fmt.Sprintf("%s/pulls/%d", a, p.Number)},
		"body": p.Body, "score": 1.0, "author_association": p.AuthorAssociation, "draft": p.Draft,
	}
}

func mergedAt(p *pullState) any {
	if !p.Merged {
		return nil
	}
	return ts(p.MergedAt)
}
