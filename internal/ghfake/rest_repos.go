package ghfake

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Contents, compare, commit statuses and check runs.

func getContent(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r := c.repoLocked()
	if r == nil {
		return notFound()
	}
	ref := c.q("ref")
	if ref == "" {
		ref = r.DefaultBranch
	}
	cm := c.f.resolveRef(r, ref)
	if cm == nil {
		return errResp(404, "No commit found for the ref "+ref, c.doc())
	}
	path := strings.Trim(c.params["path"], "/")
	if content, ok := cm.tree.files[path]; ok {
		if strings.Contains(c.r.Header.Get("Accept"), "application/vnd.github.raw") {
			resp := &response{status: 200, raw: []byte(content)}
			resp.setHeader("Content-Type", "application/vnd.github.raw; charset=utf-8")
			return resp
		}
		return jsonResp(200, c.f.contentFile(r, ref, path, content))
	}
	// A directory: list its direct entries.
	entries := map[string]bool{} // name → is dir
	prefix := path + "/"
	for p := range cm.tree.files {
		if strings.HasPrefix(p, prefix) {
			rest := p[len(prefix):]
			name, _, isDir := strings.Cut(rest, "/")
			entries[name] = entries[name] || isDir
		}
	}
	if len(entries) == 0 {
		return notFound()
	}
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]any, 0, len(names))
	for _, n := range names {
		full := prefix + n
		if entries[n] {
			a := c.f.repoAPI(r) + "/contents/" + escapePath(full) + "?ref=" + ref
			html := c.f.repoWeb(r) + "/tree/" + escapePath(ref) + "/" + escapePath(full)
			git := c.f.repoAPI(r) + "/git/trees/" + treeSHA(map[string]string{full: ""})
			out = append(out, obj{"type": "dir", "size": 0, "name": n, "path": full, "sha": treeSHA(map[string]string{full: ""}),
				"url": a, "git_url": git, "html_url": html, "download_url": nil, "_links": obj{"self": a, "git": git, "html": html}})
			continue
		}
		e := c.f.contentFile(r, ref, full, cm.tree.files[full])
		delete(e, "content")
		delete(e, "encoding")
		out = append(out, e)
	}
	return jsonResp(200, out)
}

func putContent(c *reqCtx) *response {
	type person struct{ Name, Email, Date string }
	var in struct {
		Message, Content, SHA, Branch string
		Committer, Author             *person
	}
	if e := c.decode(&in); e != nil {
		return e
	}
	raw, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(in.Content, "\n", ""))
	if err != nil {
		return validationFailed(c.doc(), map[string]any{"resource": "Commit", "code": "custom", "field": "content", "message": "content is not valid Base64"})
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r := c.repoLocked()
	if r == nil {
		return notFound()
	}
	branch := in.Branch
	if branch == "" {
		branch = r.DefaultBranch
	}
	tip, exists := r.branches[branch]
	if !exists && (branch != r.DefaultBranch || len(r.branches) > 0) {
		return errResp(404, "Branch "+branch+" not found", c.doc())
	}
	if r.protected[branch] {
		return &response{status: 409, body: map[string]any{
			"message":           "Repository rule violations found\n\nChanges must be made through a pull request.\n\n",
			"documentation_url": "https://docs.github.com/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/about-rulesets",
			"status":            "409"}}
	}
	path := strings.Trim(c.params["path"], "/")
	var cur string
	var had bool
	if cm := c.f.commits[tip]; cm != nil {
		cur, had = cm.tree.files[path]
	}
	switch {
	case had && in.SHA == "":
		return &response{status: 422, body: map[string]any{"message": "Invalid request.\n\n\"sha\" wasn't supplied.", "documentation_url": c.doc(), "status": "422"}}
	case had && !strings.EqualFold(in.SHA, blobSHA(cur)):
		return errResp(409, fmt.Sprintf("%s does not match %s", path, in.SHA), c.doc())
	case !had && in.SHA != "":
		return errResp(409, fmt.Sprintf("%s does not match %s", path, in.SHA), c.doc())
	}
	u := c.f.ensureUser(c.login())
	author := GitPerson{Name: u.Login, Email: fmt.Sprintf("%d+%s@users.noreply.github.com", u.ID, u.Login)}
	verified := true // GitHub signs commits it creates for the API caller
	if in.Author != nil {
		author, verified = GitPerson{Name: in.Author.Name, Email: in.Author.Email}, false
	} else if in.Committer != nil {
		author, verified = GitPerson{Name: in.Committer.Name, Email: in.Committer.Email}, false
	}
	cm := c.f.commitFileLocked(r, branch, path, string(raw), in.Message, author, u.Login, verified)
	if in.Committer != nil {
		cm.Committer = GitPerson{Name: in.Committer.Name, Email: in.Committer.Email, Date: cm.Author.Date}
	}
	content := c.f.contentFile(r, branch, path, string(raw))
	delete(content, "content")
	delete(content, "encoding")
	a := c.f.repoAPI(r)
	parents := make([]any, 0, 1)
	for _, p := range cm.Parents {
		parents = append(parents, obj{"url": a + "/git/commits/" + p, "html_url": c.f.repoWeb(r) + "/commit/" + p, "sha": p})
	}
	status := 201
	if had {
		status = 200
	}
	return jsonResp(status, obj{"content": content, "commit": obj{
		"sha": cm.SHA, "node_id": nodeID("C", fmt.Sprintf("%d:%s", r.ID, cm.SHA)),
		"url": a + "/git/commits/" + cm.SHA, "html_url": c.f.repoWeb(r) + "/commit/" + cm.SHA,
		"author": gitPerson(cm.Author), "committer": gitPerson(cm.Committer), "message": cm.Message,
		"tree":    obj{"url": a + "/git/trees/" + cm.tree.sha, "sha": cm.tree.sha},
		"parents": parents, "verification": c.f.verification(cm),
	}})
}

