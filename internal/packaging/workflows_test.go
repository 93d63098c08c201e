package packaging

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The workflows cannot run here; these tests read them and check what
// matters for a security-sensitive Action: pinned third-party actions,
// least-privilege tokens, the release that publishes both platforms and pins
// the image by digest, and the example workflow users copy.

type workflow struct {
	file        string
	On          yaml.Node       `yaml:"on"`
	Permissions yaml.Node       `yaml:"permissions"`
	Concurrency yaml.Node       `yaml:"concurrency"`
	Jobs        map[string]*job `yaml:"jobs"`
	raw         yaml.Node
	text        string
}

type job struct {
	If          string                 `yaml:"if"`
	Needs       yaml.Node              `yaml:"needs"`
	Permissions yaml.Node              `yaml:"permissions"`
	Concurrency struct{ Group string } `yaml:"concurrency"`
	Outputs     map[string]string      `yaml:"outputs"`
	Uses        string                 `yaml:"uses"`
	Steps       []step                 `yaml:"steps"`
}

type step struct {
	ID   string            `yaml:"id"`
	Name string            `yaml:"name"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

func readWorkflow(t *testing.T, rel string) *workflow {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	w := &workflow{file: rel, text: string(b)}
	if err := yaml.Unmarshal(b, &w.raw); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	if err := yaml.Unmarshal(b, w); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	if len(w.Jobs) == 0 {
		t.Fatalf("%s: no jobs", rel)
	}
	return w
}

// allWorkflows are every workflow this repository ships or runs.
func allWorkflows(t *testing.T) []*workflow {
	t.Helper()
	var files []string
	for _, glob := range []string{".github/workflows/*.yml", ".github/workflows/*.yaml", "examples/workflows/*.yml", "examples/workflows/*.yaml"} {
		m, err := filepath.Glob(filepath.Join(root, glob))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 3 {
		t.Fatalf("want ci.yml, release.yml and the example workflow, found %v", files)
	}
	var ws []*workflow
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		ws = append(ws, readWorkflow(t, filepath.ToSlash(rel)))
	}
	return ws
}

// triggers returns the workflow's events.
func (w *workflow) triggers(t *testing.T) map[string]yaml.Node {
	t.Helper()
	out := map[string]yaml.Node{}
	switch w.On.Kind {
	case yaml.ScalarNode:
		out[w.On.Value] = yaml.Node{}
	case yaml.SequenceNode:
		for _, n := range w.On.Content {
			out[n.Value] = yaml.Node{}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(w.On.Content); i += 2 {
			out[w.On.Content[i].Value] = *w.On.Content[i+1]
		}
	default:
		t.Fatalf("%s: no `on:`", w.file)
	}
	return out
}

// usesRef is one `uses:` with its line comment.
type usesRef struct {
	value, comment string
	line           int
}

func (w *workflow) uses() []usesRef {
	var out []usesRef
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k, v := n.Content[i], n.Content[i+1]; k.Value == "uses" && v.Kind == yaml.ScalarNode {
					out = append(out, usesRef{v.Value, strings.TrimSpace(v.LineComment), v.Line})
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&w.raw)
	return out
}

// ownAction is this repository's Action: users refer to it by tag.
const ownAction = "contribution-policy/contribution-policy"

var (
	sha40      = regexp.MustCompile(`^[0-9a-f]{40}$`)
	versionTag = regexp.MustCompile(`^# v\d+(\.\d+){0,2}$`)
)

func TestThirdPartyActionsArePinnedBySHA(t *testing.T) {
	for _, w := range allWorkflows(t) {
		for _, u := range w.uses() {
			if strings.HasPrefix(u.value, "./") || strings.HasPrefix(u.value, "docker://") {
				continue
			}
			name, ref, ok := strings.Cut(u.value, "@")
			if !ok {
				t.Errorf("%s:%d: uses %s has no @ref", w.file, u.line, u.value)
				continue
			}
			if strings.EqualFold(name, ownAction) {
				continue
			}
			if !sha40.MatchString(ref) {
				t.Errorf("%s:%d: uses %s: pin third-party actions to a full 40-hex commit SHA", w.file, u.line, u.value)
			}
			if !versionTag.MatchString(u.comment) {
				t.Errorf("%s:%d: uses %s: want a `# vX.Y.Z` comment naming the pinned release, got %q", w.file, u.line, u.value, u.comment)
			}
		}
	}
}

