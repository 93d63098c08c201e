package app

import (
	"github.com/contribution-policy/contribution-policy/internal/gh"
)

// scopedGitHub reads with the installation's token and writes with a token
// scoped to the pull request's repository and to the write permissions
// reporting needs (checks, pull requests; statuses with
// CP_COMMIT_STATUSES). Reads need the wider token: the organisation's
// .github repository and _extends targets live in other repositories.
type scopedGitHub struct {
	*gh.Client
	writes *gh.Client
}

// Writer implements pipeline.GitHub with the scoped client.
func (s scopedGitHub) Writer(owner, repo string, number int, sha, botLogin string) *gh.PRWriter {
	return s.writes.Writer(owner, repo, number, sha, botLogin)
}
