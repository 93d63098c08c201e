package action

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/contribution-policy/contribution-policy/internal/fixtures"
	"github.com/contribution-policy/contribution-policy/internal/ghfake"
)

// This file runs the Action the way GitHub's runner does: the built binary,
// every input from action.yml as an INPUT_* variable (hyphens kept), the
// event payload in a file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and
// the API URLs pointing at the fake.

var binary string // built once in TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cp-action-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binary = filepath.Join(dir, "contribution-policy")
	cmd := exec.Command("go", "build", "-o", binary, "../../cmd/contribution-policy")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// actionYML is the parsed action.yml.
type actionYML struct {
	Inputs map[string]struct {
		Description string `yaml:"description"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
	} `yaml:"outputs"`
	Runs struct {
		Using string   `yaml:"using"`
		Image string   `yaml:"image"`
		Args  []string `yaml:"args"`
	} `yaml:"runs"`
}

func readActionYML(t *testing.T) actionYML {
	t.Helper()
	b, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a actionYML
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// run is one simulated job step.
type run struct {
	t       *testing.T
	fake    *ghfake.Fake
	event   string
	payload []byte
	inputs  map[string]string // overrides of action.yml defaults
	token   string
	extra   map[string]string // extra env
}

type result struct {
	code    int
	stdout  string
	stderr  string
	outputs map[string]string
	summary string
}

// runnerEnv builds the environment the runner gives a container action.
func (r run) runnerEnv(dir string) []string {
	a := readActionYML(r.t)
	token := r.token
	if token == "" {
		token = ghfake.DefaultToken
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"CI=true",
		"GITHUB_ACTIONS=true",
		"GITHUB_EVENT_NAME=" + r.event,
		"GITHUB_EVENT_PATH=" + filepath.Join(dir, "event.json"),
		"GITHUB_REPOSITORY=" + "Codertocat/Hello-World",
		"GITHUB_REPOSITORY_OWNER=Codertocat",
		"GITHUB_API_URL=" + strings.TrimSuffix(r.fake.URL(), "/"),
		"GITHUB_GRAPHQL_URL=" + r.fake.GraphQLURL(),
		"GITHUB_SERVER_URL=" + strings.TrimSuffix(r.fake.ServerURL(), "/"),
		"GITHUB_RUN_ID=4242",
		"GITHUB_RUN_ATTEMPT=1",
		"GITHUB_OUTPUT=" + filepath.Join(dir, "set_output"),
		"GITHUB_STEP_SUMMARY=" + filepath.Join(dir, "step_summary"),
		"GITHUB_WORKSPACE=" + dir,
		"RUNNER_OS=Linux",
	}
	for name, in := range a.Inputs {
		v, ok := r.inputs[name]
		if !ok {
			v = strings.ReplaceAll(in.Default, "${{ github.token }}", token)
		}
		// The runner upper-cases the name and keeps hyphens.
		env = append(env, "INPUT_"+strings.ToUpper(strings.ReplaceAll(name, " ", "_"))+"="+v)
	}
	for k, v := range r.extra {
		env = append(env, k+"="+v)
	}
	return env
}

func (r run) exec() result {
	r.t.Helper()
	dir := r.t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "event.json"), r.payload, 0o644); err != nil {
		r.t.Fatal(err)
	}
	for _, f := range []string{"set_output", "step_summary"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	cmd := exec.Command(binary)
	cmd.Dir = dir
	cmd.Env = r.runnerEnv(dir)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := result{stdout: stdout.String(), stderr: stderr.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		r.t.Fatal(err)
	}
	res.outputs = parseOutputs(r.t, filepath.Join(dir, "set_output"))
	b, _ := os.ReadFile(filepath.Join(dir, "step_summary"))
	res.summary = string(b)
	return res
}

// parseOutputs reads GITHUB_OUTPUT like the runner: name=value and
// name<<DELIM ... DELIM.
func parseOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if name, delim, ok := strings.Cut(line, "<<"); ok {
			var val []string
			for sc.Scan() && sc.Text() != delim {
				val = append(val, sc.Text())
			}
			out[name] = strings.Join(val, "\n")
			continue
		}
		if name, val, ok := strings.Cut(line, "="); ok {
			out[name] = val
		}
	}
	return out
}

// Fixture repository: octokit's pull_request payloads are for
// Codertocat/Hello-World#2, head ec26c3e, base f95f852.
const (
	fxOwner = "Codertocat"
	fxRepo  = "Hello-World"
	fxPR    = 2
	fxBase  = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
	fxHead  = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
)

// seedFixtureRepo makes the fake hold the repository and pull request the
// octokit payloads describe; message is the head commit's message.
func seedFixtureRepo(t *testing.T, f *ghfake.Fake, message string, files map[string]string) {
	t.Helper()
	f.AddRepo(ghfake.Repo{Owner: fxOwner, Name: fxRepo, OwnerType: "User", DefaultBranch: "master"})
	f.AddUser(ghfake.User{Login: fxOwner, ID: 21031067})
	f.AddCommit(fxOwner, fxRepo, ghfake.Commit{SHA: fxBase, Message: "Initial commit", Files: files,
		Author: ghfake.GitPerson{Name: "Codertocat", Email: "21031067+Codertocat@users.noreply.github.com"}, AuthorLogin: fxOwner})
	f.SetBranch(fxOwner, fxRepo, "master", fxBase)
	f.AddCommit(fxOwner, fxRepo, ghfake.Commit{SHA: fxHead, Parents: []string{fxBase}, Message: message,
		Author: ghfake.GitPerson{Name: "Codertocat", Email: "21031067+Codertocat@users.noreply.github.com"}, AuthorLogin: fxOwner})
	f.SetBranch(fxOwner, fxRepo, "changes", fxHead)
	f.AddPull(fxOwner, fxRepo, ghfake.Pull{Number: fxPR, Author: fxOwner, BaseRef: "master", BaseSHA: fxBase, HeadRef: "changes", HeadSHA: fxHead, AuthorAssociation: "OWNER"})
}

const (
	signedMsg   = "Update the README with new information.\n\nSigned-off-by: Codertocat <21031067+Codertocat@users.noreply.github.com>"
	unsignedMsg = "Update the README with new information."
)

func payload(t *testing.T, name string) []byte {
	t.Helper()
	return fixtures.MustRead("webhooks/" + name)
}

// commentPayload derives an issue_comment on the fixture PR from octokit's
// issue comment payload: octokit's example is on an issue, so it gains the
// pull_request link GitHub sets for PR comments.
func commentPayload(t *testing.T, body, userType string) []byte {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(payload(t, "issue_comment/created.payload.json"), &ev); err != nil {
		t.Fatal(err)
	}
	issue := ev["issue"].(map[string]any)
	issue["number"] = fxPR
	issue["pull_request"] = map[string]any{"url": "https://api.github.com/repos/Codertocat/Hello-World/pulls/2"}
	comment := ev["comment"].(map[string]any)
	comment["body"] = body
	comment["user"].(map[string]any)["type"] = userType
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
