package score

// Evidence and via values in explanations.
const (
	EvidenceCertified = "certified"
	EvidenceDeclared  = "declared"
	ViaExact          = "exact"
	ViaRelated        = "related"
	RelationSameGroup = "same group"
	RelationBroader   = "broader"
)

// Result is a scored pair with the reasons for its score.
type Result struct {
	Score       float64
	Explanation Explanation
}

// Explanation says why a pair scored what it did.
type Explanation struct {
	// MatchedSkills are the wanted skills that earned credit: held, at any
	// level, or served by a related skill.
	MatchedSkills []MatchedSkill
	// MissingSkills are the wanted skills not held at the wanted level:
	// not held at all, held below the level, or served only by a related
	// skill. A skill with partial credit is in both lists: what it earned,
	// and what is left to learn.
	MissingSkills []MissingSkill
	DistanceKm    float64
	// LanguagesOK is true when every wanted language is held at the wanted
	// level or above (and when none is wanted).
	LanguagesOK bool
	// AvailabilityOK is true when the candidate covers the need's whole
	// period (the first OpenEndDays of an open-ended one) in the hours
	// offered.
	AvailabilityOK bool
	// Parts are the score's named parts, always all of them in the order
	// of the Part… constants. Score = Σ Weight·Value.
	Parts []Part
}

// MatchedSkill is a wanted skill that earned credit. Both lists of an
// explanation are ordered required first, then by importance (rarity and
// required factor) descending, then by id.
type MatchedSkill struct {
	ID          string
	Label       string
	Required    bool
	LevelWanted int
	LevelHas    int    // the level of the held skill that earned the credit
	Evidence    string // EvidenceCertified or EvidenceDeclared, of the held skill
	Via         string // ViaExact or ViaRelated
	// HeldID and HeldLabel name the related skill held; empty for ViaExact.
	HeldID    string
	HeldLabel string
	// Relation is RelationBroader (one skill is a broader concept of the
	// other) or RelationSameGroup; empty for ViaExact.
	Relation string
}

// MissingSkill is a wanted skill not held at the wanted level.
type MissingSkill struct {
	ID          string
	Label       string
	Required    bool
	LevelWanted int
	LevelHas    int // the level held of the skill itself; 0 if not held
}

// Part is one named part of the score. Weight is normalised: the weights
// of an explanation add up to 1, and a part that does not apply to the
// need has weight 0 (and value 1: nothing was asked).
type Part struct {
	Name   string
	Value  float64 // in [0, 1]
	Weight float64 // in [0, 1]
}

// Explain returns the pair's score, equal bit for bit to Score's, with its
// explanation. It allocates only the explanation's three lists. It does
// not apply the hard filters; call Eligible first.
func (s *Scorer) Explain(n *PreparedNeed, c *PreparedCandidate, text float64) Result {
	var buf [inlineHits]hit
	hits := hitsFor(n, buf[:])
	parts, fx := s.parts(n, c, text, hits)
	return Result{
		Score: total(&parts),
		Explanation: Explanation{
			MatchedSkills:  matched(n, c, hits),
			MissingSkills:  missing(n, hits),
			DistanceKm:     fx.distanceKm,
			LanguagesOK:    fx.languagesOK,
			AvailabilityOK: fx.availabilityOK,
			Parts:          namedParts(&parts),
		},
	}
}

func matched(n *PreparedNeed, c *PreparedCandidate, hits []hit) []MatchedSkill {
	count := 0
	for _, h := range hits {
		if h.rel != relNone {
			count++
		}
	}
	out := make([]MatchedSkill, 0, count)
	for i, h := range hits {
		if h.rel == relNone {
			continue
		}
		w, hs := &n.wanted[i], &c.held[h.held]
		m := MatchedSkill{
			ID: w.id, Label: w.label, Required: w.required,
			LevelWanted: w.level, LevelHas: hs.level,
			Evidence: EvidenceDeclared, Via: ViaExact,
		}
		if hs.certified {
			m.Evidence = EvidenceCertified
		}
		if h.rel != relExact {
			m.Via, m.HeldID, m.HeldLabel = ViaRelated, hs.id, hs.label
			m.Relation = RelationSameGroup
			if h.rel == relBroader {
				m.Relation = RelationBroader
			}
		}
		out = append(out, m)
	}
	return out
}

// missing lists the wanted skills not held at level. The wanted skills are
// sorted required first, so the required ones come first.
func missing(n *PreparedNeed, hits []hit) []MissingSkill {
	count := 0
	for i, h := range hits {
		if h.exactLevel < n.wanted[i].level {
			count++
		}
	}
	out := make([]MissingSkill, 0, count)
	for i, h := range hits {
		if w := &n.wanted[i]; h.exactLevel < w.level {
			out = append(out, MissingSkill{ID: w.id, Label: w.label, Required: w.required, LevelWanted: w.level, LevelHas: h.exactLevel})
		}
	}
	return out
}

func namedParts(p *[numParts]part) []Part {
	sum := 0.0
	for i := range p {
		sum += p[i].weight
	}
	out := make([]Part, numParts)
	for i := range p {
		out[i] = Part{Name: partNames[i], Value: p[i].value}
		if sum > 0 {
			out[i].Weight = p[i].weight / sum
		}
	}
	return out
}
