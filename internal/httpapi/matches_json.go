package httpapi

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/careget/skillsmatch/search/score"
)

// The candidates page is the API's busiest answer, and encoding/json's
// reflection over its nested cards and explanations was a tenth of its
// server time. appendCandidateMatches writes the same bytes as
// json.Marshal(itemsResponse{Items: toCandidateMatches(ms)}) — field by
// field in the structs' order, with their omitempty, roundings and escapes
// (TestCandidateMatchesJSONIsEncodingJSONs) — without reflection or the
// intermediate structs. Change both together.

// appendCandidateMatches appends the page {"items":[…]} of ms to b.
func appendCandidateMatches(b []byte, ms []candidate.Match) []byte {
	b = append(b, `{"items":[`...)
	for i, m := range ms {
		b = append(next(b, i), `{"candidate":`...)
		b = appendCard(b, m.Card)
		b = appendFloat(b, "score", round3(m.Score))
		b = append(b, `,"explanation":`...)
		b = appendExplanation(b, m.Explanation)
		b = appendBool(b, "permitRequired", m.PermitRequired)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendCard is candidateCard's encoding.
func appendCard(b []byte, c candidate.Card) []byte {
	b = appendKey(b, '{', "id", c.ID)
	if c.ProfileID != "" {
		b = appendKey(b, ',', "profileId", c.ProfileID)
	}
	b = append(b, `,"skills":[`...)
	for i, s := range c.Skills {
		b = appendKey(next(b, i), '{', "id", s.ID)
		b = appendKey(b, ',', "label", s.Label)
		b = appendInt(b, "level", s.Level)
		b = appendKey(b, ',', "evidence", s.Evidence)
		b = append(b, '}')
	}
	b = append(b, `],"languages":[`...)
	for i, l := range c.Languages {
		b = appendKey(next(b, i), '{', "code", l.Code)
		b = appendKey(b, ',', "level", l.Level)
		b = append(b, '}')
	}
	b = append(b, ']')
	b = appendInt(b, "educationLevel", c.EducationLevel)
	b = appendKey(b, ',', "municipality", c.Municipality)
	b = appendKey(b, ',', "availableFrom", c.AvailableFrom)
	if c.AvailableTo != "" {
		b = appendKey(b, ',', "availableTo", c.AvailableTo)
	}
	if c.Hours != "" {
		b = appendKey(b, ',', "hours", c.Hours)
	}
	return append(b, '}')
}

// appendExplanation is explanationResponse's encoding (toExplanation).
func appendExplanation(b []byte, e score.Explanation) []byte {
	b = append(b, `{"matchedSkills":[`...)
	for i, m := range e.MatchedSkills {
		b = appendKey(next(b, i), '{', "id", m.ID)
		b = appendKey(b, ',', "label", m.Label)
		b = appendBool(b, "required", m.Required)
		b = appendInt(b, "levelWanted", m.LevelWanted)
		b = appendInt(b, "levelHas", m.LevelHas)
		b = appendKey(b, ',', "evidence", m.Evidence)
		b = appendKey(b, ',', "via", m.Via)
		for _, f := range [...]struct{ k, v string }{{"heldId", m.HeldID}, {"heldLabel", m.HeldLabel}, {"relation", m.Relation}} {
			if f.v != "" {
				b = appendKey(b, ',', f.k, f.v)
			}
		}
		b = append(b, '}')
	}
	b = append(b, `],"missingSkills":[`...)
	for i, m := range e.MissingSkills {
		b = appendKey(next(b, i), '{', "id", m.ID)
		b = appendKey(b, ',', "label", m.Label)
		b = appendBool(b, "required", m.Required)
		b = appendInt(b, "levelWanted", m.LevelWanted)
		if m.LevelHas > 0 {
			b = appendInt(b, "levelHas", m.LevelHas)
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	b = appendFloat(b, "distanceKm", round1(e.DistanceKm))
	b = appendBool(b, "languagesOk", e.LanguagesOK)
	b = appendBool(b, "availabilityOk", e.AvailabilityOK)
	b = append(b, `,"parts":[`...)
	for i, p := range e.Parts {
		b = appendKey(next(b, i), '{', "name", p.Name)
		b = appendFloat(b, "value", round3(p.Value))
		b = appendFloat(b, "weight", round3(p.Weight))
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// next separates the i-th element of a list from the one before.
func next(b []byte, i int) []byte {
	if i > 0 {
		return append(b, ',')
	}
	return b
}

// appendKey appends sep, then "key":"value". Keys are ASCII letters.
func appendKey(b []byte, sep byte, key, value string) []byte {
	b = append(b, sep, '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return appendString(b, value)
}

func appendInt(b []byte, key string, v int) []byte {
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return strconv.AppendInt(b, int64(v), 10)
}

func appendBool(b []byte, key string, v bool) []byte {
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return strconv.AppendBool(b, v)
}

// appendFloat appends ,"key": and f as encoding/json writes a float64.
// f is always finite: round1 and round3 go through an int64.
func appendFloat(b []byte, key string, f float64) []byte {
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-09 → e-9, as encoding/json writes it
		b = b[:n-1]
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString is encoding/json's string encoding with HTML escaping (as
// json.Marshal and so gin write): <, > and & as \u003c…, control
// characters escaped, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	if plainString(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	return appendEscaped(b, s)
}

// appendEscaped is appendString rune by rune, for strings that may need
// an escape.
func appendEscaped(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendEscapedByte(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainString reports whether s needs no escape: valid UTF-8 without
// any byte plainByte leaves out. Most ids and labels are plain, and a
// table and utf8.ValidString see that faster than decoding every rune
// (reading eight bytes at a time through encoding/binary was slower).
func plainString(s string) bool {
	for i := 0; i < len(s); i++ {
		if !plainByte[s[i]] {
			return false
		}
	}
	return utf8.ValidString(s)
}

// plainByte marks the bytes that never need an escape: printable ASCII
// but ", \, <, > and &, and the bytes of multi-byte runes except 0xE2,
// the first byte of U+2028 and U+2029 (and of others, which the slow path
// copies as they are).
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c != 0xE2
	}
	return t
}()

func appendEscapedByte(b []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
