package gh

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v60/github"
)

// FileAt reads a file from a repository's default branch with a
// conditional request: given the ETag of an earlier read, GitHub answers
// 304 (free against the rate limit) when the file did not change, and
// FileAt reports notModified. A missing file is (nil, "", false, nil).
func (c *Client) FileAt(ctx context.Context, owner, repo, path, etag string) (data []byte, newETag string, notModified bool, err error) {
	u := fmt.Sprintf("repos/%s/%s/contents/%s", url.PathEscape(owner), url.PathEscape(repo), pathSegments(path))
	req, err := c.rest.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, "", false, err
	}
	req.Header.Set("Accept", "application/vnd.github.raw+json")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	var body strings.Builder
	resp, err := c.rest.Do(ctx, req, &body)
	if resp != nil && resp.StatusCode == http.StatusNotModified {
		return nil, etag, true, nil
	}
	if err != nil {
		if IsNotFound(err) {
			return nil, "", false, nil
		}
		var er *github.ErrorResponse
		if asErrorResponse(err, &er) && er.Response.StatusCode == http.StatusNotModified {
			return nil, etag, true, nil
		}
		return nil, "", false, fmt.Errorf("read %s/%s:%s: %w", owner, repo, path, ctxErr(ctx, err))
	}
	return []byte(body.String()), resp.Header.Get("ETag"), false, nil
}

func pathSegments(p string) string {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}
