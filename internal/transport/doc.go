// Package transport is the HTTP transport stack every GitHub client in the
// project uses: retries with backoff, GitHub's primary and secondary rate
// limits, write pacing, request accounting and default headers. It imports no
// GitHub client library; it works on plain net/http requests and responses.
//
// New composes the layers, outermost first:
//
//	meter → retry → pacer → headers → base
//
// Why this order:
//
//   - The meter is outermost so it sees each logical call once (what the
//     caller asked for) and its final outcome. The retry and pacer layers
//     report retries and waits into the same Stats, so
//     Attempts = Requests + Retries.
//   - Retry sits outside the pacer so every attempt of a write, retries
//     included, is paced: a retried write can never burst past the spacing
//     GitHub asks for. Reads go straight through the pacer.
//   - Headers are innermost (above base) so every attempt carries them.
//   - base is where authentication (ghinstallation or a static token) and
//     any HTTP cache go, on top of an *http.Transport with dial, TLS and
//     response-header timeouts; a single attempt's timeout comes from there.
//
// Time is read and slept through a Clock, so tests use FakeClock and never
// sleep for real.
package transport
