package httpapi

import (
	"net/http"
	"strconv"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/gin-gonic/gin"
)

// queryLang is the language of labels in a response: ?lang= if given,
// else the Accept-Language header.
func queryLang(c *gin.Context) string {
	switch c.Query("lang") {
	case "en":
		return "en"
	case "bg":
		return "bg"
	}
	return lang(c.GetHeader("Accept-Language"))
}

func queryLimit(c *gin.Context, def, max int) (int, error) {
	v := c.Query("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, failure.Field("limit", "max", strconv.Itoa(max))
	}
	return n, nil
}

type itemsResponse[T any] struct {
	Items []T `json:"items"`
}

func handleSuggestSkills(t *taxonomy.Taxonomy) gin.HandlerFunc {
	return func(c *gin.Context) {
		limit, err := queryLimit(c, 10, 50)
		if err != nil {
			writeProblem(c, err)
			return
		}
		q := c.Query("q") // capped by boundedParams
		hits := t.SuggestSkills(q, queryLang(c), limit)
		if hits == nil {
			hits = []taxonomy.SkillHit{}
		}
		c.Header("Cache-Control", "public, max-age=300")
		c.JSON(http.StatusOK, itemsResponse[taxonomy.SkillHit]{Items: hits})
	}
}

type skillResponse struct {
	ID           string              `json:"id"`
	URI          string              `json:"uri"`
	Type         string              `json:"type"`
	Label        string              `json:"label"`
	Labels       map[string]string   `json:"labels"`
	AltLabels    map[string][]string `json:"altLabels"`
	LabelSources map[string]string   `json:"labelSources"`
	Description  map[string]string   `json:"description"`
	Group        string              `json:"group"`
	GroupLabel   string              `json:"groupLabel"`
}

func handleSkill(t *taxonomy.Taxonomy) gin.HandlerFunc {
	return func(c *gin.Context) {
		s, ok := t.Skill(c.Param("id"))
		if !ok {
			writeProblem(c, failure.NotFoundf("skill"))
			return
		}
		l := queryLang(c)
		g := t.GroupOf(s.ID)
		c.Header("Cache-Control", "public, max-age=3600")
		c.JSON(http.StatusOK, skillResponse{ID: s.ID, URI: s.URI, Type: s.Type, Label: t.Label(s.ID, l),
			Labels: nonNilMap(s.Labels), AltLabels: nonNilMap(s.AltLabels), LabelSources: nonNilMap(s.LabelSources),
			Description: nonNilMap(s.Description), Group: g, GroupLabel: t.Label(g, l)})
	}
}

type occupationSkill struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

type occupationResponse struct {
	ID        string            `json:"id"`
	ISCO      string            `json:"isco"`
	Label     string            `json:"label"`
	Labels    map[string]string `json:"labels"`
	Essential []occupationSkill `json:"essentialSkills"`
	Optional  []occupationSkill `json:"optionalSkills"`
}

func handleOccupations(t *taxonomy.Taxonomy) gin.HandlerFunc {
	return func(c *gin.Context) {
		limit, err := queryLimit(c, 10, 50)
		if err != nil {
			writeProblem(c, err)
			return
		}
		l := queryLang(c)
		out := []occupationResponse{}
		for _, o := range t.SearchOccupations(c.Query("q"), l, limit) {
			out = append(out, occupationResponse{ID: o.ID, ISCO: o.ISCO, Label: o.Label(l), Labels: o.Labels,
				Essential: skillList(t, o.Essential, l), Optional: skillList(t, o.Optional, l)})
		}
		c.JSON(http.StatusOK, itemsResponse[occupationResponse]{Items: out})
	}
}

func skillList(t *taxonomy.Taxonomy, ids []string, l string) []occupationSkill {
	out := make([]occupationSkill, 0, len(ids))
	for _, id := range ids {
		out = append(out, occupationSkill{ID: id, Label: t.Label(id, l)})
	}
	return out
}

func handleAttribution(t *taxonomy.Taxonomy) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.JSON(http.StatusOK, t.Attribution())
	}
}

// nonNilMap makes an absent map a JSON object, never null.
func nonNilMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return map[string]V{}
	}
	return m
}
