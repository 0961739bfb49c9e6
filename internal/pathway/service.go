package pathway

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/follow"
	"github.com/careget/skillsmatch/internal/profile"
)

// slug is the form of stage and requirement keys. They become keys of
// stored documents, so nothing the store reads as an operator or a path
// (no "$", no ".") may pass.
var slug = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)

// Service applies the pathway rules. It keeps every pathway and
// participant in memory as well as in the store: pathways are few and never
// change, and the cohort board lists a pathway's participants, which the
// embedded store could only answer by scanning. The store stays the source
// of truth: every move reads the participant from it by key and writes back
// with a compare-and-set on Version; each collection is a follow.Set, which
// Load fills at start-up and Poll keeps in step with the other replicas.
type Service struct {
	pathways     Pathways
	participants Participants
	profiles     Profiles
	writer       ProfileWriter
	catalog      Catalog
	now          func() time.Time

	byID    *follow.Set[Pathway]
	cohorts *follow.Set[followed] // grouped by pathway id

	fmu sync.Mutex
	// forgotten holds the people Forget erased since start-up: a move that
	// wrote before Forget deleted the record must not put it back in
	// memory after.
	forgotten map[string]bool
}

// followed is a participant as the store's change sequence gives it: a
// forgotten one is a tombstone, which drops the one held.
type followed struct {
	Participant
	tomb bool
}

// NewService wires the pathway rules to their stores.
func NewService(pw Pathways, pa Participants, profiles Profiles, writer ProfileWriter, catalog Catalog, now func() time.Time) *Service {
	s := &Service{pathways: pw, participants: pa, profiles: profiles, writer: writer, catalog: catalog, now: now,
		forgotten: map[string]bool{}}
	s.byID = follow.NewSet("pathways", pw.PathwaysAfter, follow.Rules[Pathway]{
		ID:      func(p Pathway) string { return p.ID },
		Version: func(Pathway) int64 { return 0 }, // a pathway never changes: the first read stays
	})
	s.cohorts = follow.NewSet("participants", s.readParticipants, follow.Rules[followed]{
		ID:      func(f followed) string { return f.Key() },
		Version: func(f followed) int64 { return f.Version },
		Group:   func(f followed) string { return f.PathwayID },
		Gone:    func(f followed) bool { return f.tomb || s.wasForgotten(f.ProfileID) },
	})
	return s
}

func (s *Service) readParticipants(ctx context.Context, seq int64, fn func(followed, int64) error) error {
	return s.participants.ParticipantsAfter(ctx, seq, func(p Participant, forgotten bool, seq int64) error {
		return fn(followed{Participant: p.clone(), tomb: forgotten}, seq)
	})
}

func (s *Service) wasForgotten(profileID string) bool {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.forgotten[profileID]
}

// Load reads every pathway and participant into memory, replacing what
// was there. It scans both collections: call it at start-up only.
func (s *Service) Load(ctx context.Context) error {
	if err := s.byID.Load(ctx); err != nil {
		return err
	}
	return s.cohorts.Load(ctx)
}

// Poll reads the pathways and participants other replicas wrote since the
// last poll: new pathways, newer versions of participants, and the
// tombstones of forgotten ones. It returns how many it applied.
func (s *Service) Poll(ctx context.Context) (int, error) {
	now := s.now()
	n, err := s.byID.Poll(ctx, now)
	if err != nil {
		return n, err
	}
	m, err := s.cohorts.Poll(ctx, now)
	return n + m, err
}

// remember keeps p in memory unless memory already holds a newer version
// (two changes that race are stored in version order, compare-and-set, but
// may reach here in either order) or the person was forgotten.
func (s *Service) remember(p Participant) { s.cohorts.Keep(followed{Participant: p}) }

// Create defines a new pathway (officers only). Invalid definitions are
// failure.Invalid with a field error per problem, in the API's JSON paths
// (for example "stages[1].grantsSkills[0].id").
func (s *Service) Create(ctx context.Context, by auth.Principal, p Pathway) (Pathway, error) {
	if by.Role != auth.RoleOfficer {
		return Pathway{}, failure.Forbiddenf("only officers define pathways")
	}
	p = p.clone() // the caller's maps stay theirs
	if err := s.check(p); err != nil {
		return Pathway{}, err
	}
	p.ID, p.CreatedBy, p.CreatedAt = auth.NewID(), by.UserID, s.now().UTC()
	if err := s.pathways.InsertPathway(ctx, p); err != nil {
		return Pathway{}, fmt.Errorf("create pathway: %w", err)
	}
	s.byID.Keep(p)
	return p.clone(), nil
}

