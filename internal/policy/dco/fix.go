package dco

import "strings"

// fix builds the repair advice for the failing commits.
//
//   - Amend when the only failing commit is the head of the branch:
//     `git commit --amend --signoff`.
//   - Otherwise rebase with --signoff onto the commit the branch starts from
//     (the first parent of the first commit of the pull request), not
//     HEAD~N: N miscounts when the branch contains merges (dcoapp's advice
//     counts them too), and HasMerges warns that a rebase flattens them.
//   - When remediation commits are allowed, the ready-to-paste remediation
//     message per failing author.
//
// Merge-queue commits without a trailer are not the contributor's to fix;
// they only add HintQueueSquashMsg.
func (e *evaluation) fix() Fix {
	var f Fix
	var failing []*state
	var hints []Hint
	for i := range e.st {
		st := &e.st[i]
		if st.res.Outcome != Fail {
			continue
		}
		hints = append(hints, st.res.Hints...)
		if st.res.Reason == ReasonQueueNoTrailer {
			continue
		}
		failing = append(failing, st)
		if isWebFlow(st.c.Committer) {
			f.WebCommits = true
		}
	}
	f.Hints = sortHints(hints)
	for _, h := range f.Hints {
		switch h {
		case HintNameMismatch, HintNameSpacing:
			f.NameOnlyMismatch = true
		case HintEmailMismatch, HintSubaddress:
			f.EmailOnlyMismatch = true
		}
	}
	if len(failing) == 0 {
		return f
	}
	head := e.s.PullRequest.HeadSHA
	if head == "" {
		head = e.st[len(e.st)-1].c.SHA
	}
	for i := range e.st {
		if e.st[i].c.IsMerge() {
			f.HasMerges = true
		}
	}
	if len(failing) == 1 && strings.EqualFold(failing[0].c.SHA, head) {
		f.Method = FixAmend
	} else {
		f.Method = FixRebase
		if first := e.st[0].c; len(first.Parents) > 0 {
			f.RebaseOnto = first.Parents[0]
		}
	}
	if e.cfg.AllowRemediationCommits.Individual {
		f.Remediation = remediations(failing)
	}
	return f
}

// remediations groups the failing commits by author identity (as the
// identity rule compares them) and writes one remediation commit message per
// author, in order of first appearance:
//
//	DCO Remediation Commit for Name <email>
//
//	I, Name <email>, hereby add my Signed-off-by to this commit: <sha>
//	...
//
//	Signed-off-by: Name <email>
func remediations(failing []*state) []Remediation {
	var out []Remediation
	index := make(map[string]int)
	for _, st := range failing {
		k := foldKey(st.author.name) + "\x00" + foldKey(st.author.email)
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, Remediation{For: st.author.p})
		}
		out[i].SHAs = append(out[i].SHAs, st.c.SHA)
	}
	for i := range out {
		r := &out[i]
		who := r.For.String()
		var b strings.Builder
		b.WriteString("DCO Remediation Commit for " + who + "\n\n")
		for _, sha := range r.SHAs {
			b.WriteString("I, " + who + ", hereby add my Signed-off-by to this commit: " + sha + "\n")
		}
		b.WriteString("\nSigned-off-by: " + who)
		r.Message = b.String()
	}
	return out
}
