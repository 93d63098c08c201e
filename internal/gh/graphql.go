package gh

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/transport"
)

// GraphQLError is one entry of a GraphQL response's "errors".
type GraphQLError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Path    []any  `json:"path"`
}

// GraphQLErrors is a response whose errors the caller did not tolerate.
type GraphQLErrors []GraphQLError

func (e GraphQLErrors) Error() string {
	msgs := make([]string, len(e))
	for i, x := range e {
		msgs[i] = x.Message
		if x.Type != "" {
			msgs[i] = x.Type + ": " + x.Message
		}
	}
	return "graphql: " + strings.Join(msgs, "; ")
}

// pathHead is the first element of an error's path (the top-level alias).
func (e GraphQLError) pathHead() string {
	if len(e.Path) == 0 {
		return ""
	}
	s, _ := e.Path[0].(string)
	return s
}

// graphql runs one query and decodes data into out. Errors whose top-level
// path is in tolerate (e.g. a missing optional repository) are returned
// separately instead of failing the call.
func (c *Client) graphql(ctx context.Context, op, query string, vars map[string]any, out any, tolerate ...string) ([]GraphQLError, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars, "operationName": op})
	if err != nil {
		return nil, fmt.Errorf("encode %s query: %w", op, err)
	}
	// A query is a read although it is an HTTP POST: tell the write pacer.
	rctx := ctx
	if !strings.HasPrefix(strings.TrimSpace(query), "mutation") {
		rctx = transport.WithGraphQLQuery(ctx)
	}
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, c.graphqlURL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build %s request: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.httpClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("graphql %s: %w", op, ctxErr(ctx, err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read %s response: %w", op, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("graphql %s: HTTP %d: %s", op, resp.StatusCode, snippet(raw))
	}
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []GraphQLError  `json:"errors"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, fmt.Errorf("decode %s response: %w", op, err)
	}
	var tolerated, fatal []GraphQLError
	for _, e := range env.Errors {
		ok := false
		for _, t := range tolerate {
			if e.pathHead() == t && e.Type == "NOT_FOUND" {
				ok = true
			}
		}
		if ok {
			tolerated = append(tolerated, e)
		} else {
			fatal = append(fatal, e)
		}
	}
	if len(fatal) > 0 {
		return tolerated, fmt.Errorf("%s: %w", op, GraphQLErrors(fatal))
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return tolerated, fmt.Errorf("%s: empty response", op)
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return tolerated, fmt.Errorf("decode %s data: %w", op, err)
	}
	return tolerated, nil
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
