//go:build noapp

package clastore

const sqlDrivers = false
