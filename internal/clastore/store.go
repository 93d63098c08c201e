package clastore

import (
	"context"
	"time"
)

// Store is a signature store. Every method is safe for concurrent use, by
// several processes too (gitfile: compare-and-swap on GitHub; SQL: the
// database's constraints and transactions).
type Store interface {
	// Lookup returns every record (signatures and revocations) of these
	// accounts for these agreements.
	Lookup(ctx context.Context, githubIDs []int64, agreements []string) ([]Record, error)
	// Append records a signature. When the signer already has an active
	// signature with the same key (agreement, major version), nothing is
	// written and that signature is returned with created false. Errors
	// wrap ErrForbidden or ErrContention when those are the cause.
	Append(ctx context.Context, r Record) (got Record, created bool, err error)
	// Revoke records the revocation of the active signature id.
	Revoke(ctx context.Context, id string, by int64, reason string, at time.Time) error
	// All returns every record, in the store's order.
	All(ctx context.Context) ([]Record, error)
	// Import appends many records at once, idempotently (a signature whose
	// key is already active is skipped, a revocation already recorded too).
	// It returns how many were added.
	Import(ctx context.Context, rs []Record) (int, error)
}
