package httpapi

import (
	"net/http"
	"time"

	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/gin-gonic/gin"
)

type bilingual struct {
	BG string `json:"bg" validate:"required,max=200,nocontrol"`
	EN string `json:"en" validate:"required,max=200,nocontrol"`
}

func (b bilingual) toMap() map[string]string { return map[string]string{"bg": b.BG, "en": b.EN} }

type requirementInput struct {
	Key  string    `json:"key" validate:"required,max=40"`
	Name bilingual `json:"name"`
}

type skillGrantInput struct {
	ID    string `json:"id" validate:"required,max=100"`
	Level int    `json:"level" validate:"required,min=1,max=4"`
}

type stageInput struct {
	Key          string             `json:"key" validate:"required,max=40"`
	Name         bilingual          `json:"name"`
	Requirements []requirementInput `json:"requirements" validate:"max=20,dive"`
	GrantsSkills []skillGrantInput  `json:"grantsSkills" validate:"max=50,dive"`
}

type createPathwayRequest struct {
	Name   bilingual    `json:"name"`
	Stages []stageInput `json:"stages" validate:"required,min=1,max=20,dive"`
}

func (r createPathwayRequest) toDomain() pathway.Pathway {
	p := pathway.Pathway{Name: r.Name.toMap()}
	for _, s := range r.Stages {
		st := pathway.Stage{Key: s.Key, Name: s.Name.toMap()}
		for _, q := range s.Requirements {
			st.Requirements = append(st.Requirements, pathway.Requirement{Key: q.Key, Name: q.Name.toMap()})
		}
		for _, g := range s.GrantsSkills {
			st.GrantsSkills = append(st.GrantsSkills, pathway.SkillGrant(g))
		}
		p.Stages = append(p.Stages, st)
	}
	return p
}

type requirementResponse struct {
	Key  string            `json:"key"`
	Name map[string]string `json:"name"`
}

type stageResponse struct {
	Key          string                `json:"key"`
	Name         map[string]string     `json:"name"`
	Requirements []requirementResponse `json:"requirements"`
	GrantsSkills []skillGrantInput     `json:"grantsSkills"`
}

type pathwayResponse struct {
	ID        string            `json:"id"`
	Name      map[string]string `json:"name"`
	Stages    []stageResponse   `json:"stages"`
	CreatedAt time.Time         `json:"createdAt"`
}

func toPathwayResponse(p pathway.Pathway) pathwayResponse {
	out := pathwayResponse{ID: p.ID, Name: p.Name, CreatedAt: p.CreatedAt, Stages: []stageResponse{}}
	for _, s := range p.Stages {
		sr := stageResponse{Key: s.Key, Name: s.Name, Requirements: []requirementResponse{}, GrantsSkills: []skillGrantInput{}}
		for _, q := range s.Requirements {
			sr.Requirements = append(sr.Requirements, requirementResponse(q))
		}
		for _, g := range s.GrantsSkills {
			sr.GrantsSkills = append(sr.GrantsSkills, skillGrantInput(g))
		}
		out.Stages = append(out.Stages, sr)
	}
	return out
}

type stageProgressResponse struct {
	Status      string     `json:"status"`
	StartedAt   *time.Time `json:"startedAt,omitempty"`
	CompletedAt *time.Time `json:"completedAt,omitempty"`
}

type checkResponse struct {
	Checked bool   `json:"checked"`
	On      string `json:"on"`
}

type participantResponse struct {
	PathwayID  string                           `json:"pathwayId"`
	ProfileID  string                           `json:"profileId"`
	Status     string                           `json:"status"`
	Stage      string                           `json:"stage"`
	Stages     map[string]stageProgressResponse `json:"stages"`
	Checks     map[string]checkResponse         `json:"checks"`
	Mentor     string                           `json:"mentor,omitempty"`
	NextStep   string                           `json:"nextStep,omitempty"`
	EnrolledAt time.Time                        `json:"enrolledAt"`
	AcceptedAt *time.Time                       `json:"acceptedAt,omitempty"`
	UpdatedAt  time.Time                        `json:"updatedAt"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toParticipantResponse(p pathway.Participant) participantResponse {
	out := participantResponse{PathwayID: p.PathwayID, ProfileID: p.ProfileID, Status: p.Status, Stage: p.Stage,
		Stages: map[string]stageProgressResponse{}, Checks: map[string]checkResponse{}, Mentor: p.Mentor, NextStep: p.NextStep,
		EnrolledAt: p.EnrolledAt, AcceptedAt: timePtr(p.AcceptedAt), UpdatedAt: p.UpdatedAt}
	for k, s := range p.Stages {
		out.Stages[k] = stageProgressResponse{Status: s.Status, StartedAt: timePtr(s.StartedAt), CompletedAt: timePtr(s.CompletedAt)}
	}
	for k, c := range p.Checks {
		out.Checks[k] = checkResponse{Checked: c.Checked, On: c.On}
	}
	return out
}

func handleListPathways(s *pathway.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		ps, err := s.List(c.Request.Context())
		if err != nil {
			writeProblem(c, err)
			return
		}
		out := []pathwayResponse{}
		for _, p := range ps {
			out = append(out, toPathwayResponse(p))
		}
		c.JSON(http.StatusOK, itemsResponse[pathwayResponse]{Items: out})
	}
}

func handleCreatePathway(s *pathway.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req createPathwayRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		out, err := s.Create(c.Request.Context(), p, req.toDomain())
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusCreated, toPathwayResponse(out))
	}
}

type enrolRequest struct {
	ProfileID string `json:"profileId" validate:"required,max=64"`
}

func handleEnrol(s *pathway.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req enrolRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		out, err := s.Enrol(c.Request.Context(), p, c.Param("id"), req.ProfileID)
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusCreated, toParticipantResponse(out))
	}
}

func handleCohort(s *pathway.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		ps, err := s.Cohort(c.Request.Context(), p, c.Param("id"))
		if err != nil {
			writeProblem(c, err)
			return
		}
		out := []participantResponse{}
		for _, x := range ps {
			out = append(out, toParticipantResponse(x))
		}
		c.JSON(http.StatusOK, itemsResponse[participantResponse]{Items: out})
	}
}

func handleAcceptParticipant(s *pathway.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		out, err := s.Accept(c.Request.Context(), p, c.Param("id"), c.Param("profileId"))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toParticipantResponse(out))
	}
}

type progressRequest struct {
	Stage    string  `json:"stage" validate:"required,max=40"`
	Status   string  `json:"status" validate:"required,oneof=started completed"`
	Mentor   *string `json:"mentor" validate:"omitempty,max=200,nocontrol"`
	NextStep *string `json:"nextStep" validate:"omitempty,max=500,nocontrol"`
}

func handleProgress(s *pathway.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req progressRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		out, err := s.Progress(c.Request.Context(), p, c.Param("id"), c.Param("profileId"),
			pathway.Move{Stage: req.Stage, Status: req.Status, Mentor: req.Mentor, NextStep: req.NextStep})
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toParticipantResponse(out))
	}
}

type checkRequest struct {
	Requirement string `json:"requirement" validate:"required,max=40"`
	Checked     *bool  `json:"checked" validate:"required"`
	On          string `json:"on" validate:"required,date"`
}

func handleCheck(s *pathway.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req checkRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		out, err := s.SetCheck(c.Request.Context(), p, c.Param("id"), c.Param("profileId"), req.Requirement, *req.Checked, req.On)
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toParticipantResponse(out))
	}
}
