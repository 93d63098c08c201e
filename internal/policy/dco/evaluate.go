// Package dco is the DCO rule engine: a pure function from a configuration
// and a snapshot of a pull request to a verdict on each of its commits, with
// the advice to fix the failing ones. It does no I/O.
//
// One rule per file: signoff.go (does a sign-off match), identity.go (what
// "the same identity" means), exemption.go (merges, bots, members), queue.go
// (merge-queue commits), remediation.go (remediation commits), fix.go (how to
// repair), detail.go (the sentences). The spec is
// ../shared/research/dco.md §10.
package dco

import (
	"strconv"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
	"github.com/contribution-policy/contribution-policy/internal/trailer"
)

// Evaluate judges every commit of the snapshot. cfg.Enabled is the caller's
// business: Evaluate always judges. A snapshot without commits gives the zero
// Result (the caller reports neutral); a commit list shorter than
// s.CommitCount gives an Incomplete result, which never passes.
func Evaluate(cfg config.DCO, s *snapshot.Snapshot) Result {
	if s == nil {
		return Result{}
	}
	e := newEvaluation(cfg, s)
	e.judge()
	e.remediate()
	e.exempt()
	return e.result()
}

// MembershipQueries lists the author logins whose organisation membership
// can change the verdict, so the snapshot builder asks GitHub about those and
// no others: only with require.members false on an organisation-owned
// repository, and only for non-bot authors of verified commits that fail
// without the exemption (no matching sign-off, not remediated). Logins are
// distinct (ignoring case), in commit order.
func MembershipQueries(cfg config.DCO, s *snapshot.Snapshot) []string {
	if s == nil || cfg.Require.Members || s.Repository.OwnerType != "Organization" {
		return nil
	}
	e := newEvaluation(cfg, s)
	e.judge()
	e.remediate()
	var out []string
	seen := make(map[string]bool)
	for i := range e.st {
		st := &e.st[i]
		a := st.c.Author
		if st.res.Outcome != Fail || !st.c.Verified || a.Login == "" || a.IsBot() {
			continue
		}
		if k := strings.ToLower(a.Login); !seen[k] {
			seen[k] = true
			out = append(out, a.Login)
		}
	}
	return out
}

// evaluation is the working state of one Evaluate call.
type evaluation struct {
	cfg      config.DCO
	s        *snapshot.Snapshot
	m        matcher
	st       []state
	bySHA    map[string]int   // lower-case full SHA → index
	byPrefix map[string][]int // 7-hex prefix → indexes, built on first use
}

// state is one commit being judged.
type state struct {
	c                 *snapshot.Commit
	sha               string // lower case
	author, committer ident
	exp               []expect
	scan              trailer.Scan
	res               CommitResult
	// remediable: failing for want of a sign-off, so a remediation line can
	// fix it (not a merge-queue commit, not already passing or skipped).
	remediable bool
	// good: passes by a sign-off or a remediation, so it may vouch for
	// other commits in its own remediation lines.
	good       bool
	matched    role        // which identity the accepted sign-off matched
	signedBy   Person      // the accepted sign-off
	remedy     Declaration // the accepted remediation line
	rejections []string    // why remediation lines aimed here did not count
	hints      []Hint
}

func newEvaluation(cfg config.DCO, s *snapshot.Snapshot) *evaluation {
	e := &evaluation{cfg: cfg, s: s, m: newMatcher(cfg), st: make([]state, len(s.Commits))}
	e.bySHA = make(map[string]int, len(s.Commits))
	for i := range s.Commits {
		c := &s.Commits[i]
		st := &e.st[i]
		st.c = c
		st.sha = strings.ToLower(c.SHA)
		st.res = CommitResult{SHA: c.SHA, Subject: c.Subject(), Author: c.Author, Committer: c.Committer}
		if _, dup := e.bySHA[st.sha]; !dup {
			e.bySHA[st.sha] = i
		}
	}
	return e
}

// judge gives every commit its own verdict, before remediation and the
// member exemption, which need the verdicts of other commits or the
// membership list.
func (e *evaluation) judge() {
	for i := range e.st {
		st := &e.st[i]
		if skipMerge(st) {
			continue
		}
		st.author, st.committer = identOf(st.c.Author), identOf(st.c.Committer)
		st.exp = expected(st.author, st.committer)
		for _, x := range st.exp {
			st.res.Expected = append(st.res.Expected, x.id.p)
		}
		st.scan = trailer.ScanSignOffs(st.c.Message)
		for _, so := range st.scan.SignOffs {
			st.res.SignOffs = append(st.res.SignOffs, Person{Name: so.Name, Email: so.Email})
		}
		switch {
		case e.skipBot(st):
		case e.queueCommit(st):
		default:
			e.signedOff(st)
		}
	}
}

// result finishes the verdicts (sentences, hints) and builds the Result.
func (e *evaluation) result() Result {
	var r Result
	n := len(e.st)
	total := max(e.s.CommitCount, n)
	if total == 0 {
		return r
	}
	r.Seen, r.Total = n, total
	if total > n {
		r.Incomplete = true
		r.Detail = "GitHub reports " + strconv.Itoa(total) + " commits in this pull request but only " +
			strconv.Itoa(n) + " could be read; the check fails rather than pass on a partial list."
	}
	r.Commits = make([]CommitResult, n)
	for i := range e.st {
		st := &e.st[i]
		if st.res.Detail == "" {
			e.describe(st)
		}
		r.Commits[i] = st.res
	}
	r.Fix = e.fix()
	return r
}
