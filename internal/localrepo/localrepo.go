// Package localrepo reads commits from a local git repository, for the `dco`
// subcommand that checks sign-offs before a push.
package localrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// Repo is a git working tree.
type Repo struct {
	Dir string
	// Git is the git executable (default "git").
	Git string
}

func (r Repo) git(ctx context.Context, args ...string) ([]byte, error) {
	bin := r.Git
	if bin == "" {
		bin = "git"
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = r.Dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return out, nil
}

// DefaultRange is the commits a push would add: from the merge base with the
// branch's upstream (or origin's default branch) to HEAD.
func (r Repo) DefaultRange(ctx context.Context) (string, error) {
	for _, up := range []string{"@{upstream}", "origin/HEAD"} {
		base, err := r.git(ctx, "merge-base", "HEAD", up)
		if err == nil {
			return strings.TrimSpace(string(base)) + "..HEAD", nil
		}
	}
	return "", errors.New("no upstream branch and no origin/HEAD to compare with: give a range, e.g. `contribution-policy dco origin/main..HEAD`")
}

// Commits lists the commits of a revision range, oldest first.
func (r Repo) Commits(ctx context.Context, rangeSpec string) ([]snapshot.Commit, error) {
	if strings.HasPrefix(rangeSpec, "-") {
		return nil, fmt.Errorf("invalid range %q", rangeSpec)
	}
	// Fields are unit-separated; the message comes last so it may contain
	// anything but NUL, which ends each record (-z).
	out, err := r.git(ctx, "log", "-z", "--reverse", "--format=%H%x1f%P%x1f%an%x1f%ae%x1f%cn%x1f%ce%x1f%B", rangeSpec, "--")
	if err != nil {
		return nil, err
	}
	var commits []snapshot.Commit
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(bytes.TrimSpace(rec)) == 0 {
			continue
		}
		f := strings.SplitN(string(rec), "\x1f", 7)
		if len(f) != 7 {
			return nil, fmt.Errorf("unexpected git log output: %q", rec)
		}
		commits = append(commits, snapshot.Commit{
			SHA:       strings.TrimSpace(f[0]),
			Parents:   strings.Fields(f[1]),
			Author:    snapshot.Identity{Name: f[2], Email: f[3]},
			Committer: snapshot.Identity{Name: f[4], Email: f[5]},
			Message:   f[6],
		})
	}
	return commits, nil
}
