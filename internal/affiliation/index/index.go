package index

import (
	"bytes"
	"hash/crc32"
	"io"
	"io/fs"
	"iter"
	"regexp"
	"sync"
	"unsafe"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
)

// Index is an opened index. It implements affiliation.Source and is safe
// for concurrent use.
type Index struct {
	data string // the whole file; every table is a slice of it
	sec  [numSections + 1]struct{ off, n int }
	bits uint // bucket bits

	namesOnce sync.Once
	names     *affiliation.Names
	namesErr  error
}

var _ affiliation.Source = (*Index)(nil)

// Open checks and opens an index from its bytes (copied once; the slice can
// be reused afterwards).
func Open(b []byte) (*Index, error) {
	return open(b, string(b))
}

// Load reads an index from r into memory it owns (no second copy) and opens
// it: the way to load a file.
func Load(r io.Reader) (*Index, error) {
	var buf bytes.Buffer
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := f.Stat(); err == nil && fi.Size() > 0 && fi.Size() < 1<<32 {
			buf.Grow(int(fi.Size()) + bytes.MinRead)
		}
	}
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	if len(b) == 0 {
		return nil, formatErr("empty file")
	}
	// The buffer is ours and never written again, so the string can share it.
	return open(b, unsafe.String(&b[0], len(b)))
}

func open(b []byte, data string) (*Index, error) {
	if len(b) < headerSize || string(b[:8]) != Magic {
		return nil, formatErr("bad magic")
	}
	if v := le.Uint32(b[8:]); v != Version {
		return nil, formatErr("format version %d, this build reads version %d; rebuild it with 'contribution-policy affiliation index'", v, Version)
	}
	if n := le.Uint64(b[16:]); n != uint64(len(b)-headerSize) {
		return nil, formatErr("body is %d bytes, header says %d (truncated file?)", len(b)-headerSize, n)
	}
	if crc := crc32.Checksum(b[headerSize:], castagnoli); crc != le.Uint32(b[24:]) {
		return nil, formatErr("checksum mismatch (damaged file)")
	}
	if n := le.Uint32(b[28:]); n != numSections {
		return nil, formatErr("%d sections, want %d", n, numSections)
	}
	ix := &Index{data: data}
	body := len(b) - headerSize
	if body < 12*numSections {
		return nil, formatErr("section table truncated")
	}
	for i := 0; i < numSections; i++ {
		o := headerSize + 12*i
		id, off, n := int(u32(ix.data, o)), int(u32(ix.data, o+4)), int(u32(ix.data, o+8))
		if id != i+1 || off < 12*numSections || off > body || n > body-off || n%recordSize[id] != 0 {
			return nil, formatErr("section %d: bad table entry", i+1)
		}
		ix.sec[id].off, ix.sec[id].n = headerSize+off, n/recordSize[id]
	}
	if err := ix.validate(); err != nil {
		return nil, err
	}
	return ix, nil
}

func (ix *Index) rec(sec, i int) int { return ix.sec[sec].off + i*recordSize[sec] }

// str returns a string of the STRS section.
func (ix *Index) str(off, n uint32) string {
	o := ix.sec[secStrings].off + int(off)
	return ix.data[o : o+int(n)]
}

func (ix *Index) strOK(off, n uint32) bool {
	return uint64(off)+uint64(n) <= uint64(ix.sec[secStrings].n)
}

