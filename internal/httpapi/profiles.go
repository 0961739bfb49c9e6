package httpapi

import (
	"net/http"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/personaldata"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/gin-gonic/gin"
)

type profileSkillInput struct {
	ID    string `json:"id" validate:"required,max=100"`
	Level int    `json:"level" validate:"required,min=1,max=4"`
	// Source is where the person gained the skill; profile.Sources is the
	// rule, this tag only refuses early with the same field and code.
	Source string `json:"source" validate:"omitempty,oneof=work training school"`
}

type interestsInput struct {
	Kinds   []string `json:"kinds" validate:"max=5,dive,oneof=job internship apprenticeship care_pathway"`
	Sectors []string `json:"sectors" validate:"max=20,dive,min=1,max=100,nocontrol"`
}

type consentInput struct {
	Matching *bool `json:"matching" validate:"required"`
	// RecordedBy is for an officer's in-person profile (POST /profiles),
	// where it is required; a person's own profile ignores it.
	RecordedBy string `json:"recordedBy" validate:"max=200,nocontrol"`
}

type putProfileRequest struct {
	DisplayName    string              `json:"displayName" validate:"required,min=1,max=100,nocontrol"`
	BirthYear      int                 `json:"birthYear" validate:"omitempty,min=1900,max=2100"` // deprecated: birthDate
	BirthDate      string              `json:"birthDate" validate:"omitempty,max=10"`
	Phone          string              `json:"phone" validate:"omitempty,max=30,phone"`
	Municipality   string              `json:"municipality" validate:"required,max=100,nocontrol"`
	Location       geoInput            `json:"location" validate:"required"`
	MaxTravelKm    int                 `json:"maxTravelKm" validate:"min=0,max=1000"`
	WorkModes      []string            `json:"workModes" validate:"required,min=1,max=3,dive,oneof=onsite hybrid remote"`
	Skills         []profileSkillInput `json:"skills" validate:"max=100,dive"`
	Languages      []languageInput     `json:"languages" validate:"max=20,dive"`
	EducationLevel *int                `json:"educationLevel" validate:"required,min=0,max=8"`
	Interests      interestsInput      `json:"interests"`
	AvailableFrom  string              `json:"availableFrom" validate:"required,date"`
	AvailableTo    string              `json:"availableTo" validate:"omitempty,date"`
	Hours          string              `json:"hours" validate:"omitempty,oneof=full_time part_time any"`
	Summary        string              `json:"summary" validate:"max=2000,nocontrol"`
	Consent        consentInput        `json:"consent" validate:"required"`
}

func (r putProfileRequest) toDomain() profile.Profile {
	p := profile.Profile{DisplayName: r.DisplayName, BirthYear: r.BirthYear, Phone: r.Phone, Municipality: r.Municipality,
		Lat: *r.Location.Lat, Lon: *r.Location.Lon, MaxTravelKm: r.MaxTravelKm, WorkModes: r.WorkModes,
		EducationLevel: *r.EducationLevel, Interests: profile.Interests{Kinds: r.Interests.Kinds, Sectors: r.Interests.Sectors},
		AvailableFrom: r.AvailableFrom, AvailableTo: r.AvailableTo, Hours: r.Hours, Summary: r.Summary,
		Consent: profile.Consent{Matching: *r.Consent.Matching}}
	p.BirthDate = r.BirthDate
	for _, s := range r.Skills {
		p.Skills = append(p.Skills, profile.Skill{ID: s.ID, Level: s.Level, Source: s.Source})
	}
	for _, l := range r.Languages {
		p.Languages = append(p.Languages, profile.Language(l))
	}
	return p
}

type profileSkillResponse struct {
	ID       string `json:"id"`
	Level    int    `json:"level"`
	Evidence string `json:"evidence"`
	Source   string `json:"source,omitempty"`
}

