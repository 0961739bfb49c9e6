package httpapi

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/gin-gonic/gin"
)

// Caps on the query string and path parameters, enforced for every route
// in one place (boundedParams) so that no handler, today's or a new one,
// passes an unbounded string to the taxonomy's matcher, the search engine
// or a store look-up.
const (
	maxQueryBytes  = 4096 // the raw query string, percent-encoded
	maxQueryKeys   = 32   // distinct parameter names
	maxNameBytes   = 32   // a parameter's name
	maxQueryValues = 20   // values of one repeated parameter (?skill=…&skill=…)
	maxTextRunes   = 200  // free text: q
	maxValueRunes  = 100  // any other query value: ids, codes, dates, numbers
	maxPathRunes   = 100  // a path parameter: ids, file names
)

// textParams are the free-text query parameters, which get maxTextRunes.
var textParams = map[string]bool{"q": true}

// boundedParams answers 400 when the query string or a path parameter is
// longer than its cap, repeats too often or is not UTF-8.
func boundedParams() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := checkParams(c); err != nil {
			writeProblem(c, err)
			c.Abort()
			return
		}
		c.Next()
	}
}

func checkParams(c *gin.Context) error {
	raw := c.Request.URL.RawQuery
	if len(raw) > maxQueryBytes {
		return failure.New(failure.Invalid, "query_too_long", "the query string is longer than %d bytes", maxQueryBytes)
	}
	var fields []failure.FieldError
	if raw != "" {
		values, err := url.ParseQuery(raw)
		if err != nil {
			return failure.New(failure.Invalid, "bad_query", "the query string is malformed")
		}
		if len(values) > maxQueryKeys {
			return failure.New(failure.Invalid, "query_too_long", "the query string has more than %d parameters", maxQueryKeys)
		}
		for name, vs := range values {
			if len(name) > maxNameBytes || !utf8.ValidString(name) {
				// Not echoed back as a field: it may be anything.
				return failure.New(failure.Invalid, "bad_query", "a query parameter name is longer than %d bytes or not UTF-8", maxNameBytes)
			}
			if len(vs) > maxQueryValues {
				fields = append(fields, failure.FieldError{Field: name, Code: "too_many", Param: strconv.Itoa(maxQueryValues)})
				continue
			}
			limit := maxValueRunes
			if textParams[name] {
				limit = maxTextRunes
			}
			for _, v := range vs {
				if f, bad := checkValue(name, v, limit); bad {
					fields = append(fields, f)
					break
				}
			}
		}
	}
	for _, p := range c.Params {
		if f, bad := checkValue(p.Key, p.Value, maxPathRunes); bad {
			fields = append(fields, f)
		}
	}
	if len(fields) > 0 {
		slices.SortFunc(fields, func(a, b failure.FieldError) int { return strings.Compare(a.Field, b.Field) })
		return failure.Fields(fields...)
	}
	return nil
}

func checkValue(name, v string, limit int) (failure.FieldError, bool) {
	switch {
	case !utf8.ValidString(v):
		return failure.FieldError{Field: name, Code: "utf8"}, true
	case utf8.RuneCountInString(v) > limit:
		return failure.FieldError{Field: name, Code: "too_long", Param: strconv.Itoa(limit)}, true
	}
	return failure.FieldError{}, false
}
