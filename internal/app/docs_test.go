package app

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Every environment variable the server reads or the deployment sets is
// documented in docs/app.md, and the App manifest subscribes to handled
// events only.
func TestDeploymentFilesAndDocs(t *testing.T) {
	doc, err := os.ReadFile("../../docs/app.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, m := range regexp.MustCompile(`"((?:GITHUB|CP|DATABASE)_[A-Z0-9_]+)"`).FindAllSubmatch(src, -1) {
		names[string(m[1])] = true
	}
	for _, base := range []string{"GITHUB_APP_PRIVATE_KEY", "GITHUB_WEBHOOK_SECRET", "GITHUB_WEBHOOK_SECRET_PREVIOUS"} {
		names[base+"_FILE"] = true
	}
	k8s, err := os.ReadFile("../../deploy/kubernetes/contribution-policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(k8s)))
	docs := 0
	for {
		var v map[string]any
		if err := dec.Decode(&v); err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("kubernetes YAML: %v", err)
		}
		docs++
	}
	if docs != 3 {
		t.Errorf("%d Kubernetes objects, want 3", docs)
	}
	for _, m := range regexp.MustCompile(`name: ((?:GITHUB|CP|DATABASE)_[A-Z0-9_]+)`).FindAllSubmatch(k8s, -1) {
		names[string(m[1])] = true
	}
	if len(names) < 20 {
		t.Fatalf("found only %d variables: %v", len(names), names)
	}
	for n := range names {
		if !strings.Contains(string(doc), "`"+n+"`") {
			t.Errorf("%s is not documented in docs/app.md", n)
		}
	}

	var manifest struct {
		Permissions map[string]string `json:"default_permissions"`
		Events      []string          `json:"default_events"`
	}
	b, err := os.ReadFile("../../deploy/app-manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		t.Fatal(err)
	}
	for _, e := range manifest.Events {
		if parsers[e] == nil {
			t.Errorf("the manifest subscribes to %q, which the App does not handle", e)
		}
	}
	for p, want := range map[string]string{"checks": "write", "pull_requests": "write", "contents": "read", "issues": "read"} {
		if manifest.Permissions[p] != want {
			t.Errorf("permission %s = %q, want %q", p, manifest.Permissions[p], want)
		}
	}
	if _, ok := manifest.Permissions["statuses"]; ok {
		t.Error("statuses: write is only needed with CP_COMMIT_STATUSES; leave it out of the default manifest")
	}
}
