package profile

import "context"

// Followed is what a replica already holds of the profiles in memory (the
// replica's register, internal/mirror, kept by its followers), for look-ups that
// need no store round trip: a job-seeker's own profile, read on every
// "my matches". Every read-modify-write (Put, the certifications, Erase)
// keeps reading the store, so its compare-and-set starts from the stored
// version. Freshness is register.Followed's: this replica's writes at once
// (read-your-writes), another replica's within SKILLSMATCH_FOLLOW_EVERY; a
// profile the memory lacks is read from the store.
type Followed interface {
	FollowedProfile(id string) (Profile, bool)
}

// ReadFollowed makes the service's read-only look-ups answer from f.
func (s *Service) ReadFollowed(f Followed) { s.followed = f }

// readProfile is the read-only look-up of a profile: memory first, then
// the store. Never use it for a read-modify-write.
func (s *Service) readProfile(ctx context.Context, id string) (Profile, error) {
	if s.followed != nil {
		if p, ok := s.followed.FollowedProfile(id); ok {
			return p, nil
		}
	}
	return s.profiles.Profile(ctx, id)
}
