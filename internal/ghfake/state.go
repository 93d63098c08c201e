package ghfake

import (
	"crypto/rsa"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Repo seeds a repository.
type Repo struct {
	Owner, Name   string
	ID            int64  // 0 = generated
	OwnerType     string // "Organization" or "User" (default "Organization")
	DefaultBranch string // default "main"
	Private       bool
}

// User seeds an account (a person, a bot or an organization).
type User struct {
	Login   string
	ID      int64  // 0 = generated
	Type    string // "User" (default), "Bot" or "Organization"
	Company string
	Name    string
	Email   string // public email
	// Emails are more verified emails GitHub links commits to (besides
	// Email): GraphQL Commit.authors resolves co-authors by them.
	Emails []string
}

// GitPerson is a git author or committer.
type GitPerson struct {
	Name, Email string
	Date        time.Time
}

// Commit seeds a git commit. Commits live in one object store shared by all
// repositories (like a fork network), so a fork's commits resolve in its parent.
type Commit struct {
	SHA            string // "" = generated (deterministic, unique)
	Parents        []string
	Message        string
	Author         GitPerson
	Committer      GitPerson
	AuthorLogin    string // linked GitHub account; "" = email not linked
	CommitterLogin string
	Verified       bool
	Files          map[string]string // the full tree; nil = same as the first parent
}

// Pull seeds a pull request. Its commits are those reachable from HeadSHA and
// not from BaseSHA.
type Pull struct {
	Number            int // 0 = next free number
	Author            string
	Title, Body       string
	State             string // "open" (default) or "closed"
	Draft             bool
	CreatedAt         time.Time
	BaseRef, BaseSHA  string // BaseSHA "" = tip of BaseRef
	HeadRef, HeadSHA  string // HeadSHA "" = tip of HeadRef
	HeadRepoFullName  string // "" = same repository; "fork/repo" for a fork
	AuthorAssociation string // default "CONTRIBUTOR"
	Labels            []string
	Merged            bool
	MergedAt          time.Time
}

// Status is one commit status as stored (history is kept).
type Status struct {
	ID          int64
	State       string
	Description string
	TargetURL   string
	Context     string
	Creator     string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// CheckRunOutput is a check run's output.
type CheckRunOutput struct {
	Title, Summary, Text string
	AnnotationsCount     int
}

// CheckRunAction is a requested-action button.
type CheckRunAction struct {
	Label, Description, Identifier string
}

// CheckRun is a check run as stored.
type CheckRun struct {
	ID          int64
	Name        string
	HeadSHA     string
	Status      string
	Conclusion  string
	ExternalID  string
	DetailsURL  string
	StartedAt   time.Time
	CompletedAt time.Time
	Output      CheckRunOutput
	Actions     []CheckRunAction
	AppID       int64
	CreatedAt   time.Time
}

// Comment is an issue or pull-request comment as stored.
type Comment struct {
	ID              int64
	NodeID          string
	User            string
	Body            string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Minimized       bool
	MinimizedReason string
}

// Label is a repository label.
type Label struct {
	ID          int64
	Name        string
	Color       string
	Description string
	Default     bool
}

// TokenSpec describes the account and rights behind a token.
type TokenSpec struct {
	Login                string
	ID                   int64
	Type                 string // "Bot" or "User"
	ReadOnly             bool
	CanSeePrivateMembers bool
	Repos                []string          // "owner/name"; empty = all
	Permissions          map[string]string // e.g. {"issues":"write"}; nil = write on everything (unless ReadOnly)
	AppID                int64             // the app a check run created with this token belongs to
	InstallationID       int64
	ExpiresAt            time.Time // zero = never
}

// HookDelivery seeds an App webhook delivery.
type HookDelivery struct {
	ID             int64 // 0 = generated
	GUID           string
	DeliveredAt    time.Time
	Redelivery     bool
	Duration       float64
	Status         string // e.g. "OK", "failed to connect"
	StatusCode     int
	Event, Action  string
	InstallationID int64
	RepositoryID   int64
}

// Redelivery records one redeliver request.
type Redelivery struct {
	DeliveryID int64
	Time       time.Time
}

// ---- internal state ----

type tree struct {
	files map[string]string
	sha   string
}

type commitState struct {
	Commit
	tree *tree
	seq  int // insertion order, to break date ties
}

type commentState struct {
	Comment
	number int
}

type pullState struct {
	Pull
	id        int64
	nodeID    string
	updatedAt time.Time
	closedAt  time.Time
	labels    []string // lower-case keys into repo labels
	// labelEvents are the labelled/unlabelled timeline events
	// (graphql_timeline.go); seeded labels have none.
	labelEvents []labelEvent
	comments    []*commentState
	locked      bool
	lockWhy     string
	mcm         bool
}

type repoState struct {
	Repo
	nodeID    string
	createdAt time.Time
	branches  map[string]string
	protected map[string]bool
	pulls     map[int]*pullState
	labels    map[string]*Label // lower name
	statuses  map[string][]*Status
	checkRuns []*CheckRun
	comments  map[int64]*commentState
}

func (r *repoState) fullName() string { return r.Owner + "/" + r.Name }

type appState struct {
	id     int64
	key    *rsa.PublicKey
	slug   string
	botID  int64
	nodeID string
}

type installationState struct {
	id      int64
	appID   int64
	account string
	repos   []string // full names; empty = all of the account
	created time.Time
}

type bucket struct {
	limit, remaining int
	reset            time.Time
}

type tokenState struct {
	TokenSpec
	buckets map[string]*bucket
}

func key(s string) string { return strings.ToLower(s) }

func (f *Fake) nextID(kind string) int64 {
	f.ids[kind]++
	return f.ids[kind]
}

func (f *Fake) now() time.Time { return f.clock().UTC().Truncate(time.Second) }

// ensureUser returns the account for login, creating a plain one if unseeded.
func (f *Fake) ensureUser(login string) *User {
	if u, ok := f.users[key(login)]; ok {
		return u
	}
	typ := "User"
	if strings.HasSuffix(login, "[bot]") {
		typ = "Bot"
	}
	u := &User{Login: login, ID: f.nextID("user"), Type: typ}
	f.users[key(login)] = u
	return u
}

// AddUser seeds (or replaces) an account.
func (f *Fake) AddUser(u User) User {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.addUserLocked(u)
}

func (f *Fake) addUserLocked(u User) *User {
	if u.ID == 0 {
		if old, ok := f.users[key(u.Login)]; ok {
			u.ID = old.ID
		} else {
			u.ID = f.nextID("user")
		}
	}
	if u.Type == "" {
		u.Type = "User"
		if strings.HasSuffix(u.Login, "[bot]") {
			u.Type = "Bot"
		}
	}
	cp := u
	f.users[key(u.Login)] = &cp
	return &cp
}

// AddRepo seeds a repository (its owner account is created if needed).
func (f *Fake) AddRepo(r Repo) Repo {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addRepoLocked(r).Repo
}

func (f *Fake) addRepoLocked(r Repo) *repoState {
	if r.OwnerType == "" {
		r.OwnerType = "Organization"
	}
	if r.DefaultBranch == "" {
		r.DefaultBranch = "main"
	}
	if r.ID == 0 {
		r.ID = f.nextID("repo")
	}
	if _, ok := f.users[key(r.Owner)]; !ok {
		f.addUserLocked(User{Login: r.Owner, Type: r.OwnerType})
	}
	rs := &repoState{
		Repo: r, nodeID: nodeID("R", fmt.Sprint(r.ID)), createdAt: f.now(),
		branches: map[string]string{}, protected: map[string]bool{}, pulls: map[int]*pullState{},
		labels: map[string]*Label{}, statuses: map[string][]*Status{}, comments: map[int64]*commentState{},
	}
	f.repos[key(rs.fullName())] = rs
	return rs
}

func (f *Fake) repo(owner, name string) *repoState { return f.repos[key(owner+"/"+name)] }

func (f *Fake) mustRepo(owner, name string) *repoState {
	r := f.repo(owner, name)
	if r == nil {
		panic(fmt.Sprintf("ghfake: repository %s/%s not seeded (AddRepo first)", owner, name))
	}
	return r
}

// AddCommit seeds a commit and returns its SHA.
func (f *Fake) AddCommit(owner, repo string, c Commit) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mustRepo(owner, repo)
	return f.addCommitLocked(c).SHA
}

func (f *Fake) addCommitLocked(c Commit) *commitState {
	seq := len(f.commits) + 1
	if c.Author.Date.IsZero() {
		c.Author.Date = f.epoch.Add(time.Duration(seq) * time.Minute)
	}
	if c.Committer == (GitPerson{}) {
		c.Committer = c.Author
	} else if c.Committer.Date.IsZero() {
		c.Committer.Date = c.Author.Date
	}
	if c.SHA == "" {
		h := sha1.New()
		fmt.Fprintf(h, "ghfake commit %d\x00%s\x00%s\x00%s <%s>", seq, strings.Join(c.Parents, ","), c.Message, c.Author.Name, c.Author.Email)
		c.SHA = hex.EncodeToString(h.Sum(nil))
	}
	c.SHA = strings.ToLower(c.SHA)
	cs := &commitState{Commit: c, seq: seq}
	switch {
	case c.Files != nil:
		files := make(map[string]string, len(c.Files))
		for k, v := range c.Files {
			files[k] = v
		}
		cs.tree = &tree{files: files, sha: treeSHA(files)}
		cs.Files = nil
	case len(c.Parents) > 0 && f.commits[key(c.Parents[0])] != nil:
		cs.tree = f.commits[key(c.Parents[0])].tree // immutable, shared
	default:
		cs.tree = &tree{files: map[string]string{}, sha: treeSHA(nil)}
	}
	for _, l := range []string{c.AuthorLogin, c.CommitterLogin} {
		if l != "" {
			f.ensureUser(l)
		}
	}
	f.commits[c.SHA] = cs
	return cs
}

// SetBranch points a branch at a commit. Open pull requests whose head is
// that branch follow it, as on GitHub.
func (f *Fake) SetBranch(owner, repo, branch, sha string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setBranchLocked(f.mustRepo(owner, repo), branch, strings.ToLower(sha))
}

func (f *Fake) setBranchLocked(r *repoState, branch, sha string) {
	r.branches[branch] = sha
	for _, other := range f.repos {
		for _, p := range other.pulls {
			head := p.HeadRepoFullName
			if head == "" {
				head = other.fullName()
			}
			if p.State == "open" && p.HeadRef == branch && strings.EqualFold(head, r.fullName()) {
				p.HeadSHA = sha
				p.updatedAt = f.now()
			}
		}
	}
}

// SetBranchProtected makes contents writes to a branch fail with GitHub's
// ruleset error.
func (f *Fake) SetBranchProtected(owner, repo, branch string, protected bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mustRepo(owner, repo).protected[branch] = protected
}

// SetFile commits content at path on branch (created from the default
// branch, or as a root commit, if missing) and returns the commit SHA.
func (f *Fake) SetFile(owner, repo, branch, path, content string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.mustRepo(owner, repo)
	if branch == "" {
		branch = r.DefaultBranch
	}
	cs := f.commitFileLocked(r, branch, path, content, "Update "+path, GitPerson{Name: "ghfake", Email: "ghfake@example.com"}, "", false)
	return cs.SHA
}

func (f *Fake) commitFileLocked(r *repoState, branch, path, content, msg string, author GitPerson, login string, verified bool) *commitState {
	parent := r.branches[branch]
	if parent == "" {
		parent = r.branches[r.DefaultBranch]
	}
	files := map[string]string{}
	var parents []string
	if pc := f.commits[parent]; pc != nil {
		for k, v := range pc.tree.files {
			files[k] = v
		}
		parents = []string{parent}
	}
	files[path] = content
	author.Date = f.now()
	cs := f.addCommitLocked(Commit{
		Parents: parents, Message: msg, Author: author,
		Committer:   GitPerson{Name: "GitHub", Email: "noreply@github.com", Date: author.Date},
		AuthorLogin: login, Verified: verified, Files: files,
	})
	f.setBranchLocked(r, branch, cs.SHA)
	return cs
}

// AddPull seeds a pull request and returns it with defaults filled in.
func (f *Fake) AddPull(owner, repo string, p Pull) Pull {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addPullLocked(f.mustRepo(owner, repo), p).Pull
}

func (f *Fake) addPullLocked(r *repoState, p Pull) *pullState {
	if p.Number == 0 {
		for n := 1; ; n++ {
			if r.pulls[n] == nil {
				p.Number = n
				break
			}
		}
	}
	if r.pulls[p.Number] != nil {
		panic(fmt.Sprintf("ghfake: %s#%d already seeded", r.fullName(), p.Number))
	}
	if p.State == "" {
		p.State = "open"
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = f.now()
	}
	if p.BaseRef == "" {
		p.BaseRef = r.DefaultBranch
	}
	if p.BaseSHA == "" {
		p.BaseSHA = r.branches[p.BaseRef]
	}
	if p.HeadRef == "" {
		p.HeadRef = fmt.Sprintf("pr-%d", p.Number)
	}
	if p.HeadSHA == "" {
		head := r
		if p.HeadRepoFullName != "" {
			head = f.repos[key(p.HeadRepoFullName)]
		}
		if head != nil {
			p.HeadSHA = head.branches[p.HeadRef]
		}
	}
	p.BaseSHA, p.HeadSHA = strings.ToLower(p.BaseSHA), strings.ToLower(p.HeadSHA)
	if p.AuthorAssociation == "" {
		p.AuthorAssociation = "CONTRIBUTOR"
	}
	if p.Author == "" {
		p.Author = "octocat"
	}
	if p.Merged && p.MergedAt.IsZero() {
		p.MergedAt = p.CreatedAt.Add(time.Hour)
	}
	f.ensureUser(p.Author)
	ps := &pullState{Pull: p, id: f.nextID("pull"), updatedAt: p.CreatedAt, mcm: true}
	ps.nodeID = nodeID("PR", fmt.Sprint(ps.id))
	if p.State == "closed" {
		ps.closedAt = p.CreatedAt.Add(time.Hour)
		if p.Merged {
			ps.closedAt = p.MergedAt
		}
	}
	for _, l := range p.Labels {
		ps.labels = addLabelKey(ps.labels, f.ensureLabelLocked(r, l, "ededed", ""))
	}
	ps.Labels = nil
	r.pulls[p.Number] = ps
	return ps
}

// AddLinearPR builds a base commit on the default branch, n linear commits on
// top of it (spec(i) gives commit i, 0-based; nil = defaults), a head branch,
// and an open pull request.
func (f *Fake) AddLinearPR(owner, repo string, n int, spec func(i int) Commit) Pull {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.mustRepo(owner, repo)
	var baseParents []string
	if tip := r.branches[r.DefaultBranch]; tip != "" {
		baseParents = []string{tip}
	}
	base := f.addCommitLocked(Commit{Parents: baseParents, Message: "base", Author: GitPerson{Name: "Base", Email: "base@example.com"}})
	f.setBranchLocked(r, r.DefaultBranch, base.SHA)
	parent := base.SHA
	var author string
	for i := 0; i < n; i++ {
		var c Commit
		if spec != nil {
			c = spec(i)
		}
		if c.Message == "" {
			c.Message = fmt.Sprintf("commit %d\n\nSigned-off-by: Dev <dev@example.com>", i+1)
		}
		if c.Author.Name == "" {
			c.Author = GitPerson{Name: "Dev", Email: "dev@example.com", Date: c.Author.Date}
		}
		if c.Parents == nil {
			c.Parents = []string{parent}
		}
		if author == "" && c.AuthorLogin != "" {
			author = c.AuthorLogin
		}
		parent = f.addCommitLocked(c).SHA
	}
	num := 1
	for r.pulls[num] != nil {
		num++
	}
	headRef := fmt.Sprintf("feature-%d", num)
	r.branches[headRef] = parent
	if author == "" {
		author = "octocat"
	}
	return f.addPullLocked(r, Pull{Number: num, Author: author, Title: fmt.Sprintf("Linear PR with %d commits", n),
		BaseRef: r.DefaultBranch, BaseSHA: base.SHA, HeadRef: headRef, HeadSHA: parent}).Pull
}

// AddComment seeds an issue comment by login and returns its id.
func (f *Fake) AddComment(owner, repo string, number int, login, body string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.mustRepo(owner, repo)
	p := r.pulls[number]
	if p == nil {
		panic(fmt.Sprintf("ghfake: %s/%s#%d not seeded", owner, repo, number))
	}
	return f.addCommentLocked(r, p, login, body).ID
}

func (f *Fake) addCommentLocked(r *repoState, p *pullState, login, body string) *commentState {
	f.ensureUser(login)
	now := f.now()
	c := &commentState{Comment: Comment{ID: f.nextID("comment"), User: login, Body: body, CreatedAt: now, UpdatedAt: now}, number: p.Number}
	c.NodeID = nodeID("IC", fmt.Sprint(c.ID))
	r.comments[c.ID] = c
	p.comments = append(p.comments, c)
	f.commentsByNode[c.NodeID] = c
	return c
}

// AddOrgMember makes login a member of org (public or concealed membership).
func (f *Fake) AddOrgMember(org, login string, public bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if o, ok := f.users[key(org)]; !ok || o.Type != "Organization" {
		f.addUserLocked(User{Login: org, Type: "Organization"})
	}
	f.ensureUser(login)
	m := f.members[key(org)]
	if m == nil {
		m = map[string]bool{}
		f.members[key(org)] = m
	}
	m[key(login)] = public
}

// AddApp registers a GitHub App whose JWTs are signed by the key's private half.
func (f *Fake) AddApp(appID int64, pub *rsa.PublicKey, slug string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.apps[appID] = &appState{id: appID, key: pub, slug: slug, botID: 100000 + appID, nodeID: nodeID("A", fmt.Sprint(appID))}
	f.addUserLocked(User{Login: slug + "[bot]", ID: 100000 + appID, Type: "Bot"})
}

// AddInstallation installs app appID on account (a user or organization),
// for the given repositories ("owner/name"; empty = all of the account's).
func (f *Fake) AddInstallation(id, appID int64, account string, repos []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.users[key(account)]; !ok {
		f.addUserLocked(User{Login: account, Type: "Organization"})
	}
	f.installations[id] = &installationState{id: id, appID: appID, account: account, repos: append([]string(nil), repos...), created: f.now()}
}

// AddToken registers a token.
func (f *Fake) AddToken(token string, spec TokenSpec) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.addTokenLocked(token, spec)
}