type profileResponse struct {
	ID             string                 `json:"id"`
	DisplayName    string                 `json:"displayName"`
	BirthYear      int                    `json:"birthYear"`
	BirthDate      string                 `json:"birthDate,omitempty"`
	Guardian       guardianResponse       `json:"guardianConsent"`
	Phone          string                 `json:"phone,omitempty"`
	Municipality   string                 `json:"municipality"`
	Location       geoResponse            `json:"location"`
	MaxTravelKm    int                    `json:"maxTravelKm"`
	WorkModes      []string               `json:"workModes"`
	Skills         []profileSkillResponse `json:"skills"`
	Languages      []languageInput        `json:"languages"`
	EducationLevel int                    `json:"educationLevel"`
	Interests      interestsResponse      `json:"interests"`
	AvailableFrom  string                 `json:"availableFrom"`
	AvailableTo    string                 `json:"availableTo,omitempty"`
	Hours          string                 `json:"hours,omitempty"`
	Summary        string                 `json:"summary"`
	Consent        consentResponse        `json:"consent"`
	Managed        bool                   `json:"managed,omitempty"` // kept by the labour office: no account
	CreatedAt      time.Time              `json:"createdAt"`
	UpdatedAt      time.Time              `json:"updatedAt"`
}

type interestsResponse struct {
	Kinds   []string `json:"kinds"`
	Sectors []string `json:"sectors"`
}

type consentResponse struct {
	Matching   bool      `json:"matching"`
	UpdatedAt  time.Time `json:"updatedAt"`
	RecordedBy string    `json:"recordedBy,omitempty"` // given in person, recorded by whom
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// guardianResponse says whether the profile waits for a parent's or
// guardian's consent (its owner was under 14 when they wrote it): status
// not_required, pending (the profile is held: never matched or shown to
// employers) or recorded.
type guardianResponse struct {
	Status     string     `json:"status"`
	Name       string     `json:"name,omitempty"`
	Relation   string     `json:"relation,omitempty"`
	GivenOn    string     `json:"givenOn,omitempty"`
	RecordedAt *time.Time `json:"recordedAt,omitempty"`
}

func toGuardianResponse(p profile.Profile) guardianResponse {
	switch {
	case p.Guardian != nil:
		g := p.Guardian
		return guardianResponse{Status: "recorded", Name: g.Name, Relation: g.Relation, GivenOn: g.GivenOn, RecordedAt: &g.RecordedAt}
	case p.Held():
		return guardianResponse{Status: "pending"}
	}
	return guardianResponse{Status: "not_required"}
}

func toProfileResponse(p profile.Profile) profileResponse {
	r := profileResponse{ID: p.ID, DisplayName: p.DisplayName, BirthYear: p.BirthYear, Phone: p.Phone,
		Municipality: p.Municipality, Location: geoResponse{p.Lat, p.Lon}, MaxTravelKm: p.MaxTravelKm,
		WorkModes: nonNil(p.WorkModes), EducationLevel: p.EducationLevel,
		Interests:     interestsResponse{Kinds: nonNil(p.Interests.Kinds), Sectors: nonNil(p.Interests.Sectors)},
		AvailableFrom: p.AvailableFrom, AvailableTo: p.AvailableTo, Hours: p.Hours, Summary: p.Summary,
		Consent:   consentResponse{Matching: p.Consent.Matching, UpdatedAt: p.Consent.UpdatedAt},
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Skills: []profileSkillResponse{}, Languages: []languageInput{}}
	r.BirthDate, r.Guardian = p.BirthDate, toGuardianResponse(p)
	r.Consent.RecordedBy, r.Managed = p.Consent.RecordedBy, p.Managed
	for _, s := range p.Skills {
		r.Skills = append(r.Skills, profileSkillResponse(s))
	}
	for _, l := range p.Languages {
		r.Languages = append(r.Languages, languageInput(l))
	}
	return r
}

func handlePutProfile(s *profile.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req putProfileRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		if req.Consent.RecordedBy != "" { // only an officer records a consent in person (POST /profiles)
			writeProblem(c, failure.Field("consent.recordedBy", "unknown_field", ""))
			return
		}
		p, _ := principal(c)
		out, err := s.Put(c.Request.Context(), p, req.toDomain())
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toProfileResponse(out))
	}
}

