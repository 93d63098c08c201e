//go:build linux

package action

import "syscall"

// systemPrivDrop uses the real system calls. Since Go 1.16 syscall.Setuid and
// friends apply to every thread of the process.
var systemPrivDrop = privDrop{
	getuid: syscall.Getuid,
	stat: func(path string) (int, int, error) {
		var st syscall.Stat_t
		if err := syscall.Stat(path, &st); err != nil {
			return 0, 0, err
		}
		return int(st.Uid), int(st.Gid), nil
	},
	setgroups: syscall.Setgroups,
	setgid:    syscall.Setgid,
	setuid:    syscall.Setuid,
}
