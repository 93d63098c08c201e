package dco

import "github.com/contribution-policy/contribution-policy/internal/snapshot"

// Outcome is one commit's verdict.
type Outcome string

// Commit outcomes. The strings are part of the public JSON verdict.
const (
	Pass Outcome = "success"
	Fail Outcome = "failure"
	Skip Outcome = "skipped"
)

// Reason says why a commit got its outcome. The strings are stable codes,
// part of the public JSON verdict; Detail carries the human sentence.
type Reason string

// Reasons. Passing and skipping reasons first, then failing ones.
const (
	ReasonSignedOff  Reason = "signed_off"    // a Signed-off-by matches the author or committer
	ReasonRemediated Reason = "remediated"    // a later remediation commit in the PR signs it off
	ReasonMerge      Reason = "merge_commit"  // more than one parent: not checked
	ReasonBot        Reason = "bot"           // author is a GitHub Bot account and skip_bots is on
	ReasonMember     Reason = "member"        // verified commit by an org member, require.members=false
	ReasonQueueTrail Reason = "queue_trailer" // merge-queue commit carrying a Signed-off-by trailer

	ReasonMissing          Reason = "missing_signoff"   // no Signed-off-by line at all
	ReasonMalformed        Reason = "malformed_signoff" // Signed-off-by lines, none naming a usable "Name <email>"
	ReasonMismatch         Reason = "signoff_mismatch"  // sign-offs present, none matches
	ReasonMemberUnverified Reason = "member_unverified" // member exemption needs a verified commit
	ReasonQueueNoTrailer   Reason = "queue_no_trailer"  // merge-queue commit without any Signed-off-by
	ReasonIncomplete       Reason = "incomplete_list"   // (Result level) commit list truncated: fail closed
)

// Person is a name and an email as written in a trailer or a commit.
type Person struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// String renders "Name <email>".
func (p Person) String() string { return p.Name + " <" + p.Email + ">" }

// CommitResult is the verdict on one commit, with what was expected and what
// was found, so the report can show the exact difference.
type CommitResult struct {
	SHA       string            `json:"sha"`
	Subject   string            `json:"subject"`
	Author    snapshot.Identity `json:"author"`
	Committer snapshot.Identity `json:"committer"`
	Outcome   Outcome           `json:"conclusion"`
	Reason    Reason            `json:"reason"`
	// Detail is one human sentence, e.g. `Expected "Ann <ann@x.org>" or
	// "Bob <bob@y.org>", found "ann <ann@old.org>".`
	Detail string `json:"detail"`
	// SignOffs are the Signed-off-by identities found in the message.
	SignOffs []Person `json:"signoffs,omitempty"`
	// Expected are the identities a sign-off could have matched (author,
	// committer; deduplicated).
	Expected []Person `json:"expected,omitempty"`
	// RemediatedBy is the SHA of the remediation commit that covers this one.
	RemediatedBy string `json:"remediated_by,omitempty"`
	// Hints are the near misses found on a failing commit, so the report can
	// pick its advice without parsing Detail.
	Hints []Hint `json:"hints,omitempty"`
}

// Hint names a near miss or a circumstance that changes the advice. The
// strings are stable codes, part of the public JSON verdict.
type Hint string

// Hints, in the order the report should mention them.
const (
	HintSplitIdentity  Hint = "split_identity"    // author's name with the committer's email, or the reverse
	HintNameSpacing    Hint = "name_spacing"      // the names differ only in white space
	HintSubaddress     Hint = "email_subaddress"  // the emails differ only by a +tag
	HintNameMismatch   Hint = "name_mismatch"     // the email matches, the name does not
	HintEmailMismatch  Hint = "email_mismatch"    // the name matches, the email does not
	HintMalformed      Hint = "malformed_signoff" // a Signed-off-by line without a usable "Name <email>"
	HintMisspelledKey  Hint = "misspelled_key"    // "Signed-of-by:", "Signoff:", "Signed-off-by :", no colon
	HintIndented       Hint = "indented_signoff"  // an indented or ">"-quoted Signed-off-by line
	HintRemediation    Hint = "remediation_rejected"
	HintWebCommit      Hint = "web_commit"           // committed in GitHub's web interface
	HintQueueSquashMsg Hint = "queue_squash_message" // the merge queue dropped the trailers
)

// Result is the DCO check's verdict on a pull request.
type Result struct {
	// Commits holds one entry per commit, in the snapshot's order.
	Commits []CommitResult
	// Incomplete is set when the snapshot says the PR has more commits than
	// were read (Seen < Total); the check then fails closed.
	Incomplete  bool
	Seen, Total int
	// Detail is one human sentence about the result as a whole; set when the
	// list is incomplete.
	Detail string
	// Fix is the advice for the failing commits (zero when nothing fails).
	Fix Fix
}

// Failed lists the failing commits.
func (r Result) Failed() []CommitResult {
	var out []CommitResult
	for _, c := range r.Commits {
		if c.Outcome == Fail {
			out = append(out, c)
		}
	}
	return out
}

// Passed reports whether the check passes: a complete list with no failures.
func (r Result) Passed() bool { return !r.Incomplete && len(r.Failed()) == 0 }

// FixMethod is how the contributor should repair their sign-offs.
type FixMethod string

// Fix methods.
const (
	FixNone   FixMethod = ""       // nothing fails
	FixAmend  FixMethod = "amend"  // only the head commit fails: git commit --amend --signoff
	FixRebase FixMethod = "rebase" // older commits fail: git rebase --signoff <base>
)

// Fix is the repair advice for a failing PR.
type Fix struct {
	Method FixMethod
	// RebaseOnto is the commit to pass to `git rebase --signoff`: the parent,
	// outside the PR, of the PR's first commit (not HEAD~N, which miscounts
	// when the PR contains merges).
	RebaseOnto string
	// HasMerges reports that the PR contains merge commits, which a plain
	// rebase would flatten.
	HasMerges bool
	// Remediation holds ready-to-paste remediation commit texts, one per
	// failing author identity, when remediation commits are allowed.
	Remediation []Remediation
	// WebCommits reports that some failing commit was made in GitHub's web
	// UI, so the advice should mention the web sign-off setting.
	WebCommits bool
	// NameOnlyMismatch / EmailOnlyMismatch report near misses worth a hint:
	// the sign-off's email matched but the name did not, or the reverse.
	NameOnlyMismatch  bool
	EmailOnlyMismatch bool
	// Hints is the union of the failing commits' hints, in Hint order.
	Hints []Hint
}

// Remediation is the text of a remediation commit for one identity.
type Remediation struct {
	For     Person   // the identity the lines declare
	SHAs    []string // the failing commits it covers
	Message string   // the full commit message to use, with its own Signed-off-by
}
