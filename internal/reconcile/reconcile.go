// Package reconcile compares what the policy wants on GitHub with what is
// there, and produces the minimal list of writes. Plan is pure; Apply runs a
// plan through a Writer that the GitHub adapter implements. Because every run
// starts from GitHub's current state, a second run on an unchanged pull
// request plans nothing, and duplicates left by a race are repaired.
package reconcile

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Status is a commit status.
type Status struct {
	Context     string
	State       string // success, failure, error, pending
	Description string
	TargetURL   string
}

// Comment is an issue comment on the pull request.
type Comment struct {
	ID     int64
	Author string // login of the comment's author
	Body   string
	URL    string
}

// Label is a repository label to create when missing.
type Label struct {
	Name        string
	Color       string // six hex digits, no '#'
	Description string
}

// Current is GitHub's state as read at the start of the run.
type Current struct {
	// Statuses are the latest statuses on the head commit, keyed by
	// lower-cased context (GitHub treats contexts case-insensitively).
	Statuses map[string]Status
	// Labels are the pull request's labels.
	Labels []string
	// Comments are the pull request's comments; Plan picks the bot's own.
	Comments []Comment
	// MissingRepoLabels lists wanted labels known not to exist in the
	// repository yet (only filled when labels are created with a colour).
	MissingRepoLabels []string
	// CheckRuns are this app's latest check runs on the head commit (App
	// mode only).
	CheckRuns []CheckRun
}

// Desired is what the policy wants.
type Desired struct {
	Statuses []Status
	// CheckRuns are the check runs wanted on the head (App mode), with
	// ExternalID set.
	CheckRuns []CheckRun
	// ManagedLabels are the labels the tool owns; WantLabels ⊆ ManagedLabels
	// are those it wants on the pull request. Other labels are never touched.
	ManagedLabels []string
	WantLabels    []string
	// LabelSpecs gives colour and description for labels created on demand.
	LabelSpecs map[string]Label
	// Prefixed are label families the tool manages by prefix
	// (affiliation/<slug>): see labels.go.
	Prefixed []PrefixLabels
	// Comment is the policy comment's body. CommentNeeded says whether there
	// is something to say: without it, no comment is created, but an existing
	// one is still updated to Comment (so it never shows a stale failure).
	Comment       string
	CommentNeeded bool
	// CommentOff disables the comment entirely (no create, no edit).
	CommentOff bool
}

// Identity tells Plan which comments are the bot's own.
type Identity struct {
	BotLogin string
	// Marker must appear in the bot's policy comment; DuplicateMarker
	// replaces it in retired duplicates.
	Marker          string
	DuplicateMarker string
}

// Kind is the kind of a write.
type Kind string

// Kinds of writes.
const (
	SetStatus     Kind = "set-status"
	CreateLabel   Kind = "create-label"
	AddLabels     Kind = "add-labels"
	RemoveLabel   Kind = "remove-label"
	CreateComment Kind = "create-comment"
	EditComment   Kind = "edit-comment"
)

// Op is one planned write.
type Op struct {
	Kind      Kind
	Status    Status
	Labels    []string
	Label     Label
	CommentID int64
	Body      string
	Check     CheckRun
}

func (o Op) String() string {
	switch o.Kind {
	case SetStatus:
		return fmt.Sprintf("%s %s=%s", o.Kind, o.Status.Context, o.Status.State)
	case AddLabels:
		return fmt.Sprintf("%s %s", o.Kind, strings.Join(o.Labels, ","))
	case RemoveLabel, CreateLabel:
		return fmt.Sprintf("%s %s", o.Kind, o.Label.Name)
	case EditComment:
		return fmt.Sprintf("%s %d", o.Kind, o.CommentID)
	case CreateCheckRun, UpdateCheckRun:
		return fmt.Sprintf("%s %s=%s", o.Kind, o.Check.Name, o.Check.Conclusion)
	}
	return string(o.Kind)
}

// Plan returns the writes that turn cur into want, gate first: statuses, then
// labels, then the comment.
func Plan(cur Current, want Desired, id Identity) []Op {
	var ops []Op
	for _, s := range want.Statuses {
		// TargetURL is left out on purpose: in Action mode it points at the
		// run that wrote the status, so it differs on every run while the
		// verdict does not; an older link shows the same report.
		if have, ok := cur.Statuses[strings.ToLower(s.Context)]; ok &&
			have.State == s.State && have.Description == s.Description {
			continue
		}
		ops = append(ops, Op{Kind: SetStatus, Status: s})
	}
	ops = append(ops, planCheckRuns(cur.CheckRuns, want.CheckRuns)...)
	ops = append(ops, planLabels(cur, want)...)
	if !want.CommentOff {
		ops = append(ops, planComment(cur.Comments, want, id)...)
	}
	return ops
}

