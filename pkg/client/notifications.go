package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Notification is one notice in the caller's inbox.
type Notification struct {
	ID         int64      `json:"id"`
	Kind       string     `json:"kind"`
	MatchID    string     `json:"matchId,omitempty"`
	NeedID     string     `json:"needId,omitempty"`
	EmployerID string     `json:"employerId,omitempty"`
	EventID    string     `json:"eventId,omitempty"`
	State      string     `json:"state,omitempty"`
	Title      string     `json:"title,omitempty"`
	CreatedAt  time.Time  `json:"createdAt"`
	Read       bool       `json:"read"`
	ReadAt     *time.Time `json:"readAt,omitempty"`
}

// Notifications is a page of the caller's inbox, newest first.
type Notifications struct {
	Items  []Notification `json:"items"`
	Total  int64          `json:"total"`
	Unread int64          `json:"unread"`
	Page   int            `json:"page"`
	Pages  int            `json:"pages"`
}

// NotificationPreferences are the kinds not wanted by e-mail and the
// daily digest (officers and employers).
type NotificationPreferences struct {
	EmailOff []string `json:"emailOff"`
	Digest   bool     `json:"digest"`
	Kinds    []string `json:"kinds,omitempty"` // every kind (answers only)
}

// Notifications returns page (from 1) of the caller's notifications.
func (c *Client) Notifications(ctx context.Context, page int) (Notifications, error) {
	var out Notifications
	err := c.do(ctx, http.MethodGet, "/api/v1/notifications", url.Values{"page": {strconv.Itoa(page)}}, nil, &out)
	return out, err
}

// MarkNotificationRead marks the caller's notification id read.
func (c *Client) MarkNotificationRead(ctx context.Context, id int64) error {
	return c.do(ctx, http.MethodPost, "/api/v1/notifications/"+strconv.FormatInt(id, 10)+"/read", nil, nil, nil)
}

// MarkAllNotificationsRead marks the caller's notifications read.
func (c *Client) MarkAllNotificationsRead(ctx context.Context) error {
	return c.do(ctx, http.MethodPost, "/api/v1/notifications/read", nil, nil, nil)
}

// NotificationPreferences returns the caller's preferences.
func (c *Client) NotificationPreferences(ctx context.Context) (NotificationPreferences, error) {
	var out NotificationPreferences
	err := c.do(ctx, http.MethodGet, "/api/v1/notifications/preferences", nil, nil, &out)
	return out, err
}

// SetNotificationPreferences replaces the caller's preferences.
func (c *Client) SetNotificationPreferences(ctx context.Context, p NotificationPreferences) (NotificationPreferences, error) {
	var out NotificationPreferences
	in := NotificationPreferences{EmailOff: p.EmailOff, Digest: p.Digest}
	if in.EmailOff == nil {
		in.EmailOff = []string{}
	}
	err := c.do(ctx, http.MethodPut, "/api/v1/notifications/preferences", nil, in, &out)
	return out, err
}
