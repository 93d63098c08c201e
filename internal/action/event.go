package action

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/google/go-github/v60/github"
)

// readEvent decodes the event file into v, with an error that names the file
// and, for JSON syntax errors, the line and column.
func readEvent(path string, v any) error {
	if path == "" {
		return errors.New("GITHUB_EVENT_PATH is not set: is this running in GitHub Actions?")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read event file: %w", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Errorf("%s: event file is empty", path)
	}
	if err := json.Unmarshal(data, v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, col := position(data, se.Offset)
			return fmt.Errorf("%s:%d:%d: malformed event JSON: %v", path, line, col, se)
		case errors.As(err, &te):
			line, col := position(data, te.Offset)
			return fmt.Errorf("%s:%d:%d: event field %q: expected %s, got JSON %s", path, line, col, te.Field, te.Type, te.Value)
		}
		return fmt.Errorf("%s: malformed event: %w", path, err)
	}
	return nil
}

// position converts encoding/json's error offset (the number of bytes read
// when the error was found, so the offending byte is the one before it) into
// a 1-based line and column.
func position(data []byte, off int64) (int, int) {
	if off > 0 {
		off--
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// prEvent is what the Action takes from a pull_request(_target) payload.
type prEvent struct {
	Action      string
	Owner, Repo string
	Number      int
	HeadSHA     string
	BaseSHA     string
	Commits     int
	Fork        bool
}

func parsePullRequestEvent(path string) (*prEvent, error) {
	var ev github.PullRequestEvent
	if err := readEvent(path, &ev); err != nil {
		return nil, err
	}
	pr := ev.GetPullRequest()
	repo := ev.GetRepo()
	if pr == nil || repo == nil {
		return nil, fmt.Errorf("%s: not a pull_request payload (no pull_request or repository object)", path)
	}
	out := &prEvent{
		Action:  ev.GetAction(),
		Owner:   repo.GetOwner().GetLogin(),
		Repo:    repo.GetName(),
		Number:  pr.GetNumber(),
		HeadSHA: pr.GetHead().GetSHA(),
		BaseSHA: pr.GetBase().GetSHA(),
		Commits: pr.GetCommits(),
		Fork:    pr.GetHead().GetRepo().GetFullName() != "" && pr.GetHead().GetRepo().GetFullName() != repo.GetFullName(),
	}
	if out.Owner == "" || out.Repo == "" || out.Number <= 0 {
		return nil, fmt.Errorf("%s: pull_request payload lacks repository owner, name or PR number", path)
	}
	return out, nil
}

// commentEvent is what the Action takes from an issue_comment payload.
type commentEvent struct {
	Action      string
	Owner, Repo string
	Number      int
	IsPR        bool
	Body        string
	AuthorLogin string
	AuthorType  string
	// For CLA signatures: the comment's id, URL and time, the author's
	// account id and the repository's id (the evidence kept).
	CommentID  int64
	CommentURL string
	AuthorID   int64
	CreatedAt  time.Time
	RepoID     int64
}

func parseIssueCommentEvent(path string) (*commentEvent, error) {
	var ev github.IssueCommentEvent
	if err := readEvent(path, &ev); err != nil {
		return nil, err
	}
	if ev.Issue == nil || ev.Comment == nil || ev.Repo == nil {
		return nil, fmt.Errorf("%s: not an issue_comment payload (no issue, comment or repository object)", path)
	}
	return &commentEvent{
		Action:      ev.GetAction(),
		Owner:       ev.GetRepo().GetOwner().GetLogin(),
		Repo:        ev.GetRepo().GetName(),
		Number:      ev.GetIssue().GetNumber(),
		IsPR:        ev.GetIssue().IsPullRequest(),
		Body:        ev.GetComment().GetBody(),
		AuthorLogin: ev.GetComment().GetUser().GetLogin(),
		AuthorType:  ev.GetComment().GetUser().GetType(),
		CommentID:   ev.GetComment().GetID(),
		CommentURL:  ev.GetComment().GetHTMLURL(),
		AuthorID:    ev.GetComment().GetUser().GetID(),
		CreatedAt:   ev.GetComment().GetCreatedAt().Time,
		RepoID:      ev.GetRepo().GetID(),
	}, nil
}