var knownScopes = []string{"actions", "attestations", "checks", "contents", "deployments", "discussions",
	"id-token", "issues", "models", "packages", "pages", "pull-requests", "repository-projects",
	"security-events", "statuses"}

// permissions decodes a permissions node; declared is false when absent.
func permissions(t *testing.T, where string, n yaml.Node) (scopes map[string]string, declared bool) {
	t.Helper()
	switch n.Kind {
	case 0:
		return nil, false
	case yaml.ScalarNode:
		switch n.Value {
		case "read-all":
			return map[string]string{"*": "read"}, true
		case "write-all":
			t.Errorf("%s: permissions: write-all", where)
			return map[string]string{"*": "write"}, true
		}
		t.Errorf("%s: permissions %q", where, n.Value)
		return nil, true
	case yaml.MappingNode:
		scopes = map[string]string{}
		if err := n.Decode(&scopes); err != nil {
			t.Errorf("%s: permissions: %v", where, err)
		}
		for k, v := range scopes {
			if !slices.Contains(knownScopes, k) {
				t.Errorf("%s: unknown permission scope %q", where, k)
			}
			if v != "read" && v != "write" && v != "none" {
				t.Errorf("%s: permission %s: %q", where, k, v)
			}
		}
		return scopes, true
	}
	t.Errorf("%s: permissions must be a mapping", where)
	return nil, true
}

// allowedWrites are the only write scopes, per workflow file and job.
var allowedWrites = map[string]map[string][]string{
	".github/workflows/ci.yml": {},
	".github/workflows/release.yml": {
		"image": {"packages"}, // push the image to ghcr.io
		"pin":   {"contents"}, // commit the pinned action.yml, move the tags
	},
	"examples/workflows/contribution-policy.yml": {
		"contribution-policy": {"pull-requests", "statuses"}, // the comment and labels; the commit status
	},
}

func TestPermissionsAreLeastPrivilege(t *testing.T) {
	for _, w := range allWorkflows(t) {
		top, declared := permissions(t, w.file, w.Permissions)
		if !declared {
			t.Errorf("%s: no top-level permissions: declare `permissions: {}` or read-only scopes", w.file)
		}
		for k, v := range top {
			if v == "write" {
				t.Errorf("%s: top-level permission %s: write; grant writes per job", w.file, k)
			}
		}
		allowed, known := allowedWrites[w.file]
		if !known {
			t.Errorf("%s: a new workflow: list its jobs' write scopes in allowedWrites", w.file)
		}
		for name, j := range w.Jobs {
			scopes, _ := permissions(t, w.file+" job "+name, j.Permissions)
			var writes []string
			for k, v := range scopes {
				if v == "write" {
					writes = append(writes, k)
				}
			}
			slices.Sort(writes)
			want := slices.Clone(allowed[name])
			slices.Sort(want)
			if !slices.Equal(writes, want) {
				t.Errorf("%s job %s: write scopes %v, want exactly %v", w.file, name, writes, want)
			}
		}
	}
}

// stepUsing returns the job and step that use an action (any version).
func (w *workflow) stepUsing(action string) (string, *step) {
	for name, j := range w.Jobs {
		for i := range j.Steps {
			if n, _, _ := strings.Cut(j.Steps[i].Uses, "@"); n == action {
				return name, &j.Steps[i]
			}
		}
	}
	return "", nil
}

