package gitdm

import (
	"math"
	"time"
)

// Day is a calendar day in UTC, counted from 1970-01-01. Affiliation ranges
// are half-open [From, Until) on days: a range that ends on D no longer holds
// at D 00:00 UTC. MinDay and MaxDay stand for an open start and an open end.
type Day int32

// Open ends of a range.
const (
	MinDay Day = math.MinInt32 // no start: "since forever"
	MaxDay Day = math.MaxInt32 // no end: "still true"
)

// Sentinel dates that devstats and LF SortingHat use for open ends.
var (
	SentinelStart = mustDay(1900, 1, 1)
	SentinelEnd   = mustDay(2100, 1, 1)
)

// DayOf returns the UTC day containing t.
func DayOf(t time.Time) Day {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	if d < int64(MinDay)+1 {
		return MinDay + 1
	}
	if d > int64(MaxDay)-1 {
		return MaxDay - 1
	}
	return Day(d)
}

// Time is midnight UTC of the day (the zero time for an open end).
func (d Day) Time() time.Time {
	if d == MinDay || d == MaxDay {
		return time.Time{}
	}
	return time.Unix(int64(d)*86400, 0).UTC()
}

// String is YYYY-MM-DD, or "open" for MinDay and MaxDay.
func (d Day) String() string {
	if d == MinDay || d == MaxDay {
		return "open"
	}
	return d.Time().Format("2006-01-02")
}

// FromDate returns the day of a civil date, or false when the date does not
// exist (2019-02-30) or lies outside years 1..9999.
func FromDate(y, m, d int) (Day, bool) {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return Day(daysFromCivil(y, m, d)), true
}

func mustDay(y, m, d int) Day {
	day, ok := FromDate(y, m, d)
	if !ok {
		panic("bad constant date")
	}
	return day
}

// ParseDay parses YYYY-MM-DD exactly (no time, no zone).
func ParseDay(s string) (Day, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	return FromDate(y, m, d)
}

var monthAbbr = map[string]int{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}

// ParseStackalyticsDay parses Stackalytics' YYYY-Mon-DD (2015-Jun-30).
func ParseStackalyticsDay(s string) (Day, bool) {
	if len(s) != 11 || s[4] != '-' || s[8] != '-' {
		return 0, false
	}
	y, ok1 := digits(s[0:4])
	d, ok2 := digits(s[9:11])
	m := monthAbbr[lowerASCII(s[5:8])]
	if !ok1 || !ok2 || m == 0 {
		return 0, false
	}
	return FromDate(y, m, d)
}

// openStart maps the devstats/SortingHat start sentinel (and anything
// before it) to MinDay.
func openStart(d Day) Day {
	if d <= SentinelStart {
		return MinDay
	}
	return d
}

// openEnd maps the end sentinel (and anything after it) to MaxDay.
func openEnd(d Day) Day {
	if d >= SentinelEnd {
		return MaxDay
	}
	return d
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is Howard Hinnant's algorithm: days since 1970-01-01.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
