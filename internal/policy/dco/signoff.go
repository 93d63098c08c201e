package dco

// signedOff applies the sign-off rule to one commit: it passes when some
// well-formed Signed-off-by names its author or its committer (`git commit
// -s` and `git rebase --signoff` add the committer's identity, so the
// committer must count). Otherwise it fails, and says why in the words the
// report needs: missing, malformed, or present but naming someone else.
func (e *evaluation) signedOff(st *state) {
	for _, so := range st.scan.SignOffs {
		id := identOfPerson(so.Person)
		for _, x := range st.exp {
			if e.m.match(id, x.id) {
				st.res.Outcome, st.res.Reason = Pass, ReasonSignedOff
				st.good, st.matched, st.signedBy = true, x.role, id.p
				return
			}
		}
	}
	st.res.Outcome, st.remediable = Fail, true
	switch {
	case len(st.scan.SignOffs) > 0:
		st.res.Reason = ReasonMismatch
	case len(st.scan.Malformed) > 0:
		st.res.Reason = ReasonMalformed
	default:
		st.res.Reason = ReasonMissing
	}
}
