package profile

// Parts of a profile that Missing names: the steps of the web profile.
const (
	PartAbout     = "about"     // name and birth date
	PartSkills    = "skills"    // at least one skill
	PartLanguages = "languages" // at least one language
	PartPlace     = "place"     // where they live
	PartAvailable = "available" // from when they can start
	PartConsent   = "consent"   // consent to being matched
)

// Missing lists what the person has yet to fill in before they can be
// matched well, in the order of the profile's steps; nil when nothing is.
// Without consent to matching no employer sees the person and no need
// ranks them, so it is always named while it is absent.
func (p Profile) Missing() []string {
	var out []string
	if p.DisplayName == "" || !p.Birth().Known() {
		out = append(out, PartAbout)
	}
	if len(p.Skills) == 0 {
		out = append(out, PartSkills)
	}
	if len(p.Languages) == 0 {
		out = append(out, PartLanguages)
	}
	if p.Municipality == "" {
		out = append(out, PartPlace)
	}
	if p.AvailableFrom == "" {
		out = append(out, PartAvailable)
	}
	if !p.Consent.Matching {
		out = append(out, PartConsent)
	}
	return out
}