// splitBasehead parses "base...head" (or "base..head"); either side may be
// "owner:ref" for a fork.
func splitBasehead(s string) (string, string, bool) {
	if b, h, ok := strings.Cut(s, "..."); ok {
		return b, h, b != "" && h != ""
	}
	if b, h, ok := strings.Cut(s, ".."); ok {
		return b, h, b != "" && h != ""
	}
	return "", "", false
}

func (c *reqCtx) resolveSide(r *repoState, side string) *commitState {
	if owner, ref, ok := strings.Cut(side, ":"); ok {
		if fork := c.f.repo(owner, r.Name); fork != nil {
			return c.f.resolveRef(fork, ref)
		}
		side = ref
	}
	return c.f.resolveRef(r, side)
}

func compareCommits(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r := c.repoLocked()
	if r == nil {
		return notFound()
	}
	bs, hs, ok := splitBasehead(c.params["basehead"])
	if !ok {
		return notFound()
	}
	base, head := c.resolveSide(r, bs), c.resolveSide(r, hs)
	if base == nil || head == nil {
		return notFound()
	}
	mb := c.f.mergeBase(base.SHA, head.SHA)
	if mb == "" {
		return errResp(404, fmt.Sprintf("No common ancestor between %s and %s.", bs, hs), c.doc())
	}
	ahead := c.f.rangeCommits(base.SHA, head.SHA)
	behind := len(c.f.rangeCommits(head.SHA, base.SHA))
	status := "diverged"
	switch {
	case len(ahead) == 0 && behind == 0:
		status = "identical"
	case behind == 0:
		status = "ahead"
	case len(ahead) == 0:
		status = "behind"
	}
	a, w := c.f.repoAPI(r), c.f.repoWeb(r)
	paged := c.q("page") != "" || c.q("per_page") != ""
	page := ahead
	p := c.pager()
	if paged {
		lo, hi := p.bounds(len(ahead))
		page = ahead[lo:hi]
	} else if len(page) > 250 {
		page = page[:250]
	}
	commits := make([]any, 0, len(page))
	for _, cm := range page {
		commits = append(commits, c.f.commit(r, cm))
	}
	body := obj{
		"url": a + "/compare/" + c.params["basehead"], "html_url": w + "/compare/" + c.params["basehead"],
		"permalink_url": w + "/compare/" + r.Owner + ":" + base.SHA[:7] + "..." + r.Owner + ":" + head.SHA[:7],
		"diff_url":      w + "/compare/" + c.params["basehead"] + ".diff",
		"patch_url":     w + "/compare/" + c.params["basehead"] + ".patch",
		"base_commit":   c.f.commit(r, base), "merge_base_commit": c.f.commit(r, c.f.commits[mb]),
		"status": status, "ahead_by": len(ahead), "behind_by": behind, "total_commits": len(ahead),
		"commits": commits,
	}
	// Files come with the first page only, at most 300 (as on GitHub).
	if !paged || p.page == 1 {
		diffs := c.f.diffFiles(mb, head.SHA)
		if len(diffs) > 300 {
			diffs = diffs[:300]
		}
		files := make([]any, 0, len(diffs))
		for _, d := range diffs {
			files = append(files, c.f.diffEntry(r, head.SHA, d))
		}
		body["files"] = files
	}
	resp := jsonResp(200, body)
	if paged {
		c.link(resp, p, len(ahead))
	}
	return resp
}

