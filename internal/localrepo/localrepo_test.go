package localrepo

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func run(t *testing.T, dir string, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func TestCommits(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	id := []string{"GIT_AUTHOR_NAME=Ann Lee", "GIT_AUTHOR_EMAIL=ann@example.org", "GIT_COMMITTER_NAME=Bob", "GIT_COMMITTER_EMAIL=bob@example.org", "HOME=" + dir}
	run(t, dir, id, "init", "-q", "-b", "main")
	os.WriteFile(filepath.Join(dir, "a"), []byte("a"), 0o644)
	run(t, dir, id, "add", "a")
	run(t, dir, id, "commit", "-q", "-m", "base")
	run(t, dir, id, "checkout", "-q", "-b", "topic")
	run(t, dir, id, "commit", "-q", "--allow-empty", "-m", "first\n\nbody with \x1f unit separator\n\nSigned-off-by: Ann Lee <ann@example.org>")
	run(t, dir, id, "commit", "-q", "--allow-empty", "-m", "second")

	r := Repo{Dir: dir}
	got, err := r.Commits(context.Background(), "main..HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d commits, want 2", len(got))
	}
	if got[0].Subject() != "first" || got[1].Subject() != "second" {
		t.Errorf("order: %q, %q", got[0].Subject(), got[1].Subject())
	}
	c := got[0]
	if c.Author.Name != "Ann Lee" || c.Author.Email != "ann@example.org" || c.Committer.Name != "Bob" || len(c.Parents) != 1 || len(c.SHA) != 40 {
		t.Errorf("commit fields: %+v", c)
	}
	if want := "first\n\nbody with \x1f unit separator\n\nSigned-off-by: Ann Lee <ann@example.org>\n"; c.Message != want {
		t.Errorf("message %q, want %q", c.Message, want)
	}
	if _, err := r.Commits(context.Background(), "--output=/tmp/x"); err == nil {
		t.Error("an option-like range must be refused")
	}
	if _, err := r.DefaultRange(context.Background()); err == nil {
		t.Error("no upstream: want an error")
	}
}
