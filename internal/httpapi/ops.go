package httpapi

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
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

// The OpenAPI document is openapi.json (info, shared components and the
// first wave's paths) plus one file per area in openapi/ holding that
// area's paths, tags and component schemas, merged once at start so each
// area's routes are described next to nothing else's.
var (
	//go:embed openapi.json openapi
	openAPIFiles embed.FS
	openAPIDoc   = mustMergeOpenAPI(openAPIFiles)
)

// mustMergeOpenAPI merges the area files into the base document. The files
// are embedded, so a bad one is a bug every test shows: it panics. A path
// or schema defined twice is such a bug too.
func mustMergeOpenAPI(files fs.FS) []byte {
	var base map[string]any
	raw, err := fs.ReadFile(files, "openapi.json")
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(raw, &base); err != nil {
		panic(fmt.Errorf("openapi.json: %w", err))
	}
	parts, _ := fs.Glob(files, "openapi/*.json")
	for _, name := range parts {
		raw, err := fs.ReadFile(files, name)
		if err != nil {
			panic(err)
		}
		var part map[string]any
		if err := json.Unmarshal(raw, &part); err != nil {
			panic(fmt.Errorf("%s: %w", name, err))
		}
		mergeInto(name, "paths", base, part)
		if comps, ok := part["components"].(map[string]any); ok {
			for kind := range comps {
				mergeInto(name, kind, child(base, "components"), comps)
			}
		}
		if tags, ok := part["tags"].([]any); ok {
			have, _ := base["tags"].([]any)
			base["tags"] = append(have, tags...)
		}
	}
	out, err := json.Marshal(base)
	if err != nil {
		panic(err)
	}
	return out
}

// mergeInto copies part[key]'s entries into dst[key], refusing a duplicate.
func mergeInto(file, key string, dst, part map[string]any) {
	src, _ := part[key].(map[string]any)
	to := child(dst, key)
	for k, v := range src {
		if _, dup := to[k]; dup {
			panic(fmt.Errorf("%s: %s %q is defined twice", file, key, k))
		}
		to[k] = v
	}
}

func child(m map[string]any, key string) map[string]any {
	c, ok := m[key].(map[string]any)
	if !ok {
		c = map[string]any{}
		m[key] = c
	}
	return c
}

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
