// Command gen-affiliations writes a synthetic, deterministic cncf/gitdm
// developers_affiliations data set for the affiliation benchmarks:
//
//	go run ./bench/gen-affiliations -lines 400000 -out /tmp/developers_affiliations_synth.txt
//	contribution-policy affiliation index --out /tmp/aff.idx /tmp/developers_affiliations_synth.txt
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/contribution-policy/contribution-policy/internal/affiliation/synth"
)

func main() {
	lines := flag.Int("lines", 400000, "employer lines to generate")
	seed := flag.Uint64("seed", 1, "random seed (same seed, same output)")
	out := flag.String("out", "-", "output file (- for standard output)")
	flag.Parse()
	var w io.Writer = os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	st, err := synth.Developers(w, *lines, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "%d blocks, %d lines (%d employer lines), %d e-mails\n", st.Blocks, st.Lines, st.EmployerLines, st.Emails)
}
