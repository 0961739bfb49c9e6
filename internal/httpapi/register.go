package httpapi

import (
	"net/http"
	"time"

	"github.com/careget/skillsmatch/internal/register"
	"github.com/gin-gonic/gin"
)

type geoInput struct {
	Lat *float64 `json:"lat" validate:"required,latitude"`
	Lon *float64 `json:"lon" validate:"required,longitude"`
}

type createEmployerRequest struct {
	Name         string   `json:"name" validate:"required,min=2,max=200,nocontrol"`
	EIK          string   `json:"eik" validate:"required,max=13"`
	Sector       string   `json:"sector" validate:"required,max=100,nocontrol"`
	Municipality string   `json:"municipality" validate:"required,max=100,nocontrol"`
	Location     geoInput `json:"location" validate:"required"`
	Address      string   `json:"address" validate:"max=300,nocontrol"`
	Website      string   `json:"website" validate:"omitempty,max=300,http_url"`
}

type employerResponse struct {
	ID           string                `json:"id"`
	Name         string                `json:"name"`
	EIK          string                `json:"eik"`
	Sector       string                `json:"sector"`
	Municipality string                `json:"municipality"`
	Location     geoResponse           `json:"location"`
	Address      string                `json:"address,omitempty"`
	Website      string                `json:"website,omitempty"`
	Verified     bool                  `json:"verified"`
	Verification *verificationResponse `json:"verification,omitempty"`
	CreatedAt    time.Time             `json:"createdAt"`
	UpdatedAt    time.Time             `json:"updatedAt"`
}

type geoResponse struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

type verificationResponse struct {
	Verified bool      `json:"verified"`
	Note     string    `json:"note,omitempty"`
	Reason   string    `json:"reason,omitempty"`
	At       time.Time `json:"at"`
}

func toEmployerResponse(e register.Employer) employerResponse {
	r := employerResponse{ID: e.ID, Name: e.Name, EIK: e.EIK, Sector: e.Sector, Municipality: e.Municipality,
		Location: geoResponse(e.Location), Address: e.Address, Website: e.Website, Verified: e.Verified,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	if v := e.Verification; v != nil {
		r.Verification = &verificationResponse{Verified: v.Verified, Note: v.Note, Reason: v.Reason, At: v.At}
	}
	return r
}

func handleCreateEmployer(s *register.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req createEmployerRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		e, err := s.CreateEmployer(c.Request.Context(), p, register.Employer{Name: req.Name, EIK: req.EIK,
			Sector: req.Sector, Municipality: req.Municipality, Location: register.GeoPoint{Lat: *req.Location.Lat, Lon: *req.Location.Lon},
			Address: req.Address, Website: req.Website})
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusCreated, toEmployerResponse(e))
	}
}

func handleEmployer(s *register.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		e, err := s.Employer(c.Request.Context(), p, c.Param("id"))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toEmployerResponse(e))
	}
}

type updateEmployerRequest struct {
	Name         *string   `json:"name" validate:"omitempty,min=2,max=200,nocontrol"`
	Sector       *string   `json:"sector" validate:"omitempty,min=1,max=100,nocontrol"`
	Municipality *string   `json:"municipality" validate:"omitempty,min=1,max=100,nocontrol"`
	Location     *geoInput `json:"location"`
	Address      *string   `json:"address" validate:"omitempty,max=300,nocontrol"`
	Website      *string   `json:"website" validate:"omitempty,max=300,http_url"`
}

func handleUpdateEmployer(s *register.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req updateEmployerRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		patch := register.EmployerPatch{Name: req.Name, Sector: req.Sector, Municipality: req.Municipality,
			Address: req.Address, Website: req.Website}
		if req.Location != nil {
			patch.Location = &register.GeoPoint{Lat: *req.Location.Lat, Lon: *req.Location.Lon}
		}
		p, _ := principal(c)
		e, err := s.UpdateEmployer(c.Request.Context(), p, c.Param("id"), patch)
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toEmployerResponse(e))
	}
}

type verificationRequest struct {
	Verified *bool  `json:"verified" validate:"required"`
	Note     string `json:"note" validate:"max=1000,nocontrol"`
	Reason   string `json:"reason" validate:"max=1000,nocontrol"`
}

func handleVerifyEmployer(s *register.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req verificationRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		e, err := s.Decide(c.Request.Context(), p, c.Param("id"), register.Decision{Verified: *req.Verified, Note: req.Note, Reason: req.Reason})
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toEmployerResponse(e))
	}
}

type skillRequirementInput struct {
	ID       string `json:"id" validate:"required,max=100"`
	Level    int    `json:"level" validate:"required,min=1,max=4"`
	Required bool   `json:"required"`
}

type languageInput struct {
	Code  string `json:"code" validate:"required,langcode"`
	Level string `json:"level" validate:"required,cefr"`
}

