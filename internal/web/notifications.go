package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/notify"
	"github.com/gin-gonic/gin"
)

// mountNotifications registers the inbox and the preferences for every
// signed-in role: /notifications, and /me/notifications for job-seekers
// (the same page), which mails link to (notify.InboxPath).
func (a *App) mountNotifications(w *gin.RouterGroup) {
	for _, g := range []*gin.RouterGroup{w.Group("/notifications", a.requireSignIn()), w.Group("/me/notifications", a.requireSignIn())} {
		g.GET("", a.notifications)
		g.POST("/read", a.markAllRead)
		g.POST("/:id/read", a.markRead)
		g.POST("/preferences", a.savePreferences)
	}
}

// unread is the badge's count: one key read, none for visitors or when
// notifications are not wired.
func (a *App) unread(c *gin.Context) int {
	s, ok := sessionOf(c)
	if !ok || a.d.Notify == nil {
		return 0
	}
	n, err := a.d.Notify.Unread(c.Request.Context(), s.Principal())
	if err != nil {
		a.logErr(c, err) // a badge is not worth failing the page
		return 0
	}
	return int(n)
}

// inboxPath is the signed-in person's inbox page.
func inboxPath(c *gin.Context) string {
	s, _ := sessionOf(c)
	return notify.InboxPath(s.Role)
}

// notice is one notification as the inbox page shows it.
type notice struct {
	N      int64
	Kind   string
	Text   string
	When   string
	Unread bool
	Link   string
}

// inboxPage is the inbox with the preferences form.
type inboxPage struct {
	Items       []notice
	Total       int
	Unread      int
	Page, Pages int
	Prev, Next  string
	Path        string
	Kinds       []kindPref
	Digest      bool
	MayDigest   bool
}

type kindPref struct {
	Kind  string
	Label string
	On    bool
}

func (a *App) notifications(c *gin.Context) {
	page := 1
	if p := c.Query("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 10000 {
			a.renderStatus(c, http.StatusNotFound, "notfound", nil)
			return
		}
		page = n
	}
	data, err := a.inboxData(c, page)
	if err != nil {
		a.fail(c, err)
		return
	}
	v := a.view(c, data)
	switch c.Query("done") {
	case "read":
		v.Notice = v.T("notify.done_read")
	case "preferences":
		v.Notice = v.T("notify.done_preferences")
	}
	a.renderView(c, http.StatusOK, "notifications", "layout", v)
}

func (a *App) inboxData(c *gin.Context, page int) (inboxPage, error) {
	s, _ := sessionOf(c)
	ctx := c.Request.Context()
	in, err := a.d.Notify.Inbox(ctx, s.Principal(), page)
	if err != nil {
		return inboxPage{}, err
	}
	prefs, err := a.d.Notify.Preferences(ctx, s.Principal())
	if err != nil {
		return inboxPage{}, err
	}
	t := trOf(c)
	path := c.Request.URL.Path
	out := inboxPage{Total: int(in.Total), Unread: int(in.Unread), Page: in.Page, Pages: in.Pages, Path: path,
		Digest: prefs.Digest, MayDigest: s.Role == auth.RoleOfficer || s.Role == auth.RoleEmployer}
	if in.Page > 1 {
		out.Prev = path + "?page=" + strconv.Itoa(in.Page-1)
	}
	if in.Page < in.Pages {
		out.Next = path + "?page=" + strconv.Itoa(in.Page+1)
	}
	for _, n := range in.Items {
		out.Items = append(out.Items, notice{N: n.Number, Kind: string(n.Kind), Text: noticeText(t, n),
			When: t.Date(n.CreatedAt.Format("2006-01-02")), Unread: n.ReadAt == nil, Link: noticeLink(s.Role, n)})
	}
	for _, k := range notify.KindsFor(s.Role) {
		out.Kinds = append(out.Kinds, kindPref{Kind: string(k), Label: t.T("notify.kind_" + string(k)), On: prefs.Wants(k)})
	}
	return out, nil
}

// noticeText puts a notification into words in the page's language; like
// the mails, it names no one.
func noticeText(t tr, n notify.Notification) string {
	switch n.Kind {
	case notify.MatchMoved:
		return t.T("notify.text_match_moved", "State", t.T("notify.state_"+n.State))
	case notify.OutcomeDue, notify.OutcomeOverdue:
		return t.T("notify.text_"+string(n.Kind), "Date", t.Date(n.State))
	}
	return t.T("notify.text_" + string(n.Kind))
}

// noticeLink is the page where the person acts on the notification.
func noticeLink(role auth.Role, n notify.Notification) string {
	if n.MatchID == "" {
		return ""
	}
	switch role {
	case auth.RoleJobseeker:
		return "/me/applications"
	case auth.RoleEmployer:
		return "/employer"
	case auth.RoleOfficer:
		return "/office"
	}
	return ""
}

func (a *App) markRead(c *gin.Context) {
	s, _ := sessionOf(c)
	n, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err == nil {
		err = a.d.Notify.MarkRead(c.Request.Context(), s.Principal(), n)
	}
	if err != nil {
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
		return
	}
	c.Redirect(http.StatusSeeOther, inboxPath(c)+"?done=read")
}

func (a *App) markAllRead(c *gin.Context) {
	s, _ := sessionOf(c)
	if err := a.d.Notify.MarkAllRead(c.Request.Context(), s.Principal()); err != nil {
		a.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, inboxPath(c)+"?done=read")
}

// savePreferences saves the form whole: a kind not ticked is off.
func (a *App) savePreferences(c *gin.Context) {
	s, _ := sessionOf(c)
	if err := c.Request.ParseForm(); err != nil {
		a.fail(c, err)
		return
	}
	on := map[string]bool{}
	for _, k := range c.Request.PostForm["email"] {
		on[k] = true
	}
	var off []notify.Kind
	for _, k := range notify.KindsFor(s.Role) {
		if !on[string(k)] {
			off = append(off, k)
		}
	}
	_, err := a.d.Notify.SetPreferences(c.Request.Context(), s.Principal(), off, c.PostForm("digest") == "on")
	if err != nil {
		a.preferencesError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, inboxPath(c)+"?done=preferences#preferences")
}

// preferencesError shows the page again with the form's error summary.
func (a *App) preferencesError(c *gin.Context, err error) {
	errs, status, ok := formErrors(trOf(c), err, "digest")
	if !ok {
		a.fail(c, err)
		return
	}
	data, derr := a.inboxData(c, 1)
	if derr != nil {
		a.fail(c, derr)
		return
	}
	v := a.view(c, data)
	v.Errors, v.Form = errs, url.Values{}
	a.renderView(c, status, "notifications", "layout", v)
}