func (f *Fake) addTokenLocked(token string, spec TokenSpec) {
	if spec.Type == "" {
		spec.Type = "User"
		if strings.HasSuffix(spec.Login, "[bot]") {
			spec.Type = "Bot"
		}
	}
	u := f.users[key(spec.Login)]
	if u == nil {
		u = f.addUserLocked(User{Login: spec.Login, ID: spec.ID, Type: spec.Type})
	}
	if spec.ID == 0 {
		spec.ID = u.ID
	}
	f.tokens[token] = &tokenState{TokenSpec: spec, buckets: map[string]*bucket{}}
}

// AddHookDelivery seeds an App webhook delivery and returns its id.
func (f *Fake) AddHookDelivery(d HookDelivery) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addDeliveryLocked(d).ID
}

func (f *Fake) addDeliveryLocked(d HookDelivery) *HookDelivery {
	if d.ID == 0 {
		d.ID = f.nextID("delivery")
	}
	if d.GUID == "" {
		d.GUID = fmt.Sprintf("0000%04x-0000-11eb-8000-%012x", d.ID%0xffff, d.ID)
	}
	if d.DeliveredAt.IsZero() {
		d.DeliveredAt = f.now()
	}
	if d.Status == "" {
		d.Status = "OK"
	}
	if d.StatusCode == 0 {
		d.StatusCode = 200
	}
	if d.Event == "" {
		d.Event = "pull_request"
	}
	cp := d
	f.deliveries = append(f.deliveries, &cp)
	return &cp
}

