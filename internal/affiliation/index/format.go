// Package index is the prebuilt affiliation index: a Builder that takes
// gitdm-family files (or records) and a compact binary format that loads in
// milliseconds and answers lookups without building any map.
//
// Format (version 1, little-endian):
//
//	header, 32 bytes:
//	  magic "CPAFIDX\n" | version u32 | flags u32 | body length u64 | CRC-32C of body u32 | section count u32
//	body:
//	  section table: count x {id u32, offset u32, length u32} (offsets from the body start)
//	  STRS  all strings, concatenated
//	  DSET  data sets      {name off u32, name len u32, updated day i32}          12 B
//	  COMP  companies      {off u32, len u32}                                      8 B
//	  RNGS  ranges         {from day i32, until day i32, company u32}             12 B
//	  HIST  histories      {first range u32, ranges u16, dataset u16, line u32,
//	                        rank u8, priority i8, pad u16, account id u64}        24 B
//	  KEYS  keys           {hash low u32, off u32, len u32, history u32}           16 B
//	  ALIA  company aliases {raw off, raw len, canonical off, canonical len} u32  16 B
//	  ACQU  acquisitions   {pattern off, len, company off, len} u32               16 B
//	  BUCK  bucket starts  u32 x (2^b + 1)                                          4 B
//
// A key is its kind byte ('l' login, 'i' id, 'e' e-mail, 'd' domain) then
// its normalised value. KEYS is sorted by the key's 64-bit FNV-1a hash, then
// key bytes, then history; bucket j (the hash's top b bits) holds keys
// BUCK[j] to BUCK[j+1]-1, with 2^b >= keys/2. A lookup hashes the key, reads
// one bucket entry and compares one or two records: three cache misses
// whatever the size, where a binary search over 500,000 keys takes twenty. Histories' ranges are sorted
// by Until with starts filled in (affiliation.Normalize). Open checks the
// header, the checksum and every reference, so a damaged or hostile file is
// an error, never a panic or an out-of-range read.
package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// Magic starts every index file.
const Magic = "CPAFIDX\n"

// Version is the format version this build reads and writes.
const Version = 1

const headerSize = 32

// Section ids.
const (
	secStrings = 1 + iota
	secDatasets
	secCompanies
	secRanges
	secHistories
	secKeys
	secAliases
	secAcquisitions
	secBuckets
	numSections = secBuckets
)

var recordSize = [numSections + 1]int{secStrings: 1, secDatasets: 12, secCompanies: 8, secRanges: 12,
	secHistories: 24, secKeys: 16, secAliases: 16, secAcquisitions: 16, secBuckets: 4}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func crcOf(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// ErrFormat marks a file that is not a valid index.
var ErrFormat = errors.New("not a valid affiliation index")

func formatErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// Little-endian reads from a string (the index keeps its bytes as one
// immutable string so substrings cost nothing).
func u16(s string, o int) uint16 { return uint16(s[o]) | uint16(s[o+1])<<8 }

func u32(s string, o int) uint32 {
	return uint32(s[o]) | uint32(s[o+1])<<8 | uint32(s[o+2])<<16 | uint32(s[o+3])<<24
}

func u64(s string, o int) uint64 { return uint64(u32(s, o)) | uint64(u32(s, o+4))<<32 }

var le = binary.LittleEndian

// keyHash is 64-bit FNV-1a over the kind byte and the value.
func keyHash(kind byte, value string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	h ^= uint64(kind)
	h *= prime
	for i := 0; i < len(value); i++ {
		h ^= uint64(value[i])
		h *= prime
	}
	return h
}

// bucketBits is b for n keys: the smallest b >= 1 with 2^b >= n/2.
func bucketBits(n int) uint {
	b := uint(1)
	for (1<<b)*2 < n && b < 31 {
		b++
	}
	return b
}
