package gh

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/go-github/v60/github"
)

// File is a file read through the contents API, with its blob SHA (what a
// later write must name: GitHub's compare-and-swap).
type File struct {
	Content []byte
	SHA     string
}

// GetFile reads path at ref (a branch, tag or SHA). A missing file, or a
// missing ref, is an error for which IsNotFound is true. Files over the
// contents API's 1 MB inline limit are fetched raw.
func (c *Client) GetFile(ctx context.Context, owner, repo, ref, path string) (*File, error) {
	fc, _, _, err := c.rest.Repositories.GetContents(ctx, owner, repo, path, &github.RepositoryContentGetOptions{Ref: ref})
	if err != nil {
		return nil, fmt.Errorf("read %s/%s@%s:%s: %w", owner, repo, ref, path, ctxErr(ctx, err))
	}
	if fc == nil {
		return nil, fmt.Errorf("read %s/%s@%s:%s: a directory, not a file", owner, repo, ref, path)
	}
	f := &File{SHA: fc.GetSHA()}
	if fc.GetEncoding() == "base64" || fc.Content != nil && *fc.Content != "" {
		s, err := fc.GetContent()
		if err != nil {
			return nil, fmt.Errorf("read %s/%s@%s:%s: %w", owner, repo, ref, path, err)
		}
		f.Content = []byte(s)
		return f, nil
	}
	if fc.GetSize() == 0 {
		return f, nil
	}
	raw, err := c.rawFile(ctx, owner, repo, ref, path)
	if err != nil {
		return nil, fmt.Errorf("read %s/%s@%s:%s: %w", owner, repo, ref, path, err)
	}
	f.Content = raw
	return f, nil
}

func (c *Client) rawFile(ctx context.Context, owner, repo, ref, path string) ([]byte, error) {
	u := fmt.Sprintf("repos/%s/%s/contents/%s?ref=%s", owner, repo, escapePath(path), ref)
	req, err := c.rest.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/vnd.github.raw")
	var buf bytes.Buffer
	if _, err := c.rest.Do(ctx, req, &buf); err != nil {
		return nil, ctxErr(ctx, err)
	}
	return buf.Bytes(), nil
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "%", "%25"), "?", "%3F")
	}
	return strings.Join(parts, "/")
}

// PutFile writes content at path on branch, as a new commit. sha is the
// blob SHA the file had when read ("" for a new file): GitHub refuses the
// write when the file changed since (IsConflict), which makes read, modify,
// write a compare-and-swap. It returns the new blob SHA.
func (c *Client) PutFile(ctx context.Context, owner, repo, branch, path string, content []byte, sha, message string) (string, error) {
	opts := &github.RepositoryContentFileOptions{Message: &message, Content: content, Branch: &branch}
	if sha != "" {
		opts.SHA = &sha
	}
	// A conditional write: repeating it after a lost response fails the
	// compare-and-swap instead of writing twice, so it may be retried.
	res, _, err := c.rest.Repositories.CreateFile(ctx, owner, repo, path, opts)
	if err != nil {
		return "", fmt.Errorf("write %s/%s@%s:%s: %w", owner, repo, branch, path, ctxErr(ctx, err))
	}
	return res.GetContent().GetSHA(), nil
}

// IsConflict reports a contents write refused because the file changed
// since it was read: 409 "does not match" / "is at X but expected Y", or
// 422 "sha wasn't supplied" (the file appeared meanwhile).
func IsConflict(err error) bool {
	var er *github.ErrorResponse
	if !asErrorResponse(err, &er) || IsWriteRefused(err) {
		return false
	}
	msg := strings.ToLower(er.Message)
	switch er.Response.StatusCode {
	case http.StatusConflict:
		return strings.Contains(msg, "does not match") || strings.Contains(msg, "but expected")
	case http.StatusUnprocessableEntity:
		return strings.Contains(msg, "sha") && (strings.Contains(msg, "wasn't supplied") || strings.Contains(msg, "was not supplied"))
	}
	return false
}

// IsWriteRefused reports a write GitHub will never accept as it is: branch
// protection or a ruleset ("Repository rule violations", "Changes must be
// made through a pull request", "protected branch"), or no permission
// (403 other than a rate limit).
func IsWriteRefused(err error) bool {
	var er *github.ErrorResponse
	if !asErrorResponse(err, &er) {
		return false
	}
	msg := strings.ToLower(er.Message)
	switch er.Response.StatusCode {
	case http.StatusForbidden:
		return !strings.Contains(msg, "rate limit")
	case http.StatusConflict, http.StatusUnprocessableEntity:
		return strings.Contains(msg, "rule violation") || strings.Contains(msg, "through a pull request") ||
			strings.Contains(msg, "protected branch")
	}
	return false
}

// IsBranchNotFound reports a write to a branch that does not exist.
func IsBranchNotFound(err error) bool {
	var er *github.ErrorResponse
	if !asErrorResponse(err, &er) {
		return false
	}
	code := er.Response.StatusCode
	msg := strings.ToLower(er.Message)
	return (code == http.StatusNotFound || code == http.StatusUnprocessableEntity) && strings.Contains(msg, "branch") && strings.Contains(msg, "not found")
}

const readFilesQuery = `query ReadFiles($owner: String!, $name: String!%s) {
  repository(owner: $owner, name: $name) {
%s  }
}
fragment file on GitObject { ... on Blob { oid text isTruncated byteSize } }`

