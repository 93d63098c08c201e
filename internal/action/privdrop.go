package action

import (
	"fmt"
	"log/slog"
)

// GitHub runs container actions as root (a Dockerfile USER breaks them: the
// runner's /github/file_commands files and the workspace belong to the
// runner's user, uid 1001 on hosted runners, mode 0644). So the image has no
// USER and the Action drops, first thing, to the owner of GITHUB_WORKSPACE:
// it then runs with the runner user's rights, and anything it writes belongs
// to that user. On a runner that itself runs as root the workspace belongs to
// root and nothing changes. See ../shared/research/container.md §2.5.

// privDrop holds the system calls the drop needs, so tests can fake them.
// A nil getuid means the platform has no drop (not Linux).
type privDrop struct {
	getuid    func() int
	stat      func(path string) (uid, gid int, err error)
	setgroups func(gids []int) error
	setgid    func(gid int) error
	setuid    func(uid int) error
}

// dropPlan says whether to drop and to whom; reason explains a decision not
// to drop (for the debug log).
func (p privDrop) plan(workspace string) (uid, gid int, drop bool, reason string) {
	switch {
	case p.getuid == nil:
		return 0, 0, false, "not supported on this platform"
	case p.getuid() != 0:
		return 0, 0, false, "not running as root"
	case workspace == "":
		return 0, 0, false, "GITHUB_WORKSPACE is not set"
	}
	uid, gid, err := p.stat(workspace)
	switch {
	case err != nil:
		return 0, 0, false, fmt.Sprintf("cannot stat the workspace: %v", err)
	case uid == 0:
		return 0, 0, false, "the workspace belongs to root"
	}
	return uid, gid, true, ""
}

// apply drops to the workspace owner when running as root and the owner is
// not root. It never fails the run: a failed drop leaves the process as root,
// which can still write everything the Action writes; it is logged.
func (p privDrop) apply(workspace string, log *slog.Logger) {
	uid, gid, drop, reason := p.plan(workspace)
	if !drop {
		log.Debug("keeping the current user", "reason", reason)
		return
	}
	// Supplementary groups first, then the group, then the user: once the
	// uid is dropped the other two are no longer permitted.
	if err := p.setgroups(nil); err != nil {
		log.Warn("cannot drop supplementary groups; running as root", "err", err)
		return
	}
	if err := p.setgid(gid); err != nil {
		log.Warn("cannot change group; running as root", "gid", gid, "err", err)
		return
	}
	if err := p.setuid(uid); err != nil {
		log.Warn("cannot change user; running as root", "uid", uid, "err", err)
		return
	}
	log.Info("running as the workspace owner", "uid", uid, "gid", gid)
}

// dropPrivileges is called at the start of Run.
func dropPrivileges(workspace string, log *slog.Logger) {
	systemPrivDrop.apply(workspace, log)
}
