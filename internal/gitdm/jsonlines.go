package gitdm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// jsonStream decodes a JSON document value by value and knows the line of
// any offset the decoder has reached, without keeping more than the
// decoder's look-ahead in memory.
type jsonStream struct {
	file string
	dec  *json.Decoder
	buf  []byte // bytes from base on, as the decoder read them
	base int64  // input offset of buf[0]
	line int    // line number at base (1-based)
}

func newJSONStream(r io.Reader, file string) *jsonStream {
	s := &jsonStream{file: file, line: 1}
	s.dec = json.NewDecoder(io.TeeReader(r, (*jsonTee)(s)))
	return s
}

type jsonTee jsonStream

func (t *jsonTee) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	return len(p), nil
}

// lineAt is the line of input offset off (off >= base).
func (s *jsonStream) lineAt(off int64) int {
	n := off - s.base
	if n < 0 {
		return s.line
	}
	if n > int64(len(s.buf)) {
		n = int64(len(s.buf))
	}
	return s.line + bytes.Count(s.buf[:n], []byte{'\n'})
}

// release forgets the input before off.
func (s *jsonStream) release(off int64) {
	n := off - s.base
	if n <= 0 {
		return
	}
	if n > int64(len(s.buf)) {
		n = int64(len(s.buf))
	}
	s.line += bytes.Count(s.buf[:n], []byte{'\n'})
	s.base += n
	rest := len(s.buf) - int(n)
	if cap(s.buf) > 1<<20 && rest < cap(s.buf)/4 {
		s.buf = append([]byte(nil), s.buf[n:]...)
	} else {
		copy(s.buf, s.buf[n:])
		s.buf = s.buf[:rest]
	}
}

// here is the line the decoder stands on (after skipping white space it has
// not consumed yet, that is where the next value starts at the latest).
func (s *jsonStream) here() int { return s.lineAt(s.dec.InputOffset()) }

// wrap turns a decoding error into one that names file and line.
func (s *jsonStream) wrap(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%s:%d: unexpected end of JSON input", s.file, s.here())
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%s:%d: %s", s.file, s.lineAt(se.Offset), se.Error())
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%s:%d: %s", s.file, s.lineAt(te.Offset), te.Error())
	}
	return fmt.Errorf("read %s: %w", s.file, err)
}

// expect reads one delimiter token.
func (s *jsonStream) expect(want json.Delim) error {
	tok, err := s.dec.Token()
	if err != nil {
		return s.wrap(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("%s:%d: expected %q, found %v", s.file, s.here(), want, tok)
	}
	return nil
}

// array calls each for every element of the JSON array that comes next,
// with the line the element starts on.
func (s *jsonStream) array(each func(line int) error) error {
	if err := s.expect('['); err != nil {
		return err
	}
	for s.dec.More() {
		s.release(s.dec.InputOffset())
		if err := each(s.nextValueLine()); err != nil {
			return err
		}
	}
	return s.expect(']')
}

// nextValueLine is the line of the next value: the decoder's offset may
// still be before a ',' and white space.
func (s *jsonStream) nextValueLine() int {
	n := s.dec.InputOffset() - s.base
	line := s.line
	for i := n; i >= 0 && i < int64(len(s.buf)); i++ {
		c := s.buf[i]
		if c == '\n' {
			line++
			continue
		}
		if c == ',' || c == ' ' || c == '\t' || c == '\r' {
			continue
		}
		break
	}
	return line + bytes.Count(s.buf[:max(n, 0)], []byte{'\n'})
}

// decodeElem decodes the next array element into v; type errors name the
// line of the offending value (the decoder counts their offsets from the
// start of the element's bytes, just after the separating ',').
func (s *jsonStream) decodeElem(v any) error {
	base := s.dec.InputOffset()
	for i := base - s.base; i >= 0 && i < int64(len(s.buf)); i++ {
		c := s.buf[i]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			continue
		}
		if c == ',' {
			base = s.base + i + 1
		}
		break
	}
	err := s.dec.Decode(v)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%s:%d: %s", s.file, s.lineAt(base+te.Offset), te.Error())
	}
	return s.wrap(err)
}

// end checks that nothing but white space follows the document.
func (s *jsonStream) end() error {
	if _, err := s.dec.Token(); !errors.Is(err, io.EOF) {
		if err == nil {
			return fmt.Errorf("%s:%d: data after the JSON document", s.file, s.here())
		}
		return s.wrap(err)
	}
	return nil
}
