package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
)

// retryableError reports whether a RoundTrip error is a transient network
// failure worth another attempt: connection refused, reset or aborted, a
// broken pipe, an unexpected EOF, a DNS timeout, any timeout (dial, TLS
// handshake, response headers), or an HTTP/2 stream reset or GOAWAY.
//
// Not retried: certificate and other TLS verification failures, a host that
// does not exist, malformed URLs, and cancellation or expiry of the request's
// own context (checked by the caller before this).
func retryableError(err error) bool {
	if err == nil {
		return false
	}
	var (
		certErr    *tls.CertificateVerificationError
		unknownCA  x509.UnknownAuthorityError
		hostErr    x509.HostnameError
		invalidErr x509.CertificateInvalidError
		dnsErr     *net.DNSError
	)
	switch {
	case errors.As(err, &certErr), errors.As(err, &unknownCA),
		errors.As(err, &hostErr), errors.As(err, &invalidErr):
		return false
	case errors.As(err, &dnsErr):
		return dnsErr.IsTimeout || dnsErr.IsTemporary
	case errors.Is(err, context.Canceled):
		return false
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ETIMEDOUT), errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, syscall.ENETUNREACH):
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	// net/http's bundled HTTP/2 errors are unexported types.
	msg := err.Error()
	return strings.Contains(msg, "http2: server sent GOAWAY") || strings.Contains(msg, "stream error:")
}

// notSent reports whether err proves that the request never reached the
// server, so even a non-idempotent request may be retried. Exactly these
// count as "not sent":
//
//   - a *net.OpError whose Op is "dial" or "proxyconnect" (connection
//     refused, host or network unreachable, dial timeout, DNS failure while
//     dialling);
//   - a *net.DNSError;
//   - ECONNREFUSED anywhere in the chain (only a connect can be refused);
//   - net/http's "TLS handshake timeout" (the request is written only after
//     the handshake).
//
// Everything else — resets, EOFs, broken pipes, response-header timeouts,
// HTTP/2 stream errors — happens on an established connection, after the
// request may have been written, and counts as possibly applied.
// (net/http itself already retries a request on a reused connection that
// it knows it never wrote.)
func notSent(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect") {
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) || errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	return strings.Contains(err.Error(), "TLS handshake timeout")
}
