package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Text is a text in Bulgarian and English.
type Text struct {
	BG string `json:"bg"`
	EN string `json:"en"`
}

// NewEvent is a Career & Skills Day to create (officers).
type NewEvent struct {
	Name             Text     `json:"name"`
	Description      *Text    `json:"description,omitempty"`
	Date             string   `json:"date"`   // YYYY-MM-DD
	Starts           string   `json:"starts"` // HH:MM, Europe/Sofia
	Ends             string   `json:"ends"`
	Municipality     string   `json:"municipality"`
	Location         string   `json:"location"`
	Sectors          []string `json:"sectors,omitempty"`
	Capacity         int      `json:"capacity"`
	InterviewMinutes int      `json:"interviewMinutes"`
	Slots            int      `json:"slots"`
	PerPersonLimit   int      `json:"perPersonLimit,omitempty"` // 0: 3, or the slots if fewer
}

// EventParticipant is an employer taking part in an event.
type EventParticipant struct {
	EmployerID string    `json:"employerId"`
	NeedIDs    []string  `json:"needIds"`
	Tables     int       `json:"tables"`
	At         time.Time `json:"at"`
}

// EventRegistration is a person registered for an event, with their ticket.
type EventRegistration struct {
	ProfileID   string     `json:"profileId"`
	Wishes      []string   `json:"wishes"`
	Group       string     `json:"group,omitempty"`
	Contact     string     `json:"contact,omitempty"`
	Ticket      string     `json:"ticket"`
	At          time.Time  `json:"at"`
	CheckedInAt *time.Time `json:"checkedInAt,omitempty"`
}

// EventInvitation is the office's invitation of a person.
type EventInvitation struct {
	ProfileID string    `json:"profileId"`
	At        time.Time `json:"at"`
}

// Event is a Career & Skills Day as the caller may see it.
type Event struct {
	ID               string              `json:"id"`
	Name             Text                `json:"name"`
	Description      Text                `json:"description"`
	Date             string              `json:"date"`
	Starts           string              `json:"starts"`
	Ends             string              `json:"ends"`
	Municipality     string              `json:"municipality"`
	Location         string              `json:"location"`
	Sectors          []string            `json:"sectors"`
	Capacity         int                 `json:"capacity"`
	InterviewMinutes int                 `json:"interviewMinutes"`
	Slots            int                 `json:"slots"`
	PerPersonLimit   int                 `json:"perPersonLimit"`
	Employers        []EventParticipant  `json:"employers"`
	Registrations    []EventRegistration `json:"registrations"` // officers: all; a job-seeker: their own
	Invitations      []EventInvitation   `json:"invitations"`   // officers only
	CreatedAt        time.Time           `json:"createdAt"`
}

// EventSuggestion is a person who fits a need brought to an event.
type EventSuggestion struct {
	ProfileID  string  `json:"profileId"`
	Score      float64 `json:"score"`
	NeedID     string  `json:"needId"`
	EmployerID string  `json:"employerId"`
	Invited    bool    `json:"invited"`
}

// EventInterview is one person at one employer table in one slot.
type EventInterview struct {
	N          int        `json:"n"`
	Slot       int        `json:"slot"`
	StartsAt   time.Time  `json:"startsAt"`
	EmployerID string     `json:"employerId"`
	Table      int        `json:"table"`
	ProfileID  string     `json:"profileId"`
	NeedID     string     `json:"needId"`
	Outcome    string     `json:"outcome,omitempty"` // continue, no
	OutcomeAt  *time.Time `json:"outcomeAt,omitempty"`
	MatchID    string     `json:"matchId,omitempty"` // the referral a continue made
}

// EventSchedule is an event's speed-interview schedule.
type EventSchedule struct {
	At          time.Time        `json:"at"`
	Interviews  []EventInterview `json:"interviews"`
	Unscheduled []struct {
		ProfileID string `json:"profileId"`
		Reason    string `json:"reason"` // no_allowed_pair, no_capacity
	} `json:"unscheduled"`
	Stats struct {
		Interviews int   `json:"interviews"`
		Covered    int   `json:"covered"`
		People     int   `json:"people"`
		Fit        int64 `json:"fit"`
		SlotsUsed  int   `json:"slotsUsed"`
	} `json:"stats"`
}

// Enrolment registers for an event: a job-seeker's wishes (employer ids,
// most wanted first), or an officer's group of profile ids.
type Enrolment struct {
	Wishes     []string `json:"wishes,omitempty"`
	ProfileIDs []string `json:"profileIds,omitempty"`
	Group      string   `json:"group,omitempty"`
	Contact    string   `json:"contact,omitempty"`
}