// ---- inspection ----

// Comments returns a PR's comments, oldest first.
func (f *Fake) Comments(owner, repo string, number int) []Comment {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Comment
	if r := f.repo(owner, repo); r != nil {
		if p := r.pulls[number]; p != nil {
			for _, c := range p.comments {
				out = append(out, c.Comment)
			}
		}
	}
	return out
}

// Statuses returns every status posted for sha, oldest first.
func (f *Fake) Statuses(owner, repo, sha string) []Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Status
	if r := f.repo(owner, repo); r != nil {
		for _, s := range r.statuses[strings.ToLower(sha)] {
			out = append(out, *s)
		}
	}
	return out
}

// LatestStatuses returns the latest status per context (keyed by the
// context as last written).
func (f *Fake) LatestStatuses(owner, repo, sha string) map[string]Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]Status{}
	if r := f.repo(owner, repo); r != nil {
		for _, s := range latestStatuses(r.statuses[strings.ToLower(sha)]) {
			out[s.Context] = *s
		}
	}
	return out
}

// latestStatuses keeps the newest status per context (case-insensitive),
// newest first, as GitHub's combined status does.
func latestStatuses(all []*Status) []*Status {
	seen := map[string]bool{}
	var out []*Status
	for i := len(all) - 1; i >= 0; i-- {
		k := key(all[i].Context)
		if !seen[k] {
			seen[k] = true
			out = append(out, all[i])
		}
	}
	return out
}

