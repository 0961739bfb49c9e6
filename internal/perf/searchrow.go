package perf

import (
	"context"
	"fmt"

	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search"
)

// searches are the public register's searches as people type them: text in
// either language and alphabet, with and without filters; every one asks
// for the kind, sector and municipality facets.
var searches = []search.NeedQuery{
	{Text: "медицинска сестра"},
	{Text: "nurse"},
	{Text: "medicinska sestra", Municipality: "Хасково"},
	{Text: "care", Kind: register.KindJob},
	{Text: "готвач", Municipality: "Haskovo"},
	{Text: "шофьор", Near: &register.GeoPoint{Lat: 41.9344, Lon: 25.5556}, RadiusKm: 30},
	{Text: "software developer", Kind: register.KindInternship},
	{Text: "програмист", Municipality: "София"},
	{Text: "cleaner", Kind: register.KindJob, Municipality: "Димитровград"},
	{Kind: register.KindApprenticeship},
	{Text: "техник", Near: &register.GeoPoint{Lat: 42.1500, Lon: 24.7500}, RadiusKm: 20},
	{Text: "social worker", Kind: register.KindCarePathway},
}

// searchRow runs each search in turn until n have run: the first page of
// twenty with facets, as GET /api/v1/needs asks.
func searchRow(ctx context.Context, ix *search.Index, today string, n int) (Latency, error) {
	var r recorder
	for i := range n {
		q := searches[i%len(searches)]
		q.Page, q.PageSize, q.Today = 1, 20, today
		if err := r.time(func() error {
			_, err := ix.SearchNeedsCold(ctx, q) // a first asking: the index's work, not a kept answer
			return err
		}, nil); err != nil {
			return Latency{}, fmt.Errorf("search %+v: %w", q, err)
		}
	}
	return r.latency(), nil
}
