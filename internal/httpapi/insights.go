package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/insight"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
	"github.com/gin-gonic/gin"
)

// snapshotter gathers what insights count over, from memory only.
type snapshotter struct {
	index    *search.Index
	matches  *match.Service
	pathways *pathway.Service
	labels   *taxonomy.Taxonomy
}

func (s snapshotter) snapshot(ctx context.Context, by auth.Principal) (insight.Snapshot, error) {
	needs, profiles, employers := s.index.Contents()
	snap := insight.Snapshot{Needs: needs, Profiles: profiles, Employers: employers, Matches: s.matches.All(),
		Today: time.Now().UTC(), Labels: s.labels}
	pws, err := s.pathways.List(ctx)
	if err != nil {
		return insight.Snapshot{}, err
	}
	for _, pw := range pws {
		cohort, err := s.pathways.Cohort(ctx, by, pw.ID)
		if err != nil {
			return insight.Snapshot{}, err
		}
		for _, p := range cohort {
			snap.Participants = append(snap.Participants, insight.PathwayParticipant{PathwayID: p.PathwayID, ProfileID: p.ProfileID, Stage: p.Stage, Status: p.Status})
		}
	}
	return snap, nil
}

func handleSkillsGap(s snapshotter) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		snap, err := s.snapshot(c.Request.Context(), p)
		if err != nil {
			writeProblem(c, err)
			return
		}
		if k := c.Query("kind"); k != "" && !needKinds[k] {
			writeProblem(c, failure.Field("kind", "oneof", "job, internship, apprenticeship, care_pathway, forecast"))
			return
		}
		by := c.DefaultQuery("by", insight.BySkill)
		if !slices.Contains(insight.Dimensions, by) {
			writeProblem(c, failure.Field("by", "oneof", strings.Join(insight.Dimensions, ", ")))
			return
		}
		rows, err := insight.GapBy(snap, by, insight.GapFilter{Sector: c.Query("sector"), Kind: c.Query("kind"), Lang: queryLang(c)})
		if err != nil {
			writeProblem(c, err)
			return
		}
		if rows == nil {
			rows = []insight.GapRow{}
		}
		c.JSON(http.StatusOK, itemsResponse[insight.GapRow]{Items: rows})
	}
}

// period reads ?from= and ?to= (YYYY-MM-DD); the default is the year so far.
func period(c *gin.Context) (time.Time, time.Time, error) {
	now := time.Now().UTC()
	from := c.DefaultQuery("from", fmt.Sprintf("%d-01-01", now.Year()))
	to := c.DefaultQuery("to", now.Format(time.DateOnly))
	var fields []failure.FieldError
	for name, v := range map[string]string{"from": from, "to": to} {
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			fields = append(fields, failure.FieldError{Field: name, Code: "date"})
		}
	}
	if len(fields) == 0 && to < from {
		fields = append(fields, failure.FieldError{Field: "to", Code: "after_start"})
	}
	if len(fields) > 0 {
		return time.Time{}, time.Time{}, failure.Fields(fields...)
	}
	return insight.DayRange(from, to, time.UTC)
}

func handleIndicators(s snapshotter) gin.HandlerFunc {
	return func(c *gin.Context) {
		from, to, err := period(c)
		if err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		snap, err := s.snapshot(c.Request.Context(), p)
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, insight.Indicators(snap, from, to))
	}
}

var exportTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// handleExport streams needs, matches, indicators or the skills gap as
// CSV or XLSX for the people who live in spreadsheets.
func handleExportTable(s snapshotter) gin.HandlerFunc {
	return func(c *gin.Context) {
		name, ext, _ := strings.Cut(c.Param("file"), ".")
		ctype, ok := exportTypes[ext]
		if !ok || (name != "needs" && name != "matches" && name != "indicators" && name != "skills-gap") {
			writeProblem(c, failure.NotFoundf("export"))
			return
		}
		from, to, err := period(c)
		if err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		snap, err := s.snapshot(c.Request.Context(), p)
		if err != nil {
			writeProblem(c, err)
			return
		}
		l := queryLang(c)
		var table insight.Table
		switch name {
		case "needs":
			table = insight.NeedsTable(snap, l)
		case "matches":
			table = insight.MatchesTable(snap, l)
		case "indicators":
			table = insight.IndicatorsTable(insight.Indicators(snap, from, to), l)
		case "skills-gap":
			table = insight.GapTable(insight.SkillsGap(snap, insight.GapFilter{Sector: c.Query("sector"), Kind: c.Query("kind"), Lang: l}), l)
		}
		c.Header("Content-Type", ctype)
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="skillsmatch-%s-%s.%s"`, name, time.Now().UTC().Format("20060102"), ext))
		c.Status(http.StatusOK)
		if ext == "csv" {
			err = insight.WriteCSV(c.Writer, table)
		} else {
			err = insight.WriteXLSX(c.Writer, table)
		}
		if err != nil {
			logger(c).Error("export failed mid-stream", "export", name, "err", err)
		}
	}
}
