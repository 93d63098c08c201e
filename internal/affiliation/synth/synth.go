// Package synth generates realistic, deterministic affiliation data sets in
// cncf/gitdm formats for benchmarks: the real files cannot be shipped (they
// name real people) and the full current CNCF set is ~157k employer lines;
// the benchmarks use 400,000.
//
// The mix follows the 2023 cncf/gitdm statistics (FULL_SIZES.md): about half
// of the blocks have one undated employer, the rest multi-range histories
// with month-granular, contiguous dates (up to 17 ranges); Independent is
// the most common value; 73% of blocks carry a no-reply address (a few of
// the ID+login form), many a free-mail or corporate address, all obfuscated
// with '!'; ~2% of logins come in two blocks; company names include aliases
// (AWS/Amazon, Google/Google LLC), ':' and ' from ', non-ASCII and trailing
// spaces.
package synth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
)

// Stats describes a generated set.
type Stats struct {
	Blocks, Lines, EmployerLines, Emails int
	Logins                               []string // a sample of generated logins (every 97th), for lookups
	EmailSample                          []string // a sample of generated e-mails
}

var common = []struct {
	name   string
	weight int
}{
	{"Independent", 180}, {"Google LLC", 25}, {"Red Hat Inc.", 22}, {"Microsoft Corporation", 16}, {"IBM", 14},
	{"Intel", 9}, {"VMware Inc.", 8}, {"Cisco", 6}, {"Amazon", 6}, {"AWS", 3}, {"Google", 3}, {"Huawei Technologies Co. Ltd", 5},
	{"Alibaba.com", 4}, {"SUSE LLC", 3}, {"Career Break", 2}, {"Unemployed", 1}, {"Retired", 1}, {"(Robots)", 1},
	{"Run:AI", 1}, {"Nuage Networks from Nokia", 1}, {"(주)우아한형제들", 1}, {"字节跳动 · Internship", 1}, {"Yahoo! Inc.", 1},
	{"Microsoft Corporation  ", 1}, // trailing spaces
}

// Developers writes a developers_affiliations file with (at least)
// employerLines employer lines, deterministic for a seed.
func Developers(w io.Writer, employerLines int, seed uint64) (Stats, error) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	bw := bufio.NewWriterSize(w, 1<<16)
	var st Stats
	header := []string{
		"# This is the main developers affiliations file.",
		"# If you see your name with asterisk '*' sign - it means that",
		"# multiple affiliations were found for you with different email addresses.",
		"# Please merge all of them into one then.",
		"# Note that email addresses below are \"best effort\" and are out-of-date",
		"# or inaccurate in many cases. Please do not rely on this email information",
		"# without verification.",
	}
	for _, h := range header {
		bw.WriteString(h + "\n")
		st.Lines++
	}
	total := 0
	for _, c := range common {
		total += c.weight
	}
	company := func() string {
		// 45% common names, the rest a long tail of 30,000 companies
		// (Zipf-like: lower numbers are more frequent).
		if rng.IntN(100) < 45 {
			n := rng.IntN(total)
			for _, c := range common {
				if n < c.weight {
					return c.name
				}
				n -= c.weight
			}
		}
		i := int(30000 * rng.Float64() * rng.Float64())
		switch i % 7 {
		case 0:
			return fmt.Sprintf("Company %05d Inc.", i)
		case 1:
			return fmt.Sprintf("Company %05d GmbH", i)
		case 2:
			return fmt.Sprintf("Company %05d", i)
		case 3:
			return fmt.Sprintf("Company %05d Ltd", i)
		default:
			return fmt.Sprintf("Company %05d LLC", i)
		}
	}
	domain := func(c string) string {
		c = strings.ToLower(strings.TrimSpace(c))
		c = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, c)
		if c == "" {
			c = "example"
		}
		return c + ".com"
	}
	block := 0
	for st.EmployerLines < employerLines {
		block++
		login := fmt.Sprintf("dev-%06d", block)
		if rng.IntN(50) == 0 && block > 10 { // the same login in a second block
			login = fmt.Sprintf("dev-%06d", block-1-rng.IntN(5))
		}
		// Ranges: ~47% one undated employer, else 2..17, geometric.
		n := 1
		if rng.IntN(100) >= 47 {
			n = 2
			for n < 17 && rng.IntN(100) < 45 {
				n++
			}
		}
		if rest := employerLines - st.EmployerLines; n > rest {
			n = rest
		}
		names := make([]string, n)
		for i := range names {
			names[i] = company()
		}
		var emails []string
		if rng.IntN(100) < 73 {
			if rng.IntN(50) == 0 {
				emails = append(emails, fmt.Sprintf("%d+%s!users.noreply.github.com", 1000000+block, login))
			} else {
				emails = append(emails, login+"!users.noreply.github.com")
			}
		}
		if rng.IntN(100) < 45 {
			emails = append(emails, fmt.Sprintf("%s.%d!gmail.com", strings.ReplaceAll(login, "-", ""), block))
		}
		if rng.IntN(100) < 35 || len(emails) == 0 {
			d := domain(names[len(names)-1])
			if !strings.HasPrefix(names[len(names)-1], "Company") && rng.IntN(2) == 0 {
				d = fmt.Sprintf("home%d.net", block%1000) // a personal domain
			}
			emails = append(emails, fmt.Sprintf("%s!%s", login, d))
		}
		st.Emails += len(emails)
		if block%97 == 0 {
			st.Logins = append(st.Logins, login)
			st.EmailSample = append(st.EmailSample, strings.Replace(emails[len(emails)-1], "!", "@", 1))
		}
		fmt.Fprintf(bw, "%s: %s\n", login, strings.Join(emails, ", "))
		st.Lines++
		// Month-granular contiguous dates, 2010..2025.
		y, m := 2010+rng.IntN(6), 1+rng.IntN(12)
		next := func() string {
			m += 1 + rng.IntN(20)
			for m > 12 {
				m -= 12
				y++
			}
			return fmt.Sprintf("%04d-%02d-01", y, m)
		}
		prev := ""
		for i, c := range names {
			switch {
			case n == 1:
				fmt.Fprintf(bw, "\t%s\n", c)
			case i == 0:
				prev = next()
				fmt.Fprintf(bw, "\t%s until %s\n", c, prev)
			case i == n-1:
				fmt.Fprintf(bw, "\t%s from %s\n", c, prev)
			default:
				d := next()
				fmt.Fprintf(bw, "\t%s from %s until %s\n", c, prev, d)
				prev = d
			}
			st.Lines++
			st.EmployerLines++
		}
	}
	st.Blocks = block
	return st, bw.Flush()
}
