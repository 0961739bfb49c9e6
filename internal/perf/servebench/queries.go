package servebench

import (
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/careget/skillsmatch/pkg/client"
)

// What people type into the public register's search box: Bulgarian in
// Cyrillic, English, and Bulgarian typed in Latin letters.
var (
	textsBG = []string{"медицинска сестра", "стаж", "шофьор", "програмист", "грижи за възрастни", "акушерка", "оператор",
		"рехабилитация", "заварчик", "продавач", "учител", "готвач", "социален работник", "счетоводител", "фармацевт",
		"монтажник", "болногледач", "лаборант", "шивачка", "инженер"}
	textsEN = []string{"nurse", "internship", "driver", "software developer", "care worker", "physiotherapist",
		"machine operator", "engineer", "cleaner", "teacher", "assistant", "technician"}
	textsLatin = []string{"medicinska sestra", "shofyor", "programist", "grizhi", "akusherka", "gotvach"}
	kinds      = []string{"job", "internship", "apprenticeship", "care_pathway"}
)

// searchQueries returns the query strings of the search phase, mixed so
// that any run of them has every sort: text alone and with filters, the
// words of real titles, kind, sector, municipality, distance from a
// point, skills, and browsing pages. The filters' values come from the
// data, so most queries find something, as real ones do.
func searchQueries(needs []client.Need, facets map[string]map[string]int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 0x736561726368)) // "search"
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	var texts []string
	texts = append(texts, textsBG...)
	texts = append(texts, textsEN...)
	texts = append(texts, textsLatin...)
	for range min(30, len(needs)) {
		if w := titleWords(needs[rng.IntN(len(needs))].Title); w != "" {
			texts = append(texts, w)
		}
	}
	municipalities := facetValues(facets, "municipality")
	sectors := facetValues(facets, "sector")

	var qs []url.Values
	add := func(kv ...string) {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		qs = append(qs, v)
	}
	for _, t := range texts {
		add("q", t)
	}
	for range 15 {
		add("q", pick(texts), "kind", pick(kinds))
	}
	for _, k := range kinds {
		add("kind", k)
	}
	for _, m := range municipalities {
		add("municipality", m)
		add("municipality", m, "kind", pick(kinds))
	}
	if len(municipalities) > 0 {
		for range 10 {
			add("q", pick(texts), "municipality", pick(municipalities))
		}
	}
	for _, s := range sectors {
		add("sector", s)
		add("sector", s, "kind", pick(kinds), "pageSize", "50")
	}
	for range min(12, len(needs)) {
		at := needs[rng.IntN(len(needs))].Location
		near := strconv.FormatFloat(at.Lat, 'f', 4, 64) + "," + strconv.FormatFloat(at.Lon, 'f', 4, 64)
		radius := []string{"5", "25", "50"}[rng.IntN(3)]
		if rng.IntN(2) == 0 {
			add("near", near, "radiusKm", radius)
		} else {
			add("near", near, "radiusKm", radius, "kind", pick(kinds))
		}
	}
	for range min(12, len(needs)) {
		n := needs[rng.IntN(len(needs))]
		if len(n.Skills) == 0 {
			continue
		}
		add("skill", n.Skills[0].ID)
		if len(n.Skills) > 1 && rng.IntN(2) == 0 {
			add("skill", n.Skills[0].ID, "skill", n.Skills[1].ID)
		}
	}
	for page := 1; page <= 3; page++ {
		add("page", strconv.Itoa(page))
		add("q", pick(texts), "page", strconv.Itoa(page), "pageSize", "10")
	}
	rng.Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })
	out := make([]string, len(qs))
	for i, v := range qs {
		out[i] = v.Encode()
	}
	return out
}

// titleWords returns the first one or two words of a title, as someone
// who saw it would type them: "Стаж: медицински асистент" → "стаж медицински".
func titleWords(title string) string {
	words := strings.FieldsFunc(strings.ToLower(title), func(r rune) bool { return !unicode.IsLetter(r) && r != '-' })
	return strings.Join(words[:min(2, len(words))], " ")
}

func facetValues(facets map[string]map[string]int, name string) []string {
	var out []string
	for v := range facets[name] {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}
