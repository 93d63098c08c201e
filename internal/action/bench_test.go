package action

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/ghfake"
)

// BenchmarkProcess measures the Action binary from process start to exit, as
// a job step pays it (without the container): a no-op event (one the Action
// ignores) and a pull_request_target event on the fixture PR, against the
// fake GitHub on loopback.
func BenchmarkProcess(b *testing.B) {
	f, err := ghfake.Start()
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	t := &testing.T{}
	seedFixtureRepo(t, f, signedMsg, nil)
	for _, tc := range []struct {
		name, event, payload string
	}{
		{"noop-event", "push", "push/payload.json"},
		{"pull_request_target", "pull_request_target", "pull_request/opened.payload.json"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r := run{t: t, fake: f, event: tc.event, payload: payload(t, tc.payload)}
			dir := b.TempDir()
			os.WriteFile(filepath.Join(dir, "event.json"), r.payload, 0o644)
			env := r.runnerEnv(dir)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(binary)
				cmd.Dir, cmd.Env = dir, env
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v\n%s", err, out)
				}
			}
		})
	}
}
