package transport

import "context"

type ctxKey int

const (
	keyIdempotent ctxKey = iota
	keyRetryNotFound
	keyGraphQLQuery
	keyStats
)

// WithIdempotent marks the request as safe to repeat even if the server may
// already have applied it, so a POST or PATCH is retried after a 5xx, a reset
// or a timeout like a PUT is. Use it for writes whose repetition is harmless
// (setting a commit status, which replaces the previous one for its context);
// never for writes that create content (an issue comment).
func WithIdempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, keyIdempotent, true)
}

func isIdempotentCtx(ctx context.Context) bool {
	v, _ := ctx.Value(keyIdempotent).(bool)
	return v
}

// WithRetryNotFound lets a GET that answers 404 be retried up to n times,
// for reads of an object that a webhook just announced and that GitHub may
// not serve yet (Prow retries such reads twice). Other methods ignore it.
func WithRetryNotFound(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, keyRetryNotFound, n)
}

func retryNotFound(ctx context.Context) int {
	n, _ := ctx.Value(keyRetryNotFound).(int)
	return n
}

// WithGraphQLQuery marks a POST to the GraphQL endpoint as a query, not a
// mutation. The GraphQL client sets it; the transport never parses bodies.
// A marked request counts as a read: the pacer does not delay it and the
// retry layer treats it as idempotent.
func WithGraphQLQuery(ctx context.Context) context.Context {
	return context.WithValue(ctx, keyGraphQLQuery, true)
}

func isGraphQLQueryCtx(ctx context.Context) bool {
	v, _ := ctx.Value(keyGraphQLQuery).(bool)
	return v
}

// WithStats makes the stack also record the request into s, in addition to
// the stack's own Stats: for example one Stats per webhook event gives the
// API calls that event cost.
func WithStats(ctx context.Context, s *Stats) context.Context {
	return context.WithValue(ctx, keyStats, s)
}

func statsFromContext(ctx context.Context) *Stats {
	s, _ := ctx.Value(keyStats).(*Stats)
	return s
}
