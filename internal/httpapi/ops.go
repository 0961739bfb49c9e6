package httpapi

import (
	"context"
	_ "embed"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

func handleHealth() gin.HandlerFunc {
	return func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }
}

// handleReady runs every readiness check; any failure is a 503 that names it.
func handleReady(checks func(ctx context.Context) map[string]error) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
		defer cancel()
		status, out := http.StatusOK, map[string]string{}
		for name, err := range checks(ctx) {
			out[name] = "ok"
			if err != nil {
				status, out[name] = http.StatusServiceUnavailable, err.Error()
			}
		}
		c.JSON(status, gin.H{"ready": status == http.StatusOK, "checks": out})
	}
}

//go:embed openapi.json
var openAPIDoc []byte

func handleOpenAPI() gin.HandlerFunc {
	return func(c *gin.Context) { c.Data(http.StatusOK, "application/json", openAPIDoc) }
}

// The documentation page renders openapi.json in the browser. Its script is
// a file of its own, served from this origin, because the page's
// Content-Security-Policy (default-src 'self') forbids inline scripts.
var (
	//go:embed docs.html
	docsPage []byte
	//go:embed docs.js
	docsScript []byte
)

func handleDocs() gin.HandlerFunc {
	return func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", docsPage) }
}

func handleDocsScript() gin.HandlerFunc {
	return func(c *gin.Context) { c.Data(http.StatusOK, "text/javascript; charset=utf-8", docsScript) }
}
