package dco

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/contribution-policy/contribution-policy/internal/snapshot"
	"github.com/contribution-policy/contribution-policy/internal/trailer"
)

func TestParseRemediations(t *testing.T) {
	full := sha(1)
	annP := trailer.Person{Name: "Ann Lee", Email: "ann@x.org"}
	bobP := trailer.Person{Name: "Bob Roe", Email: "bob@y.org"}
	tests := []struct {
		name string
		msg  string
		want []Declaration
	}{
		{"individual", remedy(ann, full), []Declaration{{Line: 1, Signer: annP, SHA: full}}},
		{"third party", onBehalf(ann, bob, full), []Declaration{{Line: 1, Signer: bobP, OnBehalfOf: annP, ThirdParty: true, SHA: full}}},
		{"in a message with a header and a sign-off", msg("DCO Remediation Commit for Ann Lee <ann@x.org>", remedy(ann, full), "", so(ann)),
			[]Declaration{{Line: 3, Signer: annP, SHA: full}}},
		{"CRLF", "x\r\n\r\n" + remedy(ann, full) + "\r\n", []Declaration{{Line: 3, Signer: annP, SHA: full}}},
		{"trailing spaces and tab", remedy(ann, full) + "  \t", []Declaration{{Line: 1, Signer: annP, SHA: full}}},
		{"phrase case ignored", strings.ToUpper(remedy(ann, full)[:2]) + strings.ToUpper(" Ann Lee <ann@x.org>, HEREBY ADD MY SIGNED-OFF-BY TO THIS COMMIT: ") + strings.ToUpper(full),
			[]Declaration{{Line: 1, Signer: trailer.Person{Name: "ANN LEE", Email: "ANN@X.ORG"}, SHA: full}}},
		{"runs of blanks between words", "I,  Ann Lee <ann@x.org> ,  hereby\tadd my  Signed-off-by to this commit:   " + full,
			[]Declaration{{Line: 1, Signer: annP, SHA: full}}},
		{"short SHA returned for the hint", remedy(ann, full[:7]), []Declaration{{Line: 1, Signer: annP, SHA: full[:7]}}},
		{"six hex digits is too short to matter", remedy(ann, full[:6]), nil},
		{"41 hex digits", remedy(ann, full+"a"), nil},
		{"not hex", remedy(ann, strings.Repeat("g", 40)), nil},
		{"indented", "  " + remedy(ann, full), nil},
		{"no email", "I, Ann Lee, hereby add my Signed-off-by to this commit: " + full, nil},
		{"no space before hereby", "I, Ann Lee <ann@x.org>,hereby add my Signed-off-by to this commit: " + full, nil},
		{"other words", "I, Ann Lee <ann@x.org>, hereby add my Acked-by to this commit: " + full, nil},
		{"missing colon", "I, Ann Lee <ann@x.org>, hereby add my Signed-off-by to this commit " + full, nil},
		{"on behalf without I", "On behalf of Ann Lee <ann@x.org>, Bob Roe <bob@y.org>, hereby add my Signed-off-by to this commit: " + full, nil},
		{"prose", "I, for one, welcome this.\nOn behalf of the team: thanks", nil},
		{"several lines", msg("x", remedy(ann, sha(1)), remedy(ann, sha(2))),
			[]Declaration{{Line: 3, Signer: annP, SHA: sha(1)}, {Line: 4, Signer: annP, SHA: sha(2)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ParseRemediations(tt.msg)); diff != "" {
				t.Errorf("ParseRemediations(%q) (-want +got):\n%s", tt.msg, diff)
			}
		})
	}
}

