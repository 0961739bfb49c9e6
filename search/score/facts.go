package score

// Taxonomy is what scoring needs of the skills classification; the
// caller passes *taxonomy.Taxonomy. It is called only while preparing.
type Taxonomy interface {
	// GroupOf returns the skill's primary ESCO group, or "" if unknown.
	GroupOf(skillID string) string
	// Ancestors returns the skill's broader concepts, transitively.
	Ancestors(skillID string) []string
	// Label returns the id's label in lang, or "" if unknown.
	Label(id, lang string) string
}

// Need kinds, work modes and hours that the rules look at; the values are
// those of the API.
const (
	KindForecast = "forecast" // demand expected later: never matched
	ModeRemote   = "remote"
	FullTime     = "full_time"
	PartTime     = "part_time"
)

// NeedFacts is what scoring needs to know of a skills need. The caller
// converts a register.Need.
type NeedFacts struct {
	ID        string
	Kind      string // job, internship, apprenticeship, care_pathway, forecast
	Skills    []WantedSkill
	Languages []Language
	// MinEducation is the ISCED level (0..8) the need asks for at least.
	// Below it counts against a candidate but is no hard filter. 0 is no
	// minimum, as everyone has ISCED 0.
	MinEducation int
	Lat, Lon     float64
	WorkMode     string // onsite, hybrid, remote
	Hours        string // full_time, part_time; anything else counts as full time for the young-worker rule
	StartDate    string // YYYY-MM-DD, required
	EndDate      string // YYYY-MM-DD, or "" if open-ended
	NightWork    bool
	Hazardous    bool
	LightWork    bool // fit for a 15-year-old: the only work they are matched to
}

// WantedSkill is a skill a need asks for.
type WantedSkill struct {
	ID       string
	Level    int // 1..4; out-of-range levels are clamped
	Required bool
}

// CandidateFacts is what scoring needs to know of a job-seeker. The caller
// converts a profile.Profile.
type CandidateFacts struct {
	ID        string
	BirthYear int    // 0 if unknown: never eligible; only read when BirthDate is ""
	BirthDate string // YYYY-MM or YYYY-MM-DD; "" for profiles known by BirthYear alone
	// GuardianPending is true for the held profile of a person under 14
	// whose guardian's consent is not recorded (profile.Profile.Held):
	// never eligible.
	GuardianPending bool
	Consent         bool // consent.matching
	Lat, Lon        float64
	MaxTravelKm     float64
	WorkModes       []string // "remote" among them lets remote needs ignore distance
	// Kinds are interests.kinds. Empty means any kind: a person who picked
	// no kind expects to see all of them, not none.
	Kinds     []string
	Skills    []HeldSkill
	Languages []Language
	Education int // ISCED 0..8
	// AvailableFrom is YYYY-MM-DD, or "" for already available.
	AvailableFrom string
	// AvailableTo is YYYY-MM-DD, or "" for open-ended.
	AvailableTo string
	// Hours is the hours wanted: full_time, part_time, or "" for either.
	Hours string
}

// HeldSkill is a skill a person holds.
type HeldSkill struct {
	ID    string
	Level int // 1..4; out-of-range levels are clamped
	// Certified is true when a completed Care Career Path stage attests
	// the skill, false when it is self-declared.
	Certified bool
}

// Language is a language at a CEFR level.
type Language struct {
	Code  string // ISO 639-1
	Level string // A1, A2, B1, B2, C1, C2
}
