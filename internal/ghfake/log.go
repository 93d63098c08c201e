package ghfake

import (
	"net/http"
	"strconv"
	"time"
)

// Call is one request the fake answered, in arrival order.
type Call struct {
	Method           string
	Path             string // escaped, after the base path: "/repos/o/r/pulls/1/commits"; "/graphql" for GraphQL
	Query            string // raw query
	Status           int    // 0 when the client went away during an injected delay
	GraphQLOperation string // operation name (or "query"/"mutation" when anonymous)
	Mutation         bool
	Token            string
	Time             time.Time
	Faulted          bool // an injected fault shaped the answer
}

// IsWrite reports whether the call changes state: a non-GET/HEAD REST call
// or a GraphQL mutation.
func (c Call) IsWrite() bool {
	if c.Path == "/graphql" {
		return c.Mutation
	}
	return c.Method != http.MethodGet && c.Method != http.MethodHead
}

// String renders a call for test failure messages: "POST /repos/o/r/statuses/… 201".
func (c Call) String() string {
	s := c.Method + " " + c.Path
	if c.Query != "" {
		s += "?" + c.Query
	}
	if c.GraphQLOperation != "" {
		s += " " + c.GraphQLOperation
	}
	s += " " + strconv.Itoa(c.Status)
	if c.Faulted {
		s += " (faulted)"
	}
	return s
}

func (f *Fake) logCall(c Call) {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.mu.Unlock()
}

// Calls returns every call so far, in order.
func (f *Fake) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// Reads returns the calls that do not change state.
func (f *Fake) Reads() []Call { return f.filterCalls(false) }

// Writes returns the calls that change state (attempted, whatever their status).
func (f *Fake) Writes() []Call { return f.filterCalls(true) }

func (f *Fake) filterCalls(write bool) []Call {
	var out []Call
	for _, c := range f.Calls() {
		if c.IsWrite() == write {
			out = append(out, c)
		}
	}
	return out
}

// ResetCalls clears the call log.
func (f *Fake) ResetCalls() {
	f.mu.Lock()
	f.calls = nil
	f.mu.Unlock()
}