func handleMyProfile(s *profile.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		out, err := s.Mine(c.Request.Context(), p)
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toProfileResponse(out))
	}
}

func handleEraseProfile(s *profile.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		if err := s.Erase(c.Request.Context(), p); err != nil {
			writeProblem(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

type viewResponse struct {
	Who          string    `json:"who"`
	Role         string    `json:"role"`
	Organisation string    `json:"organisation"`
	When         time.Time `json:"when"`
	Why          string    `json:"why"`
}

type exportResponse struct {
	Account     userResponse          `json:"account"`
	CreatedAt   time.Time             `json:"accountCreatedAt"`
	Profile     *profileResponse      `json:"profile"`
	Views       []viewResponse        `json:"views"`
	Matches     []matchResponse       `json:"matches"`
	Pathways    []participantResponse `json:"pathways"`
	GeneratedAt time.Time             `json:"generatedAt"`
}

func handleExport(s *personaldata.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		e, err := s.Export(c.Request.Context(), p)
		if err != nil {
			writeProblem(c, err)
			return
		}
		out := exportResponse{Account: toUserResponse(e.Account), CreatedAt: e.Account.CreatedAt,
			GeneratedAt: e.GeneratedAt, Views: []viewResponse{}, Matches: []matchResponse{}, Pathways: []participantResponse{}}
		for _, x := range e.Pathways {
			out.Pathways = append(out.Pathways, toParticipantResponse(x))
		}
		for _, m := range e.Matches {
			// Each match carries employerAccess: when the employer could read the full profile.
			out.Matches = append(out.Matches, toMatchResponse(m, e.Today))
		}
		if e.Profile != nil {
			r := toProfileResponse(*e.Profile)
			out.Profile = &r
		}
		for _, v := range e.Views {
			org := v.Organisation
			if org == profile.LabourOffice {
				org = message("org_labour_office", lang(c.GetHeader("Accept-Language")), "")
			}
			out.Views = append(out.Views, viewResponse{Who: v.ActorName, Role: string(v.ActorRole),
				Organisation: org, When: v.At, Why: v.Purpose})
		}
		c.Header("Content-Disposition", `attachment; filename="skillsmatch-export.json"`)
		c.JSON(http.StatusOK, out)
	}
}

// requestIDOf is the request's id, for the audit log.
func requestIDOf(c *gin.Context) string {
	var id string
	if rid, ok := c.Get(keyRequestID); ok {
		id, _ = rid.(string)
	}
	return id
}

func handleReadProfile(s *profile.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		out, err := s.ReadFull(c.Request.Context(), p, c.Param("id"),
			profile.Asked{Purpose: c.DefaultQuery("purpose", profile.PurposeCaseReview), RequestID: requestIDOf(c)})
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toProfileResponse(out))
	}
}

type guardianConsentRequest struct {
	Name     string `json:"name" validate:"required,min=1,max=100,nocontrol"`
	Relation string `json:"relation" validate:"required,oneof=parent guardian"`
	GivenOn  string `json:"givenOn" validate:"required,date"`
}

// handleGuardianConsent records a parent's or guardian's consent to the
// profile of a person under 14 (officers), releasing the held profile.
func handleGuardianConsent(s *profile.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req guardianConsentRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		out, err := s.RecordGuardianConsent(c.Request.Context(), p, c.Param("id"),
			profile.GuardianConsent{Name: req.Name, Relation: req.Relation, GivenOn: req.GivenOn}, requestIDOf(c))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toProfileResponse(out))
	}
}
