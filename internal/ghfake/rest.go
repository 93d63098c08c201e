package ghfake

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

type handler func(c *reqCtx) *response

// restHandlers maps every operationId of the REST contract to its handler.
var restHandlers map[string]handler

func init() {
	restHandlers = map[string]handler{
		"apps/list-webhook-deliveries":               listDeliveries,
		"apps/redeliver-webhook-delivery":            redeliver,
		"apps/list-installations":                    listInstallations,
		"apps/create-installation-access-token":      createInstallationToken,
		"apps/list-repos-accessible-to-installation": listInstallationRepos,
		"apps/get-repo-installation":                 getRepoInstallation,
		"orgs/check-membership-for-user":             checkMembership,
		"orgs/check-public-membership-for-user":      checkPublicMembership,
		"orgs/list-for-user":                         listUserOrgs,
		"users/get-by-username":                      getUser,
		"rate-limit/get":                             getRateLimit,
		"search/issues-and-pull-requests":            searchIssues,
		"checks/create":                              createCheckRun,
		"checks/update":                              updateCheckRun,
		"checks/list-for-ref":                        listCheckRunsForRef,
		"repos/compare-commits-with-basehead":        compareCommits,
		"repos/get-content":                          getContent,
		"repos/create-or-update-file-contents":       putContent,
		"repos/create-commit-status":                 createStatus,
		"issues/get-comment":                         getComment,
		"issues/update-comment":                      updateComment,
		"issues/list-comments":                       listComments,
		"issues/create-comment":                      createComment,
		"issues/add-labels":                          addLabels,
		"issues/remove-all-labels":                   removeAllLabels,
		"issues/remove-label":                        removeLabel,
		"issues/lock":                                lockIssue,
		"issues/list-labels-for-repo":                listRepoLabels,
		"issues/create-label":                        createLabel,
		"pulls/get":                                  getPull,
		"pulls/update":                               updatePull,
		"pulls/list-commits":                         listPullCommits,
		"pulls/list-files":                           listPullFiles,
	}
}

// HandledOperations lists the operationIds the fake implements.
func HandledOperations() []string {
	out := make([]string, 0, len(restHandlers))
	for k := range restHandlers {
		out = append(out, k)
	}
	return out
}

func (c *reqCtx) doc() string {
	if op := c.f.spec.ops[c.opID]; op != nil && op.ExternalDocs != nil {
		return op.ExternalDocs.URL
	}
	return "https://docs.github.com/rest"
}

// repoLocked resolves {owner}/{repo}; the caller holds f.mu.
func (c *reqCtx) repoLocked() *repoState { return c.f.repo(c.params["owner"], c.params["repo"]) }

func (c *reqCtx) intParam(name string) int {
	n, _ := strconv.Atoi(c.params[name])
	return n
}

func (c *reqCtx) decode(v any) *response {
	if err := json.Unmarshal(c.body, v); err != nil {
		return &response{status: 400, body: map[string]any{"message": "Problems parsing JSON", "documentation_url": c.doc(), "status": "400"}}
	}
	return nil
}

// login is the account behind the caller's token.
func (c *reqCtx) login() string {
	if c.tok != nil {
		return c.tok.Login
	}
	return ""
}

// ---- pagination ----

type pager struct {
	per, page int
}

func (c *reqCtx) pager() pager {
	per, err := strconv.Atoi(c.q("per_page"))
	if err != nil || per <= 0 {
		per = 30
	}
	if per > 100 {
		per = 100
	}
	if per > c.f.cfg.maxPerPage {
		per = c.f.cfg.maxPerPage
	}
	page, err := strconv.Atoi(c.q("page"))
	if err != nil || page < 1 {
		page = 1
	}
	return pager{per: per, page: page}
}

// bounds returns the slice [lo:hi) of total items for this page.
func (p pager) bounds(total int) (int, int) {
	lo := (p.page - 1) * p.per
	if lo > total {
		lo = total
	}
	hi := lo + p.per
	if hi > total {
		hi = total
	}
	return lo, hi
}

// link sets a GitHub-style Link header (absolute URLs under the base path).
func (c *reqCtx) link(resp *response, p pager, total int) {
	last := (total + p.per - 1) / p.per
	if last < 1 {
		last = 1
	}
	mk := func(page int, rel string) string {
		q := url.Values{}
		for k, v := range c.query {
			q[k] = v
		}
		q.Set("page", strconv.Itoa(page))
		if c.q("per_page") != "" {
			q.Set("per_page", strconv.Itoa(p.per))
		}
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, c.f.api, c.rel, q.Encode(), rel)
	}
	var parts []string
	if p.page > 1 {
		parts = append(parts, mk(p.page-1, "prev"))
	}
	if p.page < last {
		parts = append(parts, mk(p.page+1, "next"), mk(last, "last"))
	}
	if p.page > 1 {
		parts = append(parts, mk(1, "first"))
	}
	if len(parts) > 0 {
		resp.setHeader("Link", strings.Join(parts, ", "))
	}
}

// pageOf paginates a list and sets the Link header.
func pageOf[T any](c *reqCtx, items []T, conv func(T) any) *response {
	p := c.pager()
	lo, hi := p.bounds(len(items))
	out := make([]any, 0, hi-lo)
	for _, it := range items[lo:hi] {
		out = append(out, conv(it))
	}
	resp := jsonResp(200, out)
	c.link(resp, p, len(items))
	return resp
}
