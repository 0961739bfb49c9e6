package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search"
	"github.com/gin-gonic/gin"
)

type needSearchResponse struct {
	Items    []needResponse            `json:"items"`
	Total    int                       `json:"total"`
	Page     int                       `json:"page"`
	PageSize int                       `json:"pageSize"`
	Facets   map[string]map[string]int `json:"facets"`
}

// handleSearchNeeds searches the public needs; which are public today is
// search.PublicNeeds's. The JSON of an answer is kept until the answer's
// stamp changes (search_kept.go).
func handleSearchNeeds(s *search.PublicNeeds) gin.HandlerFunc {
	kept := &keptSearches{}
	return func(c *gin.Context) {
		query := c.Request.URL.RawQuery
		if body, ok := kept.get(s.Stamp(), query); ok { // nothing written since: the same answer
			c.Data(http.StatusOK, jsonUTF8, body)
			return
		}
		q, err := needSearchParams(c)
		if err != nil {
			writeProblem(c, err)
			return
		}
		res, err := s.Search(c.Request.Context(), q)
		if err != nil {
			writeProblem(c, err)
			return
		}
		body, ok := kept.get(res.Stamp, query)
		if !ok {
			out := needSearchResponse{Items: make([]needResponse, 0, len(res.Needs)), Total: res.Total, Page: q.Page,
				PageSize: q.PageSize, Facets: res.Facets}
			for _, n := range res.Needs {
				out.Items = append(out.Items, toNeedResponse(n))
			}
			if body, err = json.Marshal(out); err != nil {
				writeProblem(c, fmt.Errorf("search needs: encode: %w", err))
				return
			}
			kept.put(res.Stamp, query, body)
		}
		c.Data(http.StatusOK, jsonUTF8, body)
	}
}

const jsonUTF8 = "application/json; charset=utf-8" // as gin's c.JSON

// needSearchParams reads and checks the query string of GET /api/v1/needs.
func needSearchParams(c *gin.Context) (search.NeedQuery, error) {
	q := search.NeedQuery{Text: strings.TrimSpace(c.Query("q")), Kind: c.Query("kind"), Sector: c.Query("sector"),
		Municipality: c.Query("municipality"), Skills: c.QueryArray("skill")}
	fields := q.Problems()
	add := func(field, code, param string) {
		fields = append(fields, failure.FieldError{Field: field, Code: code, Param: param})
	}
	var err error
	if q.Page, err = intParam(c, "page", 1, 1, search.MaxPage); err != nil {
		add("page", "range", "1..1000")
	}
	if q.PageSize, err = intParam(c, "pageSize", search.DefaultPageSize, 1, search.MaxPageSize); err != nil {
		add("pageSize", "range", "1..100")
	}
	if near := c.Query("near"); near != "" {
		lat, lon, ok := parseLatLon(near)
		if !ok {
			add("near", "type", "lat,lon")
		}
		q.Near = &register.GeoPoint{Lat: lat, Lon: lon}
		if q.RadiusKm, err = floatParam(c, "radiusKm", 25, 0.1, 1000); err != nil {
			add("radiusKm", "max", "1000")
		}
	}
	if len(fields) > 0 {
		return search.NeedQuery{}, failure.Fields(fields...)
	}
	return q, nil
}

func intParam(c *gin.Context, name string, def, lo, hi int) (int, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, failure.Field(name, "max", strconv.Itoa(hi))
	}
	return n, nil
}

func floatParam(c *gin.Context, name string, def, lo, hi float64) (float64, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < lo || f > hi {
		return 0, failure.Field(name, "max", strconv.FormatFloat(hi, 'f', -1, 64))
	}
	return f, nil
}

func parseLatLon(s string) (lat, lon float64, ok bool) {
	a, b, found := strings.Cut(s, ",")
	if !found {
		return 0, 0, false
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	return lat, lon, err1 == nil && err2 == nil && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}
