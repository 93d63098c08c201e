package ghfake

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// GitHub's public GraphQL schema (see testdata/README.md).
//
//go:embed testdata/github-schema.graphql.gz
var schemaGz []byte

var (
	gqlOnce     sync.Once
	gqlSchema   *ast.Schema
	gqlErr      error
	gqlLoadTime time.Duration
)

// loadGraphQLSchema parses GitHub's schema once per process.
func loadGraphQLSchema() (*ast.Schema, error) {
	gqlOnce.Do(func() {
		start := time.Now()
		gqlSchema, gqlErr = parseGitHubSchema(schemaGz)
		gqlLoadTime = time.Since(start)
	})
	return gqlSchema, gqlErr
}

// GraphQLSchemaLoadTime reports how long parsing GitHub's GraphQL schema
// took (parsing it if no query has yet).
func GraphQLSchemaLoadTime() time.Duration {
	_, _ = loadGraphQLSchema()
	return gqlLoadTime
}

func parseGitHubSchema(gz []byte) (*ast.Schema, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("ghfake: graphql schema: %w", err)
	}
	src, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("ghfake: graphql schema: %w", err)
	}
	doc, err := parser.ParseSchemas(validator.Prelude, &ast.Source{Name: "github-schema.graphql", Input: string(src)})
	if err != nil {
		return nil, fmt.Errorf("ghfake: parse graphql schema: %w", err)
	}
	// GitHub's schema defines a few fields twice (e.g.
	// EnterpriseOwnerInfo.repositoryDeployKeySetting); gqlparser refuses that.
	for _, list := range []ast.DefinitionList{doc.Definitions, doc.Extensions} {
		for _, def := range list {
			seen := map[string]bool{}
			kept := def.Fields[:0]
			for _, fd := range def.Fields {
				if !seen[fd.Name] {
					seen[fd.Name] = true
					kept = append(kept, fd)
				}
			}
			def.Fields = kept
		}
	}
	s, err := validator.ValidateSchemaDocument(doc)
	if err != nil {
		return nil, fmt.Errorf("ghfake: validate graphql schema: %w", err)
	}
	return s, nil
}

type gqlRequest struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName"`
}

func (f *Fake) serveGraphQL(w http.ResponseWriter, r *http.Request, body []byte) {
	call := Call{Method: r.Method, Path: "/graphql", Query: r.URL.RawQuery, Token: bearer(r), Time: f.clock()}
	finish := func(resp *response) {
		call.Status = resp.status
		f.logCall(call)
		writeResponse(w, resp, nil)
	}
	if r.Method != http.MethodPost {
		f.violation("%s %s: GraphQL takes POST only", r.Method, graphQLPath)
		finish(errResp(404, "Not Found", ""))
		return
	}
	schema, err := loadGraphQLSchema()
	if err != nil {
		f.violation("%v", err)
		finish(errResp(500, err.Error(), ""))
		return
	}
	var req gqlRequest
	if err := json.Unmarshal(body, &req); err != nil || strings.TrimSpace(req.Query) == "" {
		f.violation("POST %s: body is not a GraphQL request: %s", graphQLPath, truncate(string(body), 200))
		finish(errResp(400, "Problems parsing JSON", "https://docs.github.com/graphql"))
		return
	}
	doc, perr := parser.ParseQuery(&ast.Source{Name: "query", Input: req.Query})
	if perr != nil {
		f.violation("GraphQL query does not parse: %v", perr)
		finish(jsonResp(200, obj{"errors": []any{obj{"message": perr.Error()}}}))
		return
	}
	if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
		call.GraphQLOperation = opName(doc, req.OperationName)
		var out []any
		var msgs []string
		for _, e := range errs {
			var locs []gqlLocation
			for _, l := range e.Locations {
				locs = append(locs, gqlLocation{Line: l.Line, Column: l.Column})
			}
			out = append(out, gqlErrorObj(e.Message, "", nil, locs))
			msgs = append(msgs, e.Message)
		}
		f.violation("GraphQL query %q is not valid against GitHub's schema: %s", call.GraphQLOperation, strings.Join(msgs, "; "))
		finish(jsonResp(200, obj{"errors": out}))
		return
	}
	op := pickOperation(doc, req.OperationName)
	if op == nil {
		f.violation("GraphQL: no operation named %q", req.OperationName)
		finish(jsonResp(200, obj{"errors": []any{obj{"message": "No operation named \"" + req.OperationName + "\""}}}))
		return
	}
	call.GraphQLOperation = opName(doc, req.OperationName)
	call.Mutation = op.Operation == ast.Mutation

	fault := f.pickFault(http.MethodPost, "/graphql")
	if fault != nil {
		call.Faulted = true
		if !fault.AfterApply {
			if !sleepCtx(r.Context(), fault.Delay) {
				f.logCall(call)
				return
			}
			if fr := fault.response(); fr != nil {
				finish(fr)
				return
			}
		}
	}

	c := &reqCtx{f: f, r: r, token: call.Token, opID: "graphql"}
	resp := f.authenticateGraphQL(c)
	if resp == nil {
		if rl, _ := f.takeRate(c, "graphql"); rl != nil {
			resp = rl
		}
	}
	if resp == nil {
		vars, verr := validator.VariableValues(schema, op, req.Variables)
		if verr != nil {
			f.violation("GraphQL %q: variables: %v", call.GraphQLOperation, verr)
			resp = jsonResp(200, obj{"errors": []any{obj{"message": verr.Error()}}})
		} else {
			x := &gqlExec{f: f, schema: schema, doc: doc, vars: vars, tok: c.tok}
			f.mu.Lock()
			data := x.run(op)
			f.mu.Unlock()
			for _, v := range x.violations {
				f.violation("GraphQL %q: %s", call.GraphQLOperation, v)
			}
			out := obj{"data": data}
			if len(x.errors) > 0 {
				out["errors"] = x.errors
			}
			resp = jsonResp(200, out)
		}
		f.rateHeaders(c, "graphql", resp)
	}
	if fault != nil && fault.AfterApply {
		if !sleepCtx(r.Context(), fault.Delay) {
			f.logCall(call)
			return
		}
		if fr := fault.response(); fr != nil {
			resp = fr
		}
	}
	finish(resp)
}

func (f *Fake) authenticateGraphQL(c *reqCtx) *response {
	if c.token == "" {
		return errResp(401, "This endpoint requires you to be authenticated.", "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	tok := f.tokens[c.token]
	if tok == nil || (!tok.ExpiresAt.IsZero() && !f.clock().Before(tok.ExpiresAt)) {
		return errResp(401, "Bad credentials", "https://docs.github.com/graphql")
	}
	c.tok = tok
	return nil
}

func pickOperation(doc *ast.QueryDocument, name string) *ast.OperationDefinition {
	if name == "" {
		if len(doc.Operations) == 1 {
			return doc.Operations[0]
		}
		return nil
	}
	return doc.Operations.ForName(name)
}

func opName(doc *ast.QueryDocument, name string) string {
	if op := pickOperation(doc, name); op != nil {
		if op.Name != "" {
			return op.Name
		}
		return string(op.Operation)
	}
	return name
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
