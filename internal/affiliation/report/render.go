package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

func (r Report) period() string {
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02") }
	switch {
	case r.Since.IsZero() && r.Until.IsZero():
		return "all time"
	case r.Until.IsZero():
		return "since " + day(r.Since)
	case r.Since.IsZero():
		return "before " + day(r.Until)
	}
	return day(r.Since) + " to " + day(r.Until) + " (exclusive)"
}

// Title describes the report.
func (r Report) Title() string {
	t := "Contributions by employer, " + r.period()
	if r.Scope != "" {
		t += ", " + r.Scope
	}
	return t
}

// Markdown writes a GitHub-flavoured Markdown table with a total row.
func (r Report) Markdown(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "### %s\n\n", mdEscape(r.Title()))
	b.WriteString("| Employer | PRs opened | PRs merged | Contributors |\n|---|---:|---:|---:|\n")
	for _, row := range r.Rows {
		fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", mdEscape(row.Employer), row.Opened, row.Merged, row.Contributors)
	}
	fmt.Fprintf(&b, "| **Total** | **%d** | **%d** | **%d** |\n", r.Total.Opened, r.Total.Merged, r.Total.Contributors)
	_, err := w.Write(b.Bytes())
	return err
}

// mdEscape keeps user-controlled text literal in a table cell: Markdown
// punctuation backslash-escaped, '|' escaped, '@' unable to mention anyone,
// line breaks flattened.
func mdEscape(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '\\', '`', '*', '_', '{', '}', '[', ']', '<', '>', '|', '~', '&':
			b.WriteByte('\\')
			b.WriteRune(c)
		case '@':
			b.WriteString("&#64;")
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// CSV writes one line per employer (no total), with a header; cells that a
// spreadsheet would read as a formula are prefixed with "'".
func (r Report) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"employer", "slug", "kind", "prs_opened", "prs_merged", "contributors"}); err != nil {
		return err
	}
	for _, row := range r.Rows {
		rec := []string{csvCell(row.Employer), row.Slug, row.KindName, strconv.Itoa(row.Opened), strconv.Itoa(row.Merged), strconv.Itoa(row.Contributors)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

type jsonReport struct {
	Scope string `json:"scope,omitempty"`
	Since string `json:"since,omitempty"`
	Until string `json:"until,omitempty"`
	Rows  []Row  `json:"rows"`
	Total Row    `json:"total"`
}

// JSON writes the report as indented JSON.
func (r Report) JSON(w io.Writer) error {
	j := jsonReport{Scope: r.Scope, Rows: r.Rows, Total: r.Total}
	if j.Rows == nil {
		j.Rows = []Row{}
	}
	if !r.Since.IsZero() {
		j.Since = r.Since.UTC().Format(time.RFC3339)
	}
	if !r.Until.IsZero() {
		j.Until = r.Until.UTC().Format(time.RFC3339)
	}
	j.Total.KindName = ""
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(j)
}

// SVG layout.
const (
	svgWidth    = 760
	svgRow      = 30
	svgTop      = 44
	svgMaxLabel = 34 // characters of an employer name shown
	colorOpened = "#9ecae1"
	colorMerged = "#3182bd"
)

// SVG writes a horizontal bar chart of PRs opened and merged per employer:
// the top employers by PRs opened, the rest summed as "Other". The output is
// deterministic and every text is XML-escaped.
func (r Report) SVG(w io.Writer, top int) error {
	rows := r.Rows
	if top > 0 && len(rows) > top {
		other := Row{Employer: fmt.Sprintf("Other (%d employers)", len(rows)-top)}
		for _, row := range rows[top:] {
			other.Opened += row.Opened
			other.Merged += row.Merged
		}
		rows = append(append([]Row(nil), rows[:top]...), other)
	}
	labelW := 60
	for _, row := range rows {
		labelW = max(labelW, 7*utf8.RuneCountInString(shorten(row.Employer))+16)
	}
	labelW = min(labelW, 260)
	maxV := 1
	for _, row := range rows {
		maxV = max(maxV, row.Opened, row.Merged)
	}
	barMax := float64(svgWidth - labelW - 60)
	height := svgTop + svgRow*len(rows) + 36
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12" role="img" aria-labelledby="title">`+"\n",
		svgWidth, height, svgWidth, height)
	fmt.Fprintf(&b, `<title id="title">%s</title>`+"\n", xmlText(r.Title()))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", svgWidth, height)
	fmt.Fprintf(&b, `<text x="10" y="22" font-size="14" font-weight="bold">%s</text>`+"\n", xmlText(r.Title()))
	for i, row := range rows {
		y := svgTop + i*svgRow
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", labelW-8, y+17, xmlText(shorten(row.Employer)))
		for j, v := range []int{row.Opened, row.Merged} {
			color, by := colorOpened, y+4
			if j == 1 {
				color, by = colorMerged, y+15
			}
			bw := barMax * float64(v) / float64(maxV)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="10" fill="%s"/>`+"\n", labelW, by, f(bw), color)
			fmt.Fprintf(&b, `<text x="%s" y="%d" font-size="10">%d</text>`+"\n", f(float64(labelW)+bw+4), by+9, v)
		}
	}
	ly := svgTop + svgRow*len(rows) + 16
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d">PRs opened</text>`+"\n", labelW, ly, colorOpened, labelW+14, ly+9)
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d">PRs merged</text>`+"\n", labelW+110, ly, colorMerged, labelW+124, ly+9)
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= svgMaxLabel {
		return s
	}
	r := []rune(s)
	return string(r[:svgMaxLabel-1]) + "…"
}

func xmlText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
