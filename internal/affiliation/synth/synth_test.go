package synth

import (
	"bytes"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/gitdm"
)

func TestDevelopersParsesCleanlyAndIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	st, err := Developers(&a, 5000, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Developers(&b, 5000, 1); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("not deterministic")
	}
	ps, err := gitdm.ReadDevelopers(bytes.NewReader(a.Bytes()), "synth", func(gitdm.Developer) error { return nil })
	if err != nil || ps.ProblemCount != 0 {
		t.Fatalf("err %v problems %v", err, ps.Err())
	}
	if ps.Ranges != 5000 || st.EmployerLines != 5000 || ps.Records != st.Blocks || ps.Lines != st.Lines {
		t.Errorf("parsed %+v, generated %+v", ps, st)
	}
}