// validate checks every reference once, so lookups never go out of range.
func (ix *Index) validate() error {
	d := ix.data
	for i := 0; i < ix.sec[secDatasets].n; i++ {
		o := ix.rec(secDatasets, i)
		if !ix.strOK(u32(d, o), u32(d, o+4)) {
			return formatErr("data set %d: bad name", i)
		}
	}
	for i := 0; i < ix.sec[secCompanies].n; i++ {
		o := ix.rec(secCompanies, i)
		if !ix.strOK(u32(d, o), u32(d, o+4)) {
			return formatErr("company %d: bad name", i)
		}
	}
	nComp := uint32(ix.sec[secCompanies].n)
	for i := 0; i < ix.sec[secRanges].n; i++ {
		o := ix.rec(secRanges, i)
		if int32(u32(d, o)) >= int32(u32(d, o+4)) || u32(d, o+8) >= nComp {
			return formatErr("range %d: bad", i)
		}
	}
	nRanges, nDS := uint64(ix.sec[secRanges].n), uint32(ix.sec[secDatasets].n)
	for i := 0; i < ix.sec[secHistories].n; i++ {
		o := ix.rec(secHistories, i)
		first, w := uint64(u32(d, o)), u32(d, o+4)
		rank := affiliation.Rank(d[o+12])
		if w&0xffff == 0 || first+uint64(w&0xffff) > nRanges || w>>16 >= nDS ||
			(rank != affiliation.RankList && rank != affiliation.RankEmailMap && rank != affiliation.RankEmailDomain) {
			return formatErr("history %d: bad", i)
		}
	}
	nHist := uint32(ix.sec[secHistories].n)
	for i := 0; i < ix.sec[secKeys].n; i++ {
		o := ix.rec(secKeys, i)
		if n := u32(d, o+8); n < 2 || !ix.strOK(u32(d, o+4), n) || u32(d, o+12) >= nHist {
			return formatErr("key %d: bad", i)
		}
	}
	nk := ix.sec[secKeys].n
	ix.bits = bucketBits(nk)
	if ix.sec[secBuckets].n != 1<<ix.bits+1 {
		return formatErr("%d buckets for %d keys", ix.sec[secBuckets].n-1, nk)
	}
	prev := uint32(0)
	for j := 0; j < ix.sec[secBuckets].n; j++ {
		v := u32(d, ix.rec(secBuckets, j))
		if v < prev || v > uint32(nk) || (j == ix.sec[secBuckets].n-1 && v != uint32(nk)) {
			return formatErr("bucket %d: bad", j)
		}
		prev = v
	}
	for _, sec := range []int{secAliases, secAcquisitions} {
		for i := 0; i < ix.sec[sec].n; i++ {
			o := ix.rec(sec, i)
			if !ix.strOK(u32(d, o), u32(d, o+4)) || !ix.strOK(u32(d, o+8), u32(d, o+12)) {
				return formatErr("name rule %d: bad", i)
			}
		}
	}
	return nil
}

// keyAt returns key record i's string (kind byte + value) and history.
func (ix *Index) keyAt(i int) (string, int) {
	o := ix.rec(secKeys, i)
	return ix.str(u32(ix.data, o+4), u32(ix.data, o+8)), int(u32(ix.data, o+12))
}

// lookup calls fn with the history of every record of key (kind, value).
func (ix *Index) lookup(kind byte, value string, fn func(hist int) bool) {
	h := keyHash(kind, value)
	bucket := int(h >> (64 - ix.bits))
	bo := ix.rec(secBuckets, bucket)
	lo, hi := int(u32(ix.data, bo)), int(u32(ix.data, bo+4))
	for i := lo; i < hi; i++ {
		o := ix.rec(secKeys, i)
		if u32(ix.data, o) != uint32(h) {
			continue
		}
		k := ix.str(u32(ix.data, o+4), u32(ix.data, o+8))
		if k[0] != kind || k[1:] != value {
			continue
		}
		if !fn(int(u32(ix.data, o+12))) {
			return
		}
	}
}

// Find yields the histories recorded under k (affiliation.Source).
func (ix *Index) Find(k affiliation.Key) iter.Seq[affiliation.History] {
	return func(yield func(affiliation.History) bool) {
		ix.lookup(byte(k.Kind), k.Value, func(h int) bool { return yield(ix.History(h)) })
	}
}

// Count is how many histories are recorded under k (no allocation).
func (ix *Index) Count(k affiliation.Key) int {
	n := 0
	ix.lookup(byte(k.Kind), k.Value, func(int) bool { n++; return true })
	return n
}

