package register

import "context"

// Followed is what a replica already holds of the register in memory (the
// replica's register, internal/mirror, kept by its followers): look-ups by key
// that cost no store round trip. The hot reads (a need's page, the need
// behind its candidates, the employer deciding who may see it) read here;
// every read-modify-write (UpdateNeed, DeleteNeed, changeEmployer) keeps
// reading the store, so a compare-and-set always starts from the stored
// version.
//
// Freshness: on one replica a write is applied to this memory before its
// response is sent (the followers), so the next read sees it
// (read-your-writes). Another replica's write arrives with that replica's
// next Poll, every SKILLSMATCH_FOLLOW_EVERY (200 ms): across replicas a
// read may be that much behind, as the search and the ranking already are.
// A key the memory lacks (not yet polled, or never existing) is read from
// the store, so a need created elsewhere is never a false 404.
type Followed interface {
	FollowedNeed(id string) (Need, bool)
	FollowedEmployer(id string) (Employer, bool)
}

// ReadFollowed makes the service's read-only look-ups answer from f; see
// Followed. Without it every read goes to the store.
func (s *Service) ReadFollowed(f Followed) { s.followed = f }

// readNeed is the read-only look-up of a need: memory first, then the
// store. Never use it for a read-modify-write.
func (s *Service) readNeed(ctx context.Context, id string) (Need, error) {
	if s.followed != nil {
		if n, ok := s.followed.FollowedNeed(id); ok {
			return n, nil
		}
	}
	return s.needs.Need(ctx, id)
}

// readEmployer is the read-only look-up of an employer: memory first, then
// the store. Never use it for a read-modify-write.
func (s *Service) readEmployer(ctx context.Context, id string) (Employer, error) {
	if s.followed != nil {
		if e, ok := s.followed.FollowedEmployer(id); ok {
			return e, nil
		}
	}
	return s.employers.Employer(ctx, id)
}

// EmployerReader reads an employer by key, without a caller's rule.
type EmployerReader interface {
	Employer(ctx context.Context, id string) (Employer, error)
}

// FollowedEmployers is the read-only look-up of employers (memory first,
// see Followed) for a use case that applies its own rule to what it reads:
// the candidate cards read only the verification (candidate.MayShow).
func (s *Service) FollowedEmployers() EmployerReader { return followedEmployers{s} }

type followedEmployers struct{ s *Service }

func (f followedEmployers) Employer(ctx context.Context, id string) (Employer, error) {
	return f.s.readEmployer(ctx, id)
}