func TestRemediation(t *testing.T) {
	ind := cfgWith(individualRem)
	both := cfgWith(bothRemediation)
	maintainer := snapshot.Identity{Name: "Mae Tainer", Email: "mae@acme.org", Login: "mae"}
	signedRemedy := func(id snapshot.Identity, lines ...string) snapshot.Commit {
		return commit(id, id, msg("DCO Remediation Commit for "+id.Name, append(lines, "", so(id))...))
	}
	runRules(t, []ruleCase{
		{"individual", ind, pr(commit(ann, ann, "Fix"), signedRemedy(ann, remedy(ann, sha(1)))),
			[]verdict{remediatedBy(2), pass()}, ""},
		{"individual, CRLF", ind, pr(commit(ann, ann, "Fix"), commit(ann, ann, "Remedy\r\n\r\n"+remedy(ann, sha(1))+"\r\n\r\n"+so(ann)+"\r\n")),
			[]verdict{remediatedBy(2), pass()}, "dco2 captures the CR into the SHA and fails"},
		{"individual, trailing spaces", ind, pr(commit(ann, ann, "Fix"), signedRemedy(ann, remedy(ann, sha(1))+"   ")),
			[]verdict{remediatedBy(2), pass()}, "both anchors capture the spaces into the SHA and fail"},
		{"individual, phrase in other case", ind, pr(commit(ann, ann, "Fix"), signedRemedy(ann, strings.Replace(remedy(ann, sha(1)), "hereby add my Signed-off-by", "Hereby Add My signed-off-by", 1))),
			[]verdict{remediatedBy(2), pass()}, ""},
		{"individual, upper-case SHA", ind, pr(commit(ann, ann, "Fix"), signedRemedy(ann, remedy(ann, strings.ToUpper(sha(1))))),
			[]verdict{remediatedBy(2), pass()}, ""},
		{"short SHA rejected", ind, pr(commit(ann, ann, "Fix"), signedRemedy(ann, remedy(ann, sha(1)[:12]))),
			[]verdict{fail(ReasonMissing, HintRemediation), pass()}, "the anchors require the full SHA; we explain why"},
		{"remediation before the commit it fixes", ind, pr(signedRemedy(ann, remedy(ann, sha(2))), commit(ann, ann, "Fix")),
			[]verdict{pass(), remediatedBy(1)}, "any order in the PR"},
		{"remediation of several commits in one", ind, pr(commit(ann, ann, "a"), commit(ann, ann, "b"), signedRemedy(ann, remedy(ann, sha(1)), remedy(ann, sha(2)))),
			[]verdict{remediatedBy(3), remediatedBy(3), pass()}, ""},
		{"chain: an unsigned remediation remediated in turn", ind, pr(
			commit(ann, ann, "Fix"),
			commit(ann, ann, msg("Remedy", remedy(ann, sha(1)))),
			signedRemedy(ann, remedy(ann, sha(2))),
		), []verdict{remediatedBy(2), remediatedBy(3), pass()}, "dcoapp and dco2 allow chains"},
		{"remediation commit not signed off itself", ind, pr(commit(ann, ann, "Fix"), commit(ann, ann, msg("Remedy", remedy(ann, sha(1))))),
			[]verdict{fail(ReasonMissing, HintRemediation), fail(ReasonMissing)}, "it must itself pass"},
		{"cycle of unsigned remediations", ind, pr(commit(ann, ann, msg("a", remedy(ann, sha(2)))), commit(ann, ann, msg("b", remedy(ann, sha(1))))),
			[]verdict{fail(ReasonMissing, HintRemediation), fail(ReasonMissing, HintRemediation)}, "no bootstrapping from nothing"},
		{"declared identity is not the failing commit's", ind, pr(commit(ann, ann, "Fix"), signedRemedy(bob, remedy(bob, sha(1)))),
			[]verdict{fail(ReasonMissing, HintRemediation), pass()}, "use third party for someone else"},
		{"declared identity is not the remediation commit's", ind, pr(commit(ann, ann, "Fix"), signedRemedy(bob, remedy(ann, sha(1)))),
			[]verdict{fail(ReasonMissing, HintRemediation), pass()}, "you can only sign off for yourself"},
		{"by the failing commit's committer (dco2)", ind, pr(commit(ann, maintainer, "Fix"), signedRemedy(maintainer, remedy(maintainer, sha(1)))),
			[]verdict{remediatedBy(2), pass()}, "dcoapp requires the author; dco2 and we accept the committer too"},
		{"declared by the remediation commit's committer", ind,
			pr(commit(ann, ann, "Fix"), commit(bob, ann, msg("Remedy", remedy(ann, sha(1)), "", so(ann)))),
			[]verdict{remediatedBy(2), pass()}, "dco2 semantics"},
		{"remediation clears a mismatched sign-off", ind, pr(commit(ann, ann, msg("Fix", "Signed-off-by: ann <ann@old.org>")), signedRemedy(ann, remedy(ann, sha(1)))),
			[]verdict{remediatedBy(2), pass()}, ""},
		{"remediation not enabled", cfgWith(), pr(commit(ann, ann, "Fix"), signedRemedy(ann, remedy(ann, sha(1)))),
			[]verdict{fail(ReasonMissing, HintRemediation), pass()}, "default off, as in both apps"},
		{"remediation lines in a merge commit are ignored", ind, pr(commit(ann, ann, "Fix"), merge(commit(ann, ann, msg("Merge", remedy(ann, sha(1)), so(ann))))),
			[]verdict{fail(ReasonMissing), skip(ReasonMerge)}, ""},
		{"a passing commit needs no remediation", ind, pr(commit(ann, ann, msg("Fix", so(ann))), signedRemedy(ann, remedy(ann, sha(1)))),
			[]verdict{pass(), pass()}, ""},
		{"remediation for a commit outside the PR is ignored", ind, pr(signedRemedy(ann, remedy(ann, sha(99)))), []verdict{pass()}, ""},
		{"third party", both, pr(commit(ann, ann, "Fix"), signedRemedy(maintainer, onBehalf(ann, maintainer, sha(1)))),
			[]verdict{remediatedBy(2), pass()}, "an employer signs off for an employee"},
		{"third party, CRLF and trailing space", both, pr(commit(ann, ann, "Fix"), commit(maintainer, maintainer, "R\r\n\r\n"+onBehalf(ann, maintainer, sha(1))+" \r\n\r\n"+so(maintainer))),
			[]verdict{remediatedBy(2), pass()}, ""},
		{"third party ignored unless individual is on", cfgWith(thirdPartyRem), pr(commit(ann, ann, "Fix"), signedRemedy(maintainer, onBehalf(ann, maintainer, sha(1)))),
			[]verdict{fail(ReasonMissing, HintRemediation), pass()}, "both apps ignore thirdParty without individual"},
		{"third party not enabled", ind, pr(commit(ann, ann, "Fix"), signedRemedy(maintainer, onBehalf(ann, maintainer, sha(1)))),
			[]verdict{fail(ReasonMissing, HintRemediation), pass()}, ""},
		{"third party on behalf of the wrong person", both, pr(commit(ann, ann, "Fix"), signedRemedy(maintainer, onBehalf(bob, maintainer, sha(1)))),
			[]verdict{fail(ReasonMissing, HintRemediation), pass()}, ""},
		{"third party representative is not the remediation commit's identity", both, pr(commit(ann, ann, "Fix"), signedRemedy(bob, onBehalf(ann, maintainer, sha(1)))),
			[]verdict{fail(ReasonMissing, HintRemediation), pass()}, ""},
		{"third party on behalf of the failing commit's committer", both, pr(commit(unknown, ann, "Fix"), signedRemedy(maintainer, onBehalf(ann, maintainer, sha(1)))),
			[]verdict{remediatedBy(2), pass()}, "dco2: author or committer"},
		{"email-only mode applies to remediation identities", cfgWith(individualRem, emailOnly),
			pr(commit(ann, ann, "Fix"), signedRemedy(ann, "I, A. Lee <ann@x.org>, hereby add my Signed-off-by to this commit: "+sha(1))),
			[]verdict{remediatedBy(2), pass()}, "one identity rule everywhere"},
		{"remediation does not help a merge-queue commit", ind, with(pr(commit(ann, webflow, "Squash"), signedRemedy(ann, remedy(ann, sha(1)))), func(s *snapshot.Snapshot) { s.Event = "merge_group" }),
			[]verdict{fail(ReasonQueueNoTrailer, HintQueueSquashMsg), pass()}, "the fix is a repository setting"},
	})
}

