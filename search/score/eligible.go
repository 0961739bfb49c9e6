package score

import (
	"math"
	"slices"

	"github.com/careget/skillsmatch/internal/age"
)

// Reason says why a candidate may not be matched to a need. The values are
// stable codes for the API; the UI words them.
type Reason string

// Reasons, in the order Eligible reports them.
const (
	ReasonForecast       Reason = "forecast"           // forecast needs are never matched
	ReasonNoConsent      Reason = "no_consent"         // the candidate has not consented to matching
	ReasonGuardian       Reason = "guardian_pending"   // under 14 and no guardian's consent recorded: the profile is held
	ReasonKind           Reason = "kind_not_wanted"    // the need's kind is not among the candidate's interests
	ReasonTooFar         Reason = "too_far"            // beyond the candidate's travel radius, and not remote work they accept
	ReasonNotAvailable   Reason = "not_available"      // the availability windows do not overlap
	ReasonAgeUnknown     Reason = "age_unknown"        // no birth date, so the young-worker rules cannot be cleared
	ReasonUnderAge       Reason = "under_minimum_age"  // may still be 14 on the start date
	ReasonMinorNight     Reason = "minor_night_work"   // may still be 17 and the need has night work
	ReasonMinorHazardous Reason = "minor_hazardous"    // may still be 17 and the need is hazardous
	ReasonUnder16Hours   Reason = "under_16_full_time" // may still be 15: part-time work only
	ReasonNotLightWork   Reason = "under_16_not_light" // may still be 15: only needs flagged light work
)

// failures is a set of Reasons as bits, so that the hot paths can test
// eligibility without allocating a list.
type failures uint16

var reasonOrder = [...]Reason{
	ReasonForecast, ReasonNoConsent, ReasonGuardian, ReasonKind, ReasonTooFar, ReasonNotAvailable,
	ReasonAgeUnknown, ReasonUnderAge, ReasonMinorNight, ReasonMinorHazardous, ReasonUnder16Hours, ReasonNotLightWork,
}

func (f *failures) add(r int) { *f |= 1 << r }

// Indexes into reasonOrder.
const (
	iForecast = iota
	iNoConsent
	iGuardian
	iKind
	iTooFar
	iNotAvailable
	iAgeUnknown
	iUnderAge
	iMinorNight
	iMinorHazardous
	iUnder16Hours
	iNotLightWork
)

// bars maps the young-worker rules of internal/age to the reasons here.
var bars = [...]struct {
	bar age.Bar
	i   int
}{
	{age.BarUnderAge, iUnderAge}, {age.BarNight, iMinorNight}, {age.BarHazardous, iMinorHazardous},
	{age.BarFullTime, iUnder16Hours}, {age.BarNotLight, iNotLightWork},
}

// Eligible applies the hard filters. ok is true when the candidate may be
// matched to the need; otherwise reasons lists every filter that failed,
// in a fixed order. permitRequired is true whenever the candidate may be
// under 18 on the need's start date, whatever ok says: a hire would need a
// Labour Inspectorate permit.
func Eligible(n *PreparedNeed, c *PreparedCandidate) (ok bool, reasons []Reason, permitRequired bool) {
	f, minor := check(n, c)
	if f == 0 {
		return true, nil, minor
	}
	for i, r := range reasonOrder {
		if f&(1<<i) != 0 {
			reasons = append(reasons, r)
		}
	}
	return false, reasons, minor
}

// Admits is Eligible's ok and permitRequired, without the list of
// reasons: for rankings that test thousands of pairs.
func Admits(n *PreparedNeed, c *PreparedCandidate) (ok, permitRequired bool) {
	f, minor := check(n, c)
	return f == 0, minor
}

// EligibleFrom is Eligible's ok and permitRequired for a candidate
// prepared at another place than their own (as their card places them):
// the travel radius counts from (lat, lon), their own place. It spares a
// caller who scores the card's place preparing the candidate twice.
func EligibleFrom(n *PreparedNeed, c *PreparedCandidate, lat, lon float64) (ok, permitRequired bool) {
	at := *c
	at.lat, at.lon = lat, lon
	f, minor := check(n, &at)
	return f == 0, minor
}

// check returns the failed filters and whether the candidate may be a
// minor on the start date.
func check(n *PreparedNeed, c *PreparedCandidate) (f failures, minor bool) {
	if n.forecast {
		f.add(iForecast)
	}
	if !c.consent {
		f.add(iNoConsent)
	}
	if c.pending {
		f.add(iGuardian)
	}
	if c.kinds != nil && !slices.Contains(c.kinds, n.kind) {
		f.add(iKind)
	}
	if !(n.remote && c.remote) && !(distanceKm(n, c) <= c.maxKm) { // NaN is too far
		f.add(iTooFar)
	}
	if !(c.from <= n.end && n.start <= c.to) {
		f.add(iNotAvailable)
	}
	minor = ageChecks(n, c, &f)
	return f, minor
}

// ageChecks adds the young-worker failures (internal/age.Rules) for the
// candidate's age on the need's start date: the person must be old enough
// on the day the work starts, and is a minor, whose hire needs a permit,
// if they may still be under 18 that day. A birth date known to the month
// or the year alone counts as its latest possible day, so the age is the
// youngest the person can be.
func ageChecks(n *PreparedNeed, c *PreparedCandidate, f *failures) (minor bool) {
	if !c.bornKnown {
		f.add(iAgeUnknown)
		return true
	}
	got, minor := age.Rules(age.Years(c.born, n.startDay),
		age.Work{Light: n.lightWork, PartTime: n.partTime, Night: n.nightWork, Hazardous: n.hazardous})
	if got == 0 {
		return minor
	}
	for _, b := range bars {
		if got.Has(b.bar) {
			f.add(b.i)
		}
	}
	return minor
}

// distanceKm is the great-circle distance between the need and the
// candidate.
func distanceKm(n *PreparedNeed, c *PreparedCandidate) float64 {
	return haversineKm(n.lat, n.lon, c.lat, c.lon)
}

// HaversineKm is haversineKm, for callers that filter by distance before
// preparing (a superset: Eligible decides).
func HaversineKm(lat1, lon1, lat2, lon2 float64) float64 { return haversineKm(lat1, lon1, lat2, lon2) }

// haversineKm returns the great-circle distance in km on a sphere of the
// Earth's mean radius: within 0.5% of the ellipsoid, plenty for a travel
// radius.
func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const earthKm = 6371.0088
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	s1, s2 := math.Sin(dLat/2), math.Sin(dLon/2)
	a := s1*s1 + math.Cos(lat1*rad)*math.Cos(lat2*rad)*s2*s2
	return 2 * earthKm * math.Asin(math.Sqrt(min(1, a)))
}
