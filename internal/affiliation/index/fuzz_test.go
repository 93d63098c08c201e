package index

import (
	"bytes"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
)

// FuzzOpen: a damaged or hostile index is an error, never a panic or an
// out-of-range read; what opens can be searched. The checksum is recomputed
// so mutations reach the table checks.
func FuzzOpen(f *testing.F) {
	b := NewBuilder()
	ds := b.Dataset("seed", affiliation.MinDay)
	b.Add(History{Dataset: ds, Rank: affiliation.RankList, Keys: []affiliation.Key{affiliation.LoginKey("a"), affiliation.EmailKey("a@x.org")},
		Ranges: []affiliation.Range{{From: affiliation.MinDay, Until: 100, Company: "X"}, {From: affiliation.MinDay, Until: affiliation.MaxDay, Company: "Y"}}})
	b.AddMapEntry(ds, affiliation.RankEmailDomain, affiliation.DomainKey("x.org"), "X", affiliation.MaxDay, 1, 0)
	b.AddCompanyAlias("x", "X Corp")
	if err := b.AddAcquisition("(?i)^y$", "Z"); err != nil {
		f.Fatal(err)
	}
	seed, err := b.Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) >= headerSize {
			data = append([]byte(nil), data...)
			le.PutUint64(data[16:], uint64(len(data)-headerSize))
			le.PutUint32(data[24:], crcOf(data[headerSize:]))
		}
		ix, err := Open(data)
		if err != nil {
			return
		}
		for _, k := range []affiliation.Key{affiliation.LoginKey("a"), affiliation.EmailKey("a@x.org"), affiliation.DomainKey("x.org"), affiliation.IDKey(1)} {
			for h := range ix.Find(k) {
				h.At(50)
			}
		}
		for k, h := range ix.Keys() {
			_ = ix.History(h)
			_ = k
		}
		n := affiliation.NewNames()
		_ = ix.AddNamesTo(n)
		_ = ix.Datasets()
		if _, err := Load(bytes.NewReader(data)); err != nil {
			t.Fatalf("Open accepted what Load refused: %v", err)
		}
	})
}
