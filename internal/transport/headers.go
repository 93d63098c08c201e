package transport

import "net/http"

// APIVersion is the REST API version the project is written against.
const APIVersion = "2022-11-28"

// NewHeaders returns a RoundTripper that sets
// "User-Agent: contribution-policy/<version>" and
// "X-GitHub-Api-Version: 2022-11-28" on requests that lack them. It never
// overrides a value the caller set. (go-github sets its own User-Agent unless
// its client's UserAgent field is emptied.)
func NewHeaders(next http.RoundTripper, version string) http.RoundTripper {
	if version == "" {
		version = "dev"
	}
	return &headers{next: next, userAgent: "contribution-policy/" + version}
}

type headers struct {
	next      http.RoundTripper
	userAgent string
}

func (h *headers) RoundTrip(req *http.Request) (*http.Response, error) {
	needUA := req.Header.Get("User-Agent") == ""
	needVer := req.Header.Get("X-GitHub-Api-Version") == ""
	if !needUA && !needVer {
		return h.next.RoundTrip(req)
	}
	// A RoundTripper must not modify its request: copy it with its own
	// header map. The body is shared; the original is not used again.
	r := new(http.Request)
	*r = *req
	r.Header = req.Header.Clone()
	if r.Header == nil {
		r.Header = make(http.Header, 2)
	}
	if needUA {
		r.Header.Set("User-Agent", h.userAgent)
	}
	if needVer {
		r.Header.Set("X-GitHub-Api-Version", APIVersion)
	}
	return h.next.RoundTrip(r)
}
