package ghfake

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// GitHub App endpoints: installations, installation tokens, hook deliveries.

func (f *Fake) appInstallationsLocked(appID int64) []*installationState {
	var out []*installationState
	for _, inst := range f.installations {
		if inst.appID == appID {
			out = append(out, inst)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// installationRepos lists the repositories an installation covers.
func (f *Fake) installationRepos(inst *installationState) []*repoState {
	var out []*repoState
	if len(inst.repos) > 0 {
		for _, n := range inst.repos {
			if r := f.repos[key(n)]; r != nil {
				out = append(out, r)
			}
		}
	} else {
		for _, r := range f.repos {
			if strings.EqualFold(r.Owner, inst.account) {
				out = append(out, r)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func listInstallations(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	return pageOf(c, c.f.appInstallationsLocked(c.app.id), func(i *installationState) any { return c.f.installation(i) })
}

func getRepoInstallation(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r := c.repoLocked()
	if r == nil {
		return notFound()
	}
	for _, inst := range c.f.appInstallationsLocked(c.app.id) {
		for _, ir := range c.f.installationRepos(inst) {
			if ir == r {
				return jsonResp(200, c.f.installation(inst))
			}
		}
	}
	return notFound()
}

func createInstallationToken(c *reqCtx) *response {
	var in struct {
		Repositories  []string          `json:"repositories"`
		RepositoryIDs []int64           `json:"repository_ids"`
		Permissions   map[string]string `json:"permissions"`
	}
	if len(strings.TrimSpace(string(c.body))) > 0 {
		if e := c.decode(&in); e != nil {
			return e
		}
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	id, _ := strconv.ParseInt(c.params["installation_id"], 10, 64)
	inst := c.f.installations[id]
	if inst == nil || inst.appID != c.app.id {
		return notFound()
	}
	covered := c.f.installationRepos(inst)
	var repos []*repoState
	if len(in.Repositories) > 0 || len(in.RepositoryIDs) > 0 {
		want := map[string]bool{}
		for _, n := range in.Repositories {
			want["n:"+key(n)] = true
		}
		for _, i := range in.RepositoryIDs {
			want["i:"+strconv.FormatInt(i, 10)] = true
		}
		for _, r := range covered {
			if want["n:"+key(r.Name)] || want["i:"+strconv.FormatInt(r.ID, 10)] {
				repos = append(repos, r)
			}
		}
		if len(repos) != len(in.Repositories)+len(in.RepositoryIDs) {
			return validationFailed(c.doc(), map[string]any{"resource": "Installation", "code": "custom",
				"message": "There is at least one repository that does not exist or is not accessible to the parent installation."})
		}
	}
	granted := installationPermissions()
	perms := map[string]string{}
	for k, v := range granted {
		perms[k] = v.(string)
	}
	if len(in.Permissions) > 0 {
		perms = map[string]string{}
		for k, v := range in.Permissions {
			g, _ := granted[k].(string)
			if g == "" || (v == "write" && g != "write") {
				return validationFailed(c.doc(), map[string]any{"resource": "Installation", "code": "custom",
					"message": "The permissions requested are not granted to this installation."})
			}
			perms[k] = v
		}
	}
	app := c.f.apps[inst.appID]
	c.f.ids["token"]++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d/%d/%d", c.f.cfg.seed, inst.id, c.f.ids["token"])))
	token := "ghs_" + hex.EncodeToString(sum[:])[:36]
	expires := c.f.now().Add(time.Hour)
	spec := TokenSpec{Login: app.slug + "[bot]", ID: app.botID, Type: "Bot", Permissions: perms,
		AppID: app.id, InstallationID: inst.id, ExpiresAt: expires, CanSeePrivateMembers: perms["members"] != ""}
	sel := "all"
	scope := covered
	if len(repos) > 0 {
		scope = repos
	}
	if len(repos) > 0 || len(inst.repos) > 0 {
		sel = "selected"
	}
	for _, r := range scope {
		spec.Repos = append(spec.Repos, r.fullName())
	}
	if len(spec.Repos) == 0 {
		spec.Repos = []string{"\x00none"} // an installation with no repositories reaches none
	}
	c.f.addTokenLocked(token, spec)
	permsOut := obj{}
	for k, v := range perms {
		permsOut[k] = v
	}
	body := obj{"token": token, "expires_at": ts(expires), "permissions": permsOut, "repository_selection": sel}
	if sel == "selected" {
		list := make([]any, 0, len(scope))
		for _, r := range scope {
			list = append(list, c.f.repository(r))
		}
		body["repositories"] = list
	}
	return jsonResp(201, body)
}

func listInstallationRepos(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	inst := c.f.installations[c.tok.InstallationID]
	if inst == nil {
		return errResp(403, "You must authenticate with an installation access token in order to list repositories for an installation.", c.doc())
	}
	var repos []*repoState
	for _, r := range c.f.installationRepos(inst) {
		if c.tok.canAccess(r.fullName()) {
			repos = append(repos, r)
		}
	}
	p := c.pager()
	lo, hi := p.bounds(len(repos))
	list := make([]any, 0, hi-lo)
	for _, r := range repos[lo:hi] {
		list = append(list, c.f.repository(r))
	}
	sel := "all"
	if len(inst.repos) > 0 {
		sel = "selected"
	}
	resp := jsonResp(200, obj{"total_count": len(repos), "repositories": list, "repository_selection": sel})
	c.link(resp, p, len(repos))
	return resp
}

// ---- hook deliveries (cursor pagination, newest first) ----

func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("v1:" + strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(b), "v1:") {
		return 0, false
	}
	id, err := strconv.ParseInt(string(b[3:]), 10, 64)
	return id, err == nil
}

func listDeliveries(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	p := c.pager()
	var after int64 = -1
	if cur := c.q("cursor"); cur != "" {
		id, ok := decodeCursor(cur)
		if !ok {
			return errResp(400, "Invalid cursor", c.doc())
		}
		after = id
	}
	want := c.q("status")
	all := append([]*HookDelivery(nil), c.f.deliveries...)
	sort.Slice(all, func(i, j int) bool { return all[i].ID > all[j].ID })
	var out []any
	var last int64
	more := false
	for _, d := range all {
		if after >= 0 && d.ID >= after {
			continue
		}
		ok := d.StatusCode >= 200 && d.StatusCode < 300
		if (want == "success" && !ok) || (want == "failure" && ok) {
			continue
		}
		if len(out) == p.per {
			more = true
			break
		}
		out = append(out, hookDelivery(d))
		last = d.ID
	}
	if out == nil {
		out = []any{}
	}
	resp := jsonResp(200, out)
	if more {
		q := map[string][]string{}
		for k, v := range c.query {
			q[k] = v
		}
		q["cursor"] = []string{encodeCursor(last)}
		q["per_page"] = []string{strconv.Itoa(p.per)}
		resp.setHeader("Link", fmt.Sprintf(`<%s%s?%s>; rel="next"`, c.f.api, c.rel, encodeQuery(q)))
	}
	return resp
}

func encodeQuery(q map[string][]string) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range q[k] {
			parts = append(parts, k+"="+strings.ReplaceAll(v, "=", "%3D"))
		}
	}
	return strings.Join(parts, "&")
}

func hookDelivery(d *HookDelivery) obj {
	inst, repo := any(nil), any(nil)
	if d.InstallationID != 0 {
		inst = d.InstallationID
	}
	if d.RepositoryID != 0 {
		repo = d.RepositoryID
	}
	return obj{"id": d.ID, "guid": d.GUID, "delivered_at": ts(d.DeliveredAt), "redelivery": d.Redelivery,
		"duration": d.Duration, "status": d.Status, "status_code": d.StatusCode, "event": d.Event,
		"action": strOrNil(d.Action), "installation_id": inst, "repository_id": repo, "throttled_at": nil}
}

func redeliver(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	id, _ := strconv.ParseInt(c.params["delivery_id"], 10, 64)
	for _, d := range c.f.deliveries {
		if d.ID == id {
			now := c.f.now()
			c.f.redeliveries = append(c.f.redeliveries, Redelivery{DeliveryID: id, Time: now})
			nd := *d
			nd.ID, nd.GUID, nd.Redelivery, nd.DeliveredAt = 0, d.GUID, true, now
			c.f.addDeliveryLocked(nd)
			return jsonResp(202, obj{})
		}
	}
	return notFound()
}
