package mirror

import (
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// interner keeps one copy of each of the few distinct values that every
// held need and profile repeats: skill ids above all (a national register
// holds some 8 million skill entries over about 14,000 ESCO skills), then
// evidence, languages, places, kinds and dates. Decoded documents carry a
// copy of each string of their own; holding the shared one instead was
// the largest cut of the heap at ready (see the heap profiles in the
// start-up section of docs/ARCHITECTURE.md). It is used under Register.mu's
// write lock. Ids of documents and people are not interned: each is one of
// a kind.
type interner struct{ m map[string]string }

// maxInterned bounds the table: the vocabularies above are far smaller,
// and past it values are simply kept as they come.
const maxInterned = 1 << 20

func newInterner() *interner { return &interner{m: map[string]string{}} }

func (in *interner) s(v string) string {
	if c, ok := in.m[v]; ok {
		return c
	}
	if len(in.m) < maxInterned {
		in.m[v] = v
	}
	return v
}

func (in *interner) all(vs []string) []string { return each(vs, in.s) }

// each returns a copy of vs with f applied to every element (vs itself
// when empty): the caller's slice is left alone.
func each[T any](vs []T, f func(T) T) []T {
	if len(vs) == 0 {
		return vs
	}
	out := make([]T, len(vs))
	for i, v := range vs {
		out[i] = f(v)
	}
	return out
}

// profile returns p holding the shared values. Slices are copied, never
// changed in place: p's may be its caller's.
func (in *interner) profile(p profile.Profile) profile.Profile {
	p.Municipality, p.Hours, p.AvailableFrom, p.AvailableTo = in.s(p.Municipality), in.s(p.Hours), in.s(p.AvailableFrom), in.s(p.AvailableTo)
	p.BirthDate, p.WorkModes = in.s(p.BirthDate), in.all(p.WorkModes)
	p.Interests.Kinds, p.Interests.Sectors = in.all(p.Interests.Kinds), in.all(p.Interests.Sectors)
	p.Skills = each(p.Skills, func(s profile.Skill) profile.Skill {
		s.ID, s.Evidence, s.Source = in.s(s.ID), in.s(s.Evidence), in.s(s.Source)
		return s
	})
	p.Languages = each(p.Languages, func(l profile.Language) profile.Language {
		l.Code, l.Level = in.s(l.Code), in.s(l.Level)
		return l
	})
	return p
}

// need returns n holding the shared values, as profile does.
func (in *interner) need(n register.Need) register.Need {
	n.Kind, n.Sector, n.Occupation, n.WorkMode, n.Hours = in.s(n.Kind), in.s(n.Sector), in.s(n.Occupation), in.s(n.WorkMode), in.s(n.Hours)
	n.StartDate, n.EndDate, n.ApplyBy, n.Status = in.s(n.StartDate), in.s(n.EndDate), in.s(n.ApplyBy), in.s(n.Status)
	n.Location.Municipality, n.EmployerID = in.s(n.Location.Municipality), in.s(n.EmployerID)
	n.Skills = each(n.Skills, func(s register.SkillRequirement) register.SkillRequirement {
		s.ID = in.s(s.ID)
		return s
	})
	n.Languages = each(n.Languages, func(l register.Language) register.Language {
		l.Code, l.Level = in.s(l.Code), in.s(l.Level)
		return l
	})
	return n
}