type needLocationInput struct {
	Municipality string   `json:"municipality" validate:"required,max=100,nocontrol"`
	Lat          *float64 `json:"lat" validate:"required,latitude"`
	Lon          *float64 `json:"lon" validate:"required,longitude"`
}

type createNeedRequest struct {
	EmployerID     string                  `json:"employerId" validate:"required,max=64"`
	Kind           string                  `json:"kind" validate:"required,oneof=job internship apprenticeship care_pathway forecast"`
	Title          string                  `json:"title" validate:"required,min=3,max=200,nocontrol"`
	Description    string                  `json:"description" validate:"max=10000,nocontrol"`
	Occupation     string                  `json:"occupation" validate:"max=100"`
	Sector         string                  `json:"sector" validate:"required,max=100,nocontrol"`
	Skills         []skillRequirementInput `json:"skills" validate:"required,min=1,max=50,dive"`
	Languages      []languageInput         `json:"languages" validate:"max=20,dive"`
	EducationLevel *int                    `json:"educationLevel" validate:"omitempty,min=0,max=8"`
	Location       needLocationInput       `json:"location" validate:"required"`
	WorkMode       string                  `json:"workMode" validate:"required,oneof=onsite hybrid remote"`
	Positions      int                     `json:"positions" validate:"required,min=1,max=10000"`
	Hours          string                  `json:"hours" validate:"required,oneof=full_time part_time"`
	StartDate      string                  `json:"startDate" validate:"required,date"`
	EndDate        string                  `json:"endDate" validate:"omitempty,date"`
	ApplyBy        string                  `json:"applyBy" validate:"omitempty,date"`
	Status         string                  `json:"status" validate:"omitempty,oneof=draft open filled closed"`
	NightWork      bool                    `json:"nightWork"`
	Hazardous      bool                    `json:"hazardous"`
	LightWork      bool                    `json:"lightWork"`
	Pay            *payInput               `json:"pay"`
}

// payInput is a need's pay range, gross euros a month (the register checks
// that the least is not above the most).
type payInput struct {
	Min *int `json:"min" validate:"required,min=0"`
	Max *int `json:"max" validate:"required,min=0"`
}

type payResponse struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

func (p *payInput) toDomain() *register.PayRange {
	if p == nil {
		return nil
	}
	return &register.PayRange{Min: *p.Min, Max: *p.Max}
}

type needResponse struct {
	ID             string                  `json:"id"`
	EmployerID     string                  `json:"employerId"`
	Kind           string                  `json:"kind"`
	Title          string                  `json:"title"`
	Description    string                  `json:"description"`
	Occupation     string                  `json:"occupation,omitempty"`
	Sector         string                  `json:"sector"`
	Skills         []skillRequirementInput `json:"skills"`
	Languages      []languageInput         `json:"languages"`
	EducationLevel *int                    `json:"educationLevel,omitempty"`
	Location       needLocationResponse    `json:"location"`
	WorkMode       string                  `json:"workMode"`
	Positions      int                     `json:"positions"`
	Hours          string                  `json:"hours"`
	StartDate      string                  `json:"startDate"`
	EndDate        string                  `json:"endDate,omitempty"`
	ApplyBy        string                  `json:"applyBy,omitempty"`
	Status         string                  `json:"status"`
	NightWork      bool                    `json:"nightWork"`
	Hazardous      bool                    `json:"hazardous"`
	LightWork      bool                    `json:"lightWork"`
	Pay            *payResponse            `json:"pay,omitempty"`
	CreatedAt      time.Time               `json:"createdAt"`
	UpdatedAt      time.Time               `json:"updatedAt"`
}

type needLocationResponse struct {
	Municipality string  `json:"municipality"`
	Lat          float64 `json:"lat"`
	Lon          float64 `json:"lon"`
}

func toNeedResponse(n register.Need) needResponse {
	r := needResponse{ID: n.ID, EmployerID: n.EmployerID, Kind: n.Kind, Title: n.Title, Description: n.Description,
		Occupation: n.Occupation, Sector: n.Sector, EducationLevel: n.EducationLevel,
		Location: needLocationResponse(n.Location), WorkMode: n.WorkMode, Positions: n.Positions, Hours: n.Hours,
		StartDate: n.StartDate, EndDate: n.EndDate, ApplyBy: n.ApplyBy, Status: n.Status, NightWork: n.NightWork,
		Hazardous: n.Hazardous, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt,
		Skills: []skillRequirementInput{}, Languages: []languageInput{}, LightWork: n.LightWork}
	if n.Pay != nil {
		r.Pay = &payResponse{Min: n.Pay.Min, Max: n.Pay.Max}
	}
	for _, s := range n.Skills {
		r.Skills = append(r.Skills, skillRequirementInput(s))
	}
	for _, l := range n.Languages {
		r.Languages = append(r.Languages, languageInput(l))
	}
	return r
}

