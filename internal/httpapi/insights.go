package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/insight"
	"github.com/gin-gonic/gin"
)

func handleSkillsGap(s *insight.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		rows, err := s.Gap(c.Request.Context(), p, insight.GapQuery{By: c.DefaultQuery("by", insight.BySkill),
			Sector: c.Query("sector"), Kind: c.Query("kind"), Lang: queryLang(c)})
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, itemsResponse[insight.GapRow]{Items: rows})
	}
}

// period reads ?from= and ?to= (YYYY-MM-DD); absent ones are the use
// case's default, the year so far.
func period(c *gin.Context) insight.Period {
	var p insight.Period
	if v, ok := c.GetQuery("from"); ok {
		p.From = &v
	}
	if v, ok := c.GetQuery("to"); ok {
		p.To = &v
	}
	return p
}

func handleIndicators(s *insight.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		figures, err := s.Indicators(c.Request.Context(), p, period(c))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, figures)
	}
}

// handleExportTable streams needs, matches, indicators or the skills gap as
// CSV or XLSX for the people who live in spreadsheets.
func handleExportTable(s *insight.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		name, ext, _ := strings.Cut(c.Param("file"), ".")
		ctype, ok := insight.Formats[ext]
		if !ok {
			writeProblem(c, failure.NotFoundf("export"))
			return
		}
		p, _ := principal(c)
		table, err := s.TableOf(c.Request.Context(), p, name, period(c),
			insight.GapFilter{Sector: c.Query("sector"), Kind: c.Query("kind"), Lang: queryLang(c)})
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.Header("Content-Type", ctype)
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="skillsmatch-%s-%s.%s"`, name, time.Now().UTC().Format("20060102"), ext))
		c.Status(http.StatusOK)
		if err := insight.Write(c.Writer, ext, table); err != nil {
			logger(c).Error("export failed mid-stream", "export", name, "err", err)
		}
	}
}
