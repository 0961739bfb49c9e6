package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/gin-gonic/gin"
)

func eventRoutes(v1 *gin.RouterGroup, s *event.Service) {
	officer, signedIn := requireRole(auth.RoleOfficer), requireRole()
	v1.POST("/events", officer, handleCreateEvent(s))
	v1.GET("/events", handleUpcomingEvents(s))
	v1.GET("/events/:id", handleGetEvent(s))
	v1.POST("/events/:id/employers", requireRole(auth.RoleEmployer, auth.RoleOfficer), handleJoinEvent(s))
	v1.POST("/events/:id/registrations", requireRole(auth.RoleJobseeker, auth.RoleOfficer), handleEnrolEvent(s))
	v1.GET("/events/:id/ticket", requireRole(auth.RoleJobseeker), handleEventTicket(s))
	v1.GET("/events/:id/invitations/suggested", officer, handleSuggestedInvitations(s))
	v1.POST("/events/:id/invitations", officer, handleInvite(s))
	v1.POST("/events/:id/schedule", officer, handleMakeSchedule(s))
	v1.GET("/events/:id/schedule", signedIn, handleGetSchedule(s))
	v1.POST("/events/:id/checkins", officer, handleCheckIn(s))
	v1.GET("/events/:id/indicators", officer, handleEventIndicators(s))
	v1.POST("/events/:id/interviews/:n/outcome", requireRole(auth.RoleEmployer, auth.RoleOfficer), handleInterviewOutcome(s))
}

type textInput struct {
	BG string `json:"bg" validate:"required,min=3,max=200,nocontrol"`
	EN string `json:"en" validate:"required,min=3,max=200,nocontrol"`
}

type longTextInput struct {
	BG string `json:"bg" validate:"max=4000"`
	EN string `json:"en" validate:"max=4000"`
}

type createEventRequest struct {
	Name             textInput     `json:"name" validate:"required"`
	Description      longTextInput `json:"description"`
	Date             string        `json:"date" validate:"required,date"`
	Starts           string        `json:"starts" validate:"required,len=5"`
	Ends             string        `json:"ends" validate:"required,len=5"`
	Municipality     string        `json:"municipality" validate:"required,max=100,nocontrol"`
	Location         string        `json:"location" validate:"required,max=300,nocontrol"`
	Sectors          []string      `json:"sectors" validate:"max=20,dive,required,max=100,nocontrol"`
	Capacity         int           `json:"capacity" validate:"required,min=1,max=5000"`
	InterviewMinutes int           `json:"interviewMinutes" validate:"required,min=5,max=120"`
	Slots            int           `json:"slots" validate:"required,min=1,max=48"`
	PerPersonLimit   int           `json:"perPersonLimit" validate:"min=0,max=48"`
}

type joinEventRequest struct {
	EmployerID string   `json:"employerId" validate:"required,max=64"`
	NeedIDs    []string `json:"needIds" validate:"required,min=1,max=50,dive,required,max=64"`
	Tables     int      `json:"tables" validate:"required,min=1,max=20"`
}

type eventEnrolRequest struct {
	Wishes     []string `json:"wishes" validate:"max=10,dive,required,max=64"`
	ProfileIDs []string `json:"profileIds" validate:"max=500,dive,required,max=64"`
	Group      string   `json:"group" validate:"max=200,nocontrol"`
	Contact    string   `json:"contact" validate:"max=200,nocontrol"`
}

type profileIDsRequest struct {
	ProfileIDs []string `json:"profileIds" validate:"required,min=1,max=500,dive,required,max=64"`
}

type checkInRequest struct {
	Ticket    string `json:"ticket" validate:"max=32"`
	ProfileID string `json:"profileId" validate:"max=64"` // a walk-in
}

type outcomeRequest struct {
	Outcome string `json:"outcome" validate:"required,oneof=continue no undo"`
}

type careerDayResponse struct {
	ID               string               `json:"id"`
	Name             event.Text           `json:"name"`
	Description      event.Text           `json:"description"`
	Date             string               `json:"date"`
	Starts           string               `json:"starts"`
	Ends             string               `json:"ends"`
	Municipality     string               `json:"municipality"`
	Location         string               `json:"location"`
	Sectors          []string             `json:"sectors"`
	Capacity         int                  `json:"capacity"`
	InterviewMinutes int                  `json:"interviewMinutes"`
	Slots            int                  `json:"slots"`
	PerPersonLimit   int                  `json:"perPersonLimit"`
	Employers        []event.Participant  `json:"employers"`
	Registrations    []event.Registration `json:"registrations"`
	Invitations      []event.Invitation   `json:"invitations"`
	CreatedAt        time.Time            `json:"createdAt"`
}

