package web

import "github.com/gin-gonic/gin"

// mountEmployer registers the employer's workspace under /employer; the
// group already requires a signed-in employer.
func (a *App) mountEmployer(g *gin.RouterGroup) {
	a.mountEmployerEvents(g)
}