func toSkillRequirements(in []skillRequirementInput) []register.SkillRequirement {
	out := make([]register.SkillRequirement, len(in))
	for i, s := range in {
		out[i] = register.SkillRequirement(s)
	}
	return out
}

func toLanguages(in []languageInput) []register.Language {
	out := make([]register.Language, len(in))
	for i, l := range in {
		out[i] = register.Language(l)
	}
	return out
}

func (r createNeedRequest) toDomain() register.Need {
	return register.Need{EmployerID: r.EmployerID, Kind: r.Kind, Title: r.Title, Description: r.Description,
		Occupation: r.Occupation, Sector: r.Sector, Skills: toSkillRequirements(r.Skills), Languages: toLanguages(r.Languages),
		EducationLevel: r.EducationLevel,
		Location:       register.Location{Municipality: r.Location.Municipality, Lat: *r.Location.Lat, Lon: *r.Location.Lon},
		WorkMode:       r.WorkMode, Positions: r.Positions, Hours: r.Hours, StartDate: r.StartDate, EndDate: r.EndDate,
		ApplyBy: r.ApplyBy, Status: r.Status, NightWork: r.NightWork, Hazardous: r.Hazardous, LightWork: r.LightWork,
		Pay: r.Pay.toDomain()}
}

func handleCreateNeed(s *register.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req createNeedRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		n, err := s.CreateNeed(c.Request.Context(), p, req.toDomain())
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusCreated, toNeedResponse(n))
	}
}

func handleNeed(s *register.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		n, err := s.Need(c.Request.Context(), p, c.Param("id"))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toNeedResponse(n))
	}
}

type updateNeedRequest struct {
	Kind           *string                  `json:"kind" validate:"omitempty,oneof=job internship apprenticeship care_pathway forecast"`
	Title          *string                  `json:"title" validate:"omitempty,min=3,max=200,nocontrol"`
	Description    *string                  `json:"description" validate:"omitempty,max=10000,nocontrol"`
	Occupation     *string                  `json:"occupation" validate:"omitempty,max=100"`
	Sector         *string                  `json:"sector" validate:"omitempty,min=1,max=100,nocontrol"`
	Skills         *[]skillRequirementInput `json:"skills" validate:"omitempty,min=1,max=50,dive"`
	Languages      *[]languageInput         `json:"languages" validate:"omitempty,max=20,dive"`
	EducationLevel *int                     `json:"educationLevel" validate:"omitempty,min=0,max=8"`
	Location       *needLocationInput       `json:"location"`
	WorkMode       *string                  `json:"workMode" validate:"omitempty,oneof=onsite hybrid remote"`
	Positions      *int                     `json:"positions" validate:"omitempty,min=1,max=10000"`
	Hours          *string                  `json:"hours" validate:"omitempty,oneof=full_time part_time"`
	StartDate      *string                  `json:"startDate" validate:"omitempty,date"`
	EndDate        *string                  `json:"endDate" validate:"omitempty,date"`
	ApplyBy        *string                  `json:"applyBy" validate:"omitempty,date"`
	Status         *string                  `json:"status" validate:"omitempty,oneof=draft open filled closed"`
	NightWork      *bool                    `json:"nightWork"`
	Hazardous      *bool                    `json:"hazardous"`
	LightWork      *bool                    `json:"lightWork"`
	Pay            *payInput                `json:"pay"`
}

func (r updateNeedRequest) toPatch() register.NeedPatch {
	p := register.NeedPatch{Kind: r.Kind, Title: r.Title, Description: r.Description, Occupation: r.Occupation,
		Sector: r.Sector, WorkMode: r.WorkMode, Hours: r.Hours, StartDate: r.StartDate, EndDate: r.EndDate,
		ApplyBy: r.ApplyBy, Status: r.Status, Positions: r.Positions, NightWork: r.NightWork, Hazardous: r.Hazardous,
		LightWork: r.LightWork}
	if r.Skills != nil {
		s := toSkillRequirements(*r.Skills)
		p.Skills = &s
	}
	if r.Languages != nil {
		l := toLanguages(*r.Languages)
		p.Languages = &l
	}
	if r.EducationLevel != nil {
		p.EducationLevel = &r.EducationLevel
	}
	if r.Location != nil {
		p.Location = &register.Location{Municipality: r.Location.Municipality, Lat: *r.Location.Lat, Lon: *r.Location.Lon}
	}
	if r.Pay != nil {
		pay := r.Pay.toDomain()
		p.Pay = &pay
	}
	return p
}

func handleUpdateNeed(s *register.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req updateNeedRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		n, err := s.UpdateNeed(c.Request.Context(), p, c.Param("id"), req.toPatch())
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toNeedResponse(n))
	}
}

func handleDeleteNeed(s *register.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		if err := s.DeleteNeed(c.Request.Context(), p, c.Param("id")); err != nil {
			writeProblem(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}
