package search

import (
	"fmt"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search/score"
)

// scorer returns the explained scorer whose labels are in lang.
func (ix *Index) scorer(lang string) (*score.Scorer, error) {
	r, err := ix.ranker(lang)
	if err != nil {
		return nil, err
	}
	return r.s, nil
}

// ranker is a Scorer for one language of labels with its prepared
// candidates.
type ranker struct {
	slot  int // its place in the pool's needSlots
	s     *score.Scorer
	cards *prepared[*score.PreparedCandidate] // placed as their cards place them (cardPlace)
}

// rankerLangs are the languages of the rankers' labels; numRankers of them.
var rankerLangs = [numRankers]string{"bg", "en"}

const numRankers = 2

func (ix *Index) ranker(lang string) (*ranker, error) {
	if r, ok := ix.rankers[lang]; ok {
		return r, nil
	}
	if r, ok := ix.rankers["bg"]; ok {
		return r, nil
	}
	return nil, fmt.Errorf("no scorer for %q", lang)
}

func newRankers(ix *Index) (map[string]*ranker, error) {
	out := map[string]*ranker{}
	for slot, lang := range rankerLangs {
		s, err := score.New(ix.tx, ix.rarityLocked, score.DefaultWeights(), lang)
		if err != nil {
			return nil, err
		}
		out[lang] = &ranker{slot: slot, s: s, cards: newPrepared[*score.PreparedCandidate](maxPrepared)}
	}
	return out, nil
}

// forgetPreparedLocked drops a changed profile's prepared copies.
func (ix *Index) forgetPreparedLocked(id string) {
	for _, r := range ix.rankers {
		r.cards.forget(id)
	}
}

// forgetNeedLocked drops a changed need's prepared copies: the pool
// does, in setNeed, which follows every need's write.
func (ix *Index) forgetNeedLocked(string) {}

// countLocked adds (delta 1) or removes (delta -1) a profile from the skill
// frequencies behind rarity. Only consenting profiles count: they are the
// pool a need is matched against. A held profile is not in that pool
// (Held depends on the stored profile alone, so adding and removing agree).
func (ix *Index) countLocked(p profile.Profile, delta int) {
	if !p.Consent.Matching || p.Held() {
		return
	}
	ix.consenting += delta
	ix.rarityEpoch++ // prepared needs weigh skills by rarity: prepare them again
	for _, s := range p.Skills {
		ix.holders[s.ID] += delta
	}
}

func needFacts(n register.Need) score.NeedFacts {
	f := score.NeedFacts{ID: n.ID, Kind: n.Kind, Lat: n.Location.Lat, Lon: n.Location.Lon, WorkMode: n.WorkMode,
		Hours: n.Hours, StartDate: n.StartDate, EndDate: n.EndDate, NightWork: n.NightWork, Hazardous: n.Hazardous,
		LightWork: n.LightWork}
	if n.EducationLevel != nil {
		f.MinEducation = *n.EducationLevel
	}
	for _, s := range n.Skills {
		f.Skills = append(f.Skills, score.WantedSkill{ID: s.ID, Level: s.Level, Required: s.Required})
	}
	for _, l := range n.Languages {
		f.Languages = append(f.Languages, score.Language{Code: l.Code, Level: l.Level})
	}
	return f
}

func candidateFacts(p profile.Profile) score.CandidateFacts {
	f := score.CandidateFacts{ID: p.ID, BirthYear: p.BirthYear, Consent: p.Consent.Matching, Lat: p.Lat, Lon: p.Lon,
		MaxTravelKm: float64(p.MaxTravelKm), WorkModes: p.WorkModes, Kinds: p.Interests.Kinds, Education: p.EducationLevel,
		AvailableFrom: p.AvailableFrom, AvailableTo: p.AvailableTo, Hours: hoursWanted(p.Hours),
		BirthDate: p.BirthDate, GuardianPending: p.Held()}
	for _, s := range p.Skills {
		f.Skills = append(f.Skills, score.HeldSkill{ID: s.ID, Level: s.Level, Certified: s.Evidence == profile.EvidenceCertified})
	}
	for _, l := range p.Languages {
		f.Languages = append(f.Languages, score.Language{Code: l.Code, Level: l.Level})
	}
	return f
}

func hoursWanted(h string) string {
	if h == "any" {
		return ""
	}
	return h
}
