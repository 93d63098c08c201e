package config

import (
	"fmt"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/command"
	"github.com/contribution-policy/contribution-policy/internal/schema"
)

// validateCLA checks what the CLA section's tags cannot express.
func validateCLA(c *CLA, path string) []schema.Problem {
	var ps []schema.Problem
	add := func(p, msg string) { ps = append(ps, schema.Problem{Path: path + "." + p, Message: msg}) }

	individual := 0
	seen := map[string]int{}
	for i, a := range c.Agreements {
		at := fmt.Sprintf("agreements[%d]", i)
		if j, dup := seen[a.ID]; dup && a.ID != "" {
			add(at+".id", fmt.Sprintf("duplicate agreement id %q (also agreements[%d])", a.ID, j))
		}
		seen[a.ID] = i
		if a.Kind == "" || a.Kind == KindIndividual {
			individual++
			if individual > 1 {
				add(at+".kind", "only one individual agreement is supported: the sign phrase signs it")
			}
			if c.Enabled && a.URL == "" {
				add(at+".url", "required for the individual agreement: contributors must be able to read what they sign")
			}
		}
		for k, v := range a.CompatibleWith {
			if v == a.Version {
				add(fmt.Sprintf("%s.compatible_with[%d]", at, k), "is the current version itself; list older versions only")
			}
		}
	}
	if c.Enabled && individual == 0 {
		add("agreements", "the CLA check needs an individual agreement: add one with id, version and url")
	}
	if p := c.SignPhrase; p != "" {
		if !strings.Contains(strings.ToLower(p), "sign") {
			add("sign_phrase", `must contain the word "sign" (comments without it are skipped without reading the configuration)`)
		}
		rest := strings.NewReplacer("{version}", "", "{major}", "").Replace(p)
		if strings.ContainsAny(rest, "{}") {
			add("sign_phrase", "the only placeholders are {version} and {major}")
		}
		if command.NormalizePhrase(strings.NewReplacer("{version}", "1", "{major}", "1").Replace(p)) == "" {
			add("sign_phrase", "is empty once punctuation is ignored")
		}
	}
	for i, e := range c.Allowlist {
		at := fmt.Sprintf("allowlist[%d]", i)
		kinds := 0
		if e.GitHubID != 0 {
			kinds++
		}
		if e.Bots {
			kinds++
		}
		if e.Login != "" && e.GitHubID == 0 {
			kinds++
			switch {
			case !strings.HasSuffix(strings.ToLower(e.Login), "[bot]"):
				add(at+".login", fmt.Sprintf("a login alone is accepted only for a bot (ending in [bot]); pin a person's login to their account: github_id: <id> (see https://api.github.com/users/%s)", strings.Trim(e.Login, "*")))
			case strings.ContainsAny(strings.TrimSuffix(strings.ToLower(e.Login), "[bot]"), "?[]"):
				add(at+".login", "only * is a wildcard, and it matches within the whole login")
			}
		}
		if e.GitHubID != 0 && strings.Contains(e.Login, "*") {
			add(at+".login", "a login pinned to a github_id cannot contain a wildcard")
		}
		switch {
		case kinds == 0:
			add(at, "give github_id, a bot login, or bots: true")
		case kinds > 1:
			add(at, "give only one of github_id, a bot login or bots: true")
		}
	}
	ps = append(ps, prefixed(path, validateCorporate(c.Corporate, c.Agreements, "corporate"))...)
	if f := c.CorporateFile; f != "" && (strings.HasPrefix(f, "/") || strings.Contains("/"+f+"/", "/../")) {
		add("corporate_file", "must be a path inside the repository, such as "+DefaultCorporateFile)
	}
	return ps
}

func prefixed(prefix string, ps []schema.Problem) []schema.Problem {
	for i := range ps {
		ps[i].Path = prefix + "." + ps[i].Path
	}
	return ps
}

// validateCorporate checks corporate agreements (inline or in a file).
func validateCorporate(list []CorporateAgreement, agreements []Agreement, path string) []schema.Problem {
	var ps []schema.Problem
	add := func(p, msg string) { ps = append(ps, schema.Problem{Path: path + p, Message: msg}) }
	seen := map[string]int{}
	for i, ca := range list {
		at := fmt.Sprintf("[%d]", i)
		if j, dup := seen[ca.ID]; dup && ca.ID != "" {
			add(at+".id", fmt.Sprintf("duplicate corporate agreement id %q (also %s[%d])", ca.ID, path, j))
		}
		seen[ca.ID] = i
		for _, a := range agreements {
			if a.ID == ca.ID && ca.ID != "" {
				// Acknowledgements are stored under the corporate id, next
				// to signatures of agreements: the two must not mix.
				add(at+".id", fmt.Sprintf("%q is also an agreement id; give the corporate agreement its own id", ca.ID))
			}
		}
		if ca.Agreement != "" {
			found := false
			for _, a := range agreements {
				if a.ID == ca.Agreement {
					found = true
					if a.Kind != KindCorporate {
						add(at+".agreement", fmt.Sprintf("%q is not a corporate agreement (kind: corporate)", ca.Agreement))
					}
				}
			}
			if !found {
				add(at+".agreement", fmt.Sprintf("no agreement has id %q", ca.Agreement))
			}
		}
		for k, ap := range ca.Approvals {
			ps = append(ps, validateApproval(ap, fmt.Sprintf("%s%s.approvals[%d]", path, at, k))...)
		}
	}
	return ps
}

func validateApproval(ap Approval, at string) []schema.Problem {
	var ps []schema.Problem
	add := func(p, msg string) { ps = append(ps, schema.Problem{Path: at + p, Message: msg}) }
	switch ap.Type {
	case ApproveDomain:
		v := strings.ToLower(ap.Value)
		switch {
		case v == "":
			add(".value", "required for a domain rule, e.g. acme.com")
		case strings.HasPrefix(v, "*.") || strings.HasPrefix(v, "."):
			add(".value", fmt.Sprintf("write the domain itself (%s) with include_subdomains: true; wildcards are not patterns here", strings.TrimLeft(v, "*.")))
		case strings.ContainsAny(v, "*@/ ") || !strings.Contains(v, ".") || strings.HasSuffix(v, "."):
			add(".value", fmt.Sprintf("%q is not a domain such as acme.com", ap.Value))
		}
	case ApproveEmail:
		if at := strings.LastIndexByte(ap.Value, '@'); at <= 0 || at == len(ap.Value)-1 || strings.ContainsAny(ap.Value, "* ") {
			add(".value", fmt.Sprintf("%q is not an email address", ap.Value))
		}
	case ApproveUser:
		if ap.GitHubID == 0 {
			add(".github_id", "required for a github_user rule: accounts are matched by id, never by login")
		}
	case ApproveOrg:
		if ap.Org == "" {
			add(".org", "required for a github_org rule")
		}
	case ApproveTeam:
		if ap.Org == "" {
			add(".org", "required for a github_team rule")
		}
		if ap.Team == "" {
			add(".team", "required for a github_team rule (the team's slug)")
		}
	}
	return ps
}