func planLabels(cur Current, want Desired) []Op {
	var ops []Op
	missing := map[string]bool{}
	for _, m := range cur.MissingRepoLabels {
		missing[strings.ToLower(m)] = true
	}
	var add []string
	for _, w := range want.WantLabels {
		if containsFold(cur.Labels, w) {
			continue
		}
		if spec, ok := want.LabelSpecs[w]; ok && missing[strings.ToLower(w)] {
			ops = append(ops, Op{Kind: CreateLabel, Label: spec})
		}
		add = append(add, w)
	}
	creates, more, removes := planPrefixed(cur, want.Prefixed, missing)
	ops = append(ops, creates...)
	add = append(add, more...)
	if len(add) > 0 {
		ops = append(ops, Op{Kind: AddLabels, Labels: add})
	}
	for _, l := range cur.Labels {
		if containsFold(want.ManagedLabels, l) && !containsFold(want.WantLabels, l) {
			ops = append(ops, Op{Kind: RemoveLabel, Label: Label{Name: l}})
		}
	}
	return append(ops, removes...)
}

// planComment converges the bot's comments to exactly one: the oldest is
// kept (its permalink is stable) and edited; any later duplicates are
// retired by replacing their marker, since the bot may not delete comments.
func planComment(comments []Comment, want Desired, id Identity) []Op {
	var ours []Comment
	for _, c := range comments {
		if strings.EqualFold(c.Author, id.BotLogin) && strings.Contains(c.Body, id.Marker) {
			ours = append(ours, c)
		}
	}
	sort.Slice(ours, func(i, j int) bool { return ours[i].ID < ours[j].ID })
	var ops []Op
	switch {
	case len(ours) == 0:
		if want.CommentNeeded {
			ops = append(ops, Op{Kind: CreateComment, Body: want.Comment})
		}
		return ops
	case ours[0].Body != want.Comment:
		ops = append(ops, Op{Kind: EditComment, CommentID: ours[0].ID, Body: want.Comment})
	}
	for _, dup := range ours[1:] {
		ops = append(ops, Op{Kind: EditComment, CommentID: dup.ID, Body: retired(id, ours[0])})
	}
	return ops
}

func retired(id Identity, keep Comment) string {
	s := id.DuplicateMarker + "\nThis comment duplicated the policy comment"
	if keep.URL != "" {
		s += " [above](" + keep.URL + ")"
	}
	return s + " and is no longer updated.\n"
}

// Writer performs writes on one pull request. The GitHub adapter implements
// it; tests can record calls.
type Writer interface {
	SetStatus(ctx context.Context, s Status) error
	CreateLabel(ctx context.Context, l Label) error
	AddLabels(ctx context.Context, labels []string) error
	RemoveLabel(ctx context.Context, label string) error
	CreateComment(ctx context.Context, body string) error
	EditComment(ctx context.Context, id int64, body string) error
}

// Apply runs ops in order. A failed status write stops the run (the gate
// must not be left half-updated silently); a failed label or comment write is
// recorded and the remaining writes still run. It returns the ops that
// succeeded and every error.
func Apply(ctx context.Context, w Writer, ops []Op) ([]Op, error) {
	var done []Op
	var errs []error
	for _, op := range ops {
		var err error
		switch op.Kind {
		case SetStatus:
			err = w.SetStatus(ctx, op.Status)
		case CreateLabel:
			err = w.CreateLabel(ctx, op.Label)
		case AddLabels:
			err = w.AddLabels(ctx, op.Labels)
		case RemoveLabel:
			err = w.RemoveLabel(ctx, op.Label.Name)
		case CreateComment:
			err = w.CreateComment(ctx, op.Body)
		case EditComment:
			err = w.EditComment(ctx, op.CommentID, op.Body)
		case CreateCheckRun, UpdateCheckRun:
			err = applyCheck(ctx, w, op)
		default:
			err = fmt.Errorf("unknown write %q", op.Kind)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", op, err))
			if op.Kind == SetStatus || op.Kind == CreateCheckRun || op.Kind == UpdateCheckRun {
				break
			}
			continue
		}
		done = append(done, op)
	}
	return done, errors.Join(errs...)
}

func containsFold(list []string, s string) bool {
	for _, l := range list {
		if strings.EqualFold(l, s) {
			return true
		}
	}
	return false
}
