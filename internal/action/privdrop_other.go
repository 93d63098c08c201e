//go:build !linux

package action

// Container actions run on Linux only; elsewhere there is nothing to drop.
var systemPrivDrop = privDrop{}
