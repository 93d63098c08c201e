package reconcile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// CheckRun is a check run on the head commit: what the App reports instead
// of (or besides) a commit status.
type CheckRun struct {
	ID         int64
	Name       string
	Status     string // queued, in_progress, completed
	Conclusion string // success, failure, neutral, ... (GitHub's names)
	// ExternalID carries a digest of everything the App wrote (see Digest),
	// so comparing a run costs no reading of its output back; it also
	// carries the pull request number (for check_run.rerequested on forks,
	// whose payloads list no pull requests) and marks overrides.
	ExternalID  string
	DetailsURL  string
	Title       string
	Summary     string
	Text        string
	Annotations []Annotation
	Actions     []Action
}

// Annotation is a check-run annotation on a file line.
type Annotation struct {
	Path      string `json:"path"`
	StartLine int    `json:"start_line"`
	EndLine   int    `json:"end_line"`
	Level     string `json:"annotation_level"` // notice, warning, failure
	Title     string `json:"title,omitempty"`
	Message   string `json:"message"`
}

// Action is a requested-action button on a check run.
type Action struct {
	Label       string `json:"label"`       // ≤ 20 characters
	Description string `json:"description"` // ≤ 40 characters
	Identifier  string `json:"identifier"`  // ≤ 20 characters
}

// OverridePrefix starts the ExternalID of a check run a maintainer set to
// pass with its requested action; Plan never overwrites such a run.
const OverridePrefix = "cp-override:"

// Digest is a short hash of everything a check run shows. Plan writes it
// into ExternalID and compares it, so an unchanged run is never rewritten.
func Digest(c CheckRun) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	_ = enc.Encode([]any{c.Conclusion, c.Title, c.Summary, c.Text, c.DetailsURL, c.Annotations, c.Actions})
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// ExternalID is the external_id the App writes: "cp1:<pr>:<digest>"
// ("cp1:mg:<digest>" outside a pull request, e.g. for a merge group).
func ExternalID(pr int, c CheckRun) string {
	where := "mg"
	if pr > 0 {
		where = fmt.Sprint(pr)
	}
	return "cp1:" + where + ":" + Digest(c)
}

// PRFromExternalID returns the pull request number an ExternalID names.
func PRFromExternalID(id string) (int, bool) {
	if rest, ok := strings.CutPrefix(id, OverridePrefix); ok {
		// cp-override:<pr>:<login>
		id = "cp1:" + rest
	}
	parts := strings.SplitN(id, ":", 3)
	if len(parts) != 3 || parts[0] != "cp1" {
		return 0, false
	}
	var n int
	if _, err := fmt.Sscan(parts[1], &n); err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// Kinds of check-run writes.
const (
	CreateCheckRun Kind = "create-check-run"
	UpdateCheckRun Kind = "update-check-run"
)

// CheckWriter writes check runs on the head commit. The GitHub adapter's
// PRWriter implements it besides Writer.
type CheckWriter interface {
	CreateCheckRun(ctx context.Context, c CheckRun) error
	UpdateCheckRun(ctx context.Context, c CheckRun) error
}

// planCheckRuns creates a run when this app has none of that name on the
// head, updates it when its conclusion or output differ, and leaves it alone
// otherwise (and always when a maintainer overrode it). want's ExternalIDs
// must be set (ExternalID()).
func planCheckRuns(cur []CheckRun, want []CheckRun) []Op {
	var ops []Op
	for _, w := range want {
		var have *CheckRun
		for i := range cur {
			if strings.EqualFold(cur[i].Name, w.Name) {
				have = &cur[i]
				break
			}
		}
		switch {
		case have == nil:
			ops = append(ops, Op{Kind: CreateCheckRun, Check: w})
		case strings.HasPrefix(have.ExternalID, OverridePrefix) && have.Conclusion == "success":
			// A maintainer's override stands until the next push.
		case have.Status != "completed" || have.Conclusion != w.Conclusion || have.ExternalID != w.ExternalID:
			w.ID = have.ID
			ops = append(ops, Op{Kind: UpdateCheckRun, Check: w})
		}
	}
	return ops
}

func applyCheck(ctx context.Context, w Writer, op Op) error {
	cw, ok := w.(CheckWriter)
	if !ok {
		return fmt.Errorf("this writer cannot write check runs")
	}
	if op.Kind == CreateCheckRun {
		return cw.CreateCheckRun(ctx, op.Check)
	}
	return cw.UpdateCheckRun(ctx, op.Check)
}