// List returns every pathway, oldest first. Anyone may list them.
func (s *Service) List(ctx context.Context) ([]Pathway, error) {
	out := s.byID.Values()
	for i, p := range out {
		out[i] = p.clone()
	}
	slices.SortFunc(out, func(a, b Pathway) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Get returns the pathway with id, or failure.NotFound. Anyone may read
// one.
func (s *Service) Get(ctx context.Context, id string) (Pathway, error) {
	p, ok := s.byID.Get(id)
	if !ok {
		return Pathway{}, failure.NotFoundf("pathway")
	}
	return p.clone(), nil
}

// Enrol puts a person on a pathway. A job-seeker enrols only themselves
// and waits, pending, for an officer to accept them; an officer may enrol
// anyone, accepted at once. Other callers are failure.Forbidden. A person
// without a profile is failure.Conflict ("no_profile"); enrolling twice on
// one pathway is failure.Conflict ("already_enrolled"), also after a
// withdrawal.
func (s *Service) Enrol(ctx context.Context, by auth.Principal, pathwayID, profileID string) (Participant, error) {
	var status string
	switch {
	case by.Role == auth.RoleOfficer:
		status = StatusActive
	case by.Role == auth.RoleJobseeker && profileID == by.UserID:
		status = StatusPending
	case by.Role == auth.RoleJobseeker:
		return Participant{}, failure.Forbiddenf("job-seekers enrol only themselves")
	default:
		return Participant{}, failure.Forbiddenf("only job-seekers and officers enrol on a pathway")
	}
	if profileID == "" {
		return Participant{}, failure.Field("profileId", "required", "")
	}
	if _, err := s.Get(ctx, pathwayID); err != nil {
		return Participant{}, err
	}
	_, err := s.profiles.Profile(ctx, profileID)
	if failure.Is(err, failure.NotFound) {
		return Participant{}, failure.Conflictf("no_profile", "the person needs a profile before enrolling")
	} else if err != nil {
		return Participant{}, fmt.Errorf("enrol %s: %w", profileID, err)
	}
	now := s.now().UTC()
	p := Participant{PathwayID: pathwayID, ProfileID: profileID, Status: status,
		Stages: map[string]StageProgress{}, Checks: map[string]Check{},
		EnrolledAt: now, UpdatedAt: now, Version: 1}
	if status == StatusActive {
		p.AcceptedAt = now
	}
	if err := s.participants.InsertParticipant(ctx, p); err != nil {
		if failure.Is(err, failure.Conflict) {
			return Participant{}, failure.Conflictf("already_enrolled", "the person is already on pathway %s", pathwayID)
		}
		return Participant{}, fmt.Errorf("enrol %s: %w", profileID, err)
	}
	// An erasure may have run between the profile check and the insert,
	// and its Forget before the insert: look again, and take the record
	// back if the profile is gone. (An erasure later than this look runs
	// its Forget after the insert, which deletes the record.)
	if _, err := s.profiles.Profile(ctx, profileID); failure.Is(err, failure.NotFound) {
		if err := s.participants.DeleteParticipant(ctx, pathwayID, profileID); err != nil {
			return Participant{}, fmt.Errorf("enrol %s: undo after erasure: %w", profileID, err)
		}
		return Participant{}, failure.Conflictf("no_profile", "the person needs a profile before enrolling")
	} else if err != nil {
		return Participant{}, fmt.Errorf("enrol %s: %w", profileID, err)
	}
	s.remember(p)
	return p.clone(), nil
}

// Accept moves a pending participant to active (officers only). A
// participant who is not pending is failure.Conflict ("not_pending").
func (s *Service) Accept(ctx context.Context, by auth.Principal, pathwayID, profileID string) (Participant, error) {
	if by.Role != auth.RoleOfficer {
		return Participant{}, failure.Forbiddenf("only officers accept participants")
	}
	return s.move(ctx, pathwayID, profileID, func(_ Pathway, p *Participant, now time.Time) error {
		if p.Status != StatusPending {
			return failure.Conflictf("not_pending", "the participant is %s, not pending", p.Status)
		}
		p.Status, p.AcceptedAt = StatusActive, now
		return nil
	})
}

// Move is one step of progress recorded by an officer. Mentor and NextStep
// are left as they are when nil and cleared when empty.
type Move struct {
	Stage    string
	Status   string // StageStarted or StageCompleted
	Mentor   *string
	NextStep *string
}

// Progress records a participant's progress in a stage (officers only).
// Starting a stage makes it the current one. Completing a stage records
// when, and certifies the skills it grants on the person's profile;
// completing the last stage completes the participant. Completing a stage
// again changes nothing but mentor and next step and certifies its skills
// again, which repairs a certification that failed after the move was
// stored. A completed stage cannot be started again.
//
// Errors: failure.Forbidden for other roles; failure.Invalid for an
// unknown stage or status, or over-long text; failure.NotFound for an
// unknown pathway or participant; failure.Conflict for a participant not
// active ("not_active"), a completed stage started again
// ("stage_completed"), or a move made first by another request
// ("concurrent_move").
func (s *Service) Progress(ctx context.Context, by auth.Principal, pathwayID, profileID string, m Move) (Participant, error) {
	if by.Role != auth.RoleOfficer {
		return Participant{}, failure.Forbiddenf("only officers record progress")
	}
	pw, err := s.Get(ctx, pathwayID)
	if err != nil {
		return Participant{}, err
	}
	stage, err := checkMove(pw, m)
	if err != nil {
		return Participant{}, err
	}
	next, err := s.move(ctx, pathwayID, profileID, func(pw Pathway, p *Participant, now time.Time) error {
		return progress(pw, p, m, now)
	})
	if err != nil {
		return Participant{}, err
	}
	if m.Status == StageCompleted && len(stage.GrantsSkills) > 0 {
		skills := make([]profile.Skill, len(stage.GrantsSkills))
		for i, g := range stage.GrantsSkills {
			skills[i] = profile.Skill{ID: g.ID, Level: g.Level, Evidence: profile.EvidenceCertified}
		}
		// After the move, not before: a move that loses the race must not
		// certify anything. If this fails the stage stays completed, and
		// completing it again retries.
		if err := s.writer.Certify(ctx, profileID, skills); err != nil {
			return Participant{}, fmt.Errorf("certify skills of stage %s for %s: %w", stage.Key, profileID, err)
		}
	}
	return next, nil
}

func checkMove(pw Pathway, m Move) (Stage, error) {
	var fields []failure.FieldError
	stage, ok := pw.Stage(m.Stage)
	if !ok {
		fields = append(fields, failure.FieldError{Field: "stage", Code: "oneof", Param: strings.Join(pw.StageKeys(), ", ")})
	}
	if m.Status != StageStarted && m.Status != StageCompleted {
		fields = append(fields, failure.FieldError{Field: "status", Code: "oneof", Param: StageStarted + ", " + StageCompleted})
	}
	if m.Mentor != nil && utf8.RuneCountInString(*m.Mentor) > MaxMentorLen {
		fields = append(fields, failure.FieldError{Field: "mentor", Code: "max", Param: fmt.Sprint(MaxMentorLen)})
	}
	if m.NextStep != nil && utf8.RuneCountInString(*m.NextStep) > MaxNextStepLen {
		fields = append(fields, failure.FieldError{Field: "nextStep", Code: "max", Param: fmt.Sprint(MaxNextStepLen)})
	}
	if len(fields) > 0 {
		return Stage{}, failure.Fields(fields...)
	}
	return stage, nil
}

// progress applies a checked move to p.
func progress(pw Pathway, p *Participant, m Move, now time.Time) error {
	sp, had := p.Stages[m.Stage]
	again := had && sp.Status == StageCompleted && m.Status == StageCompleted
	switch {
	case p.Status == StatusCompleted && again:
		// a repair of a completed participant's certification
	case p.Status != StatusActive:
		return failure.Conflictf("not_active", "the participant is %s, not active", p.Status)
	case had && sp.Status == StageCompleted && m.Status == StageStarted:
		return failure.Conflictf("stage_completed", "stage %s is already completed", m.Stage)
	}
	if !again {
		if sp.StartedAt.IsZero() {
			sp.StartedAt = now
		}
		sp.Status = m.Status
		if m.Status == StageCompleted {
			sp.CompletedAt = now
		}
		p.Stages[m.Stage] = sp
		// The current stage is the furthest one reached, in pathway order:
		// completing a later stage moves the participant on, revisiting an
		// earlier one does not move them back.
		if keys := pw.StageKeys(); p.Stage == "" || slices.Index(keys, m.Stage) >= slices.Index(keys, p.Stage) {
			p.Stage = m.Stage
		}
		if m.Status == StageCompleted && m.Stage == pw.Stages[len(pw.Stages)-1].Key {
			p.Status = StatusCompleted
		}
	}
	if m.Mentor != nil {
		p.Mentor = strings.TrimSpace(*m.Mentor)
	}
	if m.NextStep != nil {
		p.NextStep = strings.TrimSpace(*m.NextStep)
	}
	return nil
}

// SetCheck records that an officer checked an entry requirement, with the
// outcome and the date of the check, and nothing else (officers only). on
// is YYYY-MM-DD and not after today.
//
// Errors: failure.Forbidden for other roles; failure.Invalid for a bad
// date; failure.NotFound for an unknown pathway, requirement or
// participant; failure.Conflict for a withdrawn participant ("withdrawn")
// or a change made first by another request ("concurrent_move").
func (s *Service) SetCheck(ctx context.Context, by auth.Principal, pathwayID, profileID, requirementKey string, checked bool, on string) (Participant, error) {
	if by.Role != auth.RoleOfficer {
		return Participant{}, failure.Forbiddenf("only officers record checks")
	}
	pw, err := s.Get(ctx, pathwayID)
	if err != nil {
		return Participant{}, err
	}
	if _, ok := pw.Requirement(requirementKey); !ok {
		return Participant{}, failure.NotFoundf("requirement")
	}
	day, err := time.Parse(time.DateOnly, on)
	if err != nil {
		return Participant{}, failure.Field("on", "date", "")
	}
	if today := s.now().UTC().Format(time.DateOnly); day.Format(time.DateOnly) > today {
		return Participant{}, failure.Field("on", "max", today)
	}
	return s.move(ctx, pathwayID, profileID, func(_ Pathway, p *Participant, _ time.Time) error {
		if p.Status == StatusWithdrawn {
			return failure.Conflictf("withdrawn", "the participant has withdrawn")
		}
		p.Checks[requirementKey] = Check{Checked: checked, On: day.Format(time.DateOnly), By: by.UserID}
		return nil
	})
}

// Withdraw takes a pending or active participant off the pathway: the
// person themselves or an officer. Otherwise failure.Forbidden; a
// participant already completed or withdrawn is failure.Conflict
// ("not_active").
func (s *Service) Withdraw(ctx context.Context, by auth.Principal, pathwayID, profileID string) (Participant, error) {
	if by.Role != auth.RoleOfficer && !(by.Role == auth.RoleJobseeker && by.UserID == profileID) {
		return Participant{}, failure.Forbiddenf("only the person or an officer withdraws a participant")
	}
	return s.move(ctx, pathwayID, profileID, func(_ Pathway, p *Participant, _ time.Time) error {
		if p.Status != StatusPending && p.Status != StatusActive {
			return failure.Conflictf("not_active", "the participant is %s", p.Status)
		}
		p.Status = StatusWithdrawn
		return nil
	})
}

// move reads the participant from the store, applies change to a copy and
// writes it back if nobody changed it meanwhile.
func (s *Service) move(ctx context.Context, pathwayID, profileID string, change func(Pathway, *Participant, time.Time) error) (Participant, error) {
	pw, err := s.Get(ctx, pathwayID)
	if err != nil {
		return Participant{}, err
	}
	cur, err := s.participants.Participant(ctx, pathwayID, profileID)
	if failure.Is(err, failure.NotFound) {
		return Participant{}, failure.NotFoundf("participant")
	} else if err != nil {
		return Participant{}, fmt.Errorf("read participant %s: %w", Key(pathwayID, profileID), err)
	}
	next := cur.clone()
	now := s.now().UTC()
	if err := change(pw, &next, now); err != nil {
		return Participant{}, err
	}
	next.UpdatedAt, next.Version = now, cur.Version+1
	ok, err := s.participants.UpdateParticipant(ctx, next, cur.Version)
	if err != nil {
		return Participant{}, fmt.Errorf("update participant %s: %w", next.Key(), err)
	}
	if !ok {
		return Participant{}, failure.Conflictf("concurrent_move", "the participant was changed by another request; reload and retry")
	}
	s.remember(next)
	return next.clone(), nil
}

// Cohort returns the pathway's participants, the cohort board (officers
// only): each one's status, current stage, mentor and next step, in order
// of enrolment, then of profile id. It reads memory only.
func (s *Service) Cohort(ctx context.Context, by auth.Principal, pathwayID string) ([]Participant, error) {
	if by.Role != auth.RoleOfficer {
		return nil, failure.Forbiddenf("only officers see the cohort")
	}
	if _, err := s.Get(ctx, pathwayID); err != nil {
		return nil, err
	}
	cohort := s.cohorts.InGroup(pathwayID)
	out := make([]Participant, len(cohort))
	for i, f := range cohort {
		out[i] = f.clone()
	}
	slices.SortFunc(out, func(a, b Participant) int {
		if c := a.EnrolledAt.Compare(b.EnrolledAt); c != 0 {
			return c
		}
		return strings.Compare(a.ProfileID, b.ProfileID)
	})
	return out, nil
}

// Of returns every pathway participation of a person, oldest first, for
// their export.
func (s *Service) Of(profileID string) []Participant {
	var out []Participant
	for _, id := range s.cohorts.Groups() {
		if f, ok := s.cohorts.Get(Key(id, profileID)); ok {
			out = append(out, f.clone())
		}
	}
	slices.SortFunc(out, func(a, b Participant) int {
		if c := a.EnrolledAt.Compare(b.EnrolledAt); c != 0 {
			return c
		}
		return strings.Compare(a.PathwayID, b.PathwayID)
	})
	return out
}

// Forget deletes every participation of a person, for the erasure of their
// profile: the checks say that someone's medical and criminal-record
// certificates were looked at, which must not outlive the person's
// profile. It deletes by key, one per pathway, without a scan.
func (s *Service) Forget(ctx context.Context, profileID string) error {
	s.fmu.Lock()
	s.forgotten[profileID] = true
	s.fmu.Unlock()
	// Every pathway held, and every one a participant held is on: another
	// replica's pathway may reach this one after its participants.
	ids := map[string]bool{}
	for _, id := range s.cohorts.Groups() {
		ids[id] = true
	}
	for _, p := range s.byID.Values() {
		ids[p.ID] = true
	}
	for id := range ids {
		if err := s.participants.DeleteParticipant(ctx, id, profileID); err != nil {
			return fmt.Errorf("forget participant %s: %w", Key(id, profileID), err)
		}
		s.cohorts.Drop(Key(id, profileID))
	}
	return nil
}

// check enforces the rules of a pathway definition.
func (s *Service) check(p Pathway) error {
	var fields []failure.FieldError
	add := func(field, code, param string) {
		fields = append(fields, failure.FieldError{Field: field, Code: code, Param: param})
	}
	checkName(add, "name", p.Name)
	if n := len(p.Stages); n < 1 || n > MaxStages {
		add("stages", "range", fmt.Sprintf("1..%d", MaxStages))
	}
	stageKeys, reqKeys := map[string]bool{}, map[string]bool{}
	for i, st := range p.Stages {
		at := fmt.Sprintf("stages[%d]", i)
		switch {
		case !slug.MatchString(st.Key):
			add(at+".key", "slug", "")
		case stageKeys[st.Key]:
			add(at+".key", "unique", "")
		}
		stageKeys[st.Key] = true
		checkName(add, at+".name", st.Name)
		if len(st.Requirements) > MaxRequirements {
			add(at+".requirements", "max", fmt.Sprint(MaxRequirements))
		}
		for j, r := range st.Requirements {
			rat := fmt.Sprintf("%s.requirements[%d]", at, j)
			switch {
			case !slug.MatchString(r.Key):
				add(rat+".key", "slug", "")
			case reqKeys[r.Key]:
				add(rat+".key", "unique", "") // checks are kept by key, across stages
			}
			reqKeys[r.Key] = true
			checkName(add, rat+".name", r.Name)
		}
		if len(st.GrantsSkills) > MaxGrants {
			add(at+".grantsSkills", "max", fmt.Sprint(MaxGrants))
		}
		granted := map[string]bool{}
		for j, g := range st.GrantsSkills {
			gat := fmt.Sprintf("%s.grantsSkills[%d]", at, j)
			switch {
			case !s.catalog.KnownSkill(g.ID):
				add(gat+".id", "unknown_skill", "")
			case granted[g.ID]:
				add(gat+".id", "unique", "")
			}
			granted[g.ID] = true
			if g.Level < 1 || g.Level > 4 {
				add(gat+".level", "range", "1..4")
			}
		}
	}
	if len(fields) > 0 {
		return failure.Fields(fields...)
	}
	return nil
}

// checkName requires a Bulgarian and an English text of at most
// MaxNameLen characters.
func checkName(add func(field, code, param string), at string, name map[string]string) {
	for _, lang := range []string{"bg", "en"} {
		switch v := name[lang]; {
		case strings.TrimSpace(v) == "":
			add(at+"."+lang, "required", "")
		case utf8.RuneCountInString(v) > MaxNameLen:
			add(at+"."+lang, "max", fmt.Sprint(MaxNameLen))
		}
	}
}