// IssueLabels returns the names of a PR's labels, sorted.
func (f *Fake) IssueLabels(owner, repo string, number int) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	if r := f.repo(owner, repo); r != nil {
		if p := r.pulls[number]; p != nil {
			for _, k := range p.labels {
				out = append(out, r.labels[k].Name)
			}
		}
	}
	return out
}

// RepoLabels returns the repository's labels, sorted by name.
func (f *Fake) RepoLabels(owner, repo string) []Label {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Label
	if r := f.repo(owner, repo); r != nil {
		for _, l := range sortedLabels(r) {
			out = append(out, *l)
		}
	}
	return out
}

// CheckRuns returns the check runs created for sha, oldest first.
func (f *Fake) CheckRuns(owner, repo, sha string) []CheckRun {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []CheckRun
	if r := f.repo(owner, repo); r != nil {
		for _, c := range r.checkRuns {
			if strings.EqualFold(c.HeadSHA, sha) {
				cp := *c
				cp.Actions = append([]CheckRunAction(nil), c.Actions...)
				out = append(out, cp)
			}
		}
	}
	return out
}

// File reads path at the tip of branch ("" = default branch).
func (f *Fake) File(owner, repo, branch, path string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.repo(owner, repo)
	if r == nil {
		return "", false
	}
	if branch == "" {
		branch = r.DefaultBranch
	}
	c := f.commits[r.branches[branch]]
	if c == nil {
		return "", false
	}
	s, ok := c.tree.files[path]
	return s, ok
}

