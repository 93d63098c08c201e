package clastore

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ImportOptions say what imported signatures signed: the tools being
// imported from do not know this project's agreement ids or versions.
type ImportOptions struct {
	AgreementID string
	Version     string
	Now         time.Time
}

func (o ImportOptions) check() error {
	if o.AgreementID == "" || o.Version == "" {
		return errors.New("importing needs the agreement id and the version the signatures are for")
	}
	return nil
}

// ParseLite reads CLA Assistant Lite's signatures file:
// {"signedContributors": [{"name", "id", "comment_id", "created_at",
// "repoId", "pullRequestNo"}]}. Entries are kept by GitHub id ("id");
// "name" is the login. Entries without an id are refused: they cannot be
// matched to an account.
func ParseLite(r io.Reader, o ImportOptions) ([]Record, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	var f struct {
		SignedContributors []struct {
			Name          string      `json:"name"`
			ID            json.Number `json:"id"`
			CommentID     json.Number `json:"comment_id"`
			CreatedAt     string      `json:"created_at"`
			RepoID        json.Number `json:"repoId"`
			PullRequestNo json.Number `json:"pullRequestNo"`
		} `json:"signedContributors"`
	}
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("CLA Assistant Lite file: %w", err)
	}
	var out []Record
	for i, c := range f.SignedContributors {
		id, err := c.ID.Int64()
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("CLA Assistant Lite file: signedContributors[%d] (%s): no numeric GitHub id", i, c.Name)
		}
		at, err := parseAnyTime(c.CreatedAt)
		if err != nil {
			return nil, fmt.Errorf("CLA Assistant Lite file: signedContributors[%d].created_at: %w", i, err)
		}
		ev := &Evidence{}
		ev.CommentID, _ = c.CommentID.Int64()
		ev.RepoID, _ = c.RepoID.Int64()
		pr, _ := c.PullRequestNo.Int64()
		ev.PR = int(pr)
		out = append(out, Record{
			Schema: SchemaVersion, ID: importID("lite", o.AgreementID, id, at), AgreementID: o.AgreementID, AgreementVersion: o.Version,
			Signer: Signer{GitHubID: id, Login: c.Name}, Method: MethodImportLite, Evidence: ev, SignedAt: at, RecordedAt: o.Now,
		})
	}
	return out, nil
}

// ParseCLAAssistantCSV reads a CLA Assistant (cla-assistant.io) signature
// export. Columns are found by header name, ignoring case: the GitHub id
// ("userId", "user_id", "github_id" or "id"; required), the login ("user",
// "login" or "name"), the date ("created_at", "signed_at" or "date"), the
// gist revision ("gist_version" or "version"; kept as evidence) and an end
// ("revoked_at" or "end_at": the signature is imported as revoked then).
func ParseCLAAssistantCSV(r io.Reader, o ImportOptions) ([]Record, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("CLA Assistant CSV: header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	find := func(names ...string) int {
		for _, n := range names {
			if i, ok := col[n]; ok {
				return i
			}
		}
		return -1
	}
	idCol := find("userid", "user_id", "github_id", "id")
	if idCol < 0 {
		return nil, fmt.Errorf("CLA Assistant CSV: no GitHub id column (userId) in header %q", strings.Join(header, ","))
	}
	loginCol, dateCol := find("user", "login", "name"), find("created_at", "signed_at", "date")
	gistCol, endCol := find("gist_version", "version"), find("revoked_at", "end_at")
	get := func(row []string, i int) string {
		if i < 0 || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	var out []Record
	for line := 2; ; line++ {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("CLA Assistant CSV: %w", err)
		}
		id, err := strconv.ParseInt(get(row, idCol), 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("CLA Assistant CSV line %d: %q is not a GitHub id", line, get(row, idCol))
		}
		at := o.Now
		if s := get(row, dateCol); s != "" {
			if at, err = parseAnyTime(s); err != nil {
				return nil, fmt.Errorf("CLA Assistant CSV line %d: %w", line, err)
			}
		}
		rec := Record{
			Schema: SchemaVersion, ID: importID("csv", o.AgreementID, id, at), AgreementID: o.AgreementID, AgreementVersion: o.Version,
			Signer: Signer{GitHubID: id, Login: get(row, loginCol)}, Method: MethodImportCSV, SignedAt: at, RecordedAt: o.Now,
		}
		if g := get(row, gistCol); g != "" {
			rec.Evidence = &Evidence{SourceVersion: g}
		}
		out = append(out, rec)
		if s := get(row, endCol); s != "" {
			end, err := parseAnyTime(s)
			if err != nil {
				return nil, fmt.Errorf("CLA Assistant CSV line %d: %w", line, err)
			}
			out = append(out, revocation(rec, 0, "ended in CLA Assistant", end, o.Now))
		}
	}
	return out, nil
}

