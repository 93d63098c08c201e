package dco

import (
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// queueCommit applies the merge-queue rule (dcoapp #313): in a merge_group
// run, a commit GitHub built (committer web-flow) has the GitHub *account*
// as author (display name, noreply address) while its trailers keep the
// contributors' *git* identities, so the two can never be required to agree.
// Such a commit only needs some well-formed Signed-off-by; the identities
// were checked on the pull request's own commits. Other commits of the group
// are judged in full.
func (e *evaluation) queueCommit(st *state) bool {
	if e.s.Event != "merge_group" || !isWebFlow(st.c.Committer) {
		return false
	}
	if len(st.scan.SignOffs) > 0 {
		st.res.Outcome, st.res.Reason = Pass, ReasonQueueTrail
		st.res.Detail = "Built by the merge queue and still carrying a Signed-off-by trailer, which is all a queue-built commit needs: the sign-offs are checked on the pull request's own commits."
	} else {
		st.res.Outcome, st.res.Reason = Fail, ReasonQueueNoTrailer
	}
	return true
}

// isWebFlow reports whether an identity is GitHub's own committer identity,
// used for web-UI commits, squash merges and merge-queue commits.
func isWebFlow(id snapshot.Identity) bool {
	return strings.EqualFold(id.Login, "web-flow") ||
		strings.EqualFold(strings.TrimSpace(id.Name), "GitHub") && strings.EqualFold(strings.TrimSpace(id.Email), "noreply@github.com")
}
