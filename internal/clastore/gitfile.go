package clastore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/gh"
)

// Contents is the part of GitHub's contents API the gitfile store uses.
// *gh.Client implements it.
type Contents interface {
	GetFile(ctx context.Context, owner, repo, ref, path string) (*gh.File, error)
	PutFile(ctx context.Context, owner, repo, branch, path string, content []byte, sha, message string) (string, error)
	ReadFiles(ctx context.Context, owner, repo, ref string, paths []string) (map[string]*gh.File, error)
	CreateBranch(ctx context.Context, owner, repo, branch string) error
}

// Shards is how many files an agreement's records are spread over, by
// signer id (cla.md §6.8): it keeps each file far below the contents API's
// 1 MB inline limit (100,000 signatures make about 250 KB per file) and
// makes two signers rarely write the same file.
const Shards = 256

// GitFile keeps records as JSON Lines files on a branch of a repository:
// Dir/<agreement>/<shard>.jsonl, shard = the signer's id modulo Shards in
// two hex digits. Writes are compare-and-swap on the file's blob SHA: read,
// append, write naming the SHA read; on a conflict, read again (another
// writer's records are kept: the file is only ever appended to) and retry
// with jittered exponential backoff. An uncontended append costs two API
// calls (one read, one write).
type GitFile struct {
	Contents           Contents
	Owner, Repo        string
	Branch             string // default "cla-signatures"
	Dir                string // default "signatures"
	Attempts           int    // writes tried before ErrContention; default 6
	Backoff            time.Duration
	Sleep              func(ctx context.Context, d time.Duration) error // tests
	Now                func() time.Time
	CommitMessageExtra func(Record) string // e.g. " (acme/widgets#42)"
}

var _ Store = (*GitFile)(nil)

func (g *GitFile) branch() string {
	if g.Branch == "" {
		return "cla-signatures"
	}
	return g.Branch
}

func (g *GitFile) dir() string {
	if g.Dir == "" {
		return "signatures"
	}
	return strings.Trim(g.Dir, "/")
}

// Where names the store for messages: "owner/repo@branch:dir".
func (g *GitFile) Where() string {
	return fmt.Sprintf("%s/%s@%s:%s", g.Owner, g.Repo, g.branch(), g.dir())
}

// Path is the file holding records of agreement for signer id.
func (g *GitFile) Path(agreement string, id int64) string {
	shard := id % Shards
	if shard < 0 {
		shard = -shard
	}
	return fmt.Sprintf("%s/%s/%02x.jsonl", g.dir(), agreement, shard)
}

