package index

import (
	"cmp"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/gitdm"
)

// DatasetID names a data set inside a Builder.
type DatasetID uint16

// Builder collects records and writes an index. Not safe for concurrent use.
type Builder struct {
	datasets []affiliation.Dataset
	dsByName map[affiliation.Dataset]DatasetID

	companies map[string]uint32
	compList  []string

	hists  []hist
	ranges []rng
	keys   []key

	pending    map[pendingKey][]pendingEntry // machine-format lines, grouped per key
	emailAlias [][2]string                   // from -> to
	aliases    [][2]string                   // company raw -> canonical
	acq        [][2]string                   // pattern -> company
	dedupe     map[string]uint32             // history content -> id (github_users)
	scratch    []affiliation.Range
	err        error
}

type hist struct {
	first    uint32
	n        uint16
	dataset  uint16
	line     uint32
	rank     uint8
	priority int8
	account  int64
}

type rng struct {
	from, until int32
	company     uint32
}

type key struct {
	h    uint64
	kind byte
	v    string
	hist uint32
}

type pendingKey struct {
	ds   DatasetID
	rank affiliation.Rank
	key  affiliation.Key
}

type pendingEntry struct {
	until   affiliation.Day
	company string
	line    int
	account int64
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{
		dsByName:  map[affiliation.Dataset]DatasetID{},
		companies: map[string]uint32{},
		pending:   map[pendingKey][]pendingEntry{},
	}
}

// Dataset registers a data set (the same name and date give the same id).
// Updated is MinDay when unknown; at one rank, histories of a more recently
// updated data set win conflicts.
func (b *Builder) Dataset(name string, updated affiliation.Day) DatasetID {
	d := affiliation.Dataset{Name: name, Updated: updated}
	if id, ok := b.dsByName[d]; ok {
		return id
	}
	if len(b.datasets) >= math.MaxUint16 {
		b.fail(errors.New("too many data sets"))
		return 0
	}
	id := DatasetID(len(b.datasets))
	b.datasets = append(b.datasets, d)
	b.dsByName[d] = id
	return id
}

func (b *Builder) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

func (b *Builder) company(s string) uint32 {
	if id, ok := b.companies[s]; ok {
		return id
	}
	id := uint32(len(b.compList))
	b.compList = append(b.compList, s)
	b.companies[s] = id
	return id
}

func newKey(k affiliation.Key, hist uint32) key {
	return key{h: keyHash(byte(k.Kind), k.Value), kind: byte(k.Kind), v: k.Value, hist: hist}
}

func validKey(k affiliation.Key) bool {
	if k.Value == "" || len(k.Value) > math.MaxUint16-1 {
		return false
	}
	switch k.Kind {
	case affiliation.KeyLogin, affiliation.KeyID, affiliation.KeyEmail, affiliation.KeyDomain:
		return true
	}
	return false
}

// History is one record to add.
type History struct {
	Dataset   DatasetID
	Rank      affiliation.Rank // RankList, RankEmailMap or RankEmailDomain
	Line      int
	Priority  int   // devstats source priority, -128..127
	AccountID int64 // GitHub id the record names, 0 if none
	Keys      []affiliation.Key
	Ranges    []affiliation.Range // any order; starts may be open (MinDay)
}

// Add adds a history under its keys (normalised with affiliation.LoginKey,
// EmailKey, IDKey, DomainKey by the caller). Ranges are normalised
// (affiliation.Normalize); a history left without ranges or keys is dropped.
func (b *Builder) Add(h History) {
	b.add(h, false)
}