// ---- statuses ----

func createStatus(c *reqCtx) *response {
	var in struct {
		State       string  `json:"state"`
		TargetURL   *string `json:"target_url"`
		Description *string `json:"description"`
		Context     string  `json:"context"`
	}
	if e := c.decode(&in); e != nil {
		return e
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r := c.repoLocked()
	if r == nil {
		return notFound()
	}
	cm := c.f.resolveRef(r, c.params["sha"])
	if cm == nil {
		return validationFailed(c.doc(), map[string]any{"resource": "Status", "code": "custom", "field": "sha", "message": "No commit found for SHA: " + c.params["sha"]})
	}
	if in.Context == "" {
		in.Context = "default"
	}
	desc, target := "", ""
	if in.Description != nil {
		desc = *in.Description
	}
	if in.TargetURL != nil {
		target = *in.TargetURL
	}
	if utf8.RuneCountInString(desc) > 140 {
		return validationFailed(c.doc(), map[string]any{"resource": "Status", "code": "custom", "field": "description", "message": "description is too long (maximum is 140 characters)"})
	}
	if len(r.statuses[cm.SHA]) >= 1000 {
		return validationFailed(c.doc(), map[string]any{"resource": "Status", "code": "custom", "field": "sha", "message": "This SHA and context has reached the maximum number of statuses."})
	}
	now := c.f.now()
	s := &Status{ID: c.f.nextID("status"), State: in.State, Description: desc, TargetURL: target, Context: in.Context,
		Creator: c.login(), CreatedAt: now, UpdatedAt: now}
	r.statuses[cm.SHA] = append(r.statuses[cm.SHA], s)
	resp := jsonResp(201, c.f.status(r, s))
	resp.setHeader("Location", c.f.repoAPI(r)+"/statuses/"+cm.SHA)
	return resp
}

// ---- check runs ----

type checkRunInput struct {
	Name        *string    `json:"name"`
	HeadSHA     string     `json:"head_sha"`
	DetailsURL  *string    `json:"details_url"`
	ExternalID  *string    `json:"external_id"`
	Status      *string    `json:"status"`
	Conclusion  *string    `json:"conclusion"`
	StartedAt   *time.Time `json:"started_at"`
	CompletedAt *time.Time `json:"completed_at"`
	Output      *struct {
		Title, Summary, Text string
		Annotations          []any
	}
	Actions *[]CheckRunAction
}

func (in *checkRunInput) validate(c *reqCtx) *response {
	if in.Output != nil {
		for field, v := range map[string]string{"summary": in.Output.Summary, "text": in.Output.Text} {
			if utf8.RuneCountInString(v) > 65535 {
				return validationFailed(c.doc(), map[string]any{"resource": "CheckRun", "code": "custom", "field": "output." + field, "message": "Only 65535 characters are allowed"})
			}
		}
	}
	if in.Actions != nil && len(*in.Actions) > 3 {
		return validationFailed(c.doc(), map[string]any{"resource": "CheckRun", "code": "custom", "field": "actions", "message": "Only 3 actions are allowed"})
	}
	return nil
}

func (in *checkRunInput) apply(cr *CheckRun, now time.Time) {
	if in.Name != nil {
		cr.Name = *in.Name
	}
	if in.DetailsURL != nil {
		cr.DetailsURL = *in.DetailsURL
	}
	if in.ExternalID != nil {
		cr.ExternalID = *in.ExternalID
	}
	if in.StartedAt != nil {
		cr.StartedAt = in.StartedAt.UTC()
	}
	if in.Status != nil {
		cr.Status = *in.Status
		if cr.Status != "completed" {
			cr.Conclusion, cr.CompletedAt = "", time.Time{}
		}
	}
	if in.Conclusion != nil {
		cr.Conclusion, cr.Status = *in.Conclusion, "completed"
	}
	if in.CompletedAt != nil {
		cr.CompletedAt = in.CompletedAt.UTC()
	}
	if cr.Status == "completed" && cr.CompletedAt.IsZero() {
		cr.CompletedAt = now
	}
	if cr.StartedAt.IsZero() {
		cr.StartedAt = now
	}
	if in.Output != nil {
		cr.Output = CheckRunOutput{Title: in.Output.Title, Summary: in.Output.Summary, Text: in.Output.Text, AnnotationsCount: cr.Output.AnnotationsCount + len(in.Output.Annotations)}
	}
	if in.Actions != nil {
		cr.Actions = append([]CheckRunAction(nil), (*in.Actions)...)
	}
}

func createCheckRun(c *reqCtx) *response {
	var in checkRunInput
	if e := c.decode(&in); e != nil {
		return e
	}
	if e := in.validate(c); e != nil {
		return e
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r := c.repoLocked()
	if r == nil {
		return notFound()
	}
	if c.tok.AppID == 0 {
		return errResp(403, "You must authenticate via a GitHub App.", c.doc())
	}
	cm := c.f.commits[strings.ToLower(in.HeadSHA)]
	if cm == nil {
		return validationFailed(c.doc(), map[string]any{"resource": "CheckRun", "code": "custom", "field": "head_sha", "message": "No commit found for SHA: " + in.HeadSHA})
	}
	now := c.f.now()
	cr := &CheckRun{ID: c.f.nextID("check"), HeadSHA: cm.SHA, Status: "queued", AppID: c.tok.AppID, CreatedAt: now}
	in.apply(cr, now)
	r.checkRuns = append(r.checkRuns, cr)
	return jsonResp(201, c.f.checkRun(r, cr))
}

func updateCheckRun(c *reqCtx) *response {
	var in checkRunInput
	if e := c.decode(&in); e != nil {
		return e
	}
	if e := in.validate(c); e != nil {
		return e
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r := c.repoLocked()
	if r == nil {
		return notFound()
	}
	id, _ := strconv.ParseInt(c.params["check_run_id"], 10, 64)
	for _, cr := range r.checkRuns {
		if cr.ID == id {
			if cr.AppID != c.tok.AppID {
				return errResp(403, "Invalid app_id `"+strconv.FormatInt(c.tok.AppID, 10)+"` - check run can only be modified by the GitHub App that created it.", c.doc())
			}
			in.apply(cr, c.f.now())
			return jsonResp(200, c.f.checkRun(r, cr))
		}
	}
	return notFound()
}

func listCheckRunsForRef(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r := c.repoLocked()
	if r == nil {
		return notFound()
	}
	cm := c.f.resolveRef(r, c.params["ref"])
	if cm == nil {
		return errResp(422, "No commit found for SHA: "+c.params["ref"], c.doc())
	}
	name, status, appID := c.q("check_name"), c.q("status"), c.q("app_id")
	latest := c.q("filter") != "all"
	seen := map[string]bool{}
	var list []*CheckRun
	for i := len(r.checkRuns) - 1; i >= 0; i-- { // newest first
		cr := r.checkRuns[i]
		if cr.HeadSHA != cm.SHA || (name != "" && cr.Name != name) || (status != "" && cr.Status != status) ||
			(appID != "" && strconv.FormatInt(cr.AppID, 10) != appID) {
			continue
		}
		k := fmt.Sprintf("%d/%s", cr.AppID, cr.Name)
		if latest && seen[k] {
			continue
		}
		seen[k] = true
		list = append(list, cr)
	}
	p := c.pager()
	lo, hi := p.bounds(len(list))
	runs := make([]any, 0, hi-lo)
	for _, cr := range list[lo:hi] {
		runs = append(runs, c.f.checkRun(r, cr))
	}
	resp := jsonResp(200, obj{"total_count": len(list), "check_runs": runs})
	c.link(resp, p, len(list))
	return resp
}
