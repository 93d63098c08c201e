package affiliation

import (
	"testing"
	"time"
)

// Every pitfall of affiliation.md §2–3, one named case each.
func TestFirstTimer(t *testing.T) {
	k := Known
	tests := []struct {
		name              string
		a                 AuthorFacts
		firstPR, firstCon bool
	}{
		{"genuine first-timer shown as NONE (envoy#13937, homebrew-core#133360)",
			AuthorFacts{Login: "new", Type: "User", Association: "NONE", PriorPRs: k(0), PriorMergedPRs: k(0), PriorCommits: k(0)}, true, true},
		{"NONE and no search result: cannot tell, no guidance",
			AuthorFacts{Login: "new", Type: "User", Association: "NONE"}, false, false},
		{"Actions REST says NONE where GraphQL says FIRST_TIME_CONTRIBUTOR (screenpipe#6466): the search decides",
			AuthorFacts{Login: "new", Type: "User", Association: "NONE", PriorPRs: k(0)}, true, false},
		{"FIRST_TIME_CONTRIBUTOR fast path",
			AuthorFacts{Login: "new", Type: "User", Association: "FIRST_TIME_CONTRIBUTOR"}, true, true},
		{"FIRST_TIMER (new to GitHub) is a first-timer too",
			AuthorFacts{Login: "new", Type: "User", Association: "FIRST_TIMER"}, true, true},
		{"FIRST_TIME_CONTRIBUTOR with an earlier PR closed unmerged: not a first PR, still a first contribution",
			AuthorFacts{Login: "again", Type: "User", Association: "FIRST_TIME_CONTRIBUTOR", PriorPRs: k(1), PriorMergedPRs: k(0), PriorCommits: k(0)}, false, true},
		{"private org member shown as CONTRIBUTOR, membership confirmed by the API",
			AuthorFacts{Login: "m", Type: "User", Association: "CONTRIBUTOR", Trusted: true, PriorPRs: k(0)}, false, false},
		{"private org member shown as CONTRIBUTOR, membership not visible: still not first-time",
			AuthorFacts{Login: "m", Type: "User", Association: "CONTRIBUTOR", PriorPRs: k(0)}, false, false},
		{"private org member shown as NONE, membership confirmed by the API",
			AuthorFacts{Login: "m", Type: "User", Association: "NONE", Trusted: true, PriorPRs: k(0), PriorMergedPRs: k(0), PriorCommits: k(0)}, false, true},
		{"MEMBER", AuthorFacts{Login: "m", Type: "User", Association: "MEMBER", PriorPRs: k(0)}, false, false},
		{"OWNER of a user repository", AuthorFacts{Login: "o", Type: "User", Association: "OWNER"}, false, false},
		{"COLLABORATOR (invite accepted)", AuthorFacts{Login: "c", Type: "User", Association: "COLLABORATOR", PriorPRs: k(0)}, false, false},
		{"write permission without an association", AuthorFacts{Login: "w", Type: "User", Association: "NONE", Trusted: true, PriorPRs: k(0)}, false, false},
		{"bot by account type", AuthorFacts{Login: "dependabot", Type: "Bot", Association: "NONE", PriorPRs: k(0)}, false, false},
		{"bot by [bot] login", AuthorFacts{Login: "renovate[bot]", Type: "User", Association: "FIRST_TIME_CONTRIBUTOR", PriorPRs: k(0)}, false, false},
		{"bot by the gitdm (Robots) list", AuthorFacts{Login: "CNCF-Bot", Type: "User", Association: "NONE", Robot: true, PriorPRs: k(0)}, false, false},
		{"mannequin (imported history)", AuthorFacts{Login: "ghost", Type: "Mannequin", Association: "MANNEQUIN", PriorPRs: k(0)}, false, false},
		{"earlier PRs but never an issue: not first (first-interaction#369)",
			AuthorFacts{Login: "r", Type: "User", Association: "NONE", PriorPRs: k(3)}, false, false},
		{"commits merged through someone else's PR: CONTRIBUTOR, not first-time",
			AuthorFacts{Login: "co", Type: "User", Association: "CONTRIBUTOR", PriorPRs: k(0), PriorMergedPRs: k(0), PriorCommits: k(2)}, false, false},
		{"a PR carrying others' commits: only the author's own history counts",
			AuthorFacts{Login: "new", Type: "User", Association: "NONE", PriorPRs: k(0), PriorMergedPRs: k(0), PriorCommits: k(0)}, true, true},
		{"a maintainer's PR carrying a newcomer's commits", AuthorFacts{Login: "maint", Type: "User", Association: "MEMBER"}, false, false},
		{"org scope: an earlier PR to another repository of the org",
			AuthorFacts{Login: "x", Type: "User", Association: "FIRST_TIME_CONTRIBUTOR", PriorPRs: k(1)}, false, true},
		{"lower-case association", AuthorFacts{Login: "x", Type: "User", Association: "first_time_contributor"}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FirstTimer(tt.a)
			if got.FirstPR != tt.firstPR || got.FirstContribution != tt.firstCon || got.Reason == "" {
				t.Errorf("got %+v, want FirstPR %v FirstContribution %v", got, tt.firstPR, tt.firstCon)
			}
		})
	}
}

