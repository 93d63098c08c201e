package action

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"github.com/contribution-policy/contribution-policy/internal/render"
)

// This file runs the built container image the way GitHub's runner runs a
// container action (actions/runner ContainerActionHandler + DockerRun; see
// ../shared/research/container.md §1), with podman instead of docker:
//
//	docker run --name N --label L --workdir /github/workspace --rm
//	  -e INPUT_GITHUB-TOKEN ... -e HOME -e GITHUB_* -e RUNNER_* ... -e GITHUB_ACTIONS=true -e CI=true
//	  -v <temp>:/github/runner_temp -v <temp>/_github_home:/github/home
//	  -v <temp>/_github_workflow:/github/workflow -v <temp>/_runner_file_commands:/github/file_commands
//	  -v <workspace>:/github/workspace  IMAGE  <runs.args>
//
// The temp directory, the file-command files (0644) and the workspace belong
// to uid 1001 as on hosted runners; values reach the container through
// podman's own environment (`-e NAME` without a value), as with the runner.
// The only addition is --network host, so the container reaches the fake
// GitHub on 127.0.0.1.
//
// The image is built by scripts/container-build.sh (.ci/run does it). These
// tests run only when CP_CONTAINER_E2E=1, and then fail, not skip, when
// podman or the image is missing.

const (
	runnerUID     = 1001 // the hosted runner's user
	maxImageBytes = 20 << 20
)

// containerImage returns the image to test, skipping unless the container
// end-to-end tests are asked for.
func containerImage(t *testing.T) string {
	t.Helper()
	if os.Getenv("CP_CONTAINER_E2E") != "1" {
		t.Skip("container end-to-end tests: set CP_CONTAINER_E2E=1 after scripts/container-build.sh (.ci/run does both)")
	}
	image := os.Getenv("CP_CONTAINER_IMAGE")
	if image == "" {
		t.Fatal("CP_CONTAINER_E2E=1 but CP_CONTAINER_IMAGE is empty: source the env.sh that scripts/container-build.sh writes")
	}
	if _, err := exec.LookPath("podman"); err != nil {
		t.Fatalf("CP_CONTAINER_E2E=1 but podman is missing (%v): run scripts/container-build.sh, which installs it", err)
	}
	if os.Getuid() != 0 {
		t.Fatal("CP_CONTAINER_E2E=1 needs root: the runner's files must be chowned to uid 1001 and podman runs rootful")
	}
	if out, err := exec.Command("podman", "image", "exists", image).CombinedOutput(); err != nil {
		t.Fatalf("image %s not found (%v %s): run scripts/container-build.sh and source its env.sh", image, err, out)
	}
	return image
}

func TestContainerImage(t *testing.T) {
	image := containerImage(t)
	out, err := exec.Command("podman", "image", "inspect", image).Output()
	if err != nil {
		t.Fatal(err)
	}
	var inspect []struct {
		Size   int64
		Config struct {
			User       string
			Entrypoint []string
			Cmd        []string
			WorkingDir string
			Env        []string
		}
		RootFS struct{ Layers []string }
	}
	if err := json.Unmarshal(out, &inspect); err != nil || len(inspect) != 1 {
		t.Fatalf("podman image inspect: %v\n%s", err, out)
	}
	img := inspect[0]
	t.Logf("image %s: %d bytes (%.2f MB) uncompressed, %d layer(s)", image, img.Size, float64(img.Size)/1e6, len(img.RootFS.Layers))
	if img.Size <= 0 || img.Size >= maxImageBytes {
		t.Errorf("image size %d bytes, want under %d", img.Size, maxImageBytes)
	}
	if img.Config.User != "" {
		t.Errorf("image USER %q: GitHub runs container actions as root", img.Config.User)
	}
	if got := strings.Join(img.Config.Entrypoint, " "); got != "/contribution-policy" {
		t.Errorf("entrypoint %q", got)
	}
	if img.Config.WorkingDir != "" && img.Config.WorkingDir != "/" {
		t.Errorf("working dir %q: the runner sets --workdir", img.Config.WorkingDir)
	}
	// The version is linked in (-X ...internal/version.Version).
	v, err := exec.Command("podman", "run", "--rm", "--network", "none", image, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("version: %v\n%s", err, v)
	}
	if want := os.Getenv("CP_CONTAINER_VERSION"); want != "" && strings.TrimSpace(string(v)) != "contribution-policy "+want {
		t.Errorf("version %q, want %q", strings.TrimSpace(string(v)), want)
	}
}