// ReadFiles reads several files at ref in one GraphQL query. Missing files
// (and a missing ref) are absent from the result. Files GraphQL truncates
// are read again through the contents API.
func (c *Client) ReadFiles(ctx context.Context, owner, repo, ref string, paths []string) (map[string]*File, error) {
	out := make(map[string]*File, len(paths))
	const chunk = 100
	for lo := 0; lo < len(paths); lo += chunk {
		part := paths[lo:min(lo+chunk, len(paths))]
		vars := map[string]any{"owner": owner, "name": repo}
		decl, sel := aliased(vars, "p", "String!", len(part), func(i int) (string, any) {
			return fmt.Sprintf("f%d: object(expression: $p%d) { ...file }", i, i), ref + ":" + part[i]
		})
		var data struct {
			Repository map[string]*struct {
				OID         string  `json:"oid"`
				Text        *string `json:"text"`
				IsTruncated bool    `json:"isTruncated"`
				ByteSize    int     `json:"byteSize"`
			} `json:"repository"`
		}
		q := fmt.Sprintf(readFilesQuery, decl, sel)
		if _, err := c.graphql(ctx, "ReadFiles", q, vars, &data); err != nil {
			return nil, fmt.Errorf("read %d files of %s/%s@%s: %w", len(part), owner, repo, ref, err)
		}
		for i, p := range part {
			b := data.Repository["f"+strconv.Itoa(i)]
			if b == nil || b.OID == "" {
				continue
			}
			if b.Text == nil || b.IsTruncated {
				f, err := c.GetFile(ctx, owner, repo, ref, p)
				if err != nil {
					return nil, err
				}
				out[p] = f
				continue
			}
			out[p] = &File{Content: []byte(*b.Text), SHA: b.OID}
		}
	}
	return out, nil
}

// CreateBranch creates branch at the tip of the repository's default
// branch (GraphQL createRef: the REST git refs API is not needed).
func (c *Client) CreateBranch(ctx context.Context, owner, repo, branch string) error {
	var info struct {
		Repository *struct {
			ID               string `json:"id"`
			DefaultBranchRef *struct {
				Target struct {
					OID string `json:"oid"`
				} `json:"target"`
			} `json:"defaultBranchRef"`
		} `json:"repository"`
	}
	const q = `query RepoTip($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { id defaultBranchRef { target { oid } } }
}`
	if _, err := c.graphql(ctx, "RepoTip", q, map[string]any{"owner": owner, "name": repo}, &info); err != nil {
		return fmt.Errorf("create branch %s in %s/%s: %w", branch, owner, repo, err)
	}
	r := info.Repository
	if r == nil || r.DefaultBranchRef == nil || r.DefaultBranchRef.Target.OID == "" {
		return fmt.Errorf("create branch %s in %s/%s: the repository has no default branch to start from", branch, owner, repo)
	}
	const m = `mutation CreateRef($input: CreateRefInput!) { createRef(input: $input) { ref { name } } }`
	vars := map[string]any{"input": map[string]any{"repositoryId": r.ID, "name": "refs/heads/" + branch, "oid": r.DefaultBranchRef.Target.OID}}
	var res struct {
		CreateRef *struct {
			Ref *struct {
				Name string `json:"name"`
			} `json:"ref"`
		} `json:"createRef"`
	}
	_, err := c.graphql(ctx, "CreateRef", m, vars, &res)
	var ge GraphQLErrors
	if errors.As(err, &ge) {
		for _, e := range ge {
			if strings.Contains(e.Message, "already exists") {
				return nil // created meanwhile by a concurrent writer
			}
		}
	}
	if err != nil {
		return fmt.Errorf("create branch %s in %s/%s: %w", branch, owner, repo, err)
	}
	return nil
}

// ListDir lists the names of a folder's entries at ref (none when the
// folder or the ref does not exist), in one GraphQL query.
func (c *Client) ListDir(ctx context.Context, owner, repo, ref, dir string) ([]string, error) {
	const q = `query ListDir($owner: String!, $name: String!, $dir: String!) {
  repository(owner: $owner, name: $name) { object(expression: $dir) { ... on Tree { entries { name } } } }
}`
	var data struct {
		Repository *struct {
			Object *struct {
				Entries []struct {
					Name string `json:"name"`
				} `json:"entries"`
			} `json:"object"`
		} `json:"repository"`
	}
	vars := map[string]any{"owner": owner, "name": repo, "dir": ref + ":" + strings.Trim(dir, "/")}
	if _, err := c.graphql(ctx, "ListDir", q, vars, &data); err != nil {
		return nil, fmt.Errorf("list %s/%s@%s:%s: %w", owner, repo, ref, dir, err)
	}
	if data.Repository == nil || data.Repository.Object == nil {
		return nil, nil
	}
	out := make([]string, 0, len(data.Repository.Object.Entries))
	for _, e := range data.Repository.Object.Entries {
		out = append(out, e.Name)
	}
	return out, nil
}

// IsGraphQLForbidden reports a GraphQL call refused for lack of permission.
func IsGraphQLForbidden(err error) bool {
	var ge GraphQLErrors
	if !errors.As(err, &ge) {
		return false
	}
	for _, e := range ge {
		if e.Type == "FORBIDDEN" {
			return true
		}
	}
	return false
}

// aliased builds the variable declarations and aliased selections of a
// query that asks for n objects at once (one round trip instead of n): the
// variables $<prefix>0…$<prefix>{n-1} of type typ, set in vars, and the
// selection line field(i) returns for each, with its variable's value.
func aliased(vars map[string]any, prefix, typ string, n int, field func(i int) (string, any)) (decl, sel string) {
	var d, s strings.Builder
	for i := range n {
		fmt.Fprintf(&d, ", $%s%d: %s", prefix, i, typ)
		line, value := field(i)
		fmt.Fprintf(&s, "    %s\n", line)
		vars[prefix+strconv.Itoa(i)] = value
	}
	return d.String(), s.String()
}
