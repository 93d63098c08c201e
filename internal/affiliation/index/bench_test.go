package index

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/affiliation/synth"
)

// Benchmarks for docs/performance.md (## Affiliation). Targets: indexing
// 400,000 affiliation lines < 1 s; loading the prebuilt index < 100 ms; one
// lookup < 2 µs; resident memory for 400,000 entries < 200 MB.
//
//	go test ./internal/affiliation/index -run '^$' -bench . -benchtime 5x

const benchLines = 400000

var bench struct {
	once  sync.Once
	input []byte
	st    synth.Stats
	index []byte
}

func benchData(b *testing.B) ([]byte, synth.Stats, []byte) {
	bench.once.Do(func() {
		var buf bytes.Buffer
		st, err := synth.Developers(&buf, benchLines, 1)
		if err != nil {
			b.Fatal(err)
		}
		bench.input, bench.st = buf.Bytes(), st
		bld := NewBuilder()
		if _, err := bld.AddFile("developers_affiliations_synth.txt", bytes.NewReader(bench.input), FileOptions{}); err != nil {
			b.Fatal(err)
		}
		if bench.index, err = bld.Encode(); err != nil {
			b.Fatal(err)
		}
	})
	return bench.input, bench.st, bench.index
}

// BenchmarkBuild400k: parse 400,000 employer lines (603,755 lines, 26 MB)
// and write the index.
func BenchmarkBuild400k(b *testing.B) {
	input, _, _ := benchData(b)
	b.SetBytes(int64(len(input)))
	runtime.GC()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bld := NewBuilder()
		if _, err := bld.AddFile("developers_affiliations_synth.txt", bytes.NewReader(input), FileOptions{}); err != nil {
			b.Fatal(err)
		}
		if _, err := bld.Encode(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/build")
	// CPU time of the process (GC workers included): on a shared machine
	// wall time also counts other people's work.
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/build")
}

// BenchmarkOpen400k: read the index file and open it with Load (checksum
// and full reference check included), as "affiliation who --index" and the
// Action do.
func BenchmarkOpen400k(b *testing.B) {
	_, _, data := benchData(b)
	path := filepath.Join(b.TempDir(), "aff.idx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	cpu0 := cpuTime()
	b.ResetTimer()
	defer func() {
		b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/load")
	}()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		_, err = Load(f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/load")
}

// BenchmarkLookupLogin: one Find by login in the 400k index, histories
// materialised.
func BenchmarkLookupLogin(b *testing.B) {
	_, st, data := benchData(b)
	ix, err := Open(data)
	if err != nil {
		b.Fatal(err)
	}
	keys := make([]affiliation.Key, len(st.Logins))
	for i, l := range st.Logins {
		keys[i] = affiliation.LoginKey(l)
	}
	day := affiliation.Day(19000)
	b.ResetTimer()
	found := 0
	for i := 0; i < b.N; i++ {
		for h := range ix.Find(keys[i%len(keys)]) {
			if _, ok := h.At(day); ok {
				found++
			}
		}
	}
	if found == 0 {
		b.Fatal("nothing found")
	}
}

// BenchmarkResolve: a full rank 1-9 resolution (login, id, two linked
// e-mails) against the 400k index.
func BenchmarkResolve(b *testing.B) {
	_, st, data := benchData(b)
	ix, err := Open(data)
	if err != nil {
		b.Fatal(err)
	}
	r := affiliation.NewResolver(affiliation.Options{Sources: []affiliation.Source{ix}})
	at := time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)
	facts := make([]affiliation.Facts, len(st.Logins))
	for i, l := range st.Logins {
		facts[i] = affiliation.Facts{At: at, Login: l, ID: int64(i + 1), Emails: []affiliation.CommitEmail{
			{Email: st.EmailSample[i], Linked: true}, {Email: l + "@users.noreply.github.com", Linked: true}}}
	}
	for _, f := range facts { // warm the name cache
		r.Resolve(f)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Resolve(facts[i%len(facts)])
	}
}

// BenchmarkMemory400k reports the heap and the resident set once the
// 400k index is loaded, and the peak of a build.
func BenchmarkMemory400k(b *testing.B) {
	input, _, data := benchData(b)
	for i := 0; i < b.N; i++ {
		runtime.GC()
		base := heapInUse()
		ix, err := Open(data)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		loaded := heapInUse() - base
		b.ReportMetric(float64(loaded)/(1<<20), "MB-heap-loaded")
		b.ReportMetric(float64(rssBytes())/(1<<20), "MB-RSS")
		runtime.KeepAlive(ix)

		var peak uint64
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() { // sample the heap during a build
			defer close(done)
			for {
				if h := heapInUse(); h > peak {
					peak = h
				}
				select {
				case <-stop:
					return
				case <-time.After(2 * time.Millisecond):
				}
			}
		}()
		runtime.GC()
		base = heapInUse()
		bld := NewBuilder()
		if _, err := bld.AddFile("developers_affiliations_synth.txt", bytes.NewReader(input), FileOptions{}); err != nil {
			b.Fatal(err)
		}
		if _, err := bld.Encode(); err != nil {
			b.Fatal(err)
		}
		close(stop)
		<-done
		b.ReportMetric(float64(peak-min(base, peak))/(1<<20), "MB-heap-build-peak")
		runtime.KeepAlive(bld)
		st := ix.Stats()
		b.ReportMetric(float64(st.Keys), "keys")
		b.ReportMetric(float64(st.Bytes)/(1<<20), "MB-file")
	}
}

func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// rssBytes is VmRSS from /proc/self/status (0 where there is none).
func rssBytes() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.ParseUint(f[0], 10, 64)
				return n << 10
			}
		}
	}
	return 0
}
