package ghfake

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Issue comments, issue labels, repository labels and locking.

func (c *reqCtx) pullLocked() (*repoState, *pullState, *response) {
	r := c.repoLocked()
	if r == nil {
		return nil, nil, notFound()
	}
	n := c.intParam("issue_number")
	if n == 0 {
		n = c.intParam("pull_number")
	}
	p := r.pulls[n]
	if p == nil {
		return nil, nil, notFound()
	}
	return r, p, nil
}

func listComments(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r, p, errr := c.pullLocked()
	if errr != nil {
		return errr
	}
	list := p.comments
	if s := c.q("since"); s != "" {
		since, err := time.Parse(time.RFC3339, s)
		if err == nil {
			list = nil
			for _, cm := range p.comments {
				if !cm.UpdatedAt.Before(since) {
					list = append(list, cm)
				}
			}
		}
	}
	return pageOf(c, list, func(cm *commentState) any { return c.f.issueComment(r, cm) })
}

func createComment(c *reqCtx) *response {
	var in struct {
		Body string `json:"body"`
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
	if strings.TrimSpace(in.Body) == "" {
		return validationFailed(c.doc(), map[string]any{"resource": "IssueComment", "code": "missing_field", "field": "body"})
	}
	if len(in.Body) > 65536 {
		return validationFailed(c.doc(), map[string]any{"resource": "IssueComment", "code": "custom", "field": "body", "message": "body is too long (maximum is 65536 characters)"})
	}
	cm := c.f.addCommentLocked(r, p, c.login(), in.Body)
	p.updatedAt = cm.CreatedAt
	resp := jsonResp(201, c.f.issueComment(r, cm))
	resp.setHeader("Location", fmt.Sprintf("%s/issues/comments/%d", c.f.repoAPI(r), cm.ID))
	return resp
}

func (c *reqCtx) commentLocked() (*repoState, *commentState, *response) {
	r := c.repoLocked()
	if r == nil {
		return nil, nil, notFound()
	}
	var id int64
	fmt.Sscan(c.params["comment_id"], &id)
	cm := r.comments[id]
	if cm == nil {
		return nil, nil, notFound()
	}
	return r, cm, nil
}

func getComment(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r, cm, errr := c.commentLocked()
	if errr != nil {
		return errr
	}
	return jsonResp(200, c.f.issueComment(r, cm))
}

func updateComment(c *reqCtx) *response {
	var in struct {
		Body string `json:"body"`
	}
	if e := c.decode(&in); e != nil {
		return e
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r, cm, errr := c.commentLocked()
	if errr != nil {
		return errr
	}
	if strings.TrimSpace(in.Body) == "" {
		return validationFailed(c.doc(), map[string]any{"resource": "IssueComment", "code": "missing_field", "field": "body"})
	}
	if len(in.Body) > 65536 {
		return validationFailed(c.doc(), map[string]any{"resource": "IssueComment", "code": "custom", "field": "body", "message": "body is too long (maximum is 65536 characters)"})
	}
	cm.Body = in.Body
	cm.UpdatedAt = c.f.now()
	return jsonResp(200, c.f.issueComment(r, cm))
}

// parseLabelNames accepts every body form GitHub does: {"labels":[...]}
// with strings or {"name":...}, a bare array of strings, or of objects.
func parseLabelNames(body []byte) []string {
	var names []string
	item := func(raw json.RawMessage) {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			names = append(names, s)
			return
		}
		var o struct {
			Name string `json:"name"`
		}
		if json.Unmarshal(raw, &o) == nil && o.Name != "" {
			names = append(names, o.Name)
		}
	}
	var arr []json.RawMessage
	if json.Unmarshal(body, &arr) == nil {
		for _, x := range arr {
			item(x)
		}
		return names
	}
	var wrapped struct {
		Labels []json.RawMessage `json:"labels"`
	}
	if json.Unmarshal(body, &wrapped) == nil {
		for _, x := range wrapped.Labels {
			item(x)
		}
	}
	return names
}

func addLabels(c *reqCtx) *response {
	names := parseLabelNames(c.body)
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r, p, errr := c.pullLocked()
	if errr != nil {
		return errr
	}
	for _, n := range names {
		if strings.TrimSpace(n) == "" {
			return validationFailed(c.doc(), map[string]any{"resource": "Label", "code": "invalid", "field": "name"})
		}
	}
	for _, n := range names {
		// GitHub creates a label that does not exist yet.
		k := c.f.ensureLabelLocked(r, n, "ededed", "")
		if !slices.Contains(p.labels, k) {
			c.f.labelEventLocked(p, k, c.tok.Login, true)
		}
		p.labels = addLabelKey(p.labels, k)
	}
	p.updatedAt = c.f.now()
	return jsonResp(200, c.f.issueLabels(r, p))
}

func removeLabel(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r, p, errr := c.pullLocked()
	if errr != nil {
		return errr
	}
	k := key(c.params["name"])
	for i, x := range p.labels {
		if x == k {
			p.labels = append(p.labels[:i:i], p.labels[i+1:]...)
			c.f.labelEventLocked(p, k, c.tok.Login, false)
			p.updatedAt = c.f.now()
			return jsonResp(200, c.f.issueLabels(r, p))
		}
	}
	return errResp(404, "Label does not exist", c.doc())
}

func removeAllLabels(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	_, p, errr := c.pullLocked()
	if errr != nil {
		return errr
	}
	p.labels = nil
	p.updatedAt = c.f.now()
	return &response{status: 204}
}

func lockIssue(c *reqCtx) *response {
	var in struct {
		LockReason string `json:"lock_reason"`
	}
	if len(strings.TrimSpace(string(c.body))) > 0 {
		if e := c.decode(&in); e != nil {
			return e
		}
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	_, p, errr := c.pullLocked()
	if errr != nil {
		return errr
	}
	p.locked, p.lockWhy = true, in.LockReason
	return &response{status: 204}
}

func listRepoLabels(c *reqCtx) *response {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	r := c.repoLocked()
	if r == nil {
		return notFound()
	}
	return pageOf(c, sortedLabels(r), func(l *Label) any { return c.f.label(r, l) })
}

var hexColor = regexp.MustCompile(`^[0-9a-fA-F]{6}$`)

func createLabel(c *reqCtx) *response {
	var in struct {
		Name        string `json:"name"`
		Color       string `json:"color"`
		Description string `json:"description"`
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
	in.Color = strings.TrimPrefix(in.Color, "#")
	switch {
	case strings.TrimSpace(in.Name) == "":
		return validationFailed(c.doc(), map[string]any{"resource": "Label", "code": "missing_field", "field": "name"})
	case r.labels[key(in.Name)] != nil:
		return validationFailed(c.doc(), map[string]any{"resource": "Label", "code": "already_exists", "field": "name"})
	case in.Color != "" && !hexColor.MatchString(in.Color):
		return validationFailed(c.doc(), map[string]any{"resource": "Label", "code": "invalid", "field": "color"})
	case len(in.Description) > 100:
		return validationFailed(c.doc(), map[string]any{"resource": "Label", "code": "custom", "field": "description", "message": "description is too long (maximum is 100 characters)"})
	}
	if in.Color == "" {
		in.Color = "ededed"
	}
	k := c.f.ensureLabelLocked(r, in.Name, strings.ToLower(in.Color), in.Description)
	resp := jsonResp(201, c.f.label(r, r.labels[k]))
	resp.setHeader("Location", c.f.repoAPI(r)+"/labels/"+pe(in.Name))
	return resp
}