func toCareerDayResponse(e event.Event) careerDayResponse {
	out := careerDayResponse{ID: e.ID, Name: e.Name, Description: e.Description, Date: e.Date, Starts: e.Starts, Ends: e.Ends,
		Municipality: e.Municipality, Location: e.Location, Sectors: nonNil(e.Sectors), Capacity: e.Capacity,
		InterviewMinutes: e.InterviewMinutes, Slots: e.Slots, PerPersonLimit: e.PerPersonLimit,
		Employers: e.Employers, Registrations: e.Registrations, Invitations: e.Invitations, CreatedAt: e.CreatedAt}
	if out.Employers == nil {
		out.Employers = []event.Participant{}
	}
	if out.Registrations == nil {
		out.Registrations = []event.Registration{}
	}
	if out.Invitations == nil {
		out.Invitations = []event.Invitation{}
	}
	for i := range out.Employers {
		out.Employers[i].NeedIDs = nonNil(out.Employers[i].NeedIDs)
	}
	for i := range out.Registrations {
		out.Registrations[i].Wishes = nonNil(out.Registrations[i].Wishes)
	}
	return out
}

// respondEvent answers with the event as the caller may see it.
func respondEvent(c *gin.Context, s *event.Service, status int, id string) {
	p, _ := principal(c)
	e, err := s.Get(p, id)
	if err != nil {
		writeProblem(c, err)
		return
	}
	c.JSON(status, toCareerDayResponse(e))
}

func handleCreateEvent(s *event.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req createEventRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		e, err := s.Create(c.Request.Context(), p, event.Event{Name: event.Text(req.Name), Description: event.Text(req.Description),
			Date: req.Date, Starts: req.Starts, Ends: req.Ends, Municipality: req.Municipality, Location: req.Location,
			Sectors: req.Sectors, Capacity: req.Capacity, InterviewMinutes: req.InterviewMinutes, Slots: req.Slots,
			PerPersonLimit: req.PerPersonLimit})
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusCreated, toCareerDayResponse(e))
	}
}

func handleUpcomingEvents(s *event.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		out := []careerDayResponse{}
		for _, e := range s.Upcoming() {
			out = append(out, toCareerDayResponse(e))
		}
		c.JSON(http.StatusOK, itemsResponse[careerDayResponse]{Items: out})
	}
}

func handleGetEvent(s *event.Service) gin.HandlerFunc {
	return func(c *gin.Context) { respondEvent(c, s, http.StatusOK, c.Param("id")) }
}

// changeEvent binds req, runs one use case and answers with the event.
func changeEvent[T any](s *event.Service, status int, do func(c *gin.Context, p auth.Principal, req T) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req T
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		if err := do(c, p, req); err != nil {
			writeProblem(c, err)
			return
		}
		respondEvent(c, s, status, c.Param("id"))
	}
}

func handleJoinEvent(s *event.Service) gin.HandlerFunc {
	return changeEvent(s, http.StatusOK, func(c *gin.Context, p auth.Principal, req joinEventRequest) error {
		_, err := s.Join(c.Request.Context(), p, c.Param("id"), req.EmployerID, req.NeedIDs, req.Tables)
		return err
	})
}

func handleEnrolEvent(s *event.Service) gin.HandlerFunc {
	return changeEvent(s, http.StatusCreated, func(c *gin.Context, p auth.Principal, req eventEnrolRequest) error {
		_, err := s.Enrol(c.Request.Context(), p, c.Param("id"), event.Enrolment(req))
		return err
	})
}

func handleInvite(s *event.Service) gin.HandlerFunc {
	return changeEvent(s, http.StatusOK, func(c *gin.Context, p auth.Principal, req profileIDsRequest) error {
		_, err := s.Invite(c.Request.Context(), p, c.Param("id"), req.ProfileIDs)
		return err
	})
}

func handleSuggestedInvitations(s *event.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		limit, err := queryLimit(c, 50, 500)
		if err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		out, err := s.Suggested(c.Request.Context(), p, c.Param("id"), limit)
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, itemsResponse[event.Suggestion]{Items: out})
	}
}

func handleMakeSchedule(s *event.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		e, err := s.MakeSchedule(c.Request.Context(), p, c.Param("id"))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, e.Schedule)
	}
}

func handleGetSchedule(s *event.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		sc, err := s.ScheduleFor(c.Request.Context(), p, c.Param("id"))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, sc)
	}
}

func handleCheckIn(s *event.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req checkInRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		out, err := s.Arrive(c.Request.Context(), p, c.Param("id"), req.Ticket, req.ProfileID)
		if err != nil {
			writeProblem(c, err)
			return
		}
		out.Registration.Wishes = nonNil(out.Registration.Wishes)
		c.JSON(http.StatusOK, out)
	}
}

func handleInterviewOutcome(s *event.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req outcomeRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		n, err := strconv.Atoi(c.Param("n"))
		if err != nil {
			writeProblem(c, failure.NotFoundf("interview"))
			return
		}
		p, _ := principal(c)
		iv, err := s.Outcome(c.Request.Context(), p, c.Param("id"), n, req.Outcome)
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, iv)
	}
}

// handleEventTicket answers the job-seeker's ticket as a QR code (PNG) of
// its code, for the officer's phone at the door.
func handleEventTicket(s *event.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		r, err := s.Ticket(p, c.Param("id"))
		if err != nil {
			writeProblem(c, err)
			return
		}
		png, err := event.TicketPNG(r.Ticket)
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.Header("Cache-Control", "private, no-store")
		c.Data(http.StatusOK, "image/png", png)
	}
}

func handleEventIndicators(s *event.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		out, err := s.Indicators(p, c.Param("id"))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, out)
	}
}