// FuzzRemediation checks the remediation line parser never panics, returns
// only well-formed declarations, and that a formatted declaration parses
// back to itself.
func FuzzRemediation(f *testing.F) {
	for _, s := range []string{
		remedy(ann, sha(1)),
		onBehalf(ann, bob, sha(2)) + " \r\n",
		"I, A <a@b>, hereby add my Signed-off-by to this commit: abcdef1",
		"On behalf of A <a@b> , i,  B <b@c>,  HEREBY add my signed-off-by to this commit:\t" + sha(3),
		"I,\xff<\xff@\xff>, hereby add my Signed-off-by to this commit: " + sha(4),
		"On behalf of >, I, >, I, <a@b>, hereby add my Signed-off-by to this commit: " + sha(5),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, m string) {
		for _, d := range ParseRemediations(m) {
			if len(d.SHA) < 7 || len(d.SHA) > 40 || !isHex(d.SHA) || d.SHA != strings.ToLower(d.SHA) {
				t.Fatalf("bad SHA %q", d.SHA)
			}
			if d.Signer.Name == "" || !trailer.PlausibleEmail(d.Signer.Email) {
				t.Fatalf("bad signer %+v", d.Signer)
			}
			if d.ThirdParty != (d.OnBehalfOf.Email != "") {
				t.Fatalf("third party %v with OnBehalfOf %+v", d.ThirdParty, d.OnBehalfOf)
			}
			var line string
			if d.ThirdParty {
				line = "On behalf of " + d.OnBehalfOf.String() + ", I, " + d.Signer.String() + ", hereby add my Signed-off-by to this commit: " + d.SHA
			} else {
				line = "I, " + d.Signer.String() + ", hereby add my Signed-off-by to this commit: " + d.SHA
			}
			again := ParseRemediations(line)
			d.Line = 1
			if len(again) != 1 || again[0] != d {
				t.Fatalf("round trip of %+v gave %+v", d, again)
			}
		}
	})
}