// containerRun is one job step of the container action.
type containerRun struct {
	t       *testing.T
	image   string
	fake    *ghfake.Fake
	event   string
	payload []byte
	inputs  map[string]string
	quiet   bool // no per-run log line (the timing test)
}

type containerResult struct {
	result
	elapsed time.Duration
}

func (r containerRun) exec() containerResult {
	t := r.t
	t.Helper()
	root := t.TempDir()
	temp := filepath.Join(root, "_work", "_temp") // the runner's _work/_temp
	workspace := filepath.Join(root, "_work", "Hello-World", "Hello-World")
	for _, d := range []string{"_github_home", "_github_workflow", "_runner_file_commands"} {
		mustMkdir(t, filepath.Join(temp, d))
	}
	mustMkdir(t, workspace)
	if err := os.WriteFile(filepath.Join(temp, "_github_workflow", "event.json"), r.payload, 0o644); err != nil {
		t.Fatal(err)
	}
	// FileCommandManager.InitializeFiles: one empty file per file command,
	// one guid, created by the runner process (0644, the runner's user).
	guid := newGUID(t)
	for _, p := range []string{"add_path_", "set_env_", "step_summary_", "save_state_", "set_output_"} {
		if err := os.WriteFile(filepath.Join(temp, "_runner_file_commands", p+guid), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, dir := range []string{temp, workspace} {
		chownTree(t, dir, runnerUID)
	}

	// Every input declared in action.yml: the with: value, else the default.
	a := readActionYML(t)
	var env []string
	for name, in := range a.Inputs {
		v, ok := r.inputs[name]
		if !ok {
			v = strings.ReplaceAll(in.Default, "${{ github.token }}", ghfake.DefaultToken)
		}
		env = append(env, "INPUT_"+strings.ToUpper(strings.ReplaceAll(name, " ", "_"))+"="+v)
	}
	fc := "/github/file_commands/"
	env = append(env,
		"HOME=/github/home",
		"GITHUB_JOB=contribution-policy",
		"GITHUB_REF=refs/pull/2/merge",
		"GITHUB_SHA="+fxBase,
		"GITHUB_REPOSITORY="+fxOwner+"/"+fxRepo,
		"GITHUB_REPOSITORY_OWNER="+fxOwner,
		"GITHUB_RUN_ID=4242",
		"GITHUB_RUN_NUMBER=7",
		"GITHUB_RUN_ATTEMPT=1",
		"GITHUB_ACTOR=Codertocat",
		"GITHUB_TRIGGERING_ACTOR=Codertocat",
		"GITHUB_WORKFLOW=contribution-policy",
		"GITHUB_HEAD_REF=changes",
		"GITHUB_BASE_REF=master",
		"GITHUB_EVENT_NAME="+r.event,
		"GITHUB_SERVER_URL="+strings.TrimSuffix(r.fake.ServerURL(), "/"),
		"GITHUB_API_URL="+strings.TrimSuffix(r.fake.URL(), "/"),
		"GITHUB_GRAPHQL_URL="+r.fake.GraphQLURL(),
		"GITHUB_REF_NAME=2/merge",
		"GITHUB_REF_PROTECTED=false",
		"GITHUB_REF_TYPE=branch",
		"GITHUB_WORKSPACE=/github/workspace",
		"GITHUB_ACTION=__contribution-policy_contribution-policy",
		"GITHUB_EVENT_PATH=/github/workflow/event.json",
		"GITHUB_ACTION_REPOSITORY=contribution-policy/contribution-policy",
		"GITHUB_ACTION_REF=v1",
		"GITHUB_PATH="+fc+"add_path_"+guid,
		"GITHUB_ENV="+fc+"set_env_"+guid,
		"GITHUB_STEP_SUMMARY="+fc+"step_summary_"+guid,
		"GITHUB_STATE="+fc+"save_state_"+guid,
		"GITHUB_OUTPUT="+fc+"set_output_"+guid,
		"RUNNER_OS=Linux",
		"RUNNER_ARCH=X64",
		"RUNNER_NAME=GitHub Actions 2",
		"RUNNER_ENVIRONMENT=github-hosted",
		"RUNNER_TOOL_CACHE=/opt/hostedtoolcache",
		"RUNNER_TEMP=/github/runner_temp",
		"RUNNER_WORKSPACE=/home/runner/work/Hello-World",
		"ACTIONS_RUNTIME_URL=http://127.0.0.1:9/",
		"ACTIONS_RUNTIME_TOKEN=dummy",
		"ACTIONS_RESULTS_URL=http://127.0.0.1:9/",
	)
	args := []string{"run", "--name", "contribution-policy_" + guid[:6], "--label", guid[:6],
		"--workdir", "/github/workspace", "--rm"}
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		args = append(args, "-e", name) // the value comes from podman's environment
	}
	args = append(args, "-e", "GITHUB_ACTIONS=true", "-e", "CI=true", "--network", "host")
	if fi, err := os.Stat("/var/run/docker.sock"); err == nil && fi.Mode()&os.ModeSocket != 0 {
		args = append(args, "-v", "/var/run/docker.sock:/var/run/docker.sock")
	}
	args = append(args,
		"-v", temp+":/github/runner_temp",
		"-v", filepath.Join(temp, "_github_home")+":/github/home",
		"-v", filepath.Join(temp, "_github_workflow")+":/github/workflow",
		"-v", filepath.Join(temp, "_runner_file_commands")+":/github/file_commands",
		"-v", workspace+":/github/workspace",
		r.image)
	args = append(args, a.Runs.Args...)

	cmd := exec.Command("podman", args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	res := containerResult{elapsed: time.Since(start)}
	res.stdout, res.stderr = stdout.String(), stderr.String()
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(args, " "), ghfake.DefaultToken) {
		t.Error("the token is on podman's command line")
	}
	res.outputs = parseOutputs(t, filepath.Join(temp, "_runner_file_commands", "set_output_"+guid))
	b, err := os.ReadFile(filepath.Join(temp, "_runner_file_commands", "step_summary_"+guid))
	if err != nil {
		t.Fatal(err)
	}
	res.summary = string(b)
	if !r.quiet {
		t.Logf("podman run (%s event): exit %d in %v", r.event, res.code, res.elapsed.Round(time.Millisecond))
	}
	return res
}

func TestContainerActionAsTheRunnerRunsIt(t *testing.T) {
	image := containerImage(t)
	// The container reaches the fake on loopback through --network host.
	t.Run("failing pull_request_target", func(t *testing.T) {
		f := ghfake.New(t)
		seedFixtureRepo(t, f, unsignedMsg, nil)
		res := containerRun{t: t, image: image, fake: f, event: "pull_request_target",
			payload: payload(t, "pull_request/synchronize.payload.json")}.exec()
		if res.code != ExitFail {
			t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
		}
		want := map[string]string{"result": "fail", "dco": "failure", "failing-commits": fxHead, "config-source": ""}
		for k, v := range want {
			if res.outputs[k] != v {
				t.Errorf("output %s = %q, want %q (all: %v)", k, res.outputs[k], v, res.outputs)
			}
		}
		if !strings.Contains(res.stdout, "::error title=contribution-policy/dco::The commit is not signed off: ec26c3e") {
			t.Errorf("no error annotation:\n%s", res.stdout)
		}
		if !strings.Contains(res.summary, "git commit --amend --no-edit --signoff") {
			t.Errorf("summary lacks the fix:\n%s", res.summary)
		}
		if st := statusOf(f); st.State != "failure" || !strings.Contains(st.TargetURL, "/actions/runs/4242") {
			t.Errorf("status %+v", st)
		}
		if cs := f.Comments(fxOwner, fxRepo, fxPR); len(cs) != 1 || !strings.Contains(cs[0].Body, render.Marker) {
			t.Errorf("want one policy comment, got %+v", cs)
		}
		// Root in the container, but the Action dropped to the workspace owner.
		if !strings.Contains(res.stderr, `msg="running as the workspace owner" uid=1001 gid=1001`) {
			t.Errorf("did not drop to the workspace owner:\n%s", res.stderr)
		}
	})
	t.Run("passing pull_request_target", func(t *testing.T) {
		f := ghfake.New(t)
		seedFixtureRepo(t, f, signedMsg, nil)
		res := containerRun{t: t, image: image, fake: f, event: "pull_request_target",
			payload: payload(t, "pull_request/opened.payload.json")}.exec()
		if res.code != ExitPass {
			t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
		}
		if res.outputs["result"] != "pass" || res.outputs["dco"] != "success" {
			t.Errorf("outputs %v", res.outputs)
		}
		if !strings.Contains(res.summary, "## Contribution policy: ✅ pass") {
			t.Errorf("summary:\n%s", res.summary)
		}
		if st := statusOf(f); st.State != "success" {
			t.Errorf("status %+v", st)
		}
		if strings.Contains(strings.ReplaceAll(res.stdout, "::add-mask::"+ghfake.DefaultToken, "")+res.stderr, ghfake.DefaultToken) {
			t.Error("the token was printed")
		}
	})
}

func mustMkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func chownTree(t *testing.T, dir string, uid int) {
	t.Helper()
	err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, uid)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func newGUID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	h := hex.EncodeToString(b)
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[:8], h[8:12], h[12:16], h[16:20], h[20:])
}

