package action

import (
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"github.com/contribution-policy/contribution-policy/internal/render"
)

const claConfigFile = `version: 1
cla:
  enabled: true
  agreements:
    - {id: icla, title: Hello CLA, url: "https://example.org/cla", version: 1}
`

func claStatusOf(f *ghfake.Fake) ghfake.Status {
	return f.LatestStatuses(fxOwner, fxRepo, fxHead)["contribution-policy/cla"]
}

// Issue 3, as GitHub runs the Action: pull_request_target fails with a
// comment; the author signs by commenting (issue_comment); the status turns
// green and the same comment is edited.
func TestSignByCommentAction(t *testing.T) {
	f := ghfake.New(t)
	seedFixtureRepo(t, f, signedMsg, map[string]string{".github/contribution-policy.yml": claConfigFile})
	res := run{t: t, fake: f, event: "pull_request_target", payload: payload(t, "pull_request/opened.payload.json")}.exec()
	if res.code != ExitFail || res.outputs["cla"] != "failure" || res.outputs["dco"] != "success" {
		t.Fatalf("exit %d outputs %v\n%s%s", res.code, res.outputs, res.stdout, res.stderr)
	}
	if st := claStatusOf(f); st.State != "failure" {
		t.Errorf("status %+v", st)
	}
	if !strings.Contains(res.summary, "### CLA") || !strings.Contains(res.summary, "MISSING_SIGNATURE") {
		t.Errorf("summary lacks the CLA rows:\n%s", res.summary)
	}
	cs := f.Comments(fxOwner, fxRepo, fxPR)
	if len(cs) != 1 || !strings.Contains(cs[0].Body, config.DefaultSignPhrase) {
		t.Fatalf("want one comment with the phrase, got %+v", cs)
	}
	first := cs[0].ID

	// A comment that mentions signing but is not the phrase signs nothing.
	res = run{t: t, fake: f, event: "issue_comment", payload: commentPayload(t, "How do I sign this?", "User")}.exec()
	if res.code != ExitFail || claStatusOf(f).State != "failure" {
		t.Fatalf("a question signed: exit %d %+v", res.code, claStatusOf(f))
	}

	res = run{t: t, fake: f, event: "issue_comment", payload: commentPayload(t, config.DefaultSignPhrase, "User")}.exec()
	if res.code != ExitPass || res.outputs["cla"] != "success" || res.outputs["result"] != "pass" {
		t.Fatalf("after signing: exit %d outputs %v\n%s%s", res.code, res.outputs, res.stdout, res.stderr)
	}
	if !strings.Contains(res.stdout, "::notice::recorded the signature of @Codertocat (icla v1") {
		t.Errorf("no notice of the signature:\n%s", res.stdout)
	}
	if st := claStatusOf(f); st.State != "success" {
		t.Errorf("status after signing %+v", st)
	}
	cs = f.Comments(fxOwner, fxRepo, fxPR)
	if len(cs) != 2 { // the bot's, edited, and the signing comment seeded by GitHub's event (not in the fake)
		var bots int
		for _, c := range cs {
			if strings.Contains(c.Body, render.Marker) {
				bots++
			}
		}
		if bots != 1 {
			t.Fatalf("comments %+v", cs)
		}
	}
	for _, c := range cs {
		if strings.Contains(c.Body, render.Marker) && (c.ID != first || !strings.Contains(c.Body, "All checks pass")) {
			t.Errorf("the policy comment must be edited in place: %+v", c)
		}
	}
	if content, ok := f.File(fxOwner, fxRepo, "cla-signatures", "signatures/icla/9b.jsonl"); !ok || !strings.Contains(content, `"comment_id":492700400`) {
		t.Errorf("signature file %q", content) // 21031067 % 256 = 0x9b
	}

	// A bot's comment never signs, and costs no API call.
	f.ResetCalls()
	res = run{t: t, fake: f, event: "issue_comment", payload: commentPayload(t, config.DefaultSignPhrase, "Bot")}.exec()
	if res.outputs["result"] != "skipped" || len(f.Calls()) != 0 {
		t.Errorf("bot comment: %v, %d calls", res.outputs, len(f.Calls()))
	}
}

// A protected signature branch: the Action fails with an error, never
// reports the contributor as signed.
func TestSignIntoProtectedBranch(t *testing.T) {
	f := ghfake.New(t)
	seedFixtureRepo(t, f, signedMsg, map[string]string{".github/contribution-policy.yml": claConfigFile})
	f.SetFile(fxOwner, fxRepo, "cla-signatures", "README.md", "x\n")
	f.SetBranchProtected(fxOwner, fxRepo, "cla-signatures", true)
	res := run{t: t, fake: f, event: "issue_comment", payload: commentPayload(t, config.DefaultSignPhrase, "User")}.exec()
	if res.code != ExitError || res.outputs["cla"] != "error" {
		t.Fatalf("exit %d outputs %v\n%s", res.code, res.outputs, res.stdout)
	}
	if !strings.Contains(res.stdout, "could not be recorded") || !strings.Contains(res.stdout, "refused the write") {
		t.Errorf("stdout:\n%s", res.stdout)
	}
	if st := claStatusOf(f); st.State != "error" {
		t.Errorf("status %+v", st)
	}
}

// Signatures in another repository need their own token.
func TestSignaturesInAnotherRepository(t *testing.T) {
	cfg := claConfigFile + "  store: {repo: Codertocat/cla-signatures}\n"
	f := ghfake.New(t)
	seedFixtureRepo(t, f, signedMsg, map[string]string{".github/contribution-policy.yml": cfg})
	f.AddRepo(ghfake.Repo{Owner: fxOwner, Name: "cla-signatures", OwnerType: "User"})
	f.SetFile(fxOwner, "cla-signatures", "main", "README.md", "signatures\n")
	res := run{t: t, fake: f, event: "issue_comment", payload: commentPayload(t, config.DefaultSignPhrase, "User")}.exec()
	if res.outputs["cla"] != "error" || !strings.Contains(res.stdout, "cla-token") {
		t.Fatalf("without cla-token: outputs %v\n%s", res.outputs, res.stdout)
	}
	f.AddToken("ghs_cla", ghfake.TokenSpec{Login: "cla-bot[bot]", Type: "Bot", Repos: []string{fxOwner + "/cla-signatures"}})
	res = run{t: t, fake: f, event: "issue_comment", payload: commentPayload(t, config.DefaultSignPhrase, "User"),
		inputs: map[string]string{"cla-token": "ghs_cla"}}.exec()
	if res.code != ExitPass || res.outputs["cla"] != "success" {
		t.Fatalf("with cla-token: exit %d outputs %v\n%s%s", res.code, res.outputs, res.stdout, res.stderr)
	}
	if _, ok := f.File(fxOwner, "cla-signatures", "cla-signatures", "signatures/icla/9b.jsonl"); !ok {
		t.Error("the signature is not in the other repository")
	}
	if strings.Contains(res.stdout+res.stderr, "ghs_cla") && !strings.Contains(res.stdout, "::add-mask::ghs_cla") {
		t.Error("the cla-token was printed")
	}
}

func TestMayConcernCLA(t *testing.T) {
	for body, want := range map[string]bool{
		config.DefaultSignPhrase:        true,
		"I sign":                        true,
		"/cla ack ccla-acme":            true,
		"looks good":                    false,
		"> " + config.DefaultSignPhrase: false,
		"```\nsign\n```":                false,
	} {
		if got := mayConcernCLA(body); got != want {
			t.Errorf("mayConcernCLA(%q) = %v", body, got)
		}
	}
}
