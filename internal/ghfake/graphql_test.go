package ghfake

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const prQuery = `query PolicySnapshot($owner: String!, $name: String!, $n: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    databaseId isPrivate nameWithOwner owner { login __typename }
    config: object(expression: "HEAD:.github/dco.yml") { ... on Blob { text oid byteSize isTruncated isBinary } }
    head: object(expression: "main") { ... on Commit { oid } }
    pullRequest(number: $n) {
      number title createdAt state isDraft authorAssociation headRefOid baseRefOid baseRefName headRefName
      author { ...Who }
      labels(first: 10) { totalCount pageInfo { hasNextPage endCursor } nodes { name } }
      comments(first: 10) { totalCount nodes { id databaseId url body createdAt isMinimized author { ...Who } } }
      commits(first: 100, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { commit { oid message
          author { name email date user { login databaseId } }
          status { contexts { context state description targetUrl creator { login } } }
          parents(first: 2) { totalCount nodes { oid } } } }
      }
    }
  }
}
fragment Who on Actor { login __typename ... on User { databaseId } ... on Bot { databaseId } }`

func TestGraphQLSnapshotQuery(t *testing.T) {
	f := New(t)
	seedRepo(f)
	f.SetFile("o", "r", "main", ".github/dco.yml", "allowRemediationCommits:\n  individual: true\n")
	pr := f.AddLinearPR("o", "r", 3, func(i int) Commit { return Commit{AuthorLogin: "alice"} })
	f.AddComment("o", "r", pr.Number, "github-actions[bot]", "<!-- contribution-policy -->")
	gh := client(t, f, DefaultToken)
	if _, _, err := gh.Issues.AddLabelsToIssue(ctx, "o", "r", pr.Number, []string{"dco"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := gh.Repositories.CreateStatus(ctx, "o", "r", pr.HeadSHA, statusOpt("success", "contribution-policy/dco")); err != nil {
		t.Fatal(err)
	}
	code, out := graphql(t, f, DefaultToken, prQuery, map[string]any{"owner": "o", "name": "r", "n": pr.Number})
	if code != 200 || out["errors"] != nil {
		t.Fatalf("%d %v", code, out["errors"])
	}
	repo := dig(out, "data", "repository")
	p := dig(repo, "pullRequest")
	got := map[string]any{
		"nameWithOwner": dig(repo, "nameWithOwner"),
		"owner":         dig(repo, "owner", "__typename"),
		"config":        dig(repo, "config", "text"),
		"configOid":     dig(repo, "config", "oid"),
		"author":        dig(p, "author", "login"),
		"authorType":    dig(p, "author", "__typename"),
		"association":   dig(p, "authorAssociation"),
		"labels":        dig(p, "labels", "nodes", 0, "name"),
		"botLogin":      dig(p, "comments", "nodes", 0, "author", "login"),
		"botType":       dig(p, "comments", "nodes", 0, "author", "__typename"),
		"commits":       dig(p, "commits", "totalCount"),
		"firstParent":   dig(p, "commits", "nodes", 0, "commit", "parents", "nodes", 0, "oid"),
		"commitUser":    dig(p, "commits", "nodes", 0, "commit", "author", "user", "login"),
		"lastStatus":    dig(p, "commits", "nodes", 2, "commit", "status", "contexts", 0, "state"),
		"statusCreator": dig(p, "commits", "nodes", 2, "commit", "status", "contexts", 0, "creator", "login"),
		"noStatus":      dig(p, "commits", "nodes", 0, "commit", "status"),
	}
	want := map[string]any{
		"nameWithOwner": "o/r", "owner": "Organization", "config": "allowRemediationCommits:\n  individual: true\n",
		"configOid": blobSHA("allowRemediationCommits:\n  individual: true\n"),
		"author":    "alice", "authorType": "User", "association": "CONTRIBUTOR", "labels": "dco",
		// GraphQL names bots without REST's "[bot]" suffix.
		"botLogin": "github-actions", "botType": "Bot",
		"commits": float64(3), "firstParent": pr.BaseSHA, "commitUser": "alice",
		"lastStatus": "SUCCESS", "statusCreator": "github-actions", "noStatus": nil,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("snapshot (-want +got):\n%s", diff)
	}
	calls := f.Calls()
	if last := calls[len(calls)-1]; last.GraphQLOperation != "PolicySnapshot" || last.Mutation || last.Path != "/graphql" {
		t.Errorf("call log: %+v", last)
	}
}

func TestGraphQLNotFoundIsPartial(t *testing.T) {
	f := New(t)
	seedRepo(f)
	_, out := graphql(t, f, DefaultToken, `query { a: repository(owner: "o", name: "r") { name } b: repository(owner: "o", name: ".github") { name } }`, nil)
	if dig(out, "data", "a", "name") != "r" || dig(out, "data", "b") != nil {
		t.Errorf("data %v", out["data"])
	}
	want := map[string]any{"type": "NOT_FOUND", "path": []any{"b"}, "message": "Could not resolve to a Repository with the name 'o/.github'."}
	e, _ := dig(out, "errors", 0).(map[string]any)
	delete(e, "locations")
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}

func TestGraphQLCommitPagination(t *testing.T) {
	f := New(t)
	seedRepo(f)
	pr := f.AddLinearPR("o", "r", 300, nil)
	var oids []string
	var after any
	for pages := 0; pages < 10; pages++ {
		_, out := graphql(t, f, DefaultToken, `query($n: Int!, $after: String) { repository(owner: "o", name: "r") { pullRequest(number: $n) {
			commits(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { commit { oid } } } } } }`,
			map[string]any{"n": pr.Number, "after": after})
		c := dig(out, "data", "repository", "pullRequest", "commits")
		if dig(c, "totalCount") != float64(300) {
			t.Fatalf("totalCount %v, want 300", dig(c, "totalCount"))
		}
		for _, n := range dig(c, "nodes").([]any) {
			oids = append(oids, dig(n, "commit", "oid").(string))
		}
		if dig(c, "pageInfo", "hasNextPage") != true {
			break
		}
		after = dig(c, "pageInfo", "endCursor")
	}
	if len(oids) != 250 {
		t.Errorf("paged through %d commits, want GitHub's 250", len(oids))
	}
}

func TestGraphQLViolations(t *testing.T) {
	for _, tc := range []struct {
		name, query string
		errType     string
		violation   string
	}{
		{"unknown field", `{ repository(owner: "o", name: "r") { nope } }`, "", "not valid against GitHub's schema"},
		{"missing first", `{ repository(owner: "o", name: "r") { pullRequest(number: 1) { labels { totalCount } } } }`, "MISSING_PAGINATION_BOUNDARIES", "without first/last"},
		{"first too big", `{ repository(owner: "o", name: "r") { pullRequest(number: 1) { labels(first: 101) { totalCount } } } }`, "EXCESSIVE_PAGINATION", "outside 0..100"},
		{"no resolver", `{ repository(owner: "o", name: "r") { stargazerCount } }`, "", "no resolver for Repository.stargazerCount"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Start()
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			seedRepo(f)
			f.AddLinearPR("o", "r", 1, nil)
			_, out := graphql(t, f, DefaultToken, tc.query, nil)
			if dig(out, "errors", 0) == nil {
				if tc.errType != "" {
					t.Errorf("no error in %v", out)
				}
			} else if tc.errType != "" && dig(out, "errors", 0, "type") != tc.errType {
				t.Errorf("error %v, want type %s", dig(out, "errors", 0), tc.errType)
			}
			v := f.Violations()
			if len(v) != 1 || !strings.Contains(v[0], tc.violation) {
				t.Errorf("violations %q, want one about %q", v, tc.violation)
			}
		})
	}
}

func TestGraphQLMinimizeComment(t *testing.T) {
	f := New(t)
	seedRepo(f)
	pr := f.AddLinearPR("o", "r", 1, nil)
	id := f.AddComment("o", "r", pr.Number, "github-actions[bot]", "old")
	node := f.Comments("o", "r", pr.Number)[0].NodeID
	mutation := `mutation Hide($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized minimizedReason ... on IssueComment { databaseId } } } }`
	f.AddToken("ro", TokenSpec{Login: "reader[bot]", ReadOnly: true})
	_, out := graphql(t, f, "ro", mutation, map[string]any{"id": node})
	if dig(out, "errors", 0, "type") != "FORBIDDEN" {
		t.Errorf("read-only mutation: %v", out)
	}
	_, out = graphql(t, f, DefaultToken, mutation, map[string]any{"id": node})
	got := dig(out, "data", "minimizeComment", "minimizedComment")
	if diff := cmp.Diff(map[string]any{"isMinimized": true, "minimizedReason": "outdated", "databaseId": float64(id)}, got); diff != "" {
		t.Errorf("minimized (-want +got):\n%s", diff)
	}
	if c := f.Comments("o", "r", pr.Number)[0]; !c.Minimized {
		t.Error("state not updated")
	}
	w := f.Writes()
	if len(w) != 2 || !w[1].Mutation || w[1].GraphQLOperation != "Hide" {
		t.Errorf("writes %+v", w)
	}
	_, out = graphql(t, f, DefaultToken, mutation, map[string]any{"id": "IC_kwDOnope"})
	if dig(out, "errors", 0, "type") != "NOT_FOUND" {
		t.Errorf("unknown node: %v", out)
	}
}
