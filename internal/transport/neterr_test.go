package transport

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"
)

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "net/http: timeout awaiting response headers" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

type tlsTimeoutErr struct{}

func (tlsTimeoutErr) Error() string   { return "net/http: TLS handshake timeout" }
func (tlsTimeoutErr) Timeout() bool   { return true }
func (tlsTimeoutErr) Temporary() bool { return true }

func TestErrorClassification(t *testing.T) {
	dial := func(err error) error { return &net.OpError{Op: "dial", Net: "tcp", Err: err} }
	read := func(err error) error { return &net.OpError{Op: "read", Net: "tcp", Err: err} }
	tests := []struct {
		name               string
		err                error
		retryable, notSent bool
	}{
		{"connection refused", dial(os.NewSyscallError("connect", syscall.ECONNREFUSED)), true, true},
		{"dial timeout", dial(timeoutErr{}), true, true},
		{"dns timeout", dial(&net.DNSError{Err: "timeout", Name: "api.github.com", IsTimeout: true}), true, true},
		{"no such host", dial(&net.DNSError{Err: "no such host", Name: "api.gihtub.com", IsNotFound: true}), false, true},
		{"proxy connect", &net.OpError{Op: "proxyconnect", Net: "tcp", Err: syscall.ECONNREFUSED}, true, true},
		{"TLS handshake timeout", tlsTimeoutErr{}, true, true},
		{"connection reset", read(os.NewSyscallError("read", syscall.ECONNRESET)), true, false},
		{"broken pipe", &net.OpError{Op: "write", Err: syscall.EPIPE}, true, false},
		{"EOF", io.EOF, true, false},
		{"wrapped unexpected EOF", fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), true, false},
		{"response header timeout", timeoutErr{}, true, false},
		{"http2 GOAWAY", errors.New("http2: server sent GOAWAY and closed the connection; LastStreamID=1"), true, false},
		{"http2 stream reset", errors.New("stream error: stream ID 3; INTERNAL_ERROR"), true, false},
		{"unknown CA", &url.Error{Op: "Get", Err: x509.UnknownAuthorityError{}}, false, false},
		{"canceled", context.Canceled, false, false},
		{"bad scheme", errors.New(`unsupported protocol scheme "htp"`), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryableError(tt.err); got != tt.retryable {
				t.Errorf("retryableError = %v, want %v", got, tt.retryable)
			}
			if got := notSent(tt.err); got != tt.notSent {
				t.Errorf("notSent = %v, want %v", got, tt.notSent)
			}
		})
	}
}
