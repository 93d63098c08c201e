package action

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeSys records the privilege-changing calls a privDrop makes.
type fakeSys struct {
	uid      int
	owner    [2]int // uid, gid of the workspace
	statErr  error
	failCall string // "setgroups", "setgid" or "setuid"
	calls    []string
}

func (f *fakeSys) drop() privDrop {
	call := func(name string, arg any) error {
		f.calls = append(f.calls, fmt.Sprintf("%s(%v)", name, arg))
		if name == f.failCall {
			return errors.New("operation not permitted")
		}
		return nil
	}
	return privDrop{
		getuid: func() int { return f.uid },
		stat: func(path string) (int, int, error) {
			if f.statErr != nil {
				return 0, 0, f.statErr
			}
			return f.owner[0], f.owner[1], nil
		},
		setgroups: func(g []int) error { return call("setgroups", g) },
		setgid:    func(g int) error { return call("setgid", g) },
		setuid:    func(u int) error { return call("setuid", u) },
	}
}

func TestPrivilegeDrop(t *testing.T) {
	tests := []struct {
		name      string
		sys       fakeSys
		workspace string
		calls     []string
		log       string
	}{
		{"root, workspace of the hosted runner's user", fakeSys{uid: 0, owner: [2]int{1001, 118}}, "/github/workspace",
			[]string{"setgroups([])", "setgid(118)", "setuid(1001)"}, `msg="running as the workspace owner" uid=1001 gid=118`},
		{"root, workspace of root (root self-hosted runner)", fakeSys{uid: 0, owner: [2]int{0, 0}}, "/github/workspace",
			nil, "the workspace belongs to root"},
		{"not root", fakeSys{uid: 1001, owner: [2]int{1002, 1002}}, "/github/workspace",
			nil, "not running as root"},
		{"no workspace", fakeSys{uid: 0}, "",
			nil, "GITHUB_WORKSPACE is not set"},
		{"workspace missing", fakeSys{uid: 0, statErr: errors.New("no such file or directory")}, "/nowhere",
			nil, "cannot stat the workspace"},
		{"setgroups refused", fakeSys{uid: 0, owner: [2]int{1001, 1001}, failCall: "setgroups"}, "/w",
			[]string{"setgroups([])"}, "level=WARN msg=\"cannot drop supplementary groups"},
		{"setgid refused: the uid is kept", fakeSys{uid: 0, owner: [2]int{1001, 1001}, failCall: "setgid"}, "/w",
			[]string{"setgroups([])", "setgid(1001)"}, "level=WARN msg=\"cannot change group"},
		{"setuid refused", fakeSys{uid: 0, owner: [2]int{1001, 1001}, failCall: "setuid"}, "/w",
			[]string{"setgroups([])", "setgid(1001)", "setuid(1001)"}, "level=WARN msg=\"cannot change user"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			tc.sys.drop().apply(tc.workspace, log)
			if diff := cmp.Diff(tc.calls, tc.sys.calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if !strings.Contains(buf.String(), tc.log) {
				t.Errorf("log lacks %q:\n%s", tc.log, buf.String())
			}
		})
	}
}

func TestPrivilegeDropUnsupportedPlatform(t *testing.T) {
	var buf bytes.Buffer
	privDrop{}.apply("/github/workspace", slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if !strings.Contains(buf.String(), "not supported") {
		t.Errorf("log: %s", buf.String())
	}
}
