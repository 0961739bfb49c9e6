package web

import "github.com/gin-gonic/gin"

// mountOffice registers the labour office's workspace under /office; the
// group already requires a signed-in officer (or administrator).
func (a *App) mountOffice(g *gin.RouterGroup) {
	a.mountOfficeEvents(g)
}
