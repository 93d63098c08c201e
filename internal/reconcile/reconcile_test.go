package reconcile

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var id = Identity{BotLogin: "github-actions[bot]", Marker: "<!-- m -->", DuplicateMarker: "<!-- dup -->"}

func TestPlan(t *testing.T) {
	pass := Status{Context: "contribution-policy/dco", State: "success", Description: "DCO: all 3 commits signed off"}
	fail := Status{Context: "contribution-policy/dco", State: "failure", Description: "DCO: 1 of 3 commits are not signed off"}
	body := "<!-- m -->\nfix it"
	tests := []struct {
		name string
		cur  Current
		want Desired
		ops  []Op
	}{
		{
			name: "first run on a passing PR writes only the status",
			want: Desired{Statuses: []Status{pass}, Comment: "<!-- m -->\nok"},
			ops:  []Op{{Kind: SetStatus, Status: pass}},
		},
		{
			name: "unchanged state writes nothing",
			cur: Current{
				Statuses: map[string]Status{"contribution-policy/dco": pass},
				Labels:   []string{"dco-signoff: yes", "bug"},
				Comments: []Comment{{ID: 5, Author: "github-actions[bot]", Body: body}},
			},
			want: Desired{Statuses: []Status{pass}, ManagedLabels: []string{"dco-signoff: yes", "dco-signoff: no"},
				WantLabels: []string{"dco-signoff: yes"}, Comment: body, CommentNeeded: true},
		},
		{
			name: "status contexts compare case-insensitively",
			cur:  Current{Statuses: map[string]Status{"contribution-policy/dco": {Context: "Contribution-Policy/DCO", State: "success", Description: pass.Description}}},
			want: Desired{Statuses: []Status{pass}},
		},
		{
			name: "only the target URL differs (a new run): nothing is written",
			cur:  Current{Statuses: map[string]Status{"contribution-policy/dco": {Context: pass.Context, State: "success", Description: pass.Description, TargetURL: "run/1"}}},
			want: Desired{Statuses: []Status{{Context: pass.Context, State: "success", Description: pass.Description, TargetURL: "run/2"}}},
		},
		{
			name: "a changed description is rewritten",
			cur:  Current{Statuses: map[string]Status{"contribution-policy/dco": {Context: pass.Context, State: "success", Description: "old"}}},
			want: Desired{Statuses: []Status{pass}},
			ops:  []Op{{Kind: SetStatus, Status: pass}},
		},
		{
			name: "failing PR: status and a new comment",
			want: Desired{Statuses: []Status{fail}, Comment: body, CommentNeeded: true},
			ops:  []Op{{Kind: SetStatus, Status: fail}, {Kind: CreateComment, Body: body}},
		},
		{
			name: "nothing to say and no comment: none is created",
			want: Desired{Comment: "<!-- m -->\nok", CommentNeeded: false},
		},
		{
			name: "nothing to say but an old comment: it is edited to the all-clear",
			cur:  Current{Comments: []Comment{{ID: 9, Author: "github-actions[bot]", Body: body}}},
			want: Desired{Comment: "<!-- m -->\nok"},
			ops:  []Op{{Kind: EditComment, CommentID: 9, Body: "<!-- m -->\nok"}},
		},
		{
			name: "duplicates converge on the oldest; the rest are retired",
			cur: Current{Comments: []Comment{
				{ID: 12, Author: "github-actions[bot]", Body: body},
				{ID: 10, Author: "github-actions[bot]", Body: "<!-- m -->\nstale", URL: "u10"},
				{ID: 11, Author: "github-actions[bot]", Body: body},
			}},
			want: Desired{Comment: body, CommentNeeded: true},
			ops: []Op{
				{Kind: EditComment, CommentID: 10, Body: body},
				{Kind: EditComment, CommentID: 11, Body: "<!-- dup -->\nThis comment duplicated the policy comment [above](u10) and is no longer updated.\n"},
				{Kind: EditComment, CommentID: 12, Body: "<!-- dup -->\nThis comment duplicated the policy comment [above](u10) and is no longer updated.\n"},
			},
		},
		{
			name: "someone else's comment with the marker is never touched",
			cur:  Current{Comments: []Comment{{ID: 3, Author: "mallory", Body: "<!-- m --> gotcha"}}},
			want: Desired{Comment: body, CommentNeeded: true},
			ops:  []Op{{Kind: CreateComment, Body: body}},
		},
		{
			name: "retired duplicates are ignored afterwards",
			cur: Current{Comments: []Comment{
				{ID: 10, Author: "github-actions[bot]", Body: body},
				{ID: 11, Author: "github-actions[bot]", Body: "<!-- dup -->\nretired"},
			}},
			want: Desired{Comment: body, CommentNeeded: true},
		},
		{
			name: "comment disabled: never created or edited",
			cur:  Current{Comments: []Comment{{ID: 9, Author: "github-actions[bot]", Body: "<!-- m -->\nold"}}},
			want: Desired{Comment: body, CommentNeeded: true, CommentOff: true},
		},
		{
			name: "labels flip: add the wanted one, remove the managed other, keep unmanaged",
			cur:  Current{Labels: []string{"bug", "DCO-Signoff: Yes"}},
			want: Desired{ManagedLabels: []string{"dco-signoff: yes", "dco-signoff: no"}, WantLabels: []string{"dco-signoff: no"}},
			ops:  []Op{{Kind: AddLabels, Labels: []string{"dco-signoff: no"}}, {Kind: RemoveLabel, Label: Label{Name: "DCO-Signoff: Yes"}}},
		},
		{
			name: "a missing repository label is created with its colour first",
			cur:  Current{MissingRepoLabels: []string{"dco-signoff: no"}},
			want: Desired{ManagedLabels: []string{"dco-signoff: no"}, WantLabels: []string{"dco-signoff: no"},
				LabelSpecs: map[string]Label{"dco-signoff: no": {Name: "dco-signoff: no", Color: "e11d21"}}},
			ops: []Op{{Kind: CreateLabel, Label: Label{Name: "dco-signoff: no", Color: "e11d21"}}, {Kind: AddLabels, Labels: []string{"dco-signoff: no"}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Plan(tc.cur, tc.want, id)
			if diff := cmp.Diff(tc.ops, got); diff != "" {
				t.Errorf("Plan (-want +got):\n%s", diff)
			}
		})
	}
}

type recorder struct {
	calls []string
	fail  map[string]error
}

func (r *recorder) do(name string) error {
	r.calls = append(r.calls, name)
	return r.fail[name]
}
func (r *recorder) SetStatus(_ context.Context, s Status) error             { return r.do("status " + s.Context) }
func (r *recorder) CreateLabel(_ context.Context, l Label) error            { return r.do("create " + l.Name) }
func (r *recorder) AddLabels(_ context.Context, l []string) error           { return r.do("add") }
func (r *recorder) RemoveLabel(_ context.Context, l string) error           { return r.do("remove " + l) }
func (r *recorder) CreateComment(_ context.Context, b string) error         { return r.do("comment") }
func (r *recorder) EditComment(_ context.Context, id int64, b string) error { return r.do("edit") }

func TestApply(t *testing.T) {
	ops := []Op{{Kind: SetStatus, Status: Status{Context: "a"}}, {Kind: AddLabels}, {Kind: CreateComment}}
	t.Run("best-effort writes continue after a failure", func(t *testing.T) {
		r := &recorder{fail: map[string]error{"add": errors.New("boom")}}
		done, err := Apply(context.Background(), r, ops)
		if err == nil || len(done) != 2 || len(r.calls) != 3 {
			t.Fatalf("done=%v err=%v calls=%v", done, err, r.calls)
		}
	})
	t.Run("a failed status stops the run", func(t *testing.T) {
		r := &recorder{fail: map[string]error{"status a": errors.New("boom")}}
		done, err := Apply(context.Background(), r, ops)
		if err == nil || len(done) != 0 || len(r.calls) != 1 {
			t.Fatalf("done=%v err=%v calls=%v", done, err, r.calls)
		}
	})
}