// BranchSHA returns the tip of a branch.
func (f *Fake) BranchSHA(owner, repo, branch string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r := f.repo(owner, repo); r != nil {
		return r.branches[branch]
	}
	return ""
}

// PullRequest returns a pull request's current state.
func (f *Fake) PullRequest(owner, repo string, number int) (Pull, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.repo(owner, repo)
	if r == nil || r.pulls[number] == nil {
		return Pull{}, false
	}
	p := r.pulls[number]
	out := p.Pull
	for _, k := range p.labels {
		out.Labels = append(out.Labels, r.labels[k].Name)
	}
	return out, true
}

// Redeliveries returns the redeliver requests received, in order.
func (f *Fake) Redeliveries() []Redelivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Redelivery(nil), f.redeliveries...)
}

// ---- labels ----

func (f *Fake) ensureLabelLocked(r *repoState, name, color, desc string) string {
	k := key(name)
	if _, ok := r.labels[k]; !ok {
		r.labels[k] = &Label{ID: f.nextID("label"), Name: name, Color: color, Description: desc}
	}
	return k
}

func addLabelKey(list []string, k string) []string {
	for _, x := range list {
		if x == k {
			return list
		}
	}
	list = append(list, k)
	sort.Strings(list)
	return list
}

func sortedLabels(r *repoState) []*Label {
	out := make([]*Label, 0, len(r.labels))
	for _, l := range r.labels {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return key(out[i].Name) < key(out[j].Name) })
	return out
}

