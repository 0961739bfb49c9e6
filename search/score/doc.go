// Package score is the one deterministic, explained scoring function for
// matches in both directions: candidates for a skills need, and needs for a
// job-seeker. Bleve retrieves and roughly orders a few hundred candidates;
// this package decides which of them may be matched at all (Eligible) and
// re-ranks the rest with a score that a person can read (Explain).
//
// # Using it
//
// The caller converts its domain values into the small input structs
// NeedFacts and CandidateFacts (this package imports neither register nor
// profile), makes a Scorer with the taxonomy, a rarity function and the
// weights, and prepares each side once:
//
//	s, err := score.New(tx, rarity, score.DefaultWeights(), "bg") // once
//	need, err := s.PrepareNeed(nf)
//	for _, cf := range hits {
//		c, err := s.PrepareCandidate(cf)
//		ok, reasons, permit := score.Eligible(need, c)
//		if !ok {
//			continue // reasons say why, for the officer's view
//		}
//		r := s.Explain(need, c, bm25[cf.ID]) // r.Score, r.Explanation; permit goes on the card
//	}
//
// Preparing does the taxonomy look-ups (groups, ancestors, labels; cached
// in the Scorer), the rarity look-ups, the date parsing and the sorting, so
// that scoring a pair is a few hundred integer comparisons without
// allocation (Score) or with only the explanation's three slices
// allocated (Explain). Both sides are prepared, so the cost is the same
// whichever side is fixed: one need against 300 candidates, or one
// candidate against 500 needs. A prepared value is read-only and safe for
// concurrent use; a need and a candidate must be prepared by the same
// Scorer. Rank with Score and explain the ones shown, or Explain them all:
// the scores are equal bit for bit.
//
// # Hard filters
//
// Eligible applies the rules that no score may outweigh: consent to
// matching; never a forecast need; the need's kind among the candidate's
// interests (no interests at all means any kind, as people expect of an
// empty filter); the need within the candidate's travel radius by the
// haversine distance, unless the need is remote and the candidate works
// remotely; the availability windows overlapping (both ends inclusive, so
// touching dates overlap); a held profile (a person under 14 whose
// guardian's consent is not recorded) is never eligible; and the rules for
// young workers (internal/age.Rules), applied to the person's age on the
// need's start date, the day the work starts. The birth date is known to
// the month or the day (to the year only in profiles written before), and
// the rules take its latest possible day, so the age is the youngest the
// person can be: anyone under 18 is a minor, who may never do night or
// hazardous work and needs a Labour Inspectorate permit for any hire
// (permitRequired); a 15-year-old may do only part-time needs flagged
// light work; anyone younger is below the working age and never eligible.
// An unknown birth date is never eligible. Every kind that is matched
// (job, internship, apprenticeship, care pathway) counts as work.
//
// # The score
//
// The score is a weighted mean of named parts, each a value in [0, 1]:
//
//	score = Σ_p W_p·v_p / Σ_p W_p
//
// over the parts that apply to the need. Whether a part applies depends on
// the need alone (languages only if it asks for languages, education only
// if it sets a minimum), never on the candidate: for one need, candidates
// differ only in the numerator, so holding more can never lower a score
// and the ranking is a plain comparison of weighted sums.
//
// Each wanted skill s has an importance m_s = f_s·r_s: f_s is
// RequiredFactor for a required skill and 1 for a preferred one, and r_s is
// the caller's rarity (an IDF-like weight) clamped to [RarityMin,
// RarityMax], so that a rare skill discriminates more than a common one.
// When the preferred skills' importances add up to more than PreferredCap
// times the least important required skill's, they are scaled down to
// that, keeping their proportions: preferred skills tell apart candidates
// who hold the same required skills, and never outweigh one of them.
// For each wanted skill the candidate's best held skill gives
//
//	c_s  credit: 1 for the skill itself; BroaderCredit for a broader or a
//	     narrower skill (one is among the other's Ancestors);
//	     SameGroupCredit for a skill of the same group (GroupOf); 0 for
//	     none. A shared ancestor further up does not count. Held below
//	     the wanted level, the credit is multiplied by BelowLevelCredit
//	     for each level short (b^(levelWanted−levelHas)): such a skill is
//	     partly missing, not held.
//	l_s  level fit: c·min(levelHas, levelWanted)/levelWanted, with c the
//	     relation's credit before the levels short
//	e_s  certified: c if the held skill is certified, else 0
//
// where "best" maximises Skills·c_s + LevelFit·l_s + Certified·e_s, which
// is the held skill's contribution to the score. A level above the wanted
// one earns nothing more, so it never makes up for a missing skill. With
// M, M_req and M_pref the sums of m_s over all, the required and the
// preferred skills, the parts are
//
//	part             value v                                   weight W
//	requiredSkills   Σ_req m_s·c_s / M_req                     Skills·M_req/M
//	preferredSkills  Σ_pref m_s·c_s / M_pref                   Skills·M_pref/M
//	levelFit         Σ m_s·l_s / M                             LevelFit
//	certified        Σ m_s·e_s / M                             Certified
//	languages        mean over wanted languages of 1 at or      Languages
//	                 above the CEFR level, LanguageBelowCredit·
//	                 has/wanted below it, 0 without
//	distance         H/(H+d), H = DistanceHalfKm; 1 for a       Distance
//	                 remote need and a remote worker
//	availability     share of the need's period (its first      Availability
//	                 OpenEndDays if open-ended) the candidate
//	                 covers, times HoursMismatch if the hours
//	                 differ
//	education        1 at or above the minimum ISCED level,     Education
//	                 has/minimum below it
//	text             t/(t+TextHalf) for the caller's BM25 t     Text
//
// Splitting the skills weight by importance, rather than giving required
// and preferred skills fixed shares, keeps a required skill worth at least
// RequiredFactor times a preferred one of the same rarity in every need:
// with fixed shares, a need with five required skills and one preferred
// would value its one preferred skill above each required one. The
// judgements of search/eval hold the ranking to what an officer expects
// (every required skill at the wanted level beats all of them a level
// below plus preferred ones; required beats preferred; the skill itself
// beats a related one; …). Credit for
// a skill held below the wanted level, or only through a related skill, is
// partial rather than nil because people grow into jobs and ESCO's
// neighbours are often what an employer would accept. Distance decays with
// a fixed half distance, not the candidate's own radius, so that of two
// candidates the nearer one always scores higher. Text relevance is a
// small part because free text is the noisiest signal; skills carry the
// structure. All tunables are in Weights; DefaultWeights documents the
// values.
//
// # Determinism
//
// Preparing sorts every list, so the same facts in any order give the same
// output, bit for bit on one platform: the sums run in a fixed order and
// ties are broken by id. The explanation lists wanted skills required
// first, then by importance, then by id.
//
// # Near misses and next skills
//
// A need is a good match for a candidate when it passes every hard filter
// and the candidate holds every required skill itself (not a related one)
// at the wanted level or above. NearMiss says what stands between a
// candidate and a need; NextSkills finds the missing skills that, once
// held at the wanted level, would turn the most eligible needs into good
// matches, and the held skills worth raising to the level most needs ask
// for.
package score