// History returns history i; Ref is i.
func (ix *Index) History(i int) affiliation.History {
	d := ix.data
	o := ix.rec(secHistories, i)
	first, w := int(u32(d, o)), u32(d, o+4)
	h := affiliation.History{
		Rank:      affiliation.Rank(d[o+12]),
		Priority:  int(int8(d[o+13])),
		Line:      int(u32(d, o+8)),
		AccountID: int64(u64(d, o+16)),
		Dataset:   ix.Dataset(int(w >> 16)),
		Ref:       uint64(i),
		Ranges:    make([]affiliation.Range, w&0xffff),
	}
	for j := range h.Ranges {
		ro := ix.rec(secRanges, first+j)
		co := ix.rec(secCompanies, int(u32(d, ro+8)))
		h.Ranges[j] = affiliation.Range{
			From:    affiliation.Day(int32(u32(d, ro))),
			Until:   affiliation.Day(int32(u32(d, ro+4))),
			Company: ix.str(u32(d, co), u32(d, co+4)),
		}
	}
	return h
}

// Dataset returns data set i.
func (ix *Index) Dataset(i int) affiliation.Dataset {
	o := ix.rec(secDatasets, i)
	return affiliation.Dataset{Name: ix.str(u32(ix.data, o), u32(ix.data, o+4)), Updated: affiliation.Day(int32(u32(ix.data, o+8)))}
}

// Datasets lists the data sets.
func (ix *Index) Datasets() []affiliation.Dataset {
	out := make([]affiliation.Dataset, ix.sec[secDatasets].n)
	for i := range out {
		out[i] = ix.Dataset(i)
	}
	return out
}

// Stats counts an index's tables.
type Stats struct {
	Bytes, Keys, Histories, Ranges, Companies, Datasets, Aliases, Acquisitions int
}

// Stats returns the table sizes.
func (ix *Index) Stats() Stats {
	return Stats{Bytes: len(ix.data), Keys: ix.sec[secKeys].n, Histories: ix.sec[secHistories].n, Ranges: ix.sec[secRanges].n,
		Companies: ix.sec[secCompanies].n, Datasets: ix.sec[secDatasets].n, Aliases: ix.sec[secAliases].n, Acquisitions: ix.sec[secAcquisitions].n}
}

// AddNamesTo adds the index's company aliases and acquisition rules to n.
func (ix *Index) AddNamesTo(n *affiliation.Names) error {
	d := ix.data
	for i := 0; i < ix.sec[secAliases].n; i++ {
		o := ix.rec(secAliases, i)
		n.AddAlias(ix.str(u32(d, o), u32(d, o+4)), ix.str(u32(d, o+8), u32(d, o+12)))
	}
	for i := 0; i < ix.sec[secAcquisitions].n; i++ {
		o := ix.rec(secAcquisitions, i)
		pat := ix.str(u32(d, o), u32(d, o+4))
		re, err := regexp.Compile(pat)
		if err != nil {
			return formatErr("acquisition %q: %v", pat, err)
		}
		n.AddAcquisition(re, ix.str(u32(d, o+8), u32(d, o+12)))
	}
	return nil
}

// Names is a normaliser with the index's aliases and acquisitions, built on
// first use.
func (ix *Index) Names() (*affiliation.Names, error) {
	ix.namesOnce.Do(func() {
		ix.names = affiliation.NewNames()
		ix.namesErr = ix.AddNamesTo(ix.names)
	})
	return ix.names, ix.namesErr
}

// Keys yields every key (in index order) with its history number: for
// tools and tests.
func (ix *Index) Keys() iter.Seq2[affiliation.Key, int] {
	return func(yield func(affiliation.Key, int) bool) {
		for i := 0; i < ix.sec[secKeys].n; i++ {
			k, h := ix.keyAt(i)
			if !yield(affiliation.Key{Kind: affiliation.KeyKind(k[0]), Value: k[1:]}, h) {
				return
			}
		}
	}
}
