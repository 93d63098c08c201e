package ghfake

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v60/github"
)

var ctx = context.Background()

func TestPaginationLinkHeader(t *testing.T) {
	f := New(t, WithMaxPerPage(3))
	seedRepo(f)
	gh := client(t, f, DefaultToken)
	for i := range 7 {
		if _, _, err := gh.Issues.CreateLabel(ctx, "o", "r", &github.Label{Name: github.String(fmt.Sprintf("l%d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	opt := &github.ListOptions{PerPage: 100} // capped to 3 by WithMaxPerPage
	for pages := 0; ; pages++ {
		ls, resp, err := gh.Issues.ListLabels(ctx, "o", "r", opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) > 3 {
			t.Fatalf("page has %d labels, cap is 3", len(ls))
		}
		for _, l := range ls {
			names = append(names, l.GetName())
		}
		if pages == 0 {
			if resp.LastPage != 3 || resp.NextPage != 2 {
				t.Errorf("first page: next=%d last=%d, want 2 and 3", resp.NextPage, resp.LastPage)
			}
			link := resp.Header.Get("Link")
			if !strings.HasPrefix(link, "<"+f.URL()+"repos/o/r/labels?") {
				t.Errorf("Link %q is not absolute under the base path", link)
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if diff := cmp.Diff([]string{"l0", "l1", "l2", "l3", "l4", "l5", "l6"}, names); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
}

func TestPullCommitsCappedAt250(t *testing.T) {
	f := New(t)
	seedRepo(f)
	pr := f.AddLinearPR("o", "r", 300, nil)
	gh := client(t, f, DefaultToken)
	p, _, err := gh.PullRequests.Get(ctx, "o", "r", pr.Number)
	if err != nil {
		t.Fatal(err)
	}
	if p.GetCommits() != 300 {
		t.Errorf("PR commits = %d, want 300 (the true count)", p.GetCommits())
	}
	var got []string
	opt := &github.ListOptions{PerPage: 100}
	for {
		cs, resp, err := gh.PullRequests.ListCommits(ctx, "o", "r", pr.Number, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			got = append(got, c.GetSHA())
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if len(got) != 250 {
		t.Fatalf("listed %d commits, want GitHub's cap of 250", len(got))
	}
	// Oldest first: the first commit's parent is the base.
	first, _, err := gh.PullRequests.ListCommits(ctx, "o", "r", pr.Number, &github.ListOptions{PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	if first[0].Parents[0].GetSHA() != pr.BaseSHA {
		t.Errorf("first listed commit's parent %s, want the base %s", first[0].Parents[0].GetSHA(), pr.BaseSHA)
	}
}

func TestCompareFiveThousandCommits(t *testing.T) {
	f := New(t)
	seedRepo(f)
	var want []string
	pr := f.AddLinearPR("o", "r", 5000, func(i int) Commit {
		return Commit{Message: fmt.Sprintf("c%d\n\nSigned-off-by: A <a@example.com>", i), AuthorLogin: "alice"}
	})
	f.mu.Lock()
	for _, c := range f.pullCommits(f.repo("o", "r").pulls[pr.Number]) {
		want = append(want, c.SHA)
	}
	f.mu.Unlock()

	gh := client(t, f, DefaultToken)
	var got []string
	opt := &github.ListOptions{PerPage: 100}
	for {
		cmpr, resp, err := gh.Repositories.CompareCommits(ctx, "o", "r", pr.BaseSHA, pr.HeadSHA, opt)
		if err != nil {
			t.Fatal(err)
		}
		if cmpr.GetTotalCommits() != 5000 || cmpr.GetAheadBy() != 5000 || cmpr.GetBehindBy() != 0 || cmpr.GetStatus() != "ahead" {
			t.Fatalf("total=%d ahead=%d behind=%d status=%s", cmpr.GetTotalCommits(), cmpr.GetAheadBy(), cmpr.GetBehindBy(), cmpr.GetStatus())
		}
		if cmpr.MergeBaseCommit.GetSHA() != pr.BaseSHA {
			t.Fatalf("merge base %s, want %s", cmpr.MergeBaseCommit.GetSHA(), pr.BaseSHA)
		}
		for _, c := range cmpr.Commits {
			got = append(got, c.GetSHA())
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("compare commits differ from the seeded chain (-want +got):\n%.2000s", diff)
	}
	if want[0] == "" || len(got) != 5000 {
		t.Errorf("got %d commits", len(got))
	}
}

func TestCompareDivergedAndFork(t *testing.T) {
	f := New(t)
	seedRepo(f)
	base := f.BranchSHA("o", "r", "main")
	head := f.AddCommit("o", "r", Commit{Parents: []string{base}, Message: "feature", Files: map[string]string{"README.md": "hello\n", "a.txt": "a\n"}})
	f.SetFile("o", "r", "main", "b.txt", "b\n") // main moves on
	f.AddRepo(Repo{Owner: "fork", Name: "r", OwnerType: "User"})
	f.SetBranch("fork", "r", "topic", head)
	gh := client(t, f, DefaultToken)
	c, _, err := gh.Repositories.CompareCommits(ctx, "o", "r", "main", "fork:topic", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := []any{c.GetStatus(), c.GetAheadBy(), c.GetBehindBy(), c.MergeBaseCommit.GetSHA(), len(c.Files), c.Files[0].GetFilename(), c.Files[0].GetStatus()}
	if diff := cmp.Diff([]any{"diverged", 1, 1, base, 1, "a.txt", "added"}, got); diff != "" {
		t.Errorf("compare (-want +got):\n%s", diff)
	}
}

func TestLabels(t *testing.T) {
	f := New(t)
	seedRepo(f)
	pr := f.AddLinearPR("o", "r", 1, nil)
	gh := client(t, f, DefaultToken)
	// go-github sends a bare array; GitHub creates unknown labels.
	if _, _, err := gh.Issues.AddLabelsToIssue(ctx, "o", "r", pr.Number, []string{"affiliation/acme", "dco"}); err != nil {
		t.Fatal(err)
	}
	// The documented object form.
	req, _ := gh.NewRequest(http.MethodPost, fmt.Sprintf("repos/o/r/issues/%d/labels", pr.Number), map[string]any{"labels": []any{"cla", map[string]any{"name": "DCO"}}})
	var ls []*github.Label
	if _, err := gh.Do(ctx, req, &ls); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"affiliation/acme", "cla", "dco"}, f.IssueLabels("o", "r", pr.Number)); diff != "" {
		t.Errorf("issue labels (-want +got):\n%s", diff)
	}
	if l := f.RepoLabels("o", "r")[0]; l.Color != "ededed" {
		t.Errorf("auto-created label colour %q, want ededed", l.Color)
	}
	// go-github does not escape the name; a slash must be escaped by the caller.
	if _, err := gh.Issues.RemoveLabelForIssue(ctx, "o", "r", pr.Number, url.PathEscape("affiliation/acme")); err != nil {
		t.Fatal(err)
	}
	_, err := gh.Issues.RemoveLabelForIssue(ctx, "o", "r", pr.Number, "absent")
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 404 {
		t.Errorf("removing a label not on the issue: %v, want 404", err)
	}
	_, _, err = gh.Issues.CreateLabel(ctx, "o", "r", &github.Label{Name: github.String("CLA")})
	if !errors.As(err, &er) || er.Response.StatusCode != 422 || len(er.Errors) != 1 || er.Errors[0].Code != "already_exists" {
		t.Errorf("creating an existing label: %v, want 422 already_exists", err)
	}
	if _, err := gh.Issues.RemoveLabelsForIssue(ctx, "o", "r", pr.Number); err != nil {
		t.Fatal(err)
	}
	if got := f.IssueLabels("o", "r", pr.Number); len(got) != 0 {
		t.Errorf("labels after remove-all: %v", got)
	}
}

func TestComments(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	f := New(t, WithClock(func() time.Time { return clock() }))
	seedRepo(f)
	pr := f.AddLinearPR("o", "r", 1, nil)
	first := f.AddComment("o", "r", pr.Number, "alice", "first")
	gh := client(t, f, DefaultToken)
	c, _, err := gh.Issues.CreateComment(ctx, "o", "r", pr.Number, &github.IssueComment{Body: github.String("bot")})
	if err != nil {
		t.Fatal(err)
	}
	if c.GetID() <= first || c.GetUser().GetLogin() != "github-actions[bot]" || c.GetUser().GetType() != "Bot" {
		t.Errorf("comment id=%d (after %d) user=%s/%s", c.GetID(), first, c.GetUser().GetLogin(), c.GetUser().GetType())
	}
	now = now.Add(time.Minute)
	e, _, err := gh.Issues.EditComment(ctx, "o", "r", c.GetID(), &github.IssueComment{Body: github.String("edited")})
	if err != nil {
		t.Fatal(err)
	}
	if !e.GetUpdatedAt().After(e.GetCreatedAt().Time) {
		t.Errorf("updated_at %v not after created_at %v", e.GetUpdatedAt(), e.GetCreatedAt())
	}
	list, _, err := gh.Issues.ListComments(ctx, "o", "r", pr.Number, nil)
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, c := range list {
		bodies = append(bodies, c.GetBody())
	}
	if diff := cmp.Diff([]string{"first", "edited"}, bodies); diff != "" {
		t.Errorf("comments oldest first (-want +got):\n%s", diff)
	}
	got, _, err := gh.Issues.GetComment(ctx, "o", "r", first)
	if err != nil || got.GetBody() != "first" || got.GetNodeID() == "" {
		t.Errorf("get comment: %v %q", err, got.GetBody())
	}
	_, _, err = gh.Issues.CreateComment(ctx, "o", "r", 99, &github.IssueComment{Body: github.String("x")})
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 404 {
		t.Errorf("comment on a missing PR: %v", err)
	}
}

func TestStatuses(t *testing.T) {
	f := New(t)
	seedRepo(f)
	pr := f.AddLinearPR("o", "r", 1, nil)
	gh := client(t, f, DefaultToken)
	for _, s := range []struct{ state, ctx string }{{"pending", "DCO"}, {"success", "dco"}, {"failure", "cla"}} {
		if _, _, err := gh.Repositories.CreateStatus(ctx, "o", "r", pr.HeadSHA, &github.RepoStatus{State: github.String(s.state), Context: github.String(s.ctx), Description: github.String("d")}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.Statuses("o", "r", pr.HeadSHA)); n != 3 {
		t.Errorf("history has %d statuses, want 3", n)
	}
	latest := f.LatestStatuses("o", "r", pr.HeadSHA)
	got := map[string]string{}
	for k, v := range latest {
		got[k] = v.State + "/" + v.Creator
	}
	if diff := cmp.Diff(map[string]string{"dco": "success/github-actions[bot]", "cla": "failure/github-actions[bot]"}, got); diff != "" {
		t.Errorf("latest per context (-want +got):\n%s", diff)
	}
	var er *github.ErrorResponse
	_, _, err := gh.Repositories.CreateStatus(ctx, "o", "r", strings.Repeat("0", 40), &github.RepoStatus{State: github.String("success")})
	if !errors.As(err, &er) || er.Response.StatusCode != 422 {
		t.Errorf("status on an unknown SHA: %v, want 422", err)
	}
	_, _, err = gh.Repositories.CreateStatus(ctx, "o", "r", pr.HeadSHA, &github.RepoStatus{State: github.String("success"), Description: github.String(strings.Repeat("x", 141))})
	if !errors.As(err, &er) || er.Response.StatusCode != 422 {
		t.Errorf("141-character description: %v, want 422", err)
	}
}

func TestCheckRuns(t *testing.T) {
	f := New(t)
	seedRepo(f)
	pr := f.AddLinearPR("o", "r", 1, nil)
	gh := client(t, f, DefaultToken)
	cr, _, err := gh.Checks.CreateCheckRun(ctx, "o", "r", github.CreateCheckRunOptions{Name: "contribution-policy/dco", HeadSHA: pr.HeadSHA, ExternalID: github.String("ext")})
	if err != nil {
		t.Fatal(err)
	}
	if cr.GetStatus() != "queued" || cr.GetApp().GetID() != actionsAppID {
		t.Errorf("created: status %q app %d", cr.GetStatus(), cr.GetApp().GetID())
	}
	up, _, err := gh.Checks.UpdateCheckRun(ctx, "o", "r", cr.GetID(), github.UpdateCheckRunOptions{Name: "contribution-policy/dco", Conclusion: github.String("failure"),
		Output:  &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s")},
		Actions: []*github.CheckRunAction{{Label: "Set DCO to pass", Description: "override", Identifier: "override"}}})
	if err != nil {
		t.Fatal(err)
	}
	if up.GetStatus() != "completed" || up.GetConclusion() != "failure" || up.CompletedAt == nil {
		t.Errorf("updated: %s/%s completed_at=%v", up.GetStatus(), up.GetConclusion(), up.CompletedAt)
	}
	if _, _, err := gh.Checks.CreateCheckRun(ctx, "o", "r", github.CreateCheckRunOptions{Name: "contribution-policy/dco", HeadSHA: pr.HeadSHA, Status: github.String("in_progress")}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := gh.Checks.CreateCheckRun(ctx, "o", "r", github.CreateCheckRunOptions{Name: "contribution-policy/cla", HeadSHA: pr.HeadSHA}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opt  *github.ListCheckRunsOptions
		want int
	}{
		{"latest", nil, 2},
		{"all", &github.ListCheckRunsOptions{Filter: github.String("all")}, 3},
		{"by name", &github.ListCheckRunsOptions{CheckName: github.String("contribution-policy/dco"), Filter: github.String("all")}, 2},
		{"by status", &github.ListCheckRunsOptions{Status: github.String("completed"), Filter: github.String("all")}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, _, err := gh.Checks.ListCheckRunsForRef(ctx, "o", "r", pr.HeadSHA, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if res.GetTotal() != tc.want || len(res.CheckRuns) != tc.want {
				t.Errorf("total %d, %d runs; want %d", res.GetTotal(), len(res.CheckRuns), tc.want)
			}
		})
	}
	if got := f.CheckRuns("o", "r", pr.HeadSHA); len(got) != 3 || got[0].Actions[0].Identifier != "override" {
		t.Errorf("stored check runs: %+v", got)
	}
	f.AddToken("ghp_user", TokenSpec{Login: "alice"})
	_, _, err = client(t, f, "ghp_user").Checks.CreateCheckRun(ctx, "o", "r", github.CreateCheckRunOptions{Name: "x", HeadSHA: pr.HeadSHA})
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 403 {
		t.Errorf("check run with a user token: %v, want 403", err)
	}
}

func TestMembershipVisibility(t *testing.T) {
	f := New(t)
	f.AddOrgMember("acme", "alice", true)
	f.AddOrgMember("acme", "bob", false)
	f.AddToken("ghs_members", TokenSpec{Login: "app[bot]", CanSeePrivateMembers: true})
	for _, tc := range []struct {
		token, user string
		want        bool
	}{
		{"ghs_members", "alice", true},
		{"ghs_members", "bob", true},
		{"ghs_members", "carol", false},
		{DefaultToken, "alice", true}, // 302 → public_members → 204
		{DefaultToken, "bob", false},  // concealed: 302 → public_members → 404
	} {
		t.Run(tc.token+"/"+tc.user, func(t *testing.T) {
			f.ResetCalls()
			got, _, err := client(t, f, tc.token).Organizations.IsMember(ctx, "acme", tc.user)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("IsMember = %v, want %v", got, tc.want)
			}
			calls := f.Calls()
			if tc.token == DefaultToken && (len(calls) != 2 || calls[0].Status != 302 || !strings.Contains(calls[1].Path, "/public_members/")) {
				t.Errorf("calls %+v, want a 302 then the public check", calls)
			}
		})
	}
	pub, _, err := client(t, f, DefaultToken).Organizations.IsPublicMember(ctx, "acme", "bob")
	if err != nil || pub {
		t.Errorf("IsPublicMember(bob) = %v, %v", pub, err)
	}
}

func TestTokens(t *testing.T) {
	f := New(t)
	seedRepo(f)
	f.AddRepo(Repo{Owner: "o", Name: "other"})
	pr := f.AddLinearPR("o", "r", 1, nil)
	f.AddToken("ro", TokenSpec{Login: "reader[bot]", ReadOnly: true})
	f.AddToken("only-r", TokenSpec{Login: "narrow[bot]", Repos: []string{"o/r"}})
	f.AddToken("statuses", TokenSpec{Login: "st[bot]", Permissions: map[string]string{"statuses": "write", "pull_requests": "read"}})
	comment := func(token, repo string) error {
		_, _, err := client(t, f, token).Issues.CreateComment(ctx, "o", repo, pr.Number, &github.IssueComment{Body: github.String("x")})
		return err
	}
	status := func(er *github.ErrorResponse) int {
		if er == nil {
			return 0
		}
		return er.Response.StatusCode
	}
	for _, tc := range []struct {
		name  string
		err   error
		code  int
		msg   string
		perms string
	}{
		{"unknown token", comment("nope", "r"), 401, "Bad credentials", ""},
		{"read-only write", comment("ro", "r"), 403, "Resource not accessible by integration", "issues=write; pull_requests=write"},
		{"other repo", comment("only-r", "other"), 404, "Not Found", ""},
		{"missing permission", comment("statuses", "r"), 403, "Resource not accessible by integration", "issues=write; pull_requests=write"},
		{"allowed", comment("only-r", "r"), 0, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var er *github.ErrorResponse
			errors.As(tc.err, &er)
			if status(er) != tc.code {
				t.Fatalf("err %v, want status %d", tc.err, tc.code)
			}
			if er != nil && (er.Message != tc.msg || tc.perms != "" && er.Response.Header.Get("X-Accepted-GitHub-Permissions") != tc.perms) {
				t.Errorf("message %q perms %q", er.Message, er.Response.Header.Get("X-Accepted-GitHub-Permissions"))
			}
		})
	}
	if _, _, err := client(t, f, "ro").PullRequests.Get(ctx, "o", "r", pr.Number); err != nil {
		t.Errorf("read-only read: %v", err)
	}
	if resp := rawGet(t, f, "", "rate_limit", nil); resp.StatusCode != 401 {
		t.Errorf("no token: %d, want 401", resp.StatusCode)
	}
}

func TestRateLimitAndETag(t *testing.T) {
	f := New(t)
	seedRepo(f)
	pr := f.AddLinearPR("o", "r", 1, nil)
	rel := fmt.Sprintf("repos/o/r/pulls/%d", pr.Number)
	first := rawGet(t, f, DefaultToken, rel, nil)
	etag := first.Header.Get("ETag")
	if first.StatusCode != 200 || etag == "" || first.Header.Get("X-RateLimit-Remaining") != "4999" || first.Header.Get("X-RateLimit-Resource") != "core" {
		t.Fatalf("first GET: %d etag=%q remaining=%q", first.StatusCode, etag, first.Header.Get("X-RateLimit-Remaining"))
	}
	again := rawGet(t, f, DefaultToken, rel, map[string]string{"If-None-Match": etag})
	if again.StatusCode != 304 || again.Header.Get("X-RateLimit-Remaining") != "4999" {
		t.Errorf("conditional GET: %d remaining=%q, want 304 and no cost", again.StatusCode, again.Header.Get("X-RateLimit-Remaining"))
	}
	f.SetRateLimitRemaining(DefaultToken, 1)
	gh := client(t, f, DefaultToken)
	if _, _, err := gh.PullRequests.Get(ctx, "o", "r", pr.Number); err != nil {
		t.Fatal(err)
	}
	_, _, err := gh.PullRequests.Get(ctx, "o", "r", pr.Number)
	var rl *github.RateLimitError
	if !errors.As(err, &rl) {
		t.Errorf("exhausted budget: %v, want a RateLimitError", err)
	}
	if resp := rawGet(t, f, DefaultToken, rel, nil); resp.StatusCode != 403 || resp.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("over the limit: %d remaining=%q", resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"))
	}
}

func TestSearchIssues(t *testing.T) {
	f := New(t)
	seedRepo(f)
	f.AddRepo(Repo{Owner: "p", Name: "q"})
	day := func(d int) time.Time { return time.Date(2025, 1, d, 10, 0, 0, 0, time.UTC) }
	f.AddPull("o", "r", Pull{Author: "alice", Title: "one", CreatedAt: day(1), State: "closed", Merged: true})
	f.AddPull("o", "r", Pull{Author: "alice", Title: "two", CreatedAt: day(5)})
	f.AddPull("o", "r", Pull{Author: "bob", Title: "three", CreatedAt: day(9)})
	f.AddPull("p", "q", Pull{Author: "alice", Title: "four", CreatedAt: day(3)})
	gh := client(t, f, DefaultToken)
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"is:pr author:alice", []string{"two", "four", "one"}},
		{"is:pr repo:o/r author:alice created:<2025-01-05", []string{"one"}},
		{"is:pr org:o created:>=2025-01-05", []string{"three", "two"}},
		{"is:pr author:alice created:2025-01-02..2025-01-05", []string{"two", "four"}},
		{"is:pr is:merged author:alice", []string{"one"}},
		{"is:pr -author:alice", []string{"three"}},
		{"is:issue author:alice", nil},
	} {
		t.Run(tc.q, func(t *testing.T) {
			res, _, err := gh.Search.Issues(ctx, tc.q, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range res.Issues {
				if it.PullRequestLinks == nil {
					t.Errorf("%s has no pull_request object", it.GetTitle())
				}
				got = append(got, it.GetTitle())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" || res.GetTotal() != len(tc.want) {
				t.Errorf("total %d (-want +got):\n%s", res.GetTotal(), diff)
			}
		})
	}
}

func TestUsersAndOrgs(t *testing.T) {
	f := New(t)
	f.AddUser(User{Login: "alice", Company: "@acme", Name: "Alice"})
	f.AddOrgMember("acme", "alice", true)
	f.AddOrgMember("secret", "alice", false)
	gh := client(t, f, DefaultToken)
	u, _, err := gh.Users.Get(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if u.GetCompany() != "@acme" || u.GetType() != "User" || u.GetID() == 0 {
		t.Errorf("user %+v", u)
	}
	orgs, _, err := gh.Organizations.List(ctx, "alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 1 || orgs[0].GetLogin() != "acme" {
		t.Errorf("public orgs %v", orgs)
	}
	if _, _, err := gh.Users.Get(ctx, "nobody"); err == nil {
		t.Error("unknown user: want 404")
	}
	rl, _, err := gh.RateLimit.Get(ctx)
	if err != nil || rl.GetCore().Limit != 5000 || rl.GetSearch().Limit != 30 {
		t.Errorf("rate limit %+v %v", rl, err)
	}
}

func TestPullUpdateAndFiles(t *testing.T) {
	f := New(t)
	seedRepo(f)
	base := f.BranchSHA("o", "r", "main")
	head := f.AddCommit("o", "r", Commit{Parents: []string{base}, Message: "m", Files: map[string]string{"README.md": "hello\nworld\n", "new.go": "package x\n"}})
	f.SetBranch("o", "r", "topic", head)
	pr := f.AddPull("o", "r", Pull{Author: "alice", Title: "t", HeadRef: "topic"})
	gh := client(t, f, DefaultToken)
	files, _, err := gh.PullRequests.ListFiles(ctx, "o", "r", pr.Number, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, fl := range files {
		got = append(got, fmt.Sprintf("%s %s +%d -%d", fl.GetFilename(), fl.GetStatus(), fl.GetAdditions(), fl.GetDeletions()))
	}
	if diff := cmp.Diff([]string{"README.md modified +1 -0", "new.go added +1 -0"}, got); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	p, _, err := gh.PullRequests.Edit(ctx, "o", "r", pr.Number, &github.PullRequest{State: github.String("closed")})
	if err != nil || p.GetState() != "closed" || p.ClosedAt == nil {
		t.Errorf("close: %v %s", err, p.GetState())
	}
	// Pushing to the head branch moves the PR's head, as on GitHub.
	next := f.AddCommit("o", "r", Commit{Parents: []string{head}, Message: "more"})
	f.SetBranch("o", "r", "topic", next)
	if got, _ := f.PullRequest("o", "r", pr.Number); got.HeadSHA == next {
		t.Error("a closed PR followed its branch")
	}
	if _, err := gh.Issues.Lock(ctx, "o", "r", pr.Number, &github.LockIssueOptions{LockReason: "resolved"}); err != nil {
		t.Errorf("lock: %v", err)
	}
}
