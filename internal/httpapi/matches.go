package httpapi

import (
	"net/http"
	"sync"

	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/careget/skillsmatch/internal/opportunity"
	"github.com/careget/skillsmatch/search/score"
	"github.com/gin-gonic/gin"
)

type matchedSkillResponse struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Required    bool   `json:"required"`
	LevelWanted int    `json:"levelWanted"`
	LevelHas    int    `json:"levelHas"`
	Evidence    string `json:"evidence"`
	Via         string `json:"via"`
	HeldID      string `json:"heldId,omitempty"`
	HeldLabel   string `json:"heldLabel,omitempty"`
	Relation    string `json:"relation,omitempty"`
}

type missingSkillResponse struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Required    bool   `json:"required"`
	LevelWanted int    `json:"levelWanted"`
	LevelHas    *int   `json:"levelHas,omitempty"`
}

type partResponse struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Weight float64 `json:"weight"`
}

type explanationResponse struct {
	MatchedSkills  []matchedSkillResponse `json:"matchedSkills"`
	MissingSkills  []missingSkillResponse `json:"missingSkills"`
	DistanceKm     float64                `json:"distanceKm"`
	LanguagesOK    bool                   `json:"languagesOk"`
	AvailabilityOK bool                   `json:"availabilityOk"`
	Parts          []partResponse         `json:"parts"`
}

func toExplanation(e score.Explanation) explanationResponse {
	out := explanationResponse{MatchedSkills: []matchedSkillResponse{}, MissingSkills: []missingSkillResponse{},
		DistanceKm: round1(e.DistanceKm), LanguagesOK: e.LanguagesOK, AvailabilityOK: e.AvailabilityOK, Parts: []partResponse{}}
	for _, m := range e.MatchedSkills {
		out.MatchedSkills = append(out.MatchedSkills, matchedSkillResponse(m))
	}
	for _, m := range e.MissingSkills {
		r := missingSkillResponse{ID: m.ID, Label: m.Label, Required: m.Required, LevelWanted: m.LevelWanted}
		if m.LevelHas > 0 {
			has := m.LevelHas
			r.LevelHas = &has
		}
		out.MissingSkills = append(out.MissingSkills, r)
	}
	for _, p := range e.Parts {
		out.Parts = append(out.Parts, partResponse{Name: p.Name, Value: round3(p.Value), Weight: round3(p.Weight)})
	}
	return out
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }
func round3(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }

// cardSkill is a skill on a candidate card.
type cardSkill struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Level    int    `json:"level"`
	Evidence string `json:"evidence"`
}

// candidateCard is what an employer sees of a candidate before a
// referral: no name, contact, birth year or free text.
type candidateCard struct {
	ID             string          `json:"id"`                  // pseudonym, different for each employer
	ProfileID      string          `json:"profileId,omitempty"` // officers only
	Skills         []cardSkill     `json:"skills"`
	Languages      []languageInput `json:"languages"`
	EducationLevel int             `json:"educationLevel"`
	Municipality   string          `json:"municipality"`
	AvailableFrom  string          `json:"availableFrom"`
	AvailableTo    string          `json:"availableTo,omitempty"`
	Hours          string          `json:"hours,omitempty"`
}

type candidateMatchResponse struct {
	Candidate      candidateCard       `json:"candidate"`
	Score          float64             `json:"score"`
	Explanation    explanationResponse `json:"explanation"`
	PermitRequired bool                `json:"permitRequired"`
}

// handleNeedMatches shows a need's ranked candidate cards; the rule of who
// may see them, the day's bound and the audit are candidate.Service's.
func handleNeedMatches(cs *candidate.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		limit, err := queryLimit(c, 20, 100)
		if err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		q := candidate.Query{Limit: limit, Lang: queryLang(c)}
		if rid, ok := c.Get(keyRequestID); ok {
			q.RequestID, _ = rid.(string)
		}
		ms, err := cs.Cards(c.Request.Context(), p, c.Param("id"), q)
		if err != nil {
			writeProblem(c, err)
			return
		}
		writeCandidateMatches(c, ms)
	}
}

// writeCandidateMatches answers the page of ms, encoded without
// reflection (matches_json.go).
func writeCandidateMatches(c *gin.Context, ms []candidate.Match) {
	buf := matchBuffers.Get().(*[]byte)
	defer matchBuffers.Put(buf)
	b := appendCandidateMatches((*buf)[:0], ms)
	*buf = b
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
}

// matchBuffers are the candidate pages' encoding buffers (a page of 20 is
// about 20 KiB), reused so that each answer does not grow a new one.
var matchBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// toCandidateMatches is the page as the API documents it, which
// appendCandidateMatches must write as encoding/json would.
func toCandidateMatches(ms []candidate.Match) itemsResponse[candidateMatchResponse] {
	out := make([]candidateMatchResponse, 0, len(ms))
	for _, m := range ms {
		out = append(out, candidateMatchResponse{Candidate: toCard(m.Card), Score: round3(m.Score),
			Explanation: toExplanation(m.Explanation), PermitRequired: m.PermitRequired})
	}
	return itemsResponse[candidateMatchResponse]{Items: out}
}

func toCard(m candidate.Card) candidateCard {
	c := candidateCard{ID: m.ID, ProfileID: m.ProfileID, Skills: []cardSkill{}, Languages: []languageInput{},
		EducationLevel: m.EducationLevel, Municipality: m.Municipality, AvailableFrom: m.AvailableFrom,
		AvailableTo: m.AvailableTo, Hours: m.Hours}
	for _, s := range m.Skills {
		c.Skills = append(c.Skills, cardSkill(s))
	}
	for _, l := range m.Languages {
		c.Languages = append(c.Languages, languageInput(l))
	}
	return c
}

type needMatchResponse struct {
	Need           needResponse        `json:"need"`
	Score          float64             `json:"score"`
	Explanation    explanationResponse `json:"explanation"`
	PermitRequired bool                `json:"permitRequired"`
}

type nextSkillResponse struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Kind     string `json:"kind"`
	Level    int    `json:"level"`
	LevelHas int    `json:"levelHas"`
	Opens    int    `json:"opens"`
}

type profileMatchesResponse struct {
	Items      []needMatchResponse `json:"items"`
	NearMisses []needMatchResponse `json:"nearMisses"`
	NextSkills []nextSkillResponse `json:"nextSkills"`
}

func toNeedMatches(ms []opportunity.Match) []needMatchResponse {
	out := make([]needMatchResponse, 0, len(ms))
	for _, m := range ms {
		out = append(out, needMatchResponse{Need: toNeedResponse(m.Need), Score: round3(m.Score),
			Explanation: toExplanation(m.Explanation), PermitRequired: m.PermitRequired})
	}
	return out
}

// handleProfileMatches ranks the needs for the caller; what they are
// matched to, and on which day, is opportunity.Service's.
func handleProfileMatches(s *opportunity.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		limit, err := queryLimit(c, opportunity.DefaultLimit, opportunity.MaxLimit)
		if err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		ms, err := s.ForMe(c.Request.Context(), p, opportunity.Query{Kind: c.Query("kind"), Limit: limit, Lang: queryLang(c)})
		if err != nil {
			writeProblem(c, err)
			return
		}
		out := profileMatchesResponse{Items: toNeedMatches(ms.Items), NearMisses: toNeedMatches(ms.NearMisses), NextSkills: []nextSkillResponse{}}
		for _, s := range ms.NextSkills {
			out.NextSkills = append(out.NextSkills, nextSkillResponse(s))
		}
		c.JSON(http.StatusOK, out)
	}
}