// ParseJSONL reads this store's own export (one record per line).
func ParseJSONL(r io.Reader) ([]Record, error) {
	var out []Record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	for line := 1; sc.Scan(); line++ {
		b := strings.TrimSpace(sc.Text())
		if b == "" {
			continue
		}
		var rec Record
		dec := json.NewDecoder(strings.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rec); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if err := rec.Validate(); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, rec)
	}
	return out, sc.Err()
}

// WriteJSONL writes records one per line, sorted by signing time.
func WriteJSONL(w io.Writer, rs []Record) error {
	rs = append([]Record(nil), rs...)
	sortRecords(rs)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, r := range rs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// importID is deterministic, so that importing the same file twice (or
// into two stores) gives the same ids.
func importID(source, agreement string, id int64, at time.Time) string {
	return fmt.Sprintf("imp_%s_%s_%d_%d", source, agreement, id, at.Unix())
}

func parseAnyTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02", time.RubyDate, "Mon Jan 02 2006 15:04:05 GMT-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	// JavaScript's Date.toString(): "Tue Mar 03 2020 10:00:00 GMT+0000 (Coordinated Universal Time)".
	if i := strings.Index(s, " ("); i > 0 {
		if t, err := time.Parse("Mon Jan 02 2006 15:04:05 GMT-0700", s[:i]); err == nil {
			return t.UTC(), nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > 1e12 {
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}

// Problem is something Verify found wrong.
type Problem struct {
	ID      string
	Message string
}

func (p Problem) String() string {
	if p.ID == "" {
		return p.Message
	}
	return p.ID + ": " + p.Message
}

// Verify checks a store's records: each valid, ids unique, at most one
// active signature per key, every revocation naming a signature, and (for
// the gitfile store) each record in the file its signer belongs in.
func Verify(rs []Record) []Problem {
	var ps []Problem
	sigs := map[string]Record{}
	revoked := map[string]bool{}
	for _, r := range rs {
		if err := r.Validate(); err != nil {
			ps = append(ps, Problem{r.ID, err.Error()})
			continue
		}
		switch r.Op {
		case OpSign:
			if _, dup := sigs[r.ID]; dup {
				ps = append(ps, Problem{r.ID, "the same signature id twice"})
			}
			sigs[r.ID] = r
		case OpRevoke:
			if revoked[r.ID] {
				ps = append(ps, Problem{r.ID, "revoked twice"})
			}
			revoked[r.ID] = true
		}
	}
	for id := range revoked {
		if _, ok := sigs[id]; !ok {
			ps = append(ps, Problem{id, "a revocation of an unknown signature"})
		}
	}
	active := map[Key]string{}
	for _, f := range Fold(rs) {
		if !f.Active() {
			continue
		}
		if other, dup := active[f.Key()]; dup && other != f.ID {
			ps = append(ps, Problem{f.ID, fmt.Sprintf("a second active signature of %s v%s by %d (also %s)", f.AgreementID, f.Key().Major, f.Signer.GitHubID, other)})
		}
		active[f.Key()] = f.ID
	}
	return ps
}

// VerifyStore reads every record of s and verifies them; for the gitfile
// store it also checks that each file holds only its shard's records.
func VerifyStore(ctx context.Context, s Store) (int, []Problem, error) {
	if g, ok := s.(*GitFile); ok {
		files, err := g.Files(ctx)
		if err != nil {
			return 0, nil, err
		}
		var all []Record
		var ps []Problem
		for path, rs := range files {
			all = append(all, rs...)
			for _, r := range rs {
				if want := g.Path(r.AgreementID, r.Signer.GitHubID); want != path {
					ps = append(ps, Problem{r.ID, fmt.Sprintf("in %s, belongs in %s (lookups would not find it)", path, want)})
				}
			}
		}
		return len(all), append(Verify(all), ps...), nil
	}
	all, err := s.All(ctx)
	if err != nil {
		return 0, nil, err
	}
	return len(all), Verify(all), nil
}