// TestContainerStartToExit measures `podman run` from start to exit, the way
// the runner starts the step, for CP_CONTAINER_BENCH_RUNS runs of each case,
// and logs (and writes to CP_CONTAINER_BENCH_OUT, as Markdown table rows)
// the median, min and max. It asserts nothing about time: bench/container.sh
// runs it and records the figures in docs/performance.md.
func TestContainerStartToExit(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv("CP_CONTAINER_BENCH_RUNS"))
	if runs <= 0 {
		t.Skip("timing: set CP_CONTAINER_BENCH_RUNS=N (bench/container.sh does)")
	}
	image := containerImage(t)
	var rows []string
	measure := func(name string, once func() time.Duration) {
		d := make([]time.Duration, runs)
		for i := range d {
			d[i] = once()
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		ms := func(x time.Duration) string { return strconv.FormatInt(x.Milliseconds(), 10) + " ms" }
		row := fmt.Sprintf("| %s | %s | %s – %s | %d |", name, ms(d[len(d)/2]), ms(d[0]), ms(d[len(d)-1]), runs)
		t.Log(row)
		rows = append(rows, row)
	}
	event := func(msg, file string, fresh bool, want int) func() time.Duration {
		var f *ghfake.Fake
		return func() time.Duration {
			if fresh || f == nil {
				f = ghfake.New(t)
				seedFixtureRepo(t, f, msg, nil)
			}
			res := containerRun{t: t, image: image, fake: f, event: "pull_request_target", payload: payload(t, file), quiet: true}.exec()
			if res.code != want {
				t.Fatalf("exit %d, want %d\n%s%s", res.code, want, res.stdout, res.stderr)
			}
			return res.elapsed
		}
	}
	measure("`podman run`, no-op (`version`, `--network none`)", func() time.Duration {
		start := time.Now()
		if out, err := exec.Command("podman", "run", "--rm", "--network", "none", image, "version").CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return time.Since(start)
	})
	measure("Runner-style `podman run`, `pull_request_target`, passing PR, first event (1 write)",
		event(signedMsg, "pull_request/opened.payload.json", true, ExitPass))
	measure("Runner-style `podman run`, `pull_request_target`, unchanged PR, rerun (0 writes)",
		event(signedMsg, "pull_request/synchronize.payload.json", false, ExitPass))
	measure("Runner-style `podman run`, `pull_request_target`, failing PR, first event (status + comment)",
		event(unsignedMsg, "pull_request/opened.payload.json", true, ExitFail))
	if out := os.Getenv("CP_CONTAINER_BENCH_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