func (w *workflow) runs() string {
	var b strings.Builder
	for _, j := range w.Jobs {
		for _, s := range j.Steps {
			b.WriteString(s.Run)
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestReleaseWorkflow(t *testing.T) {
	w := readWorkflow(t, ".github/workflows/release.yml")
	on := w.triggers(t)
	push, ok := on["push"]
	if !ok {
		t.Fatal("release.yml does not run on push")
	}
	var p struct{ Tags, Branches []string }
	if err := push.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(p.Tags, "v*") {
		t.Errorf("release.yml: push tags %v, want v*", p.Tags)
	}

	imageJob, build := w.stepUsing("docker/build-push-action")
	if build == nil {
		t.Fatal("release.yml: no docker/build-push-action step")
	}
	platforms := strings.Split(strings.ReplaceAll(build.With["platforms"], " ", ""), ",")
	for _, want := range []string{"linux/amd64", "linux/arm64"} {
		if !slices.Contains(platforms, want) {
			t.Errorf("release.yml: platforms %v lack %s", platforms, want)
		}
	}
	if build.With["push"] != "true" || build.With["file"] != "Dockerfile" || build.With["context"] != "." {
		t.Errorf("release.yml: build-push-action with %v: want push: true, file: Dockerfile, context: .", build.With)
	}
	if !strings.Contains(build.With["build-args"], "VERSION=") {
		t.Errorf("release.yml: the image's version is not passed (build-args %q)", build.With["build-args"])
	}
	if !strings.Contains(w.text, "ghcr.io/${REPOSITORY,,}") && !strings.Contains(build.With["tags"], "ghcr.io/") {
		t.Errorf("release.yml: images must go to ghcr.io/<owner>/<repo>")
	}
	for _, a := range []string{"docker/setup-buildx-action", "docker/setup-qemu-action", "docker/login-action"} {
		if j, s := w.stepUsing(a); s == nil || j != imageJob {
			t.Errorf("release.yml: job %s lacks %s", imageJob, a)
		}
	}
	if build.ID == "" || !strings.Contains(w.Jobs[imageJob].Outputs["digest"], "steps."+build.ID+".outputs.digest") {
		t.Errorf("release.yml: job %s must output the build's digest, outputs %v", imageJob, w.Jobs[imageJob].Outputs)
	}

	// On release tags only, a job pins runs.image to the pushed digest.
	var pinJob string
	var pin *step
	for name, j := range w.Jobs {
		for i, s := range j.Steps {
			if strings.Contains(s.Run, "scripts/container-pin-image.sh") {
				pinJob, pin = name, &j.Steps[i]
			}
		}
	}
	if pin == nil {
		t.Fatal("release.yml: no step runs scripts/container-pin-image.sh")
	}
	j := w.Jobs[pinJob]
	if cond := j.If + " " + pin.If; !strings.Contains(cond, "refs/tags/v") {
		t.Errorf("release.yml: job %s pins on every push; want `if: startsWith(github.ref, 'refs/tags/v')`", pinJob)
	}
	if pinJob != imageJob && !strings.Contains(j.Needs.Value+fmt.Sprint(j.Needs.Content), imageJob) {
		t.Errorf("release.yml: job %s must need %s", pinJob, imageJob)
	}
	if !strings.Contains(pin.Env["DIGEST"], "outputs.digest") {
		t.Errorf("release.yml: the pin step's DIGEST %q is not the build's digest", pin.Env["DIGEST"])
	}
	for _, want := range []string{"git commit", "git tag", "git push"} {
		if !strings.Contains(pin.Run, want) {
			t.Errorf("release.yml: the pin step does not %s", want)
		}
	}
	// Untrusted context values reach scripts through env, never inline.
	for name, j := range w.Jobs {
		for _, s := range j.Steps {
			if strings.Contains(s.Run, "${{") {
				t.Errorf("release.yml job %s step %q: ${{ }} inside run:; pass values through env:", name, s.Name)
			}
		}
	}
}

// TestPinImageScript runs the script release.yml uses on a copy of
// action.yml and checks that only runs.image changes, to a docker:// digest.
func TestPinImageScript(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	orig, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "action.yml")
	if err := os.WriteFile(file, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, "scripts/container-pin-image.sh")
	image, digest := "ghcr.io/contribution-policy/contribution-policy", "sha256:"+strings.Repeat("0123456789abcdef", 4)
	if out, err := exec.Command("bash", script, image, digest, file).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	pinned, _ := os.ReadFile(file)
	var before, after map[string]any
	if err := yaml.Unmarshal(orig, &before); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(pinned, &after); err != nil {
		t.Fatal(err)
	}
	runs := after["runs"].(map[string]any)
	if got, want := runs["image"], "docker://"+image+"@"+digest; got != want {
		t.Errorf("runs.image = %v, want %s", got, want)
	}
	if before["runs"].(map[string]any)["image"] != "Dockerfile" {
		t.Errorf("action.yml on main must build the Dockerfile, runs.image = %v", before["runs"].(map[string]any)["image"])
	}
	before["runs"].(map[string]any)["image"] = runs["image"]
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("the script changed more than runs.image:\n%s", pinned)
	}
	// A pinned file, a bad digest or an image with a tag are refused.
	for _, args := range [][]string{{image, digest}, {image, "sha256:abc"}, {image + ":v1", digest}, {"ghcr.io/Upper/Case", digest}} {
		f := file
		if args[0] != image || args[1] != digest {
			f = filepath.Join(dir, "fresh.yml")
			os.WriteFile(f, orig, 0o644)
		}
		if out, err := exec.Command("bash", append([]string{script}, append(args, f)...)...).CombinedOutput(); err == nil {
			t.Errorf("container-pin-image.sh %v succeeded:\n%s", args, out)
		}
	}
}

func TestCIWorkflow(t *testing.T) {
	w := readWorkflow(t, ".github/workflows/ci.yml")
	on := w.triggers(t)
	if _, ok := on["pull_request"]; !ok {
		t.Error("ci.yml does not run on pull_request")
	}
	if _, ok := on["pull_request_target"]; ok {
		t.Error("ci.yml runs on pull_request_target: it runs the PR's code, so it must use pull_request")
	}
	top, _ := permissions(t, w.file, w.Permissions)
	if len(top) != 1 || top["contents"] != "read" {
		t.Errorf("ci.yml: top-level permissions %v, want contents: read", top)
	}
	runs := w.runs()
	for _, want := range []string{"go vet ./...", "go test -race", "scripts/fuzz.sh", "govulncheck", "scripts/container-build.sh", "CP_CONTAINER_E2E=1"} {
		if !strings.Contains(runs, want) {
			t.Errorf("ci.yml does not run %s", want)
		}
	}
	for name, j := range w.Jobs {
		for _, s := range j.Steps {
			if n, _, _ := strings.Cut(s.Uses, "@"); n == "actions/checkout" && s.With["persist-credentials"] != "false" {
				t.Errorf("ci.yml job %s: checkout keeps the token in .git/config; set persist-credentials: false", name)
			}
		}
	}
}

func TestExampleWorkflow(t *testing.T) {
	const file = "examples/workflows/contribution-policy.yml"
	w := readWorkflow(t, file)
	on := w.triggers(t)
	if _, ok := on["pull_request_target"]; !ok {
		t.Errorf("%s: want pull_request_target (a write token for fork PRs; the base branch's workflow)", file)
	}
	if _, ok := on["pull_request"]; ok {
		t.Errorf("%s: pull_request gives fork PRs a read-only token", file)
	}
	if c, ok := on["issue_comment"]; ok {
		var ic struct{ Types []string }
		c.Decode(&ic)
		if !slices.Equal(ic.Types, []string{"created"}) {
			t.Errorf("%s: issue_comment types %v: commands are read from new comments only", file, ic.Types)
		}
	}
	if top, declared := permissions(t, file, w.Permissions); !declared || len(top) != 0 {
		t.Errorf("%s: top-level permissions %v, want {}", file, top)
	}
	for _, u := range w.uses() {
		if n, _, _ := strings.Cut(u.value, "@"); n == "actions/checkout" {
			t.Errorf("%s:%d: checks out code under pull_request_target: the PR's code must never be checked out", file, u.line)
		}
	}
	jobName, st := w.stepUsing(ownAction)
	if st == nil {
		t.Fatalf("%s does not use %s", file, ownAction)
	}
	if j := w.Jobs[jobName]; !strings.Contains(j.Concurrency.Group, "github.event.pull_request.number") ||
		!strings.Contains(j.Concurrency.Group, "github.event.issue.number") {
		t.Errorf("%s: job %s concurrency group %q: want one group per pull request (pull_request.number || issue.number)", file, jobName, j.Concurrency.Group)
	}
	// README shows this file; keep them identical.
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```yaml\n"+w.text+"```\n") {
		t.Errorf("README.md does not show %s verbatim in a ```yaml block; update one from the other", file)
	}
}

func TestActionYML(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Name, Description string
		Branding          struct{ Icon, Color string }
		Runs              struct {
			Using, Image, Entrypoint string
			Args                     []string
		}
	}
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if a.Runs.Using != "docker" || a.Runs.Image != "Dockerfile" || !slices.Equal(a.Runs.Args, []string{"action"}) || a.Runs.Entrypoint != "" {
		t.Errorf("action.yml runs %+v: want using docker, image Dockerfile, args [action], the image's entrypoint", a.Runs)
	}
	if a.Name == "" || a.Description == "" || a.Branding.Icon == "" || a.Branding.Color == "" {
		t.Errorf("action.yml needs name, description and branding for the Marketplace: %+v", a)
	}
}
