package web

import (
	"net/http"

	"github.com/careget/skillsmatch/internal/notify"

	"github.com/gin-gonic/gin"
)

// mountOfficeOutbox registers /office/outbox: the mails waiting, sent or
// failed — where they stay when no SMTP server is configured.
func (a *App) mountOfficeOutbox(g *gin.RouterGroup) {
	g.GET("/outbox", a.officeOutbox)
}

// outboxShown is how many of the newest messages the page lists.
const outboxShown = 100

type outboxRow struct {
	Seq      int64
	To       string
	Subject  string
	Lang     string // of the subject: the recipient's
	Status   string
	Attempts int
	Created  string
	Error    string
}

func (a *App) officeOutbox(c *gin.Context) {
	s, _ := sessionOf(c)
	page, err := a.d.Notify.Outbox(c.Request.Context(), s.Principal(), outboxShown)
	if err != nil {
		a.fail(c, err)
		return
	}
	t := trOf(c)
	rows := make([]outboxRow, 0, len(page.Messages))
	for _, m := range page.Messages {
		subject := m.Subject
		if m.Digest != "" && subject == "" {
			subject = t.T("notify.outbox_digest", "Date", t.Date(m.Digest))
		}
		rows = append(rows, outboxRow{Seq: m.Seq, To: notify.MaskAddress(m.To), Subject: subject, Lang: m.Lang, Status: t.T("notify.status_" + string(m.Status)),
			Attempts: m.Attempts, Created: t.Date(m.CreatedAt.Format("2006-01-02")), Error: m.LastError})
	}
	a.renderStatus(c, http.StatusOK, "notification_outbox", rows)
}