func (b *Builder) add(h History, dedupe bool) {
	switch h.Rank {
	case affiliation.RankList, affiliation.RankEmailMap, affiliation.RankEmailDomain:
	default:
		b.fail(fmt.Errorf("rank %d cannot be stored in an index", h.Rank))
		return
	}
	if int(h.Dataset) >= len(b.datasets) {
		b.fail(fmt.Errorf("unknown data set %d", h.Dataset))
		return
	}
	b.scratch = append(b.scratch[:0], h.Ranges...)
	rs := affiliation.Normalize(b.scratch)
	if len(rs) == 0 || len(h.Keys) == 0 {
		return
	}
	if len(rs) > math.MaxUint16 {
		rs = rs[len(rs)-math.MaxUint16:]
	}
	var id uint32
	var sig string
	if dedupe {
		sig = b.signature(h, rs)
		if prev, ok := b.dedupe[sig]; ok {
			id = prev
			goto keys
		}
	}
	id = uint32(len(b.hists))
	b.hists = append(b.hists, hist{
		first: uint32(len(b.ranges)), n: uint16(len(rs)), dataset: uint16(h.Dataset),
		line: uint32(min(max(h.Line, 0), math.MaxUint32)), rank: uint8(h.Rank),
		priority: int8(min(max(h.Priority, -128), 127)), account: h.AccountID,
	})
	for _, r := range rs {
		b.ranges = append(b.ranges, rng{from: int32(r.From), until: int32(r.Until), company: b.company(r.Company)})
	}
	if dedupe {
		if b.dedupe == nil {
			b.dedupe = map[string]uint32{}
		}
		b.dedupe[sig] = id
	}
keys:
	for _, k := range h.Keys {
		if validKey(k) {
			b.keys = append(b.keys, newKey(k, id))
		}
	}
}

func (b *Builder) signature(h History, rs []affiliation.Range) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d|%d|%d|%d", h.Dataset, h.Rank, h.Priority, h.AccountID)
	for _, r := range rs {
		fmt.Fprintf(&sb, "|%d|%d|%s", r.From, r.Until, r.Company)
	}
	return sb.String()
}

// AddMapEntry adds one line of a machine-format map ("key company [< D]"):
// the lines of a key are gathered into one history at Build time, sorted by
// end date, each starting where the previous one ended.
func (b *Builder) AddMapEntry(ds DatasetID, rank affiliation.Rank, k affiliation.Key, company string, until affiliation.Day, line int, account int64) {
	if !validKey(k) || company == "" {
		return
	}
	pk := pendingKey{ds: ds, rank: rank, key: k}
	b.pending[pk] = append(b.pending[pk], pendingEntry{until: until, company: company, line: line, account: account})
}

// AddEmailAlias makes from an alias of to: whatever is recorded for the
// address to is found under from too (gitdm EmailAliases).
func (b *Builder) AddEmailAlias(from, to string) {
	f, t := affiliation.EmailKey(from).Value, affiliation.EmailKey(to).Value
	if f != "" && t != "" && f != t {
		b.emailAlias = append(b.emailAlias, [2]string{f, t})
	}
}

// AddCompanyAlias records raw -> canonical for company names.
func (b *Builder) AddCompanyAlias(raw, canonical string) {
	if strings.TrimSpace(raw) != "" && strings.TrimSpace(canonical) != "" {
		b.aliases = append(b.aliases, [2]string{raw, canonical})
	}
}

// AddAcquisition records a devstats acquisition rule (an RE2 pattern).
func (b *Builder) AddAcquisition(pattern, company string) error {
	if len(pattern) > gitdm.MaxPattern {
		return fmt.Errorf("acquisition pattern longer than %d bytes", gitdm.MaxPattern)
	}
	if _, err := regexp.Compile(pattern); err != nil {
		return fmt.Errorf("acquisition pattern %q: %w", pattern, err)
	}
	b.acq = append(b.acq, [2]string{pattern, company})
	return nil
}