// ---- git helpers ----

// blobSHA is git's object id for a blob with this content.
func blobSHA(content string) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write([]byte(content))
	return hex.EncodeToString(h.Sum(nil))
}

// treeSHA is a stable id for a snapshot (not git's tree encoding, which
// needs nested trees; unique per content is what matters here).
func treeSHA(files map[string]string) string {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	h := sha1.New()
	h.Write([]byte("tree\x00"))
	for _, p := range paths {
		fmt.Fprintf(h, "%s\x00%s\n", p, blobSHA(files[p]))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// resolveRef turns a branch name, full SHA, unique SHA prefix (≥7) or
// "HEAD" into a commit.
func (f *Fake) resolveRef(r *repoState, ref string) *commitState {
	ref = strings.TrimPrefix(ref, "refs/heads/")
	if ref == "" || ref == "HEAD" {
		ref = r.DefaultBranch
	}
	if sha, ok := r.branches[ref]; ok {
		return f.commits[sha]
	}
	if c := f.commits[strings.ToLower(ref)]; c != nil {
		return c
	}
	if len(ref) >= 7 && len(ref) < 40 && isHex(ref) {
		var found *commitState
		for sha, c := range f.commits {
			if strings.HasPrefix(sha, strings.ToLower(ref)) {
				if found != nil {
					return nil
				}
				found = c
			}
		}
		return found
	}
	return nil
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// ancestors returns every commit reachable from sha (inclusive).
func (f *Fake) ancestors(sha string) map[string]bool {
	seen := map[string]bool{}
	stack := []string{sha}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		if c := f.commits[s]; c != nil {
			stack = append(stack, c.Parents...)
		}
	}
	return seen
}

// rangeCommits lists commits reachable from head and not from base, parents
// before children (oldest first), like GitHub's compare and PR commit lists.
func (f *Fake) rangeCommits(base, head string) []*commitState {
	exclude := f.ancestors(base)
	var set []*commitState
	in := map[string]bool{}
	stack := []string{head}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s == "" || in[s] || exclude[s] {
			continue
		}
		c := f.commits[s]
		if c == nil {
			continue
		}
		in[s] = true
		set = append(set, c)
		stack = append(stack, c.Parents...)
	}
	// Kahn's algorithm: emit a commit once all its in-range parents are out;
	// ties go to the older committer date, then seeding order.
	pending := map[string]int{}
	children := map[string][]*commitState{}
	for _, c := range set {
		for _, p := range c.Parents {
			if in[p] {
				pending[c.SHA]++
				children[p] = append(children[p], c)
			}
		}
	}
	var ready []*commitState
	for _, c := range set {
		if pending[c.SHA] == 0 {
			ready = append(ready, c)
		}
	}
	older := func(a, b *commitState) bool {
		if !a.Committer.Date.Equal(b.Committer.Date) {
			return a.Committer.Date.Before(b.Committer.Date)
		}
		return a.seq < b.seq
	}
	out := make([]*commitState, 0, len(set))
	for len(ready) > 0 {
		best := 0
		if len(ready) > 1 {
			for i := range ready {
				if older(ready[i], ready[best]) {
					best = i
				}
			}
		}
		c := ready[best]
		ready[best] = ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		out = append(out, c)
		for _, ch := range children[c.SHA] {
			pending[ch.SHA]--
			if pending[ch.SHA] == 0 {
				ready = append(ready, ch)
			}
		}
	}
	return out
}

// mergeBase is the newest common ancestor of a and b ("" if none).
func (f *Fake) mergeBase(a, b string) string {
	inA := f.ancestors(a)
	// Breadth-first from b finds the closest common ancestor.
	seen := map[string]bool{}
	queue := []string{b}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		if inA[s] {
			return s
		}
		if c := f.commits[s]; c != nil {
			queue = append(queue, c.Parents...)
		}
	}
	return ""
}

// pullCommits lists the PR's commits, oldest first (uncapped).
func (f *Fake) pullCommits(p *pullState) []*commitState {
	return f.rangeCommits(p.BaseSHA, p.HeadSHA)
}
