//go:build !noapp

package clastore

import (
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite" (pure Go)
)

// sqlDrivers reports whether this build links the SQL drivers. The Action's
// container image is built with -tags noapp and leaves them out (they are
// most of the App's size); its stores are gitfile.
const sqlDrivers = true