// flushPending turns gathered map lines into histories, in key order.
func (b *Builder) flushPending() {
	pks := make([]pendingKey, 0, len(b.pending))
	for pk := range b.pending {
		pks = append(pks, pk)
	}
	slices.SortFunc(pks, func(a, c pendingKey) int {
		return cmp.Or(cmp.Compare(a.ds, c.ds), cmp.Compare(a.rank, c.rank), cmp.Compare(a.key.Kind, c.key.Kind), strings.Compare(a.key.Value, c.key.Value))
	})
	var rs []affiliation.Range
	for _, pk := range pks {
		es := b.pending[pk]
		rs = rs[:0]
		line := es[0].line
		var account int64
		for _, e := range es {
			rs = append(rs, affiliation.Range{From: affiliation.MinDay, Until: e.until, Company: e.company})
			line = min(line, e.line)
			if e.account != 0 {
				account = e.account
			}
		}
		b.add(History{Dataset: pk.ds, Rank: pk.rank, Line: line, AccountID: account, Keys: []affiliation.Key{pk.key}, Ranges: rs}, false)
	}
	b.pending = map[pendingKey][]pendingEntry{}
}

// sortKeys sorts by compareKeys: a stable LSD radix sort on the hash (four
// 16-bit digits), then the rare runs of equal hashes by key and history.
func sortKeys(ks []key) {
	if len(ks) < 256 {
		slices.SortFunc(ks, compareKeys)
		return
	}
	tmp := make([]key, len(ks))
	src, dst := ks, tmp
	var count [1 << 16]int
	for shift := uint(0); shift < 64; shift += 16 {
		clear(count[:])
		for i := range src {
			count[uint16(src[i].h>>shift)]++
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for i := range src {
			d := uint16(src[i].h >> shift)
			dst[count[d]] = src[i]
			count[d]++
		}
		src, dst = dst, src
	}
	// four passes: the result is back in ks.
	for i := 0; i < len(ks); {
		j := i + 1
		for j < len(ks) && ks[j].h == ks[i].h {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(ks[i:j], compareKeys)
		}
		i = j
	}
}

func compareKeys(a, c key) int {
	if a.h != c.h {
		return cmp.Compare(a.h, c.h)
	}
	return cmp.Or(cmp.Compare(a.kind, c.kind), strings.Compare(a.v, c.v), cmp.Compare(a.hist, c.hist))
}

// finish flushes pending lines, applies e-mail aliases and sorts the keys.
func (b *Builder) finish() {
	b.flushPending()
	sortKeys(b.keys)
	if len(b.emailAlias) > 0 {
		var extra []key
		for _, a := range b.emailAlias {
			to := newKey(affiliation.Key{Kind: affiliation.KeyEmail, Value: a[1]}, 0)
			i, _ := slices.BinarySearchFunc(b.keys, to, compareKeys)
			for ; i < len(b.keys) && b.keys[i].h == to.h && b.keys[i].kind == to.kind && b.keys[i].v == to.v; i++ {
				extra = append(extra, newKey(affiliation.Key{Kind: affiliation.KeyEmail, Value: a[0]}, b.keys[i].hist))
			}
		}
		b.emailAlias = nil
		if len(extra) > 0 {
			b.keys = append(b.keys, extra...)
			sortKeys(b.keys)
		}
	}
	b.keys = slices.CompactFunc(b.keys, func(a, c key) bool { return a == c })
}

// Encode finishes the index and returns its bytes. The Builder can take more
// records afterwards and be encoded again.
func (b *Builder) Encode() ([]byte, error) {
	if b.err != nil {
		return nil, b.err
	}
	b.finish()
	bits := bucketBits(len(b.keys))
	nb := 1 << bits

	// Sizes first, so the file is written in one allocation.
	strLen := 0
	for _, d := range b.datasets {
		strLen += len(d.Name)
	}
	for _, c := range b.compList {
		strLen += len(c)
	}
	for i := range b.keys {
		if i == 0 || !sameKey(&b.keys[i], &b.keys[i-1]) {
			strLen += 1 + len(b.keys[i].v)
		}
	}
	for _, a := range b.aliases {
		strLen += len(a[0]) + len(a[1])
	}
	for _, a := range b.acq {
		strLen += len(a[0]) + len(a[1])
	}
	size := [numSections + 1]int{
		secStrings: strLen, secDatasets: 12 * len(b.datasets), secCompanies: 8 * len(b.compList),
		secRanges: 12 * len(b.ranges), secHistories: 24 * len(b.hists), secKeys: 16 * len(b.keys),
		secAliases: 16 * len(b.aliases), secAcquisitions: 16 * len(b.acq), secBuckets: 4 * (nb + 1),
	}
	tableLen := 12 * numSections
	total := tableLen
	for id := 1; id <= numSections; id++ {
		total += size[id]
	}
	if total > math.MaxUint32 {
		return nil, errors.New("index larger than 4 GiB")
	}
	out := make([]byte, headerSize+total)
	var start [numSections + 1]int
	off := tableLen
	for id := 1; id <= numSections; id++ {
		t := headerSize + 12*(id-1)
		le.PutUint32(out[t:], uint32(id))
		le.PutUint32(out[t+4:], uint32(off))
		le.PutUint32(out[t+8:], uint32(size[id]))
		start[id] = headerSize + off
		off += size[id]
	}
	// w writes little-endian u32s into a section.
	pos := start
	w := func(sec int, vals ...uint32) {
		for _, v := range vals {
			le.PutUint32(out[pos[sec]:], v)
			pos[sec] += 4
		}
	}
	str := func(s string) (uint32, uint32) {
		o := pos[secStrings] - start[secStrings]
		pos[secStrings] += copy(out[pos[secStrings]:], s)
		return uint32(o), uint32(len(s))
	}
	for _, d := range b.datasets {
		o, l := str(d.Name)
		w(secDatasets, o, l, uint32(int32(d.Updated)))
	}
	for _, c := range b.compList {
		o, l := str(c)
		w(secCompanies, o, l)
	}
	for _, r := range b.ranges {
		w(secRanges, uint32(r.from), uint32(r.until), r.company)
	}
	for _, h := range b.hists {
		w(secHistories, h.first, uint32(h.n)|uint32(h.dataset)<<16, h.line, uint32(h.rank)|uint32(uint8(h.priority))<<8)
		w(secHistories, uint32(uint64(h.account)), uint32(uint64(h.account)>>32))
	}
	var keyOff uint32
	for i := range b.keys {
		k := &b.keys[i]
		if i == 0 || !sameKey(k, &b.keys[i-1]) { // the same key string is stored once
			keyOff = uint32(pos[secStrings] - start[secStrings])
			out[pos[secStrings]] = k.kind
			pos[secStrings]++
			pos[secStrings] += copy(out[pos[secStrings]:], k.v)
		}
		w(secKeys, uint32(k.h), keyOff, uint32(1+len(k.v)), k.hist)
	}
	for _, a := range b.aliases {
		o1, l1 := str(a[0])
		o2, l2 := str(a[1])
		w(secAliases, o1, l1, o2, l2)
	}
	for _, a := range b.acq {
		o1, l1 := str(a[0])
		o2, l2 := str(a[1])
		w(secAcquisitions, o1, l1, o2, l2)
	}
	j := 0
	for bucket := 0; bucket <= nb; bucket++ {
		for j < len(b.keys) && int(b.keys[j].h>>(64-bits)) < bucket {
			j++
		}
		w(secBuckets, uint32(j))
	}
	copy(out, Magic)
	le.PutUint32(out[8:], Version)
	le.PutUint32(out[12:], 0)
	le.PutUint64(out[16:], uint64(total))
	le.PutUint32(out[24:], crc32.Checksum(out[headerSize:], castagnoli))
	le.PutUint32(out[28:], numSections)
	return out, nil
}

func sameKey(a, c *key) bool { return a.h == c.h && a.kind == c.kind && a.v == c.v }

// Counts are the sizes of what was added so far (keys before aliases and
// de-duplication).
func (b *Builder) Counts() (keys, histories, ranges, companies, datasets int) {
	return len(b.keys), len(b.hists), len(b.ranges), len(b.compList), len(b.datasets)
}

// Build encodes and opens the index.
func (b *Builder) Build() (*Index, error) {
	data, err := b.Encode()
	if err != nil {
		return nil, err
	}
	return Open(data)
}

// WriteTo encodes the index to w.
func (b *Builder) WriteTo(w io.Writer) (int64, error) {
	data, err := b.Encode()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(data)
	return int64(n), err
}