func eventPath(id string, rest ...string) string {
	p := "/api/v1/events/" + pathID(id)
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

// CreateEvent creates a Career & Skills Day (officers).
func (c *Client) CreateEvent(ctx context.Context, e NewEvent) (Event, error) {
	var out Event
	err := c.do(ctx, http.MethodPost, "/api/v1/events", nil, e, &out)
	return out, err
}

// Events lists the upcoming events, soonest first (anyone).
func (c *Client) Events(ctx context.Context) ([]Event, error) {
	var out struct {
		Items []Event `json:"items"`
	}
	err := c.do(ctx, http.MethodGet, "/api/v1/events", nil, nil, &out)
	return out.Items, err
}

// Event reads an event (anyone).
func (c *Client) Event(ctx context.Context, id string) (Event, error) {
	var out Event
	err := c.do(ctx, http.MethodGet, eventPath(id), nil, nil, &out)
	return out, err
}

// JoinEvent brings a verified employer with needs of its own and its
// number of interview tables (its members, officers).
func (c *Client) JoinEvent(ctx context.Context, id, employerID string, needIDs []string, tables int) (Event, error) {
	var out Event
	in := map[string]any{"employerId": employerID, "needIds": needIDs, "tables": tables}
	err := c.do(ctx, http.MethodPost, eventPath(id, "employers"), nil, in, &out)
	return out, err
}

// RegisterForEvent registers the job-seeker, or an officer's group.
func (c *Client) RegisterForEvent(ctx context.Context, id string, e Enrolment) (Event, error) {
	var out Event
	if e.Wishes == nil && e.ProfileIDs == nil {
		e.Wishes = []string{}
	}
	err := c.do(ctx, http.MethodPost, eventPath(id, "registrations"), nil, e, &out)
	return out, err
}

// EventTicket returns the job-seeker's ticket as a PNG QR code.
func (c *Client) EventTicket(ctx context.Context, id string) ([]byte, error) {
	res, err := c.send(ctx, http.MethodGet, eventPath(id, "ticket"), nil, nil)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, readProblem(res)
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("read ticket: %w", err)
	}
	return b, nil
}

// SuggestedInvitations lists the people who best fit the needs brought
// (officers); limit 0 means the server's default.
func (c *Client) SuggestedInvitations(ctx context.Context, id string, limit int) ([]EventSuggestion, error) {
	var q url.Values
	if limit > 0 {
		q = url.Values{"limit": {strconv.Itoa(limit)}}
	}
	var out struct {
		Items []EventSuggestion `json:"items"`
	}
	err := c.do(ctx, http.MethodGet, eventPath(id, "invitations", "suggested"), q, nil, &out)
	return out.Items, err
}

// Invite invites people to an event in bulk (officers).
func (c *Client) Invite(ctx context.Context, id string, profileIDs []string) (Event, error) {
	var out Event
	err := c.do(ctx, http.MethodPost, eventPath(id, "invitations"), nil, map[string]any{"profileIds": profileIDs}, &out)
	return out, err
}

// MakeSchedule computes or recomputes the speed-interview schedule (officers).
func (c *Client) MakeSchedule(ctx context.Context, id string) (EventSchedule, error) {
	var out EventSchedule
	err := c.do(ctx, http.MethodPost, eventPath(id, "schedule"), nil, nil, &out)
	return out, err
}

// Schedule reads the schedule as the caller may see it.
func (c *Client) Schedule(ctx context.Context, id string) (EventSchedule, error) {
	var out EventSchedule
	err := c.do(ctx, http.MethodGet, eventPath(id, "schedule"), nil, nil, &out)
	return out, err
}

// EventArrival is a check-in at the door, with a walk-in's interviews.
type EventArrival struct {
	Registration EventRegistration `json:"registration"`
	Interviews   []EventInterview  `json:"interviews"`
}

// CheckIn checks the ticket's holder in (officers).
func (c *Client) CheckIn(ctx context.Context, id, ticket string) (EventArrival, error) {
	var out EventArrival
	err := c.do(ctx, http.MethodPost, eventPath(id, "checkins"), nil, map[string]any{"ticket": ticket}, &out)
	return out, err
}

// WalkIn registers and checks in a person at the door, who gets
// interviews in the schedule's free cells (officers).
func (c *Client) WalkIn(ctx context.Context, id, profileID string) (EventArrival, error) {
	var out EventArrival
	err := c.do(ctx, http.MethodPost, eventPath(id, "checkins"), nil, map[string]any{"profileId": profileID}, &out)
	return out, err
}

// InterviewOutcome records "continue" or "no" after interview n; continue
// makes a referred match. An officer's "undo", the same day, takes it back.
func (c *Client) InterviewOutcome(ctx context.Context, id string, n int, outcome string) (EventInterview, error) {
	var out EventInterview
	err := c.do(ctx, http.MethodPost, eventPath(id, "interviews", strconv.Itoa(n), "outcome"), nil, map[string]any{"outcome": outcome}, &out)
	return out, err
}

// EventCounts are one group's figures at an event.
type EventCounts struct {
	Registered     int `json:"registered"`
	Attended       int `json:"attended"`
	InterviewsHeld int `json:"interviewsHeld"` // interviews with an outcome
	Continued      int `json:"continued"`
	Placed         int `json:"placed"`
}

// EventIndicators are an event's figures, in all and by age group and
// municipality.
type EventIndicators struct {
	EventCounts
	Invited           int                    `json:"invited"`
	InvitedRegistered int                    `json:"invitedRegistered"` // invitations answered by registering
	Interviews        int                    `json:"interviews"`
	Continues         int                    `json:"continues"`
	ByAgeGroup        map[string]EventCounts `json:"byAgeGroup"`
	ByMunicipality    map[string]EventCounts `json:"byMunicipality"`
}

// EventIndicators reads an event's figures (officers).
func (c *Client) EventIndicators(ctx context.Context, id string) (EventIndicators, error) {
	var out EventIndicators
	err := c.do(ctx, http.MethodGet, eventPath(id, "indicators"), nil, nil, &out)
	return out, err
}
