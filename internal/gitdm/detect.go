package gitdm

import (
	"path"
	"strings"
)

// Format names an input format.
type Format string

// The formats this package reads.
const (
	FormatDevelopers        Format = "developers"         // developers_affiliations*.txt
	FormatCompanyDevelopers Format = "company-developers" // company_developers*.txt
	FormatMap               Format = "map"                // email-map, domain-map
	FormatAliases           Format = "aliases"            // EmailAliases
	FormatCompanyNames      Format = "company-names"      // company-names-mapping
	FormatAcquisitions      Format = "acquisitions"       // devstats companies.yaml
	FormatGitHubUsers       Format = "github-users"       // devstats github_users.json
	FormatStackalytics      Format = "stackalytics"       // default_data.json
	FormatProfiles          Format = "profiles"           // LF profiles*.yaml
	FormatConfig            Format = "gitdm-config"       // gitdm.config
	FormatGroup             Format = "group"              // GroupMap member list
)

// Formats lists every format name, for flags and messages.
var Formats = []Format{
	FormatDevelopers, FormatCompanyDevelopers, FormatMap, FormatAliases, FormatCompanyNames,
	FormatAcquisitions, FormatGitHubUsers, FormatStackalytics, FormatProfiles, FormatConfig, FormatGroup,
}

// ParseFormat returns the format with that name.
func ParseFormat(s string) (Format, bool) {
	for _, f := range Formats {
		if string(f) == s {
			return f, true
		}
	}
	return "", false
}

// Detect guesses the format from a file name as upstream names its files;
// "" when the name says nothing.
func Detect(name string) Format {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	has := func(prefix string, exts ...string) bool {
		if !strings.HasPrefix(base, prefix) {
			return false
		}
		if len(exts) == 0 {
			return true
		}
		for _, e := range exts {
			if strings.HasSuffix(base, e) {
				return true
			}
		}
		return false
	}
	switch {
	case has("developers_affiliations", ".txt"):
		return FormatDevelopers
	case has("company_developers", ".txt"):
		return FormatCompanyDevelopers
	case has("company-names-mapping"):
		return FormatCompanyNames
	case has("email-map"), has("prev-email-map"), has("domain-map"), has("emailmap"), has("domainmap"):
		return FormatMap
	case has("aliases"):
		return FormatAliases
	case has("companies", ".yaml", ".yml"):
		return FormatAcquisitions
	case has("github_users", ".json"):
		return FormatGitHubUsers
	case has("default_data", ".json"):
		return FormatStackalytics
	case has("profiles", ".yaml", ".yml"):
		return FormatProfiles
	case base == "gitdm.config" || has("gitdm", ".config"):
		return FormatConfig
	}
	return ""
}
