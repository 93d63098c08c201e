package ghfake

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// GitHub lists at most 250 commits of a pull request; the compare API has them all.
const maxPullCommits = 250

func getPull(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r, p, errr := c.pullLocked()
	if errr != nil {
		return errr
	}
	return jsonResp(200, c.f.pullRequest(r, p))
}

func updatePull(c *reqCtx) *response {
	var in struct {
		Title, Body, State, Base *string
		MCM                      *bool `json:"maintainer_can_modify"`
	}
	if e := c.decode(&in); e != nil {
		return e
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r, p, errr := c.pullLocked()
	if errr != nil {
		return errr
	}
	now := c.f.now()
	if in.Title != nil {
		if strings.TrimSpace(*in.Title) == "" {
			return validationFailed(c.doc(), map[string]any{"resource": "PullRequest", "code": "missing_field", "field": "title"})
		}
		p.Title = *in.Title
	}
	if in.Body != nil {
		p.Body = *in.Body
	}
	if in.Base != nil {
		sha, ok := r.branches[*in.Base]
		if !ok {
			return validationFailed(c.doc(), map[string]any{"resource": "PullRequest", "code": "invalid", "field": "base"})
		}
		p.BaseRef, p.BaseSHA = *in.Base, sha
	}
	if in.State != nil && *in.State != p.State {
		if p.Merged {
			return validationFailed(c.doc(), map[string]any{"resource": "PullRequest", "code": "custom", "field": "state", "message": "state cannot be changed. The pull request has been merged."})
		}
		p.State = *in.State
		p.closedAt = time.Time{}
		if p.State == "closed" {
			p.closedAt = now
		}
	}
	if in.MCM != nil {
		p.mcm = *in.MCM
	}
	p.updatedAt = now
	return jsonResp(200, c.f.pullRequest(r, p))
}

func listPullCommits(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r, p, errr := c.pullLocked()
	if errr != nil {
		return errr
	}
	commits := c.f.pullCommits(p)
	if len(commits) > maxPullCommits {
		commits = commits[:maxPullCommits]
	}
	return pageOf(c, commits, func(cm *commitState) any { return c.f.commit(r, cm) })
}

func listPullFiles(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r, p, errr := c.pullLocked()
	if errr != nil {
		return errr
	}
	files := c.f.diffFiles(c.f.mergeBase(p.BaseSHA, p.HeadSHA), p.HeadSHA)
	if len(files) > 3000 {
		files = files[:3000]
	}
	return pageOf(c, files, func(d fileDiff) any { return c.f.diffEntry(r, p.HeadSHA, d) })
}

// ---- tree diffs ----

type fileDiff struct {
	path, status       string
	old, new           string
	additions, deletes int
}

func (f *Fake) treeOf(sha string) map[string]string {
	if c := f.commits[sha]; c != nil {
		return c.tree.files
	}
	return nil
}

// diffFiles compares the trees of two commits, sorted by path.
func (f *Fake) diffFiles(base, head string) []fileDiff {
	a, b := f.treeOf(base), f.treeOf(head)
	if base != "" && head != "" && f.commits[base] != nil && f.commits[head] != nil && f.commits[base].tree == f.commits[head].tree {
		return nil
	}
	var out []fileDiff
	for p, nv := range b {
		ov, ok := a[p]
		switch {
		case !ok:
			out = append(out, fileDiff{path: p, status: "added", new: nv, additions: lineCount(nv)})
		case ov != nv:
			add, del := lineDelta(ov, nv)
			out = append(out, fileDiff{path: p, status: "modified", old: ov, new: nv, additions: add, deletes: del})
		}
	}
	for p, ov := range a {
		if _, ok := b[p]; !ok {
			out = append(out, fileDiff{path: p, status: "removed", old: ov, deletes: lineCount(ov)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

func (f *Fake) diffStats(base, head string) (adds, dels, changed int) {
	for _, d := range f.diffFiles(base, head) {
		adds += d.additions
		dels += d.deletes
		changed++
	}
	return
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func lineCount(s string) int { return len(splitLines(s)) }

// lineDelta counts added and removed lines as a multiset difference (good
// enough for stats; not a minimal diff).
func lineDelta(old, new string) (int, int) {
	count := map[string]int{}
	for _, l := range splitLines(old) {
		count[l]++
	}
	add := 0
	for _, l := range splitLines(new) {
		if count[l] > 0 {
			count[l]--
		} else {
			add++
		}
	}
	del := 0
	for _, n := range count {
		del += n
	}
	return add, del
}

func (d fileDiff) patch() string {
	ol, nl := splitLines(d.old), splitLines(d.new)
	var b strings.Builder
	fmt.Fprintf(&b, "@@ -%d,%d +%d,%d @@\n", min(1, len(ol)), len(ol), min(1, len(nl)), len(nl))
	for _, l := range ol {
		b.WriteString("-" + l + "\n")
	}
	for _, l := range nl {
		b.WriteString("+" + l + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (f *Fake) diffEntry(r *repoState, ref string, d fileDiff) obj {
	sha := any(blobSHA(d.new))
	if d.status == "removed" {
		sha = blobSHA(d.old)
	}
	return obj{
		"sha": sha, "filename": d.path, "status": d.status,
		"additions": d.additions, "deletions": d.deletes, "changes": d.additions + d.deletes,
		"blob_url":     f.repoWeb(r) + "/blob/" + ref + "/" + escapePath(d.path),
		"raw_url":      f.repoWeb(r) + "/raw/" + ref + "/" + escapePath(d.path),
		"contents_url": f.repoAPI(r) + "/contents/" + escapePath(d.path) + "?ref=" + ref,
		"patch":        d.patch(),
	}
}
