package schematest

import "testing"

func TestReplaceGeneratedBlock(t *testing.T) {
	doc := "# T\n<!-- BEGIN GENERATED: x -->\nold\n<!-- END GENERATED: x -->\ntail\n"
	got, err := ReplaceGeneratedBlock(doc, "x", "new")
	if want := "# T\n<!-- BEGIN GENERATED: x -->\nnew\n<!-- END GENERATED: x -->\ntail\n"; err != nil || got != want {
		t.Errorf("got %q, %v", got, err)
	}
	for _, bad := range []string{
		"no markers",
		"<!-- END GENERATED: x --><!-- BEGIN GENERATED: x -->",
		"<!-- BEGIN GENERATED: x --><!-- BEGIN GENERATED: x --><!-- END GENERATED: x -->",
	} {
		if _, err := ReplaceGeneratedBlock(bad, "x", "c"); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
