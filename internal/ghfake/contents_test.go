package ghfake

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v60/github"
)

func TestContentsCompareAndSwap(t *testing.T) {
	f := New(t)
	seedRepo(f)
	gh := client(t, f, DefaultToken)
	const path = ".github/cla/signatures.jsonl"
	status := func(err error) int {
		var er *github.ErrorResponse
		if errors.As(err, &er) {
			return er.Response.StatusCode
		}
		return 0
	}
	_, _, _, err := gh.Repositories.GetContents(ctx, "o", "r", path, nil)
	if status(err) != 404 {
		t.Fatalf("missing file: %v, want 404", err)
	}
	created, resp, err := gh.Repositories.CreateFile(ctx, "o", "r", path, &github.RepositoryContentFileOptions{Message: github.String("add"), Content: []byte("a\n")})
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("create: %v", err)
	}
	firstCommit := created.Commit.GetSHA()
	// Git's own blob id for "a\n".
	if created.Content.GetSHA() != "78981922613b2afb6025042ff6bd878ac1994e85" {
		t.Errorf("blob sha %s is not git's", created.Content.GetSHA())
	}
	_, _, err = gh.Repositories.UpdateFile(ctx, "o", "r", path, &github.RepositoryContentFileOptions{Message: github.String("x"), Content: []byte("b\n")})
	if status(err) != 422 || !strings.Contains(err.Error(), `"sha" wasn't supplied`) {
		t.Errorf("update without sha: %v, want 422", err)
	}
	stale := strings.Repeat("1", 40)
	_, _, err = gh.Repositories.UpdateFile(ctx, "o", "r", path, &github.RepositoryContentFileOptions{Message: github.String("x"), Content: []byte("b\n"), SHA: github.String(stale)})
	if status(err) != 409 || !strings.Contains(err.Error(), path+" does not match "+stale) {
		t.Errorf("update with a stale sha: %v, want 409", err)
	}
	upd, resp, err := gh.Repositories.UpdateFile(ctx, "o", "r", path, &github.RepositoryContentFileOptions{Message: github.String("x"), Content: []byte("a\nb\n"), SHA: created.Content.SHA})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("update: %v", err)
	}
	if upd.Commit.Parents[0].GetSHA() != firstCommit || f.BranchSHA("o", "r", "main") != upd.Commit.GetSHA() {
		t.Errorf("the update is not a new commit on main")
	}
	if got, _ := f.File("o", "r", "main", path); got != "a\nb\n" {
		t.Errorf("file = %q", got)
	}
	old, _, _, err := gh.Repositories.GetContents(ctx, "o", "r", path, &github.RepositoryContentGetOptions{Ref: firstCommit})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := old.GetContent(); s != "a\n" {
		t.Errorf("content at the first commit = %q", s)
	}
	dir, resp2, err := func() (d []*github.RepositoryContent, r *github.Response, err error) {
		_, d, r, err = gh.Repositories.GetContents(ctx, "o", "r", ".github", nil)
		return
	}()
	if err != nil || len(dir) != 1 || dir[0].GetType() != "dir" {
		t.Errorf("directory listing: %v %v %v", err, dir, resp2)
	}
	f.SetBranchProtected("o", "r", "main", true)
	_, _, err = gh.Repositories.UpdateFile(ctx, "o", "r", path, &github.RepositoryContentFileOptions{Message: github.String("x"), Content: []byte("c\n"), SHA: upd.Content.SHA})
	if status(err) != 409 || !strings.Contains(err.Error(), "Repository rule violations found") {
		t.Errorf("protected branch: %v, want 409 rule violation", err)
	}
	_, _, err = gh.Repositories.CreateFile(ctx, "o", "r", "x", &github.RepositoryContentFileOptions{Message: github.String("x"), Content: []byte("c\n"), Branch: github.String("nope")})
	if status(err) != 404 {
		t.Errorf("missing branch: %v, want 404", err)
	}
	// A raw read.
	req, _ := http.NewRequest(http.MethodGet, f.URL()+"repos/o/r/contents/"+path, nil)
	req.Header.Set("Authorization", "token "+DefaultToken)
	req.Header.Set("Accept", "application/vnd.github.raw+json")
	rr, err := http.DefaultClient.Do(req)
	if err != nil || rr.StatusCode != 200 || !strings.HasPrefix(rr.Header.Get("Content-Type"), "application/vnd.github.raw") {
		t.Errorf("raw read: %v %v", err, rr)
	}
	rr.Body.Close()
}

// 100 writers append one line each with GET + PUT(sha) and retry on
// conflict: every append lands exactly once.
func TestContentsConcurrentAppends(t *testing.T) {
	f := New(t)
	seedRepo(f)
	const path = "signatures.txt"
	f.SetFile("o", "r", "main", path, "")
	gh := client(t, f, DefaultToken)
	var ok, conflicts atomic.Int64
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			line := fmt.Sprintf("writer-%03d\n", i)
			for attempt := 0; attempt < 1000; attempt++ {
				fc, _, _, err := gh.Repositories.GetContents(ctx, "o", "r", path, nil)
				if err != nil {
					t.Error(err)
					return
				}
				cur, _ := fc.GetContent()
				_, _, err = gh.Repositories.UpdateFile(ctx, "o", "r", path, &github.RepositoryContentFileOptions{
					Message: github.String("sign"), Content: []byte(cur + line), SHA: fc.SHA})
				var er *github.ErrorResponse
				switch {
				case err == nil:
					ok.Add(1)
					return
				case errors.As(err, &er) && er.Response.StatusCode == 409:
					conflicts.Add(1)
				default:
					t.Error(err)
					return
				}
			}
			t.Errorf("writer %d gave up", i)
		}()
	}
	wg.Wait()
	content, _ := f.File("o", "r", "main", path)
	lines := strings.Split(strings.TrimSuffix(content, "\n"), "\n")
	sort.Strings(lines)
	var want []string
	for i := range 100 {
		want = append(want, fmt.Sprintf("writer-%03d", i))
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if ok.Load() != 100 {
		t.Errorf("%d successful PUTs, want 100", ok.Load())
	}
	t.Logf("100 appends, %d conflicts retried", conflicts.Load())
	if conflicts.Load() == 0 {
		t.Log("no conflict happened; the CAS path was not exercised")
	}
}
