package match

// NeedCounts are the figures of one need in its employer's list.
type NeedCounts struct {
	Applications int // people who applied (origin "application"), in any state
	Referrals    int // matches an officer referred to the employer, in any state since
}

// CountsByNeed counts, from memory, the applications and referrals of each
// of the needs. It walks every match once (the service keeps them in
// memory); no store read.
func (s *Service) CountsByNeed(needIDs []string) map[string]NeedCounts {
	out := make(map[string]NeedCounts, len(needIDs))
	for _, id := range needIDs {
		out[id] = NeedCounts{}
	}
	s.matches.Each(func(m Match) {
		c, ok := out[m.NeedID]
		if !ok {
			return
		}
		if m.Origin == "application" {
			c.Applications++
		}
		if m.WasReferred() {
			c.Referrals++
		}
		out[m.NeedID] = c
	})
	return out
}
