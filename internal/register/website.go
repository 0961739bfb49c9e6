package register

import (
	"net/url"
	"strings"
	"unicode"
)

// MaxWebsite is the longest employer website address accepted.
const MaxWebsite = 300

// ValidWebsite reports whether s may be an employer's website: empty, or an
// absolute http or https address with a host and no user name or password.
// Any other scheme (javascript:, data:, file:, vbscript:) would run or
// open something in the browser of whoever follows the link, and a user
// part ("https://bank.bg@evil.example") disguises where it leads.
func ValidWebsite(s string) bool {
	if s == "" {
		return true
	}
	if len(s) > MaxWebsite || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" || u.User != nil || u.Hostname() == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}