// Lookup reads only the files that can hold these signers' records: one
// GraphQL query for all of them.
func (g *GitFile) Lookup(ctx context.Context, ids []int64, agreements []string) ([]Record, error) {
	if len(ids) == 0 || len(agreements) == 0 {
		return nil, nil
	}
	want := map[int64]bool{}
	seen := map[string]bool{}
	var paths []string
	for _, a := range agreements {
		for _, id := range ids {
			want[id] = true
			if p := g.Path(a, id); !seen[p] {
				seen[p] = true
				paths = append(paths, p)
			}
		}
	}
	sort.Strings(paths)
	files, err := g.Contents.ReadFiles(ctx, g.Owner, g.Repo, g.branch(), paths)
	if err != nil {
		return nil, fmt.Errorf("read signatures from %s: %w", g.Where(), err)
	}
	wantAgreement := map[string]bool{}
	for _, a := range agreements {
		wantAgreement[a] = true
	}
	var out []Record
	for _, p := range paths {
		f := files[p]
		if f == nil {
			continue
		}
		for _, r := range parseLines(f.Content) {
			if want[r.Signer.GitHubID] && wantAgreement[r.AgreementID] {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// Append records r unless the signer already has an active signature with
// the same key; see GitFile for the write loop.
func (g *GitFile) Append(ctx context.Context, r Record) (Record, bool, error) {
	r = g.complete(r)
	if err := r.Validate(); err != nil {
		return Record{}, false, err
	}
	var got Record
	created := false
	err := g.update(ctx, g.Path(r.AgreementID, r.Signer.GitHubID), commitMessage(r, g.CommitMessageExtra), func(existing []Record) []Record {
		if have, ok := activeFor(existing, r.Key()); ok {
			got, created = have, false
			return nil
		}
		got, created = r, true
		return []Record{r}
	})
	if err != nil {
		return Record{}, false, err
	}
	return got, created, nil
}

// Revoke appends a revocation of signature id (searched in every file).
func (g *GitFile) Revoke(ctx context.Context, id string, by int64, reason string, at time.Time) error {
	all, err := g.All(ctx)
	if err != nil {
		return err
	}
	var target *Record
	for _, f := range Fold(all) {
		if f.ID == id && f.Active() {
			r := f.Record
			target = &r
		}
	}
	if target == nil {
		return fmt.Errorf("revoke %s: %w (or already revoked)", id, ErrNotFound)
	}
	rv := revocation(*target, by, reason, at, g.now())
	return g.update(ctx, g.Path(target.AgreementID, target.Signer.GitHubID), "cla: revoke "+id, func(existing []Record) []Record {
		for _, f := range Fold(existing) {
			if f.ID == id && !f.Active() {
				return nil
			}
		}
		return []Record{rv}
	})
}

func revocation(target Record, by int64, reason string, at, now time.Time) Record {
	return Record{Schema: SchemaVersion, ID: target.ID, Op: OpRevoke, AgreementID: target.AgreementID,
		AgreementVersion: target.AgreementVersion, Signer: target.Signer, RecordedAt: now,
		RevokedAt: &at, RevokedBy: by, RevocationReason: reason}
}

// All reads every record: the directory tree in one GraphQL listing per
// agreement folder, then the files.
func (g *GitFile) All(ctx context.Context) ([]Record, error) {
	files, paths, err := g.files(ctx)
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, p := range paths {
		out = append(out, files[p]...)
	}
	return out, nil
}

// Files reads every record file: path → its records.
func (g *GitFile) Files(ctx context.Context) (map[string][]Record, error) {
	files, _, err := g.files(ctx)
	return files, err
}

func (g *GitFile) files(ctx context.Context) (map[string][]Record, []string, error) {
	paths, err := g.list(ctx)
	if err != nil {
		return nil, nil, err
	}
	files, err := g.Contents.ReadFiles(ctx, g.Owner, g.Repo, g.branch(), paths)
	if err != nil {
		return nil, nil, fmt.Errorf("read signatures from %s: %w", g.Where(), err)
	}
	out := make(map[string][]Record, len(paths))
	for _, p := range paths {
		if f := files[p]; f != nil {
			out[p] = parseLines(f.Content)
		}
	}
	return out, paths, nil
}

// list finds the record files: agreement folders are named by the
// configuration, but a store may hold agreements no longer configured, so
// the folder is listed through the contents API.
func (g *GitFile) list(ctx context.Context) ([]string, error) {
	top, err := g.listDir(ctx, g.dir())
	if err != nil || len(top) == 0 {
		return nil, err
	}
	var paths []string
	for _, sub := range top {
		files, err := g.listDir(ctx, sub)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if strings.HasSuffix(f, ".jsonl") {
				paths = append(paths, f)
			}
		}
	}
	sort.Strings(paths)
	return paths, nil
}

// listDir lists a folder's entries as full paths.
func (g *GitFile) listDir(ctx context.Context, dir string) ([]string, error) {
	l, ok := g.Contents.(Lister)
	if !ok {
		return nil, errors.New("listing signatures needs a client that can list folders")
	}
	names, err := l.ListDir(ctx, g.Owner, g.Repo, g.branch(), dir)
	if err != nil {
		return nil, fmt.Errorf("list %s in %s: %w", dir, g.Where(), err)
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = dir + "/" + n
	}
	return out, nil
}

// Lister lists a folder; *gh.Client implements it.
type Lister interface {
	ListDir(ctx context.Context, owner, repo, ref, dir string) ([]string, error)
}

// Import appends records idempotently, one compare-and-swap write per file.
func (g *GitFile) Import(ctx context.Context, rs []Record) (int, error) {
	byPath := map[string][]Record{}
	var order []string
	for _, r := range rs {
		r = g.complete(r)
		if err := r.Validate(); err != nil {
			return 0, err
		}
		p := g.Path(r.AgreementID, r.Signer.GitHubID)
		if _, ok := byPath[p]; !ok {
			order = append(order, p)
		}
		byPath[p] = append(byPath[p], r)
	}
	added := 0
	for _, p := range order {
		batch := byPath[p]
		n := 0
		err := g.update(ctx, p, fmt.Sprintf("cla: import %d record(s)", len(batch)), func(existing []Record) []Record {
			merged := append([]Record(nil), existing...)
			var add []Record
			for _, r := range batch {
				if !present(merged, r) {
					add = append(add, r)
					merged = append(merged, r)
				}
			}
			n = len(add)
			return add
		})
		if err != nil {
			return added, err
		}
		added += n
	}
	return added, nil
}

// present reports whether r is already in records: a signature whose key
// is active, or a revocation of an id already revoked.
func present(records []Record, r Record) bool {
	if r.Op == OpRevoke {
		for _, x := range records {
			if x.Op == OpRevoke && x.ID == r.ID {
				return true
			}
		}
		return false
	}
	for _, x := range records {
		if x.Op == OpSign && x.ID == r.ID {
			return true
		}
	}
	_, ok := activeFor(records, r.Key())
	return ok
}

// update runs the compare-and-swap loop on one file: add returns the
// records to append given those already there (none: nothing to write).
func (g *GitFile) update(ctx context.Context, path, message string, add func(existing []Record) []Record) error {
	attempts := g.Attempts
	if attempts <= 0 {
		attempts = 6
	}
	createdBranch := false
	var lastErr error
	for attempt := 0; attempt < attempts; attempt++ {
		if attempt > 0 {
			if err := g.sleep(ctx, g.backoff(attempt)); err != nil {
				return err
			}
		}
		var content []byte
		sha := ""
		f, err := g.Contents.GetFile(ctx, g.Owner, g.Repo, g.branch(), path)
		switch {
		case err == nil:
			content, sha = f.Content, f.SHA
		case gh.IsNotFound(err):
			// No such file yet (or no such branch: the write says which).
		default:
			return fmt.Errorf("read %s in %s: %w", path, g.Where(), err)
		}
		records := add(parseLines(content))
		if len(records) == 0 {
			return nil
		}
		next := appendLines(content, records)
		_, err = g.Contents.PutFile(ctx, g.Owner, g.Repo, g.branch(), path, next, sha, message)
		switch {
		case err == nil:
			return nil
		case gh.IsWriteRefused(err):
			return fmt.Errorf("write %s in %s: %w: %v", path, g.Where(), ErrForbidden, err)
		case gh.IsBranchNotFound(err) && !createdBranch:
			createdBranch = true
			if cerr := g.Contents.CreateBranch(ctx, g.Owner, g.Repo, g.branch()); cerr != nil {
				if gh.IsGraphQLForbidden(cerr) || gh.IsWriteRefused(cerr) {
					return fmt.Errorf("create the signature branch of %s: %w: %v", g.Where(), ErrForbidden, cerr)
				}
				return cerr
			}
			attempt-- // creating the branch is not a conflict
		case gh.IsConflict(err):
			lastErr = err
		default:
			return fmt.Errorf("write %s in %s: %w", path, g.Where(), err)
		}
	}
	return fmt.Errorf("write %s in %s: %w after %d attempts (last: %v)", path, g.Where(), ErrContention, attempts, lastErr)
}

func (g *GitFile) backoff(attempt int) time.Duration {
	base := g.Backoff
	if base <= 0 {
		base = 100 * time.Millisecond
	}
	d := base << min(attempt-1, 6)
	// Full jitter between half and the whole delay: writers that collided
	// do not collide again in lockstep.
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

func (g *GitFile) sleep(ctx context.Context, d time.Duration) error {
	if g.Sleep != nil {
		return g.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (g *GitFile) now() time.Time {
	if g.Now != nil {
		return g.Now().UTC()
	}
	return time.Now().UTC()
}

// complete fills what a writer leaves to the store.
func (g *GitFile) complete(r Record) Record {
	return complete(r, g.now())
}

func complete(r Record, now time.Time) Record {
	if r.Schema == 0 {
		r.Schema = SchemaVersion
	}
	if r.ID == "" {
		r.ID = NewID(now)
	}
	if r.RecordedAt.IsZero() {
		r.RecordedAt = now
	}
	if r.Op == OpSign && r.SignedAt.IsZero() {
		r.SignedAt = now
	}
	return r
}

func commitMessage(r Record, extra func(Record) string) string {
	who := r.Signer.Login
	if who == "" {
		who = fmt.Sprint(r.Signer.GitHubID)
	}
	msg := fmt.Sprintf("cla: record %s@%s for @%s", r.AgreementID, r.AgreementVersion, who)
	if extra != nil {
		msg += extra(r)
	}
	return msg + "\n\nCLA-Signature-Id: " + r.ID + "\n"
}

// parseLines reads JSON Lines; lines that are not records are skipped
// here but never dropped from the file (writes only append).
func parseLines(content []byte) []Record {
	var out []Record
	for _, line := range bytes.Split(content, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil || r.ID == "" {
			continue
		}
		out = append(out, r)
	}
	return out
}

func appendLines(content []byte, rs []Record) []byte {
	var b bytes.Buffer
	b.Write(content)
	if len(content) > 0 && content[len(content)-1] != '\n' {
		b.WriteByte('\n')
	}
	for _, r := range rs {
		line, _ := json.Marshal(r) // a Record always marshals
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}
