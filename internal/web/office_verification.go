package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// The employer's side of the office's verification: each organisation the
// account belongs to, whether the office verified it, and the reason if it
// withdrew the verification. The employer's workspace may show the same
// on its own pages; this one keeps the office's decision readable.
func (a *App) mountEmployerVerification(g *gin.RouterGroup) {
	g.GET("/verification", a.employerVerification)
}

// employerVerification lists the account's organisations with their
// verification, each read as the employer may see it
// (register.Service.Employer).
func (a *App) employerVerification(c *gin.Context) {
	t := trOf(c)
	s, _ := sessionOf(c)
	ctx := c.Request.Context()
	u, err := a.d.Auth.User(ctx, s.UserID)
	if err != nil {
		a.fail(c, err)
		return
	}
	var out []employerPage
	for _, id := range u.EmployerIDs {
		e, err := a.d.Register.Employer(ctx, s.Principal(), id)
		if err != nil {
			a.failPage(c, err)
			return
		}
		out = append(out, employerPage{E: e, State: verificationWord(t, e), Decided: decidedOn(t, e)})
	}
	a.renderView(c, http.StatusOK, "office_employers_own", "layout", a.view(c, out))
}