func TestPriorPRs(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	cur := PRRef{Repo: "o/r", Number: 10, CreatedAt: t0}
	tests := []struct {
		name  string
		total int
		found []PRRef
		want  int
	}{
		{"nothing found (search lag: not even this PR yet)", 0, nil, 0},
		{"only this PR (Prow: exactly one result equal to this PR)", 1, []PRRef{cur}, 0},
		{"reopened PR finds itself", 1, []PRRef{{Repo: "o/r", Number: 10, CreatedAt: t0}}, 0},
		{"an earlier PR", 2, []PRRef{cur, {Repo: "o/r", Number: 3, CreatedAt: t0.Add(-time.Hour)}}, 1},
		{"a later PR of an author opening several at once does not count (lighthouse#1541)", 2,
			[]PRRef{{Repo: "o/r", Number: 11, CreatedAt: t0.Add(time.Minute)}, cur}, 0},
		{"org scope: another repository, earlier", 1, []PRRef{{Repo: "o/other", Number: 99, CreatedAt: t0.Add(-time.Hour)}}, 1},
		{"results beyond the first page are older", 120, []PRRef{cur}, 119},
		{"same creation time, lower number", 1, []PRRef{{Repo: "o/r", Number: 9, CreatedAt: t0}}, 1},
	}
	for _, tt := range tests {
		if got := PriorPRs(tt.total, tt.found, cur); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestFirstTimeCorporate(t *testing.T) {
	first := FirstTime{FirstPR: true}
	acme := Result{Kind: KindCompany, Company: Company{Name: "Acme", Key: "acme", Kind: KindCompany}}
	tests := []struct {
		name string
		ft   FirstTime
		r    Result
		want bool
	}{
		{"company, medium", first, with(acme, RankEmailDomain), true},
		{"company, high", first, with(acme, RankList), true},
		{"company, low (profile field)", first, with(acme, RankProfile), false},
		{"company, low (org membership)", first, with(acme, RankOrg), false},
		{"independent", first, Result{Kind: KindIndependent, Rank: RankList, Confidence: ConfidenceHigh}, false},
		{"unknown", first, Result{Kind: KindUnknown}, false},
		{"ambiguous", first, Result{Kind: KindAmbiguous, Rank: RankList}, false},
		{"opted out", first, Result{Kind: KindOptedOut, Rank: RankOverride, Confidence: ConfidenceAuthoritative}, false},
		{"not a first PR", FirstTime{FirstContribution: true}, with(acme, RankList), false},
	}
	for _, tt := range tests {
		if got := FirstTimeCorporate(tt.ft, tt.r); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
	if !FirstFromCompany(acme, []string{"other"}) || FirstFromCompany(acme, []string{"acme"}) {
		t.Error("FirstFromCompany")
	}
}

func with(r Result, rank Rank) Result {
	r.Rank, r.Confidence = rank, rank.Confidence()
	return r
}

func TestGuidanceWanted(t *testing.T) {
	tests := []struct {
		action string
		shown  bool
		want   bool
	}{
		{"opened", false, true},
		{"reopened", false, true},     // reopened, never posted: post
		{"reopened", true, true},      // reopened, posted before: keep the one there, no second
		{"synchronize", false, false}, // never first on a push
		{"synchronize", true, true},
		{"edited", false, false},
	}
	for _, tt := range tests {
		if got := GuidanceWanted(tt.action, tt.shown); got != tt.want {
			t.Errorf("%s shown=%v: %v", tt.action, tt.shown, got)
		}
	}
}
