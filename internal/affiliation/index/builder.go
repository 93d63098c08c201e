package index

import (
	"bytes"
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
	k    string // kind byte + value
	hist uint32
}

type pendingKey struct {
	ds   DatasetID
	rank affiliation.Rank
	key  string // encoded
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

func encodeKey(k affiliation.Key) string { return string(k.Kind) + k.Value }

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
			b.keys = append(b.keys, key{k: encodeKey(k), hist: id})
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
	pk := pendingKey{ds: ds, rank: rank, key: encodeKey(k)}
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
		return cmp.Or(cmp.Compare(a.ds, c.ds), cmp.Compare(a.rank, c.rank), strings.Compare(a.key, c.key))
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
		k := affiliation.Key{Kind: affiliation.KeyKind(pk.key[0]), Value: pk.key[1:]}
		b.add(History{Dataset: pk.ds, Rank: pk.rank, Line: line, AccountID: account, Keys: []affiliation.Key{k}, Ranges: rs}, false)
	}
	b.pending = map[pendingKey][]pendingEntry{}
}

func compareKeys(a, c key) int {
	return cmp.Or(strings.Compare(a.k, c.k), cmp.Compare(a.hist, c.hist))
}

// finish flushes pending lines, applies e-mail aliases and sorts the keys.
func (b *Builder) finish() {
	b.flushPending()
	slices.SortFunc(b.keys, compareKeys)
	if len(b.emailAlias) > 0 {
		var extra []key
		for _, a := range b.emailAlias {
			to := string(affiliation.KeyEmail) + a[1]
			i, _ := slices.BinarySearchFunc(b.keys, to, func(k key, t string) int { return strings.Compare(k.k, t) })
			for ; i < len(b.keys) && b.keys[i].k == to; i++ {
				extra = append(extra, key{k: string(affiliation.KeyEmail) + a[0], hist: b.keys[i].hist})
			}
		}
		b.emailAlias = nil
		if len(extra) > 0 {
			b.keys = append(b.keys, extra...)
			slices.SortFunc(b.keys, compareKeys)
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
	var strs bytes.Buffer
	addStr := func(s string) (uint32, uint32, error) {
		off := strs.Len()
		if off+len(s) > math.MaxUint32 {
			return 0, 0, errors.New("index strings exceed 4 GiB")
		}
		strs.WriteString(s)
		return uint32(off), uint32(len(s)), nil
	}
	sections := make([][]byte, numSections+1)
	var err error
	put := func(dst []byte, vals ...uint32) []byte {
		for _, v := range vals {
			dst = le.AppendUint32(dst, v)
		}
		return dst
	}
	str := func(s string) (uint32, uint32) {
		o, l, e := addStr(s)
		if e != nil && err == nil {
			err = e
		}
		return o, l
	}

	ds := make([]byte, 0, 12*len(b.datasets))
	for _, d := range b.datasets {
		o, l := str(d.Name)
		ds = put(ds, o, l, uint32(int32(d.Updated)))
	}
	sections[secDatasets] = ds

	comps := make([]byte, 0, 8*len(b.compList))
	for _, c := range b.compList {
		o, l := str(c)
		comps = put(comps, o, l)
	}
	sections[secCompanies] = comps

	rngs := make([]byte, 0, 12*len(b.ranges))
	for _, r := range b.ranges {
		rngs = put(rngs, uint32(r.from), uint32(r.until), r.company)
	}
	sections[secRanges] = rngs

	hs := make([]byte, 0, 24*len(b.hists))
	for _, h := range b.hists {
		hs = put(hs, h.first, uint32(h.n)|uint32(h.dataset)<<16, h.line, uint32(h.rank)|uint32(uint8(h.priority))<<8)
		hs = le.AppendUint64(hs, uint64(h.account))
	}
	sections[secHistories] = hs

	ks := make([]byte, 0, 12*len(b.keys))
	prev := ""
	var prevOff uint32
	for _, k := range b.keys {
		o := prevOff
		if k.k != prev { // the same key string is stored once
			o, _ = str(k.k)
			prev, prevOff = k.k, o
		}
		ks = put(ks, o, uint32(len(k.k)), k.hist)
	}
	sections[secKeys] = ks

	al := make([]byte, 0, 16*len(b.aliases))
	for _, a := range b.aliases {
		o1, l1 := str(a[0])
		o2, l2 := str(a[1])
		al = put(al, o1, l1, o2, l2)
	}
	sections[secAliases] = al

	aq := make([]byte, 0, 16*len(b.acq))
	for _, a := range b.acq {
		o1, l1 := str(a[0])
		o2, l2 := str(a[1])
		aq = put(aq, o1, l1, o2, l2)
	}
	sections[secAcquisitions] = aq
	sections[secStrings] = strs.Bytes()
	if err != nil {
		return nil, err
	}

	tableLen := 12 * numSections
	total := tableLen
	for id := 1; id <= numSections; id++ {
		total += len(sections[id])
	}
	if total > math.MaxUint32 {
		return nil, errors.New("index larger than 4 GiB")
	}
	out := make([]byte, headerSize, headerSize+total)
	off := tableLen
	for id := 1; id <= numSections; id++ {
		out = put(out, uint32(id), uint32(off), uint32(len(sections[id])))
		off += len(sections[id])
	}
	for id := 1; id <= numSections; id++ {
		out = append(out, sections[id]...)
	}
	copy(out, Magic)
	le.PutUint32(out[8:], Version)
	le.PutUint32(out[12:], 0)
	le.PutUint64(out[16:], uint64(total))
	le.PutUint32(out[24:], crc32.Checksum(out[headerSize:], castagnoli))
	le.PutUint32(out[28:], numSections)
	return out, nil
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
